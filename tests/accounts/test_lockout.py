"""The sign-in lockout (django-axes): per account and per address, a clear page, a cool-off."""

from datetime import timedelta

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.tokens import default_token_generator
from django.core.cache.backends import locmem
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a much longer passphrase 2024"


@pytest.fixture(autouse=True)
def three_failures(settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_COOLOFF_TIME = timedelta(minutes=15)


def sign_in(client, username="alice", password="not the password", **extra):
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


def signed_in_user_id(client):
    return client.session.get(SESSION_KEY)


def test_after_the_failure_limit_even_the_right_password_is_refused_with_a_pause_page(client, alice):
    for _ in range(2):
        assert sign_in(client).status_code == 200  # the form again, with its error
    response = sign_in(client)
    assert response.status_code == 429
    assert response["Retry-After"] == str(15 * 60)
    page = response.content.decode()
    assert "Sign-in paused" in page
    assert "3 failed attempts" in page
    assert "paused for 15 minutes" in page
    assert reverse("password_reset") in page
    response = sign_in(client, password=PASSWORD)
    assert response.status_code == 429
    assert signed_in_user_id(client) is None


def test_two_hundred_wrong_passwords_are_not_all_answered(client, alice, settings):
    """The probe: 200 wrong passwords in a row were all checked, then the right one worked."""
    settings.AXES_FAILURE_LIMIT = 10
    answers = [sign_in(client, password=f"guess {number}").status_code for number in range(200)]
    assert answers.count(200) == 9
    assert sign_in(client, password=PASSWORD).status_code == 429
    assert signed_in_user_id(client) is None


def test_an_account_is_paused_whatever_address_the_guesses_come_from(client, alice):
    for number in range(3):
        sign_in(client, REMOTE_ADDR=f"192.0.2.{number}")
    assert sign_in(client, password=PASSWORD, REMOTE_ADDR="198.51.100.1").status_code == 429
    assert signed_in_user_id(client) is None


def test_an_address_is_paused_whatever_accounts_it_tries(client, alice, bob, charlie):
    for name in ["bob", "charlie", "dora"]:
        sign_in(client, username=name)
    assert sign_in(client, password=PASSWORD).status_code == 429
    # alice, from her own address, is not paused: her account had no failures.
    assert sign_in(client, password=PASSWORD, REMOTE_ADDR="198.51.100.1").status_code == 302


def test_the_pause_ends_after_the_cool_off(client, alice, monkeypatch):
    for _ in range(3):
        sign_in(client)
    assert sign_in(client, password=PASSWORD).status_code == 429
    later = locmem.time.time() + 15 * 60 + 1
    monkeypatch.setattr(locmem.time, "time", lambda: later)
    assert sign_in(client, password=PASSWORD).status_code == 302
    assert signed_in_user_id(client) == str(alice.pk)


def test_failures_below_the_limit_do_not_pause(client, alice):
    for _ in range(2):
        sign_in(client)
    assert sign_in(client, password=PASSWORD).status_code == 302


def test_a_password_reset_lifts_the_accounts_pause(client, alice):
    for number in range(3):
        sign_in(client, REMOTE_ADDR=f"192.0.2.{number}")
    uid = urlsafe_base64_encode(force_bytes(alice.pk))
    token = default_token_generator.make_token(alice)
    form = client.get(reverse("password_reset_confirm", args=[uid, token]), follow=True)
    client.post(form.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert sign_in(client, password=NEW_PASSWORD).status_code == 302


def test_the_test_clients_login_still_works_beside_the_lockout(client, alice):
    assert client.login(username="alice", password=PASSWORD)
    assert signed_in_user_id(client) == str(alice.pk)
    assert not client.login(username="alice", password="wrong")


def test_the_admin_sign_in_is_paused_too(client, curator):
    for _ in range(3):
        client.post("/admin/login/", {"username": "curator", "password": "wrong"})
    response = client.post("/admin/login/", {"username": "curator", "password": PASSWORD})
    assert response.status_code == 429


def test_the_sign_in_page_offers_a_password_reset(client):
    assert reverse("password_reset") in client.get(reverse("login")).content.decode()
