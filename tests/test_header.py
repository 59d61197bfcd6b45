"""The header's counts (config.context_processors.header): one query says which of the three has
anything to count, and it says for each what its own guard says."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from annotations.context_processors import _any_unread
from annotations.models import Annotation, Notification
from config import context_processors
from review import scheduling
from seminars.models import _instructs_any
from tests.annotations.factories import note_on_quote
from tests.pages import parse

pytestmark = pytest.mark.django_db

HEADER_COUNTS = ("Review", "Inbox", "Moderation")


def test_the_one_query_answers_as_each_apps_own_guard(article, alice, bob, charlie, make_seminar):
    make_seminar("Korea 2006", instructors=[alice], participants=[bob])
    note = note_on_quote(alice, article, "missile")
    Annotation.objects.filter(pk=note.pk).update(created=timezone.now() - datetime.timedelta(days=3))
    Notification.objects.create(recipient=bob, annotation=note, kind=Notification.Kind.REPLY)
    day = scheduling.today()
    start = scheduling.start_of(day)
    seen = {}
    for reader in (alice, bob, charlie):
        (row,) = context_processors._anything(reader.pk, start, day)
        separately = (scheduling._any_due(reader.pk, start, day), _any_unread(reader.pk), _instructs_any(reader.pk))
        assert tuple(map(bool, row)) == separately
        seen[reader.username] = separately
    assert seen == {
        "alice": (True, False, True),
        "bob": (False, True, False),
        "charlie": (False, False, False),
    }
    assert context_processors._anything._sql[("default", connection.vendor)] is not None  # from kept SQL


def test_the_header_shows_each_count_where_there_is_one(article, alice, bob, make_seminar):
    korea = make_seminar("Korea 2006", instructors=[alice], participants=[bob])
    waiting = note_on_quote(bob, article, "Japan", visibility="seminar", seminar=korea)
    Annotation.objects.filter(pk=waiting.pk).update(pending=True)
    note = note_on_quote(alice, article, "missile")
    Annotation.objects.filter(pk=note.pk).update(
        created=timezone.now() - datetime.timedelta(days=3), visibility=Annotation.Visibility.PUBLIC
    )
    Notification.objects.create(recipient=bob, annotation=note, kind=Notification.Kind.REPLY)
    for reader, shown in ((alice, {"Review 1", "Moderation 1"}), (bob, {"Inbox 1"})):
        client = Client()
        client.force_login(reader)
        nav = parse(client.get(article.get_absolute_url()).content.decode()).find("nav", class_="site-nav")
        links = {" ".join(link.text.split()) for link in nav.find_all("a")}
        counted = {
            text for text in links if text.split()[0] in ("Review", "Inbox", "Moderation") and len(text.split()) > 1
        }
        assert counted == shown, links


def test_no_count_shown_costs_nothing_and_all_three_one_query_where_none_has_anything(rf, charlie):
    from django.db import connection as db
    from django.test.utils import CaptureQueriesContext

    request = rf.get("/")
    request.user = charlie
    with CaptureQueriesContext(db) as none_read:
        counts = context_processors.header(request)
    assert len(none_read) == 0
    with CaptureQueriesContext(db) as all_read:
        assert [counts[name] == 0 for name in ("review_due", "unread_count", "moderation_count")] == [True] * 3
    assert len(all_read) == 1
