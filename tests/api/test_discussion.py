"""Seminar notes and replies through the W3C API: what they look like and what may change."""

import pytest

from annotations.models import Annotation
from annotations.writing import create_reply
from tests.annotations.factories import note_on_quote

pytestmark = pytest.mark.django_db

IRI = "http://testserver/articles/north-korean-missile-crisis/"


@pytest.fixture
def seminar(make_seminar, alice, bob):
    """The seminar "Korea 2006", with alice and bob both taking part."""
    return make_seminar(participants=[alice, bob])


@pytest.fixture
def thread(alice, bob, article):
    note = note_on_quote(alice, article, "abrupt policy changes", visibility="public", comment="Why?")
    return note, create_reply(bob, note, comment="Because of the talks.")


def test_a_member_posts_a_seminar_note_and_members_see_its_seminar(
    annotation_api, article, alice, bob, charlie, seminar, issue_token
):
    data = {"type": "Annotation", "bodyValue": "For the seminar.", "target": IRI, "visibility": "seminar"}
    data["seminar"] = "korea-2006"
    response = annotation_api.send("POST", annotation_api.container(article), data, token=issue_token(alice))
    assert response.status_code == 201, response.content
    assert (response.json()["visibility"], response.json()["seminar"]) == ("seminar", "korea-2006")
    url = response.json()["id"]
    assert annotation_api.send("GET", url, token=issue_token(bob)).json()["seminar"] == "korea-2006"
    assert annotation_api.send("GET", url, token=issue_token(charlie)).status_code == 404


def test_a_seminar_note_needs_a_seminar_the_author_belongs_to(annotation_api, article, charlie, seminar, issue_token):
    token = issue_token(charlie)
    for extra, words in [({}, "needs the seminar"), ({"seminar": "korea-2006"}, "You are in no seminar 'korea-2006'")]:
        data = {"type": "Annotation", "target": IRI, "visibility": "seminar", **extra}
        response = annotation_api.send("POST", annotation_api.container(article), data, token=token)
        assert response.status_code == 400
        assert words in response.json()["error"]
    assert not Annotation.objects.exists()


def test_a_reply_is_served_as_a_w3c_reply_to_its_note(annotation_api, thread):
    note, reply = thread
    body = annotation_api.send("GET", annotation_api.item(reply)).json()
    assert body["motivation"] == "replying"
    assert body["target"] == f"http://testserver{annotation_api.item(note)}"


def test_a_replys_target_cannot_move(annotation_api, put_annotation, bob, thread, issue_token):
    _, reply = thread
    token = issue_token(bob)
    current = annotation_api.send("GET", annotation_api.item(reply)).json()
    moved = {**current, "target": IRI}
    response = put_annotation(annotation_api.item(reply), moved, token=token)
    assert response.status_code == 400
    assert "reply" in response.json()["error"]
    kept = {**current, "bodyValue": "Because of the six-party talks.", "body": None}
    assert put_annotation(annotation_api.item(reply), kept, token=token).status_code == 200
    reply.refresh_from_db()
    assert reply.comment == "Because of the six-party talks."


def test_deleting_a_note_with_replies_keeps_the_thread(annotation_api, alice, thread, issue_token):
    note, reply = thread
    response = annotation_api.send("DELETE", annotation_api.item(note), token=issue_token(alice))
    assert response.status_code == 204
    note.refresh_from_db()
    assert note.deleted
    assert Annotation.objects.filter(pk=reply.pk).exists()


def test_a_reply_posted_to_the_container_joins_the_thread_and_its_audience(
    annotation_api, article, alice, bob, charlie, seminar, issue_token
):
    note = note_on_quote(alice, article, "abrupt policy changes", visibility="seminar", seminar=seminar)
    reply = {
        "type": "Annotation",
        "motivation": "replying",
        "target": f"http://testserver{annotation_api.item(note)}",
        "body": {"type": "TextualBody", "value": "Because of the talks.", "purpose": "replying"},
    }
    response = annotation_api.send("POST", annotation_api.container(article), reply, token=issue_token(bob))
    assert response.status_code == 201, response.content
    stored = Annotation.objects.get(parent=note)
    assert (stored.author, stored.thread, stored.visibility, stored.seminar) == (bob, note, "seminar", seminar)
    assert response.json()["target"] == reply["target"]
    assert response.json()["motivation"] == "replying"
    charlie_sees = annotation_api.send("GET", response.json()["id"], token=issue_token(charlie))
    assert charlie_sees.status_code == 404


def test_replying_to_a_note_you_cannot_see_is_a_404_and_stores_nothing(
    annotation_api, article, alice, bob, issue_token
):
    private = note_on_quote(alice, article, "abrupt policy changes", comment="mine")
    reply = {"motivation": "replying", "target": f"http://testserver{annotation_api.item(private)}", "bodyValue": "Hi"}
    response = annotation_api.send("POST", annotation_api.container(article), reply, token=issue_token(bob))
    assert response.status_code == 404
    assert not Annotation.objects.filter(parent=private).exists()


def test_a_reply_whose_target_is_the_article_is_refused_with_what_to_send(annotation_api, article, bob, issue_token):
    reply = {"motivation": "replying", "target": IRI, "bodyValue": "Hi"}
    response = annotation_api.send("POST", annotation_api.container(article), reply, token=issue_token(bob))
    assert response.status_code == 400
    assert "targets the annotation it answers" in response.json()["error"]
    assert not Annotation.objects.exists()


def test_a_reply_under_a_hidden_reply_is_hidden_with_it(
    annotation_api, article, alice, bob, charlie, curator, thread, issue_token
):
    note, reply = thread
    answer = create_reply(alice, reply, comment="Which talks?")
    deeper = create_reply(charlie, answer, comment="The six-party talks.", tags=["talks"])
    Annotation.objects.filter(pk=reply.pk).update(hidden=True, hidden_by=curator)
    for reader in (None, alice, bob):
        token = issue_token(reader) if reader else None
        for below in (answer, deeper):
            if below.author != reader:
                assert annotation_api.send("GET", annotation_api.item(below), token=token).status_code == 404
        listed = annotation_api.send("GET", annotation_api.container(article), token=token).json()["first"]["items"]
        assert {item["id"].rsplit("/", 1)[1] for item in listed} <= {
            str(pk) for pk in (note.pk, reply.pk if reader == bob else None, answer.pk if reader == alice else None)
        }
    for own, author in ((answer, alice), (deeper, charlie)):  # its author still sees a reply, as with a hidden thread
        assert annotation_api.send("GET", annotation_api.item(own), token=issue_token(author)).status_code == 200
    for below in (reply, answer, deeper):  # and so do the moderators
        assert annotation_api.send("GET", annotation_api.item(below), token=issue_token(curator)).status_code == 200
