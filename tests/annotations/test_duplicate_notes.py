"""One note per submission: the same note from the same author within seconds is refused with a 409.

A double click sends the form twice; a script may resend a request it thought lost. The server
answers the copy with 409 "This note was saved a moment ago." (in the toast over htmx, in the form
without it; in JSON with the saved note's address in Location through the API), and saves nothing."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse

from annotations.models import Annotation
from annotations.writing import DUPLICATE_WINDOW, DuplicateNote, create_note, create_reply
from tests.annotations.factories import note_on_article, prose, text_of

SAVED = "This note was saved a moment ago."


@pytest.fixture
def place(article):
    paragraph = prose(article)[0]
    return {"start_key": paragraph.key, "start_offset": 0, "end_key": paragraph.key, "end_offset": 5}


def _create(client, article, data, **headers):
    return client.post(reverse("annotation-create", args=[article.slug]), data, headers=headers)


def test_a_note_sent_twice_from_the_form_is_saved_once(client, alice, article, place):
    client.force_login(alice)
    data = {**place, "comment": "Twice?", "visibility": "private"}
    assert _create(client, article, data).status_code == 302
    again = _create(client, article, data)
    assert again.status_code == 409
    assert SAVED in again.content.decode()
    assert Annotation.objects.count() == 1


def test_a_note_sent_twice_over_htmx_answers_the_copy_in_the_toast(client, alice, article, place):
    client.force_login(alice)
    data = {**place, "comment": "Twice?", "visibility": "private"}
    assert _create(client, article, data, HX_Request="true").status_code == 200
    again = _create(client, article, data, HX_Request="true")
    assert again.status_code == 409
    assert again["HX-Retarget"] == "#toast"
    assert SAVED in again.content.decode()
    assert Annotation.objects.count() == 1


def test_a_bare_highlight_right_after_a_note_on_the_same_words_is_refused(alice, article):
    passage = text_of(article).by_position(prose(article)[0].key, 0, prose(article)[0].key, 5)
    create_note(alice, article, passage, comment="The note.")
    with pytest.raises(DuplicateNote):
        create_note(alice, article, passage)  # the form sent again, emptied by the first answer
    assert Annotation.objects.count() == 1


def test_the_same_note_later_different_or_by_someone_else_is_saved(alice, bob, article):
    first = note_on_article(alice, article, comment="Again.")
    note_on_article(bob, article, comment="Again.")
    note_on_article(alice, article, comment="Again, but different.")
    Annotation.objects.filter(pk=first.pk).update(created=first.created - DUPLICATE_WINDOW - timedelta(seconds=1))
    note_on_article(alice, article, comment="Again.")
    assert Annotation.objects.count() == 4


def test_a_reply_sent_twice_is_saved_once(client, alice, bob, article):
    note = note_on_article(alice, article, comment="Open question.", visibility="public")
    create_reply(bob, note, comment="An answer.")
    with pytest.raises(DuplicateNote):
        create_reply(bob, note, comment="An answer.")
    client.force_login(bob)
    response = client.post(reverse("annotation-reply", args=[note.pk]), {"comment": "An answer."})
    assert response.status_code == 409
    assert note.replies.count() == 1


def test_the_api_answers_a_resent_note_with_409_and_where_the_first_is(alice, article, issue_token, annotation_api):
    token = issue_token(alice)
    data = {"type": "Annotation", "bodyValue": "Sent twice.", "target": f"http://testserver/articles/{article.slug}/"}
    first = annotation_api.send("POST", annotation_api.container(article), data, token=token)
    assert first.status_code == 201
    again = annotation_api.send("POST", annotation_api.container(article), data, token=token)
    assert again.status_code == 409
    assert again.json()["error"] == SAVED
    assert first["Location"].endswith(again["Location"])
    assert Annotation.objects.count() == 1


def test_the_same_words_noted_again_with_other_tags_or_for_another_audience_are_another_note(alice, article, seminar):
    passage = text_of(article).by_quote("kind of mysteries")
    create_note(alice, article, passage, tags=["war"])
    create_note(alice, article, passage, tags=["peace"])
    create_note(alice, article, passage, comment="Look", visibility="private")
    create_note(alice, article, passage, comment="Look", visibility="seminar", seminar=seminar)
    assert Annotation.objects.filter(author=alice).count() == 4
    with pytest.raises(DuplicateNote, match="saved a moment ago"):
        create_note(alice, article, passage, comment="Look", visibility="seminar", seminar=seminar)
    with pytest.raises(DuplicateNote, match="marks them already"):
        create_note(alice, article, passage)  # a bare highlight where a note was just saved
    assert Annotation.objects.filter(author=alice).count() == 4


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="SQLite's test database is in memory, one cache shared by every connection, where a second "
    "writer fails at once rather than wait its turn; on a file its write lock runs writers one by one",
)
@pytest.mark.parametrize("kind", ["note", "reply"])
def test_copies_sent_at_the_same_moment_make_one_note(alice, bob, article, kind):
    """Eight copies race from eight connections: the author's row lock lets one through, and the
    others' check for a copy, made after the lock, sees the note it saved."""
    parent = note_on_article(bob, article, comment="Ask me.", visibility="public") if kind == "reply" else None
    passage = text_of(article).by_position(prose(article)[0].key, 0, prose(article)[0].key, 5)
    barrier, outcomes = threading.Barrier(8), []

    def send():
        try:
            barrier.wait(timeout=30)
            if parent is None:
                create_note(alice, article, passage, comment="At once.", tags=["race"], visibility="public")
            else:
                create_reply(alice, parent, comment="At once.")
            outcomes.append("saved")
        except DuplicateNote:
            outcomes.append("copy")
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(outcomes) == ["copy"] * 7 + ["saved"]
    assert Annotation.objects.filter(author=alice, comment="At once.").count() == 1
