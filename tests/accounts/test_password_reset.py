"""Password reset by email: our pages, one answer whatever the address, a link that works once,
and a new password that revokes the API tokens."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from accounts.models import ApiToken
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a much longer passphrase 2024"


def ask_for_a_link(client, email):
    return client.post(reverse("password_reset"), {"email": email}, follow=True)


def link_in(message):
    return re.search(r"http://\S+/accounts/reset/\S+/", message.body)[0]


def main_of(response):
    """The page's own part: the header around it carries a fresh CSRF token each time."""
    return re.search(r"<main.*</main>", response.content.decode(), re.S)[0]


def test_the_sign_in_page_links_to_the_reset_form(client):
    page = client.get(reverse("login")).content.decode()
    assert reverse("password_reset") in page
    assert "Forgot your password?" in page


def test_the_reset_form_is_ours(client):
    page = client.get(reverse("password_reset")).content.decode()
    assert "Reset your password" in page
    assert "Email me a link" in page
    assert "Django administration" not in page


def test_alice_gets_an_email_with_a_link(client, alice, mailoutbox, settings):
    settings.SITE_URL = "http://marginalia.example.org"
    response = ask_for_a_link(client, "alice@example.com")
    assert response.redirect_chain[-1][0] == reverse("password_reset_done")
    assert "Check your email" in response.content.decode()
    [message] = mailoutbox
    assert message.to == ["alice@example.com"]
    assert message.subject == "Reset your Marginalia password"
    assert "Hello alice" in message.body
    assert link_in(message).startswith("http://marginalia.example.org/accounts/reset/")


def test_an_unknown_address_gets_the_same_answer_and_no_email(client, alice, mailoutbox):
    known = ask_for_a_link(client, "alice@example.com")
    unknown = ask_for_a_link(client, "nobody@example.com")
    assert unknown.redirect_chain == known.redirect_chain
    assert main_of(unknown) == main_of(known)
    assert len(mailoutbox) == 1


def test_a_malformed_address_is_refused_with_a_message(client, alice, mailoutbox):
    response = client.post(reverse("password_reset"), {"email": "not an address"})
    assert response.status_code == 400
    assert "Enter a valid email address." in response.content.decode()
    assert mailoutbox == []


def test_an_empty_address_is_refused_with_a_message(client, mailoutbox):
    response = client.post(reverse("password_reset"), {"email": ""})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert mailoutbox == []


def test_the_link_sets_a_new_password_and_revokes_the_tokens(client, alice, mailoutbox):
    ApiToken.objects.issue(alice, "laptop")
    ask_for_a_link(client, "alice@example.com")
    form = client.get(link_in(mailoutbox[0]), follow=True)
    assert "Choose a new password" in form.content.decode()
    assert "Your 1 API token will be revoked" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}, follow=True
    )
    assert done.redirect_chain[-1][0] == reverse("password_reset_complete")
    page = done.content.decode()
    assert "Your new password is set" in page
    assert "Your 1 API token was revoked" in page
    assert not ApiToken.objects.filter(user=alice).exists()
    alice.refresh_from_db()
    assert alice.check_password(NEW_PASSWORD)


def test_mismatched_passwords_are_refused_and_nothing_changes(client, alice, mailoutbox):
    ApiToken.objects.issue(alice, "laptop")
    ask_for_a_link(client, "alice@example.com")
    form = client.get(link_in(mailoutbox[0]), follow=True)
    response = client.post(form.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": "other"})
    assert response.status_code == 400
    assert "didn’t match" in response.content.decode()
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)
    assert ApiToken.objects.filter(user=alice).count() == 1


def test_a_used_link_no_longer_works(client, alice, mailoutbox):
    ask_for_a_link(client, "alice@example.com")
    link = link_in(mailoutbox[0])
    form = client.get(link, follow=True)
    client.post(form.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    again = client.get(link, follow=True).content.decode()
    assert "This link no longer works" in again
    assert reverse("password_reset") in again


def test_a_made_up_link_does_not_work(client, alice):
    page = client.get(reverse("password_reset_confirm", args=["MQ", "nope-nope"])).content.decode()
    assert "This link no longer works" in page
    assert get_user_model().objects.get(pk=alice.pk).check_password(PASSWORD)
