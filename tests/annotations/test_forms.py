"""The web edge's forms: what a request says becomes the arguments the domain takes."""

import pytest
from django.test import RequestFactory

from annotations.forms import NoteForm
from annotations.reading import Filters
from annotations.writing import create_reply
from seminars.models import Membership, Seminar
from tests.annotations.factories import note_on_quote

pytestmark = pytest.mark.django_db

QUOTE = "North Korea shot the missiles"


@pytest.fixture
def korea(alice):
    return Seminar.objects.start(name="Korea 2006", instructor=alice)


def test_the_visibility_menu_offers_only_the_readers_own_seminars(alice, bob, korea):
    Seminar.objects.start(name="Balkans", instructor=bob)
    choices = [value for value, _ in NoteForm(user=alice).fields["visibility"].choices]
    assert choices == ["private", "seminar:korea-2006", "public"]


def test_a_seminar_the_reader_is_not_in_is_refused_with_a_message(bob, korea):
    form = NoteForm({"visibility": "seminar:korea-2006"}, user=bob)
    assert not form.is_valid()
    assert form.error_message == (
        "Visibility 'seminar:korea-2006' is not one of: private, public, or a seminar you belong to."
    )


def test_a_new_note_without_a_visibility_is_private(alice):
    form = NoteForm({"comment": "Hm"}, user=alice)
    assert form.is_valid()
    assert form.note_fields() == {
        "comment": "Hm", "tags": "", "visibility": "private", "seminar": None, "is_question": False,
    }  # fmt: skip


def test_an_edit_changes_only_what_the_request_sent(alice, article, korea):
    note = note_on_quote(alice, article, QUOTE, comment="Old", tags=["x"], is_question=True)
    form = NoteForm.for_note(note, alice, {"tags": "y"})
    assert form.is_valid()
    assert form.changes() == {"tags": "y"}  # the comment, audience and question stay
    form = NoteForm.for_note(note, alice, {"comment": "New", "visibility": "seminar:korea-2006"})
    assert form.is_valid()
    assert form.changes() == {
        "comment": "New",
        "visibility": "seminar",
        "seminar": "korea-2006",
        "is_question": False,
    }  # fmt: skip  (an unticked box sends nothing, so a sent comment says the question was unticked)


def test_a_replys_form_has_no_audience_or_question(alice, bob, article):
    note = note_on_quote(alice, article, QUOTE, visibility="public")
    reply = create_reply(bob, note, comment="Yes")
    form = NoteForm.for_note(reply, bob, {"comment": "Yes!", "visibility": "private", "is_question": "1"})
    assert set(form.fields) == {"comment", "tags", "version"}
    assert form.is_valid()
    assert form.changes() == {"comment": "Yes!"}


@pytest.mark.parametrize(
    ("query", "scope"),
    [("", "seminar"), ("&scope=mine", "mine"), ("&scope=nonsense", "seminar"), ("&scope=public", "public")],
)
def test_the_filters_fall_back_to_the_reading_context_on_a_scope_they_cannot_read(alice, korea, query, scope):
    request = RequestFactory().get(f"/?seminar=korea-2006{query}")
    request.user = alice
    filters = Filters.from_request(request)
    assert (filters.seminar, filters.scope) == (korea, scope)


def test_a_seminar_the_reader_is_not_in_is_no_filter_at_all(bob, korea):
    Membership.objects.filter(user=bob).delete()
    request = RequestFactory().get("/?seminar=korea-2006&scope=seminar")
    request.user = bob
    filters = Filters.from_request(request)
    assert (filters.seminar, filters.scope) == (None, "all")


def test_the_filter_form_selects_the_tag_without_regard_to_case(alice):
    request = RequestFactory().get("/?tag=PEACE")
    request.user = alice
    form = Filters.from_request(request).form(["peace", "war"])
    assert '<option value="peace" selected>' in str(form["tag"])
