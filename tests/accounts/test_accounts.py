"""Signing in and out, signing up, changing a password."""

import pytest
from django.contrib.auth import SESSION_KEY, get_user_model

from tests.conftest import PASSWORD
from tests.pages import parse

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a much longer passphrase 2024"


def signed_in_user_id(client):
    return client.session.get(SESSION_KEY)


def site_nav(response):
    return parse(response.content.decode()).one("nav", class_="site-nav")


def signup(client, username="dora", password1=NEW_PASSWORD, password2=NEW_PASSWORD, **extra):
    data = {"username": username, "email": f"{username}@example.com", "password1": password1, "password2": password2}
    return client.post("/accounts/signup/", {**data, **extra})


# Signing in and out


def test_login_page_renders_our_template(client):
    response = client.get("/accounts/login/", {"next": "/articles/x/"})
    assert response.status_code == 200
    assert "registration/login.html" in [template.name for template in response.templates]
    page = response.content.decode()
    assert "Sign in to continue." in page
    assert '<input type="hidden" name="next" value="/articles/x/">' in page


def test_signing_in_with_the_right_password_goes_to_next(client, alice):
    response = client.post(
        "/accounts/login/", {"username": "alice", "password": PASSWORD, "next": "/articles/some-article/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/articles/some-article/"
    assert signed_in_user_id(client) == str(alice.pk)


def test_signing_in_without_next_goes_to_the_article_list(client, alice):
    response = client.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    assert response["Location"] == "/"


def test_signing_in_ignores_an_unsafe_next(client, alice):
    response = client.post(
        "/accounts/login/", {"username": "alice", "password": PASSWORD, "next": "http://evil.example/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_wrong_password_shows_an_error_and_signs_nobody_in(client, alice):
    response = client.post("/accounts/login/", {"username": "alice", "password": "not the password"})
    assert response.status_code == 200
    assert "enter a correct username and password" in response.content.decode()
    assert signed_in_user_id(client) is None


def test_header_shows_who_is_signed_in(client, alice):
    client.force_login(alice)
    nav = site_nav(client.get("/"))
    assert "alice" in [link.text for link in nav.find_all("a")]
    assert "Sign out" in nav.text
    assert "Sign in" not in nav.html


def test_header_offers_sign_in_and_sign_up_to_visitors(client):
    nav = site_nav(client.get("/"))
    assert nav.one("a", href="/accounts/login/?next=/").text == "Sign in"
    assert nav.one("a", href="/accounts/signup/?next=/").text == "Sign up"


def test_signing_out_takes_a_post(client, alice):
    client.force_login(alice)
    assert client.get("/accounts/logout/").status_code == 405
    assert signed_in_user_id(client) == str(alice.pk)

    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert signed_in_user_id(client) is None


# Signing up


def test_signing_up_creates_the_user_and_signs_them_in(client):
    response = signup(client, next="/articles/some-article/")
    assert response.status_code == 302
    assert response["Location"] == "/articles/some-article/"
    dora = get_user_model().objects.get(username="dora")
    assert dora.email == "dora@example.com"
    assert dora.check_password(NEW_PASSWORD)
    assert signed_in_user_id(client) == str(dora.pk)


@pytest.mark.parametrize("unsafe", ["http://evil.example", "//evil.example/", "https://evil.example/path"])
def test_signing_up_with_an_unsafe_next_goes_home(client, unsafe):
    response = signup(client, next=unsafe)
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert get_user_model().objects.filter(username="dora").exists()


def test_signup_page_keeps_a_safe_next_and_drops_an_unsafe_one(client):
    page = client.get("/accounts/signup/", {"next": "/articles/x/"}).content.decode()
    assert '<input type="hidden" name="next" value="/articles/x/">' in page
    page = client.get("/accounts/signup/", {"next": "http://evil.example"}).content.decode()
    assert '<input type="hidden" name="next" value="/">' in page
    assert 'value="http://evil.example"' not in page


def test_signing_up_with_mismatched_passwords_is_refused(client):
    response = signup(client, password2=NEW_PASSWORD + "!")
    assert response.status_code == 400
    assert "password fields didn’t match" in response.content.decode()
    assert not get_user_model().objects.filter(username="dora").exists()
    assert signed_in_user_id(client) is None


def test_signing_up_with_a_taken_username_is_refused(client, alice):
    response = signup(client, username="alice")
    assert response.status_code == 400
    assert "A user with that username already exists." in response.content.decode()
    assert get_user_model().objects.filter(username="alice").count() == 1
    assert get_user_model().objects.get(username="alice").check_password(PASSWORD)


def test_signing_up_with_a_weak_password_is_refused(client):
    response = signup(client, password1="12345678", password2="12345678")
    assert response.status_code == 400
    assert "too common" in response.content.decode()
    assert not get_user_model().objects.filter(username="dora").exists()


def test_signed_in_reader_visiting_signup_is_sent_on(client, alice):
    client.force_login(alice)
    response = client.get("/accounts/signup/", {"next": "/articles/x/"})
    assert response.status_code == 302
    assert response["Location"] == "/articles/x/"


# Changing the password


def test_password_change_needs_a_signed_in_reader(client):
    response = client.get("/accounts/password_change/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/accounts/password_change/"


def test_signed_in_reader_changes_their_password(client, alice):
    client.force_login(alice)
    page = client.get("/accounts/password_change/")
    assert "registration/password_change_form.html" in [template.name for template in page.templates]

    response = client.post(
        "/accounts/password_change/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password_change/done/"
    alice.refresh_from_db()
    assert alice.check_password(NEW_PASSWORD)
    assert signed_in_user_id(client) == str(alice.pk)  # still signed in on this device


def test_password_change_with_the_wrong_old_password_changes_nothing(client, alice):
    client.force_login(alice)
    response = client.post(
        "/accounts/password_change/",
        {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    assert "old password was entered incorrectly" in response.content.decode()
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)
