"""Rate limits: sign-up, password reset, notes and replies, the API; 429 with Retry-After, nothing changed."""

import uuid

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.checks import run_checks
from django.test import RequestFactory
from django.urls import reverse

from accounts import throttling
from accounts.models import ApiToken
from annotations.models import Annotation
from tests.annotations.factories import create_url
from tests.test_settings import PRODUCTION_ENV, run_python

pytestmark = pytest.mark.django_db

PASSWORD = "a much longer passphrase 2024"
HTMX = {"HX-Request": "true"}


@pytest.fixture
def limits(settings):
    """Set some limits for one test: limits(signup="2/hour")."""

    def set_limits(**rates):
        settings.THROTTLES = {**settings.THROTTLES, **{name.replace("_", "-"): rate for name, rate in rates.items()}}

    return set_limits


def sign_up(client, username, **extra):
    data = {"username": username, "email": f"{username}@example.com", "password1": PASSWORD, "password2": PASSWORD}
    return client.post(reverse("signup"), data, **extra)


def assert_refused(response, *words):
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 3600
    text = response.content.decode()
    for word in words:
        assert word in text


# The counter ---------------------------------------------------------------------------


def test_a_limit_lets_its_count_through_then_refuses_until_the_window_ends(limits):
    limits(note="3/minute")
    for _ in range(3):
        throttling.check("note", [("user", 1)])
    with pytest.raises(throttling.Throttled) as refusal:
        throttling.check("note", [("user", 1)])
    assert 1 <= refusal.value.retry_after <= 60
    assert "Too many new notes and replies from your account: the limit is 3 per minute." in refusal.value.message
    throttling.check("note", [("user", 2)])  # another reader has their own count


def test_the_window_ends_and_the_count_starts_again(limits, monkeypatch):
    limits(note="1/minute")
    monkeypatch.setattr(throttling.time, "time", lambda: 6000.0)
    throttling.check("note", [("user", 1)])
    with pytest.raises(throttling.Throttled):
        throttling.check("note", [("user", 1)])
    monkeypatch.setattr(throttling.time, "time", lambda: 6060.0)
    throttling.check("note", [("user", 1)])


@pytest.mark.parametrize("rate", ["", "10", "0/hour", "-1/minute", "10/fortnight", "ten/hour", "10/hour/2"])
def test_a_limit_that_is_not_count_per_period_is_a_startup_error(settings, rate):
    settings.THROTTLES = {**settings.THROTTLES, "signup": rate}
    errors = [message for message in run_checks() if message.id == "accounts.E002"]
    assert len(errors) == 1
    assert "MARGINALIA_THROTTLE_SIGNUP" in errors[0].hint


def test_limits_come_from_the_environment():
    result = run_python(
        "-c",
        "import django; django.setup(); from django.conf import settings; print(settings.THROTTLES['note'])",
        MARGINALIA_THROTTLE_NOTE="7/second",
    )
    assert result.stdout.strip() == "7/second", result.stderr


# Which address -------------------------------------------------------------------------


def test_the_address_is_remote_addr_unless_proxies_are_trusted(settings):
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.7")
    assert throttling.client_address(request) == "10.0.0.1"
    settings.TRUSTED_PROXY_COUNT = 1
    assert throttling.client_address(request) == "198.51.100.7"  # what our proxy saw, not what the client wrote


def test_one_ipv6_network_counts_as_one_address(limits):
    limits(signup="1/hour")
    factory = RequestFactory()
    first = factory.post("/", REMOTE_ADDR="2001:db8:1:2::1")
    second = factory.post("/", REMOTE_ADDR="2001:db8:1:2:ffff::9")
    throttling.check("signup", throttling.callers_of(first, ["address"]))
    with pytest.raises(throttling.Throttled):
        throttling.check("signup", throttling.callers_of(second, ["address"]))


# Sign-up -------------------------------------------------------------------------------


def test_sign_ups_from_one_address_are_limited_and_the_refused_one_creates_nobody(client, limits):
    limits(signup="3/hour")
    for name in ["dora", "emil", "fay"]:
        assert sign_up(client, name).status_code == 302
        client.logout()
    response = sign_up(client, "gus")
    assert_refused(response, "Too many sign-ups from your network address", "Nothing was changed")
    assert not get_user_model().objects.filter(username="gus").exists()
    assert sign_up(client, "hal", REMOTE_ADDR="192.0.2.99").status_code == 302  # another address


def test_sign_ups_are_limited_by_default(client):
    """The probe made 30 accounts in 19 seconds from one address."""
    made = 0
    for number in range(30):
        if sign_up(client, f"reader{number}").status_code == 302:
            made += 1
        client.logout()
    assert made < 30
    assert get_user_model().objects.count() == made


def test_only_posted_sign_ups_count(client, limits):
    limits(signup="1/hour")
    for _ in range(3):
        assert client.get(reverse("signup")).status_code == 200
    assert sign_up(client, "dora").status_code == 302


# Password reset ------------------------------------------------------------------------


def test_password_reset_requests_for_one_address_are_limited(client, alice, limits):
    limits(password_reset="2/hour")
    for _ in range(2):
        assert client.post(reverse("password_reset"), {"email": "alice@example.com"}).status_code == 302
    response = client.post(reverse("password_reset"), {"email": "ALICE@example.com"}, REMOTE_ADDR="192.0.2.50")
    assert_refused(response, "Too many password reset requests for this email address")
    assert len(mail.outbox) == 2


