"""Personal API tokens: made on the account page or by a command, shown once, revoked for good."""

from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.models import ApiToken, digest
from annotations.models import Annotation
from tests.conftest import PASSWORD

NEW_PASSWORD = "a much longer passphrase 2024"

pytestmark = pytest.mark.django_db


def container(article):
    return reverse("api:annotations", kwargs={"slug": article.slug})


def whole_article(article):
    return {"type": "Annotation", "bodyValue": "A note.", "target": f"http://testserver/articles/{article.slug}/"}


def posts_with(client, article, token):
    response = client.post(
        container(article),
        whole_article(article),
        content_type="application/ld+json",
        headers={"Authorization": f"Bearer {token}"},
    )
    return response.status_code


def test_the_account_page_asks_anonymous_readers_to_sign_in(client):
    response = client.get(reverse("account"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_account_page_lists_my_tokens_and_not_bobs(client, alice, bob):
    ApiToken.objects.issue(alice, "laptop script")
    ApiToken.objects.issue(bob, "bob's phone")
    client.force_login(alice)
    page = client.get(reverse("account")).content.decode()
    assert "laptop script" in page
    assert "bob" not in page.replace("bob@", "")
    assert "never" in page


def test_a_token_made_on_the_account_page_is_shown_once_and_works(client, alice, article):
    client.force_login(alice)
    response = client.post(reverse("token-create"), {"name": "export script"}, follow=True)
    assert response.redirect_chain == [(reverse("account") + "#tokens", 302)]
    token = ApiToken.objects.get(user=alice)
    text = response.context["new_token_text"]
    assert text.startswith("mgl_")
    assert f'value="{text}"' in response.content.decode()
    assert "shown only this once" in response.content.decode()
    assert token.name == "export script"
    assert token.digest == digest(text)
    assert text.startswith(token.prefix)
    assert not ApiToken.objects.filter(digest=text).exists()
    assert text not in client.get(reverse("account")).content.decode()
    client.logout()
    assert posts_with(client, article, text) == 201


def test_a_token_needs_a_name(client, alice):
    client.force_login(alice)
    response = client.post(reverse("token-create"), {"name": "  "})
    assert response.status_code == 400
    assert "This field is required" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_creating_a_token_needs_a_post(client, alice):
    client.force_login(alice)
    assert client.get(reverse("token-create")).status_code == 405


def test_revoking_asks_first_then_the_token_stops_working(client, alice, article):
    token, text = ApiToken.objects.issue(alice, "old script")
    client.force_login(alice)
    confirm = client.get(reverse("token-revoke", args=[token.pk]))
    assert confirm.status_code == 200
    assert "<form" in confirm.content.decode()
    assert ApiToken.objects.filter(pk=token.pk).exists()
    response = client.post(reverse("token-revoke", args=[token.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("account")
    assert not ApiToken.objects.filter(pk=token.pk).exists()
    client.logout()
    assert posts_with(client, article, text) == 401


def test_bob_cannot_revoke_alices_token(client, alice, bob):
    token, _ = ApiToken.objects.issue(alice, "mine")
    client.force_login(bob)
    assert client.get(reverse("token-revoke", args=[token.pk])).status_code == 404
    assert client.post(reverse("token-revoke", args=[token.pk])).status_code == 404
    assert ApiToken.objects.filter(pk=token.pk).exists()


def test_a_wrong_token_is_401_even_for_reading(client, article):
    response = client.get(container(article), headers={"Authorization": "Bearer mgl_wrong"})
    assert response.status_code == 401
    assert "not valid" in response.json()["error"]


def test_an_inactive_users_token_does_not_work(client, alice, article):
    _, text = ApiToken.objects.issue(alice, "x")
    alice.is_active = False
    alice.save()
    assert posts_with(client, article, text) == 401


def test_using_a_token_records_when_at_most_once_a_minute(client, alice, article):
    token, text = ApiToken.objects.issue(alice, "x")
    assert token.last_used is None
    client.get(container(article), headers={"Authorization": f"Bearer {text}"})
    token.refresh_from_db()
    first_use = token.last_used
    assert first_use is not None
    client.get(container(article), headers={"Authorization": f"Bearer {text}"})
    token.refresh_from_db()
    assert token.last_used == first_use
    ApiToken.objects.filter(pk=token.pk).update(last_used=timezone.now() - timedelta(minutes=2))
    client.get(container(article), headers={"Authorization": f"Bearer {text}"})
    token.refresh_from_db()
    assert token.last_used > first_use


def test_the_command_prints_a_token_as_its_last_word_and_it_works(client, alice, article):
    out = StringIO()
    call_command("create_api_token", "alice", "--name", "backup", stdout=out)
    text = out.getvalue().split()[-1]
    assert ApiToken.objects.get(user=alice).name == "backup"
    assert posts_with(client, article, text) == 201


def test_the_command_refuses_an_unknown_user(db):
    with pytest.raises(CommandError, match="no user named 'nobody'"):
        call_command("create_api_token", "nobody")
    assert not ApiToken.objects.exists()


def test_staff_can_list_tokens_in_the_admin_but_never_see_their_text(client, curator, alice):
    _, text = ApiToken.objects.issue(alice, "laptop")
    client.force_login(curator)
    page = client.get(reverse("admin:accounts_apitoken_changelist")).content.decode()
    assert "laptop" in page
    assert text not in page


# Expiry


def test_a_token_can_be_made_to_expire_on_the_account_page(client, alice, article):
    client.force_login(alice)
    response = client.post(reverse("token-create"), {"name": "one month", "expires_in": "30"}, follow=True)
    assert response.status_code == 200
    token = ApiToken.objects.get()
    assert timedelta(days=29, hours=23) < token.expires - timezone.now() <= timedelta(days=30)
    assert f"{token.expires:%-d %b %Y}" in client.get(reverse("account")).content.decode()
    client.logout()
    assert posts_with(client, article, response.context["new_token_text"]) == 201


def test_the_account_page_offers_an_expiry_and_never_is_a_choice(client, alice):
    client.force_login(alice)
    page = client.get(reverse("account")).content.decode()
    assert 'name="expires_in"' in page
    assert '<option value="90" selected>' in page
    client.post(reverse("token-create"), {"name": "forever", "expires_in": ""})
    assert ApiToken.objects.get().expires is None


def test_an_expiry_that_is_not_offered_is_refused_and_no_token_is_made(client, alice):
    client.force_login(alice)
    response = client.post(reverse("token-create"), {"name": "odd", "expires_in": "100000000"})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_an_expired_token_is_refused_with_a_401_that_says_so(client, alice, article):
    token, text = ApiToken.objects.issue(alice, "old", days=1)
    ApiToken.objects.filter(pk=token.pk).update(expires=timezone.now() - timedelta(seconds=1))
    response = client.get(container(article), headers={"Authorization": f"Bearer {text}"})
    assert response.status_code == 401
    assert "This token expired on" in response.json()["error"]
    assert "account page" in response.json()["error"]
    assert 'error="invalid_token"' in response["WWW-Authenticate"]
    assert posts_with(client, article, text) == 401
    assert not Annotation.objects.exists()


def test_the_account_page_shows_an_expired_token_as_expired(client, alice):
    token, _ = ApiToken.objects.issue(alice, "old", days=1)
    ApiToken.objects.filter(pk=token.pk).update(expires=timezone.now() - timedelta(days=2))
    client.force_login(alice)
    assert "<strong>expired</strong>" in client.get(reverse("account")).content.decode()


def test_the_command_makes_a_token_that_expires_after_the_days_given(client, alice, article):
    out = StringIO()
    call_command("create_api_token", "alice", "--name", "ci", "--days", "7", stdout=out)
    token = ApiToken.objects.get()
    assert timedelta(days=6, hours=23) < token.expires - timezone.now() <= timedelta(days=7)
    assert "valid until" in out.getvalue()
    assert posts_with(client, article, out.getvalue().split()[-1]) == 201


@pytest.mark.parametrize("days", ["0", "-3", "3651"])
def test_the_command_refuses_days_out_of_range(alice, days):
    with pytest.raises(CommandError, match="whole number of days from 1 to 3650"):
        call_command("create_api_token", "alice", "--days", days)
    assert not ApiToken.objects.exists()


# A new password revokes the tokens


def test_changing_the_password_revokes_every_token_and_says_so(client, alice, bob, article):
    _, first = ApiToken.objects.issue(alice, "laptop")
    _, second = ApiToken.objects.issue(alice, "server")
    ApiToken.objects.issue(bob, "bob's")
    client.force_login(alice)
    form = client.get(reverse("password_change")).content.decode()
    assert "Your 2 API tokens will be revoked" in form
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )
    assert "Your 2 API tokens were revoked with the old password" in response.content.decode()
    assert not ApiToken.objects.filter(user=alice).exists()
    assert ApiToken.objects.filter(user=bob).count() == 1
    client.logout()
    assert posts_with(client, article, first) == 401
    assert posts_with(client, article, second) == 401


def test_a_refused_password_change_keeps_the_tokens(client, alice):
    ApiToken.objects.issue(alice, "laptop")
    client.force_login(alice)
    response = client.post(
        reverse("password_change"),
        {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    assert ApiToken.objects.filter(user=alice).count() == 1


def test_resetting_the_password_revokes_every_token_and_says_so(client, alice, article):
    _, text = ApiToken.objects.issue(alice, "laptop")
    uid = urlsafe_base64_encode(force_bytes(alice.pk))
    form = client.get(
        reverse("password_reset_confirm", args=[uid, default_token_generator.make_token(alice)]), follow=True
    )
    response = client.post(
        form.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}, follow=True
    )
    assert "Your 1 API token was revoked with the old password" in response.content.decode()
    assert not ApiToken.objects.filter(user=alice).exists()
    assert posts_with(client, article, text) == 401


def test_a_password_set_in_the_admin_revokes_the_users_tokens(client, curator, alice):
    ApiToken.objects.issue(alice, "laptop")
    client.force_login(curator)
    response = client.post(
        reverse("admin:auth_user_password_change", args=[alice.pk]),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
    )
    assert response.status_code == 302
    assert not ApiToken.objects.filter(user=alice).exists()


def test_a_password_change_without_tokens_says_nothing_about_them(client, alice):
    client.force_login(alice)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )
    assert "revoked" not in response.content.decode()
    assert "Password changed" in response.content.decode()
