"""Telling accounts apart: usernames that look alike, names of dots, one email address per account."""

import unicodedata

import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from accounts.lookalikes import email_key, skeleton, username_keys
from accounts.models import AccountKeys
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a much longer passphrase 2024"
User = get_user_model()


def sign_up(client, username, email=""):
    data = {"username": username, "email": email, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    return client.post(reverse("signup"), data)


def assert_refused(response, message, *, users_before):
    assert response.status_code == 400
    assert message in response.content.decode()
    assert User.objects.count() == users_before


# The skeleton ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lookalike", "original"),
    [
        ("аlice", "alice"),  # Cyrillic а
        ("ΑLICE", "ALICE"),  # Greek Alpha
        ("aIice", "alice"),  # capital I for l
        ("a1ice", "alice"),  # digit one for l
        ("b0b", "bOb"),  # digit zero for O
        ("rnia", "mia"),  # r and n for m
        ("ａｌｉｃｅ", "alice"),  # fullwidth letters (NFKC)
        ("раураl", "paypal"),  # all Cyrillic but the l
    ],
)
def test_lookalikes_share_a_skeleton(lookalike, original):
    assert lookalike != original
    assert skeleton(lookalike) == skeleton(original)


@pytest.mark.parametrize(("one", "other"), [("ian", "lan"), ("alice", "alicé"), ("bob", "bobby"), ("zoë", "zoe")])
def test_names_that_differ_visibly_keep_different_keys(one, other):
    assert username_keys(one)["username_skeleton"] != username_keys(other)["username_skeleton"]
    assert username_keys(one)["username_caseless"] != username_keys(other)["username_caseless"]


def test_a_capital_i_passes_for_an_l_and_for_an_i_in_other_case():
    assert username_keys("Ian")["username_skeleton"] == username_keys("lan")["username_skeleton"]
    assert username_keys("Ian")["username_caseless"] == username_keys("ian")["username_caseless"]


@given(st.text(max_size=40))
def test_the_skeleton_of_a_skeleton_is_itself(text):
    assert skeleton(skeleton(text)) == skeleton(text)


@given(st.text(max_size=40))
def test_the_skeleton_does_not_depend_on_the_normal_form(text):
    assert skeleton(unicodedata.normalize("NFKC", text)) == skeleton(unicodedata.normalize("NFD", text))


def test_an_email_key_ignores_case_and_blanks():
    assert email_key(" Alice@Example.COM ") == "alice@example.com"
    assert email_key("") is None


# Signing up ------------------------------------------------------------------------------


@pytest.mark.parametrize("lookalike", ["аlice", "aIice", "a1ice", "ALICE", "Alice", "ａｌｉｃｅ"])
def test_a_name_that_passes_for_a_taken_one_is_refused(client, alice, lookalike):
    response = sign_up(client, lookalike)
    assert response.status_code == 400
    page = response.content.decode()
    assert "looks too much like “alice”" in page or "A user with that username already exists." in page
    assert User.objects.count() == 1


def test_the_cyrillic_lookalike_says_which_name_it_passes_for(client, alice):
    assert_refused(sign_up(client, "аlice"), "This name looks too much like “alice”, which is taken", users_before=1)


def test_the_fullwidth_name_is_stored_in_its_normal_form(client):
    assert sign_up(client, "ｄｏｒａ").status_code == 302
    assert User.objects.get().username == "dora"


@pytest.mark.parametrize("name", [".", "..", "...", "-", "@", "_.-"])
def test_a_name_without_a_letter_or_digit_is_refused(client, name):
    assert_refused(sign_up(client, name), "A username needs at least one letter or digit.", users_before=0)


def test_an_email_address_belongs_to_one_account(client, alice):
    assert_refused(
        sign_up(client, "dora", email="alice@example.com"), "Another account uses this email address", users_before=1
    )


def test_an_email_address_in_other_case_is_the_same_address(client, alice):
    assert_refused(
        sign_up(client, "dora", email="ALICE@Example.com"), "Another account uses this email address", users_before=1
    )


def test_accounts_without_an_email_address_are_fine(client):
    assert sign_up(client, "dora").status_code == 302
    client.logout()
    assert sign_up(client, "emil").status_code == 302
    assert User.objects.filter(email="").count() == 2


def test_thirty_one_accounts_cannot_share_one_address_so_a_reset_sends_one_email(client, mailoutbox):
    """The probe: 31 accounts shared one address, and one reset request sent 31 emails."""
    for number in range(31):
        sign_up(client, f"reader{number}", email="shared@example.com")
        client.logout()
    assert User.objects.filter(email__iexact="shared@example.com").count() == 1
    client.post(reverse("password_reset"), {"email": "shared@example.com"})
    assert len(mailoutbox) == 1


# Below the forms: the database refuses too -------------------------------------------------


def test_the_database_refuses_a_lookalike_made_without_the_form(alice):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user("аlice")
    assert not User.objects.filter(username="аlice").exists()


def test_the_database_refuses_a_shared_address_made_without_the_form(alice):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user("dora", "Alice@Example.com")


def test_keys_follow_a_rename_and_free_the_old_name(alice, django_user_model):
    alice.username = "alicia"
    alice.email = "alicia@example.com"
    alice.save()
    keys = AccountKeys.objects.get(user=alice)
    assert (keys.username_caseless, keys.email_caseless) == ("alicia", "alicia@example.com")
    django_user_model.objects.create_user("alice", "alice@example.com")


def test_signing_in_does_not_touch_the_keys(client, alice):
    with CaptureQueriesContext(connection) as queries:
        client.force_login(alice)
    assert queries.captured_queries  # it did save last_login
    assert not [query for query in queries.captured_queries if "accounts_accountkeys" in query["sql"]]


# The admin ---------------------------------------------------------------------------------


def test_staff_cannot_create_a_lookalike_in_the_admin(client, curator, alice):
    client.force_login(curator)
    response = client.post(
        reverse("admin:auth_user_add"),
        {"username": "аlice", "usable_password": "true", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    assert "looks too much like “alice”" in response.content.decode()
    assert not User.objects.filter(username="аlice").exists()


def test_staff_cannot_give_bob_alices_address_in_the_admin(client, curator, alice, bob):
    client.force_login(curator)
    change = reverse("admin:auth_user_change", args=[bob.pk])
    data = {"username": "bob", "email": "ALICE@example.com", "is_active": "on", "date_joined_0": "2026-01-01"}
    response = client.post(change, {**data, "date_joined_1": "10:00:00"})
    assert response.status_code == 200
    assert "Another account uses this email address" in response.content.decode()
    bob.refresh_from_db()
    assert bob.email == "bob@example.com"


def test_staff_can_still_edit_an_account_in_the_admin(client, curator, bob):
    client.force_login(curator)
    change = reverse("admin:auth_user_change", args=[bob.pk])
    data = {"username": "bob", "email": "bob@example.org", "first_name": "Bob", "is_active": "on"}
    response = client.post(change, {**data, "date_joined_0": "2026-01-01", "date_joined_1": "10:00:00"})
    assert response.status_code == 302
    bob.refresh_from_db()
    assert (bob.first_name, bob.email) == ("Bob", "bob@example.org")
    assert bob.check_password(PASSWORD)


def test_a_lookalike_that_slips_past_the_form_is_refused_by_the_database_with_a_message(client, alice, monkeypatch):
    """Two sign-ups at once both pass the form's check; the unique keys refuse the second."""
    monkeypatch.setattr("accounts.forms.check_username", lambda username, user=None: None)
    assert_refused(sign_up(client, "аlice"), "That name or email address was taken a moment ago", users_before=1)
