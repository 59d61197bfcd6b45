"""Who sees and changes what through the API: author, another reader, anonymous × private, public."""

import pytest

from annotations.models import Annotation
from tests.annotations.factories import many_notes, note_on_quote

pytestmark = pytest.mark.django_db

SEES = {  # (viewer, visibility) -> can read
    ("author", "private"): True,
    ("author", "public"): True,
    ("other", "private"): False,
    ("other", "public"): True,
    ("anonymous", "private"): False,
    ("anonymous", "public"): True,
}
CHANGE_STATUS = {  # (viewer, visibility) -> status of PUT and DELETE
    ("author", "private"): None,  # allowed
    ("author", "public"): None,
    ("other", "private"): 404,  # someone else's private note does not exist for you
    ("other", "public"): 403,  # you can see it, not change it
    ("anonymous", "private"): 401,
    ("anonymous", "public"): 401,
}


@pytest.fixture
def tokens(alice, bob, issue_token):
    return {"author": issue_token(alice), "other": issue_token(bob), "anonymous": None}


@pytest.fixture
def notes(article, alice):
    return {
        "private": note_on_quote(alice, article, "abrupt policy changes", visibility="private", comment="secret"),
        "public": note_on_quote(alice, article, "unpredictability", visibility="public", comment="shared"),
    }


@pytest.mark.parametrize(("viewer", "visibility"), SEES.keys())
def test_the_item_is_served_only_to_those_who_may_see_it(annotation_api, tokens, notes, viewer, visibility):
    note = notes[visibility]
    for method in ("GET", "HEAD", "OPTIONS"):
        response = annotation_api.send(method, annotation_api.item(note), token=tokens[viewer])
        assert response.status_code == (200 if SEES[viewer, visibility] else 404), method


@pytest.mark.parametrize(("viewer", "visibility"), SEES.keys())
def test_the_container_lists_and_counts_only_what_the_viewer_may_see(
    annotation_api, article, tokens, notes, viewer, visibility
):
    response = annotation_api.send("GET", annotation_api.container(article), token=tokens[viewer])
    body = response.json()
    listed = [item["id"].rsplit("/", 1)[1] for item in body["first"]["items"]]
    assert (str(notes[visibility].pk) in listed) == SEES[viewer, visibility]
    assert body["total"] == sum(SEES[viewer, v] for v in ("private", "public"))
    assert body["first"]["partOf"]["total"] == body["total"]


@pytest.mark.parametrize(("viewer", "visibility"), CHANGE_STATUS.keys())
def test_only_the_author_may_replace_the_note(annotation_api, put_annotation, tokens, notes, viewer, visibility):
    note = notes[visibility]
    data = {"type": "Annotation", "target": "http://testserver/articles/north-korean-missile-crisis/", "bodyValue": "!"}
    response = put_annotation(annotation_api.item(note), data, token=tokens[viewer])
    expected = CHANGE_STATUS[viewer, visibility]
    assert response.status_code == (expected or 200)
    note.refresh_from_db()
    assert note.comment == ("!" if expected is None else {"private": "secret", "public": "shared"}[visibility])
    if expected:
        assert response.json()["error"]


@pytest.mark.parametrize(("viewer", "visibility"), CHANGE_STATUS.keys())
def test_only_the_author_may_delete_the_note(annotation_api, tokens, notes, viewer, visibility):
    note = notes[visibility]
    response = annotation_api.send("DELETE", annotation_api.item(note), token=tokens[viewer])
    expected = CHANGE_STATUS[viewer, visibility]
    assert response.status_code == (expected or 204)
    assert Annotation.objects.filter(pk=note.pk).exists() == bool(expected)


def test_another_readers_public_note_says_why_it_cannot_be_changed(annotation_api, tokens, notes):
    response = annotation_api.send("DELETE", annotation_api.item(notes["public"]), token=tokens["other"])
    assert "only its author" in response.json()["error"]


def test_charlie_sees_nothing_of_alices_private_notes_anywhere(annotation_api, article, alice, charlie, issue_token):
    notes = many_notes(article, [alice], 305)  # every third one private
    private = [note for note in notes if note.visibility == "private"]
    Annotation.objects.filter(pk__in=[note.pk for note in private]).update(comment="secret")
    token = issue_token(charlie)
    response = annotation_api.send("GET", annotation_api.container(article), token=token)
    assert response.json()["total"] == 305 - len(private) == 203
    page, pages = response.json()["first"], [response]
    seen = [item["id"] for item in page["items"]]
    while "next" in page:
        pages.append(annotation_api.send("GET", page["next"], token=token))
        page = pages[-1].json()
        seen += [item["id"] for item in page["items"]]
    assert len(pages) == 2
    seen_ids = {iri.rsplit("/", 1)[1] for iri in seen}
    assert len(seen_ids) == 203
    assert not seen_ids & {str(note.pk) for note in private}
    assert not any("secret" in page.content.decode() for page in pages)
    for note in private[:10]:
        assert annotation_api.send("GET", annotation_api.item(note), token=token).status_code == 404
