"""A suspended reader's public writing is refused: a public note and a reply in a public thread (asked
in the one query that locks their row), a private note made public, through the API too; their
private notes go on."""

import pytest

from annotations.models import Annotation, Suspension
from annotations.writing import NoteError, create_note, create_reply, update_note
from tests.annotations.factories import note_on_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def suspended(alice, curator):
    return Suspension.objects.create(user=alice, suspended_by=curator, reason="Spam.")


def test_a_public_note_and_a_public_reply_are_refused_and_nothing_is_stored(suspended, alice, bob, article):
    public = note_on_article(bob, article, visibility="public", comment="Open to all.")
    before = Annotation.objects.count()
    with pytest.raises(NoteError, match="public writing is suspended") as refused:
        note_on_article(alice, article, visibility="public", comment="More spam.")
    assert refused.value.status == 403
    with pytest.raises(NoteError, match="public writing is suspended"):
        create_reply(alice, public, comment="Spam in reply.")
    assert Annotation.objects.count() == before
    private = note_on_article(alice, article, comment="Still mine.")
    assert private.visibility == "private"
    assert create_reply(bob, public, comment="Unaffected.").author == bob


def test_the_api_answers_a_suspended_reader_with_a_403_that_says_why(
    suspended, annotation_api, article, alice, issue_token
):
    data = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "type": "Annotation",
        "body": {"type": "TextualBody", "value": "More spam."},
        "target": {"source": f"http://testserver/articles/{article.slug}/"},
        "visibility": "public",
    }
    before = Annotation.objects.count()
    response = annotation_api.send("POST", annotation_api.container(article), data, token=issue_token(alice))
    assert response.status_code == 403
    assert "public writing is suspended" in response.json()["error"]
    assert Annotation.objects.count() == before


def test_the_suspension_is_said_before_anything_else_is_wrong_with_the_note(suspended, alice, article):
    with pytest.raises(NoteError, match="public writing is suspended") as refused:
        create_note(alice, article, None, comment="", visibility="public")
    assert refused.value.status == 403


def test_a_private_note_cannot_be_made_public_while_suspended(suspended, alice, article):
    note = note_on_article(alice, article, comment="Mine for now.")
    with pytest.raises(NoteError, match="public writing is suspended") as refused:
        update_note(note, visibility="public")
    assert refused.value.status == 403
    note.refresh_from_db()
    assert note.visibility == "private"
    assert update_note(note, comment="Still mine, edited.").visibility == "private"
    suspended.delete()
    assert update_note(note, visibility="public").visibility == "public"
