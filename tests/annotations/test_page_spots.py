"""The reading page's unfiltered notes, read with SQL prepared once per kind of reader (`_page_spots`):
for every reader, exactly the notes the visibility rule lets them see, as the ORM's own query finds.

The SQL is kept per kind of reader the rule tells apart (`READER_KINDS`); the last test checks that
the rule reads nothing else of a reader, so no two readers it treats differently share one SQL.
"""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.utils.functional import SimpleLazyObject

from annotations import reading
from annotations.models import Annotation
from annotations.reading import READER_KINDS, Filters, _page_spots, _spots, notes_for_reader
from tests.annotations.factories import PRIVATE, PUBLIC, note_on_article, note_on_quote

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(article, alice, bob, charlie, curator, make_seminar, django_user_model):
    """Notes of every audience and state on the article: private, public, a seminar's, hidden, pending."""
    korea = make_seminar("Korea 2006", instructors=[alice], participants=[bob])
    notes = {
        "alice private": note_on_quote(alice, article, "North Korea shot the missiles", visibility=PRIVATE),
        "alice public": note_on_quote(alice, article, "kind of mysteries", visibility=PUBLIC),
        "bob seminar": note_on_quote(bob, article, "abrupt policy changes", visibility="seminar", seminar=korea),
        "bob private": note_on_article(bob, article),
        "charlie public hidden": note_on_quote(charlie, article, "missile", visibility=PUBLIC),
        "alice seminar pending": note_on_quote(alice, article, "Japan", visibility="seminar", seminar=korea),
    }
    Annotation.objects.filter(pk=notes["charlie public hidden"].pk).update(hidden=True)
    Annotation.objects.filter(pk=notes["alice seminar pending"].pk).update(pending=True)
    readers = {
        "anonymous": AnonymousUser(),
        "alice": alice,
        "bob": bob,
        "charlie": charlie,
        "curator": curator,
        "superuser": django_user_model.objects.create_user("root", password="x" * 16, is_superuser=True),
    }
    return notes, readers


def ids(spots):
    return sorted(str(spot[0]).replace("-", "") for spot in spots)  # the id, as the database writes it


def test_each_reader_gets_what_the_visibility_rule_gives_them(article, world):
    _, readers = world
    for name, reader in readers.items():
        prepared = _page_spots(reader, article, Filters())
        assert ids(prepared) == ids(_spots(notes_for_reader(reader, article, Filters()))), name
    for kind, query in reading._unfiltered_spots.items():
        assert query._sql[("default", connection.vendor)] is not None, kind  # each ran from kept SQL


def test_a_stranger_and_staff_see_none_of_the_notes_kept_from_them(article, world):
    notes, readers = world
    seen = {name: set(ids(_page_spots(reader, article, Filters()))) for name, reader in readers.items()}

    def of(*names):
        return {notes[name].pk.hex for name in names}

    assert seen["anonymous"] == seen["superuser"] == of("alice public")
    assert seen["charlie"] == of("alice public", "charlie public hidden")  # an author sees their hidden note
    assert seen["curator"] == of("alice public", "charlie public hidden")  # staff moderate public notes
    assert seen["alice"] == of("alice private", "alice public", "bob seminar", "alice seminar pending")
    assert seen["bob"] == of("alice public", "bob seminar", "bob private")


def test_the_visibility_rule_reads_nothing_of_a_reader_but_their_id_and_their_kind(article, alice, curator):
    """Were it to read more (a group, a flag), readers who differ in it would share one prepared SQL:
    this fails first, and READER_KINDS must grow with it. Of the article it reads only the id (the
    prepared SQL stands in an Article with nothing else for each article)."""
    # What the ORM asks of any row given as a value (is it an expression? which row is it?), and the
    # rule's own memo (`_notes_visible`): none of it tells one reader's kind from another's.
    plumbing = {"pk", "id", "resolve_expression", "get_source_expressions"}
    for reader in (alice, curator):
        watched, watched_article = Watched(lambda reader=reader: reader), Watched(lambda: article)
        rows = reading._spot_rows(notes_for_reader(watched, watched_article, Filters()))
        rows.query.get_compiler(using=rows.db).as_sql()
        assert {name for name in watched.read if not name.startswith("_")} - plumbing == set(READER_KINDS), reader
        assert {name for name in watched_article.read if not name.startswith("_")} <= plumbing


class Watched(SimpleLazyObject):
    """A reader that notes each attribute read of it."""

    def __init__(self, func):
        super().__init__(func)
        self.__dict__["read"] = set()

    def __getattr__(self, name):
        self.__dict__["read"].add(name)
        return super().__getattr__(name)