def test_password_reset_requests_from_one_address_are_limited(client, alice, bob, limits):
    limits(password_reset="2/hour")
    for address in ["nobody@example.com", "bob@example.com"]:
        client.post(reverse("password_reset"), {"email": address})
    response = client.post(reverse("password_reset"), {"email": "alice@example.com"})
    assert_refused(response, "from your network address")
    assert [message.to for message in mail.outbox] == [["bob@example.com"]]


# Notes and replies ---------------------------------------------------------------------


def test_new_notes_are_limited_per_reader_and_the_refused_one_is_not_saved(client, alice, bob, article, limits):
    limits(note="2/minute")
    client.force_login(alice)
    for number in range(2):
        assert client.post(create_url(article), {"comment": f"note {number}"}).status_code == 302
    response = client.post(create_url(article), {"comment": "one too many"})
    assert_refused(response, "Too many new notes and replies from your account")
    assert Annotation.objects.count() == 2
    client.force_login(bob)
    assert client.post(create_url(article), {"comment": "bob's own"}).status_code == 302


def test_a_refused_note_over_htmx_is_a_toast(client, alice, article, limits):
    limits(note="1/minute")
    client.force_login(alice)
    client.post(create_url(article), {"comment": "first"}, headers=HTMX)
    response = client.post(create_url(article), {"comment": "second"}, headers=HTMX)
    assert_refused(response, '<p class="toast-message">Too many new notes')
    assert "<html" not in response.content.decode()
    assert response["HX-Retarget"] == "#toast"
    assert Annotation.objects.count() == 1


def test_replies_count_with_notes(client, alice, bob, article, limits):
    limits(note="2/minute")
    note = Annotation.objects.create(author=alice, article=article, visibility="public", comment="Why then?")
    client.force_login(bob)
    assert client.post(create_url(article), {"comment": "my note", "visibility": "public"}).status_code == 302
    reply_url = reverse("annotation-reply", args=[note.pk])
    assert client.post(reply_url, {"comment": "Because."}).status_code == 302
    assert client.get(reply_url).status_code == 200  # reading the form is not limited
    response = client.post(reply_url, {"comment": "And also…"})
    assert_refused(response, "Too many new notes and replies")
    assert Annotation.objects.filter(parent=note).count() == 1


def test_an_anonymous_post_still_goes_to_sign_in_and_is_not_counted(client, article, limits):
    limits(note="1/minute")
    for _ in range(3):
        response = client.post(create_url(article), {"comment": "x"})
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


# The API -------------------------------------------------------------------------------


def container(article):
    return reverse("api:annotations", kwargs={"slug": article.slug})


def test_api_requests_with_one_token_are_limited_and_answered_in_json(client, alice, article, limits):
    limits(api="3/minute")
    _, text = ApiToken.objects.issue(alice, "script")
    auth = {"Authorization": f"Bearer {text}"}
    for _ in range(3):
        assert client.get(container(article), headers=auth).status_code == 200
    response = client.post(
        container(article),
        {"type": "Annotation", "target": f"http://testserver/articles/{article.slug}/"},
        content_type="application/ld+json",
        headers=auth,
        REMOTE_ADDR="192.0.2.7",
    )
    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 1
    assert response.json() == {"error": response.json()["error"]}
    assert "Too many API requests with this token" in response.json()["error"]
    assert not Annotation.objects.exists()


def test_api_requests_from_one_address_are_limited_whoever_asks(client, alice, article, limits):
    limits(api="2/minute")
    _, text = ApiToken.objects.issue(alice, "script")
    assert client.get(container(article)).status_code == 200
    assert client.get(container(article), headers={"Authorization": f"Bearer {text}"}).status_code == 200
    response = client.get(container(article))
    assert response.status_code == 429
    assert "from your network address" in response.json()["error"]


def test_a_browser_session_on_the_api_is_counted_per_reader(client, alice, article, limits):
    limits(api="1/minute")
    client.force_login(alice)
    assert client.get(container(article)).status_code == 200
    response = client.get(container(article), REMOTE_ADDR="192.0.2.8")
    assert response.status_code == 429
    assert "from your account" in response.json()["error"]


# Production ----------------------------------------------------------------------------


REDIS_URL = "redis://127.0.0.1:6379/15"
COUNT_ONCE = (
    "import sys, django; django.setup(); from accounts import throttling\n"
    "try:\n    throttling.check('signup', [('address', sys.argv[1])])\n"
    "except throttling.Throttled as refusal:\n    print('refused', refusal.retry_after)\nelse:\n    print('counted')"
)


def redis_is_up():
    import redis

    try:
        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return False


def test_with_redis_separate_server_processes_count_together():
    if not redis_is_up():
        pytest.skip(f"no Redis at {REDIS_URL}")
    caller = f"test-{uuid.uuid4()}"
    answers = [
        run_python("-c", COUNT_ONCE, caller, REDIS_URL=REDIS_URL, MARGINALIA_THROTTLE_SIGNUP="2/hour").stdout.split()
        for _ in range(3)
    ]
    assert [answer[0] for answer in answers] == ["counted", "counted", "refused"]
    assert 1 <= int(answers[2][1]) <= 3600


def test_the_deploy_check_asks_for_redis_in_production():
    result = run_python(
        "manage.py", "check", "--deploy", "--fail-level", "WARNING", **{**PRODUCTION_ENV, "REDIS_URL": None}
    )
    assert result.returncode != 0
    assert "accounts.W001" in result.stderr
    assert "REDIS_URL" in result.stderr


def test_the_deploy_check_is_quiet_about_redis_in_development():
    result = run_python("manage.py", "check", "--deploy", DJANGO_DEBUG="1", REDIS_URL=None)
    assert "accounts.W001" not in result.stdout + result.stderr
