"""The site's session store (config.sessions): Django's database sessions, read with a prepared query,
and the same answer as Django's own store for every session, live, expired, unknown or malformed."""

import datetime

import pytest
from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from config import sessions
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def both(key):
    """What ours and Django's store load for `key`, and the key each keeps after."""
    ours, django = sessions.SessionStore(key), db.SessionStore(key)
    return (ours.load(), ours.session_key), (django.load(), django.session_key)


def test_every_session_loads_as_djangos_own_store_loads_it():
    live = sessions.SessionStore()
    live["said"] = "hello"
    live.create()
    expired = sessions.SessionStore()
    expired["said"] = "gone"
    expired.create()
    Session.objects.filter(session_key=expired.session_key).update(
        expire_date=timezone.now() - datetime.timedelta(microseconds=1)
    )
    for key, expected in (
        (live.session_key, ({"said": "hello"}, live.session_key)),
        (expired.session_key, ({}, None)),
        ("x" * 32, ({}, None)),  # no such session
        ("short", ({}, None)),  # not a key Django would make: refused before any query
        (None, ({}, None)),
    ):
        ours, djangos = both(key)
        assert ours == djangos == expected
    assert sessions._unexpired_data._sql[("default", connection.vendor)] is not None  # read with the kept SQL


def test_a_signed_in_reader_stays_signed_in_until_the_session_ends(article, alice):
    client = Client()
    client.force_login(alice)
    assert "alice" in client.get(article.get_absolute_url()).content.decode()
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Sign in" in page
    assert "alice" not in page


def test_signing_out_ends_the_session_for_every_later_request(article, alice):
    client = Client()
    client.force_login(alice)
    key = client.session.session_key
    client.post(reverse("logout"))
    assert not Session.objects.filter(session_key=key).exists()
    stolen = Client()
    stolen.cookies["sessionid"] = key
    assert "Sign in" in stolen.get(article.get_absolute_url()).content.decode()


def test_signing_in_moves_the_session_to_a_new_key_and_the_old_one_reads_nothing(alice):
    before = sessions.SessionStore()
    before["chosen"] = "kept across signing in"
    before.create()
    client = Client()
    client.cookies["sessionid"] = before.session_key
    response = client.post(reverse("login"), {"username": "alice", "password": PASSWORD})
    assert response.status_code == 302
    after = client.session
    assert after.session_key != before.session_key
    assert after["chosen"] == "kept across signing in"
    assert both(before.session_key) == (({}, None), ({}, None))
