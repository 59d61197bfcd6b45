"""A note says something: a passage, a comment or a tag; a note on the whole article needs a comment.

Refused the same way by the web form (400, shown in the form or the toast) and the API (400 JSON)."""

import pytest
from django.urls import reverse

from annotations.models import Annotation
from annotations.writing import NoteError, create_note, update_note
from tests.annotations.factories import note_on_article, note_on_paragraph, prose

IRI = "http://testserver/articles/{}/"


def _create(client, article, headers=None, **data):
    url = reverse("annotation-create", args=[article.slug])
    return client.post(url, {"visibility": "private", **data}, headers=headers)


@pytest.mark.parametrize("comment", ["", "   \n\t "])
def test_a_whole_article_note_with_a_blank_comment_is_refused_on_the_web(client, alice, article, comment):
    client.force_login(alice)
    response = _create(client, article, comment=comment)
    assert response.status_code == 400
    assert "A note on the whole article needs a comment" in response.content.decode()
    assert not Annotation.objects.exists()


def test_a_whole_article_note_with_tags_alone_is_refused(client, alice, article):
    client.force_login(alice)
    assert _create(client, article, tags="peace").status_code == 400
    assert not Annotation.objects.exists()


def test_an_empty_note_over_htmx_is_a_toast(client, alice, article):
    client.force_login(alice)
    response = _create(client, article, comment="", headers={"HX-Request": "true"})
    assert response.status_code == 400
    assert response["HX-Retarget"] == "#toast"
    assert "<html" not in response.content.decode()
    assert not Annotation.objects.exists()


def test_a_highlight_with_no_comment_is_still_a_note(alice, article):
    note_on_paragraph(alice, article, prose(article)[0], 0, 5)
    assert Annotation.objects.count() == 1


def test_the_api_refuses_a_whole_article_note_with_no_body(alice, article, issue_token, annotation_api):
    data = {"type": "Annotation", "target": IRI.format(article.slug)}
    response = annotation_api.send("POST", annotation_api.container(article), data, token=issue_token(alice))
    assert response.status_code == 400
    assert "needs a comment" in response.json()["error"]
    assert not Annotation.objects.exists()


def test_writing_refuses_it_for_every_caller(alice, article):
    with pytest.raises(NoteError, match="needs a comment"):
        create_note(alice, article, None, comment=" ")


def test_an_edit_that_empties_a_whole_article_note_is_refused_and_changes_nothing(client, alice, article):
    note = note_on_article(alice, article, comment="Worth reading.")
    with pytest.raises(NoteError, match="needs a comment"):
        update_note(note, comment="  ")
    client.force_login(alice)
    response = client.post(reverse("annotation-edit", args=[note.pk]), {"comment": "", "visibility": "private"})
    assert response.status_code == 400
    assert "needs a comment" in response.content.decode()
    note.refresh_from_db()
    assert note.comment == "Worth reading."


def test_moving_an_uncommented_highlight_to_the_whole_article_is_refused(alice, article):
    note = note_on_paragraph(alice, article, prose(article)[0], 0, 5)
    with pytest.raises(NoteError, match="needs a comment"):
        update_note(note, passage=None)
    note.refresh_from_db()
    assert note.start_key


def test_a_put_that_empties_a_whole_article_note_is_refused(alice, article, issue_token, annotation_api):
    note = note_on_article(alice, article, comment="Worth reading.")
    data = {"type": "Annotation", "target": IRI.format(article.slug)}
    token = issue_token(alice)
    response = annotation_api.send("PUT", annotation_api.item(note), data, token=token, **{"If-Match": "*"})
    assert response.status_code == 400
    assert "needs a comment" in response.json()["error"]
    note.refresh_from_db()
    assert note.comment == "Worth reading."
