"""Personal API tokens: made on the account page or by a command, shown once, revoked for good."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import ApiToken, digest

pytestmark = pytest.mark.django_db


def container(article):
    return reverse("api:annotations", kwargs={"slug": article.slug})


def whole_article(article):
    return {"type": "Annotation", "target": f"http://testserver/articles/{article.slug}/"}


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
    response = client.post(reverse("token-create"), {"name": "export script"})
    assert response.status_code == 200
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
