"""Changing a thread's visibility never shows other people's replies to readers they did not write for.

While others have replied, the first note's author may narrow the thread (to private) but not widen
it (to public, or to another seminar): the web form and the API both refuse with the same message.
Her own replies follow the note wherever it goes.
"""

import pytest
from django.urls import reverse

from annotations.models import Annotation
from annotations.writing import NoteError, create_reply, update_note
from tests.annotations.factories import PRIVATE, PUBLIC, get_page, note_cards, note_on_quote
from tests.pages import parse

pytestmark = pytest.mark.django_db

SEMINAR = Annotation.Visibility.SEMINAR
REFUSED = "Others have replied to this note for the readers it has now"


@pytest.fixture
def thread(alice, bob, article, seminar):
    """Alice's seminar note (Korea 2006: alice instructs, bob takes part) and bob's reply to it."""
    note = note_on_quote(alice, article, "kind of mysteries", comment="Shared", visibility=SEMINAR, seminar=seminar)
    reply = create_reply(bob, note, comment="Bob's reply for the seminar only")
    return note, reply


def audience(note):
    note = Annotation.objects.get(pk=note.pk)
    return note.visibility, note.seminar_id


def edit_form(client, note):
    """What the edit page's form would send, as a browser fills it in."""
    form = parse(get_page(client, reverse("annotation-edit", args=[note.pk]))).one("form", class_="stack-form")
    fields = form.find_all("input") + form.find_all("textarea") + form.find_all("select")
    return {field["name"]: field.value for field in fields if field.get("name") and field.get("type") != "checkbox"}


def test_alice_cannot_make_a_seminar_thread_public_on_the_web_once_bob_replied(client, alice, charlie, thread):
    note, reply = thread
    before = audience(note), audience(reply)
    client.force_login(alice)
    response = client.post(reverse("annotation-edit", args=[note.pk]), edit_form(client, note) | {"visibility": PUBLIC})
    assert response.status_code == 400
    assert REFUSED in response.content.decode()
    assert (audience(note), audience(reply)) == before
    client.force_login(charlie)
    assert str(reply.pk) not in note_cards(get_page(client, reverse("person-detail", args=["bob"])))


def test_alice_cannot_make_a_seminar_thread_public_through_the_api_once_bob_replied(
    annotation_api, issue_token, alice, charlie, thread
):
    note, reply = thread
    token = issue_token(alice)
    current = annotation_api.send("GET", annotation_api.item(note), token=token)
    body = current.json() | {"visibility": PUBLIC}
    body.pop("seminar", None)
    response = annotation_api.send("PUT", annotation_api.item(note), body, token=token, **{"If-Match": current["ETag"]})
    assert response.status_code == 400
    assert REFUSED in response.json()["error"]
    assert audience(note) == (SEMINAR, note.seminar_id)
    assert audience(reply) == (SEMINAR, note.seminar_id)
    assert annotation_api.send("GET", annotation_api.item(reply), token=issue_token(charlie)).status_code == 404


def test_alice_cannot_move_a_thread_bob_replied_to_another_seminar(alice, make_seminar, thread):
    note, reply = thread
    other = make_seminar("Another seminar", participants=[alice])
    with pytest.raises(NoteError, match=REFUSED):
        update_note(note, visibility=SEMINAR, seminar=other)
    assert audience(reply) == (SEMINAR, note.seminar_id)


def test_alice_may_still_narrow_the_thread_and_charlie_sees_none_of_it(client, alice, bob, charlie, thread):
    note, reply = thread
    update_note(note, visibility=PRIVATE, seminar=None)
    assert audience(note) == audience(reply) == (PRIVATE, None)
    assert not Annotation.objects.visible_to(charlie).filter(pk__in=[note.pk, reply.pk]).exists()
    assert list(Annotation.objects.visible_to(bob).filter(pk__in=[note.pk, reply.pk])) == [reply]
    with pytest.raises(NoteError, match=REFUSED):  # narrowed, it cannot widen again while bob's reply is there
        update_note(note, visibility=PUBLIC, seminar=None)


def test_a_thread_with_only_its_authors_own_replies_widens_with_them(alice, charlie, article, seminar):
    note = note_on_quote(alice, article, "kind of mysteries", visibility=SEMINAR, seminar=seminar)
    own = create_reply(alice, note, comment="A thought of my own")
    update_note(note, visibility=PUBLIC, seminar=None)
    assert audience(note) == audience(own) == (PUBLIC, None)
    assert Annotation.objects.visible_to(charlie).filter(pk=own.pk).exists()


def test_keeping_the_audience_while_changing_the_comment_is_fine(alice, thread):
    note, _ = thread
    update_note(note, comment="Reworded", visibility=SEMINAR, seminar=note.seminar.slug)
    assert Annotation.objects.get(pk=note.pk).comment == "Reworded"
