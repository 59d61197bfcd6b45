"""Making an API token redirects (POST-redirect-GET): the token is shown once, and a reload makes no other."""

from django.urls import reverse

from accounts.models import ApiToken


def test_making_a_token_redirects_to_the_account_page(client, alice):
    client.force_login(alice)
    response = client.post(reverse("token-create"), {"name": "export script"})
    assert response.status_code == 302
    assert response["Location"] == reverse("account") + "#tokens"
    assert ApiToken.objects.filter(user=alice).count() == 1


def test_the_new_token_is_shown_on_the_next_page_only(client, alice):
    client.force_login(alice)
    client.post(reverse("token-create"), {"name": "export script"})
    first = client.get(reverse("account"))
    text = first.context["new_token_text"]
    assert text.startswith("mgl_")
    assert f'value="{text}"' in first.content.decode()
    assert "no-store" in first["Cache-Control"]
    again = client.get(reverse("account"))  # the reload
    assert text not in again.content.decode()
    assert "new_token_text" not in again.context
    assert ApiToken.objects.filter(user=alice).count() == 1


def test_a_refused_token_form_still_answers_with_the_page_and_a_400(client, alice):
    client.force_login(alice)
    response = client.post(reverse("token-create"), {"name": "  "})
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_a_token_revoked_before_the_page_shows_it_is_not_shown(client, alice):
    client.force_login(alice)
    client.post(reverse("token-create"), {"name": "export script"})
    ApiToken.objects.filter(user=alice).delete()
    assert "new_token_text" not in client.get(reverse("account")).context
