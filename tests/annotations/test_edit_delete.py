"""Editing and deleting your own note: /notes/<uuid>/edit/ and /notes/<uuid>/delete/, plain and htmx."""

import html

import pytest
from django.urls import reverse

from annotations.models import Annotation
from tests.annotations.factories import (
    PRIVATE,
    PUBLIC,
    marked_ids,
    note_cards,
    note_on_quote,
    swapped_parts,
)
from tests.pages import parse

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
HTMX_ON_PAGE = {**HTMX, "HX-Target": "article-body"}  # as the reading page sends it


@pytest.fixture
def note(alice, article):
    return note_on_quote(
        alice, article, "North Korea shot the missiles", comment="First *thought*", tags=["Peace", "war"]
    )


@pytest.fixture
def signed_in(client, alice):
    client.force_login(alice)
    return client


def edit_url(note):
    return reverse("annotation-edit", args=[note.pk])


def delete_url(note):
    return reverse("annotation-delete", args=[note.pk])


def snapshot(note):
    note = Annotation.objects.get(pk=note.pk)
    return {
        "comment": note.comment,
        "comment_html": note.comment_html,
        "visibility": note.visibility,
        "tags": sorted(note.tags.names()),
        "range": (note.start_key, note.start_offset, note.end_key, note.end_offset, note.quote_exact),
        "modified": note.modified,
    }


def edit(**fields):
    return {"comment": "First *thought*", "tags": "Peace, war", "visibility": PRIVATE} | fields


# Edit -------------------------------------------------------------------------------------


def test_the_edit_form_shows_the_note_as_it_is(signed_in, note):
    response = signed_in.get(edit_url(note))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Edit your note" in body
    form = parse(body).one("form", class_="stack-form")
    assert form.one("textarea", name="comment").value == "First *thought*"
    assert form.one("input", name="tags").value in ("Peace, war", "war, Peace")
    assert form.one("select", name="visibility").value == "private"
    assert "North Korea shot the missiles" in body


def test_the_htmx_edit_form_is_a_fragment_in_place_of_the_card(signed_in, note):
    body = signed_in.get(edit_url(note), headers=HTMX).content.decode()
    assert "<html" not in body
    assert body.startswith(f'<form method="post" action="{edit_url(note)}" class="note note-editing')
    assert f'id="note-{note.pk}"' in body


def test_alice_changes_her_comment_tags_and_visibility(signed_in, note):
    response = signed_in.post(
        edit_url(note), {"comment": "Second **thought**", "tags": "history", "visibility": PUBLIC}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/articles/{note.article.slug}/#{note.start_key}"
    changed = snapshot(note)
    assert changed["comment"] == "Second **thought**"
    assert changed["comment_html"] == "<p>Second <strong>thought</strong></p>"
    assert changed["tags"] == ["history"]
    assert changed["visibility"] == PUBLIC
    assert changed["range"] == snapshot(note)["range"]
    assert "Your note is updated." in signed_in.get(response["Location"]).content.decode()


def test_an_edit_can_clear_the_comment_and_the_tags(signed_in, note):
    assert signed_in.post(edit_url(note), edit(comment="", tags="")).status_code == 302
    assert (snapshot(note)["comment"], snapshot(note)["comment_html"], snapshot(note)["tags"]) == ("", "", [])


def test_the_htmx_edit_returns_only_the_count_and_the_paragraph_it_changed(signed_in, note):
    response = signed_in.post(edit_url(note), edit(comment="Edited over htmx", visibility=PUBLIC), headers=HTMX_ON_PAGE)
    body = response.content.decode()
    assert response.status_code == 200
    assert swapped_parts(body) == ["note-filters", note.start_key]
    assert "<html" not in body
    assert "Edited over htmx" in body
    assert str(note.pk) in note_cards(body)


def test_making_a_note_public_shows_it_to_bob(client, signed_in, note, bob):
    signed_in.post(edit_url(note), edit(visibility=PUBLIC))
    client.force_login(bob)
    assert str(note.pk) in note_cards(client.get(note.article.get_absolute_url()).content.decode())


def test_making_a_note_private_hides_it_from_bob(client, alice, bob, article):
    shared = note_on_quote(alice, article, "kind of mysteries", visibility=PUBLIC)
    client.force_login(alice)
    client.post(edit_url(shared), edit(visibility=PRIVATE))
    client.force_login(bob)
    page = client.get(article.get_absolute_url()).content.decode()
    assert str(shared.pk) not in note_cards(page)
    assert str(shared.pk) not in marked_ids(page)


BAD_EDITS = [
    pytest.param({"visibility": "everyone"}, "Visibility 'everyone' is not one of", id="visibility"),
    pytest.param({"comment": "x" * 10_001}, "the limit is 10,000", id="oversize-comment"),
    pytest.param({"comment": "<img src=x onerror=alert(1)>"}, "an event handler (onerror)", id="event-handler"),
    pytest.param({"comment": "[x](JaVaScRiPt:alert(1))"}, "(javascript:)", id="javascript-link"),
    pytest.param({"tags": "ok, <script>"}, "character tags cannot have", id="script-tag"),
    pytest.param({"tags": ",".join(f"t{n}" for n in range(11))}, "at most 10 tags", id="too-many-tags"),
]


@pytest.mark.parametrize(("change", "message"), BAD_EDITS)
def test_a_refused_edit_is_a_400_and_leaves_the_note_exactly_as_it_was(signed_in, note, change, message):
    before = snapshot(note)
    response = signed_in.post(edit_url(note), edit(comment="A new comment", tags="new", visibility=PUBLIC) | change)
    assert response.status_code == 400
    assert message in html.unescape(response.content.decode())
    assert snapshot(note) == before


@pytest.mark.parametrize(("change", "message"), BAD_EDITS)
def test_a_refused_htmx_edit_is_a_400_toast_and_leaves_the_note_as_it_was(signed_in, note, change, message):
    before = snapshot(note)
    response = signed_in.post(edit_url(note), edit(comment="A new comment") | change, headers=HTMX)
    assert response.status_code == 400
    assert response["HX-Retarget"] == "#toast"
    assert message in html.unescape(response.content.decode())
    assert "<html" not in response.content.decode()
    assert snapshot(note) == before


def test_the_refused_edit_form_keeps_what_alice_typed(signed_in, note):
    body = signed_in.post(edit_url(note), edit(comment="My better words", visibility="nope")).content.decode()
    assert parse(body).one("textarea", name="comment").value == "My better words"


def opened_version(client, note, **headers):
    """The version the edit form carries, as alice opens it."""
    return parse(client.get(edit_url(note), headers=headers).content.decode()).one("input", name="version").value


@pytest.mark.parametrize("headers", [{}, HTMX_ON_PAGE], ids=["plain", "htmx"])
def test_an_edit_from_a_form_opened_before_another_edit_is_a_409_and_changes_nothing(signed_in, note, headers):
    first_tab, second_tab = opened_version(signed_in, note, **headers), opened_version(signed_in, note, **headers)
    saved = signed_in.post(edit_url(note), edit(comment="From the first tab", version=first_tab), headers=headers)
    assert saved.status_code in (200, 302)
    before = snapshot(note)
    response = signed_in.post(edit_url(note), edit(comment="From the second tab", version=second_tab), headers=headers)
    assert response.status_code == 409
    assert "This note changed since you opened it" in html.unescape(response.content.decode())
    assert snapshot(note) == before


def test_an_edit_from_a_form_of_the_current_version_is_saved(signed_in, note):
    response = signed_in.post(edit_url(note), edit(comment="Fresh", version=opened_version(signed_in, note)))
    assert response.status_code == 302
    assert snapshot(note)["comment"] == "Fresh"


def test_an_edit_that_sends_only_the_visibility_leaves_comment_and_tags_alone(signed_in, note):
    assert signed_in.post(edit_url(note), {"visibility": PUBLIC}).status_code == 302
    after = snapshot(note)
    assert (after["visibility"], after["comment"], after["tags"]) == (PUBLIC, "First *thought*", ["Peace", "war"])


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_the_edit_url_allows_only_get_and_post(signed_in, note, method):
    assert getattr(signed_in, method)(edit_url(note)).status_code == 405


@pytest.mark.parametrize("other", ["bob", "curator"])
def test_nobody_else_may_open_or_post_the_edit_form(client, request, note, other):
    before = snapshot(note)
    client.force_login(request.getfixturevalue(other))
    assert client.get(edit_url(note)).status_code == 404
    assert client.get(edit_url(note), headers=HTMX).status_code == 404
    assert client.post(edit_url(note), edit(comment="defaced")).status_code == 404
    assert client.post(edit_url(note), edit(comment="defaced"), headers=HTMX).status_code == 404
    assert snapshot(note) == before


def test_an_anonymous_reader_is_sent_to_sign_in_and_nothing_changes(client, note):
    before = snapshot(note)
    for response in (client.get(edit_url(note)), client.post(edit_url(note), edit(comment="defaced"))):
        assert response.status_code == 302
        assert response["Location"] == f"/accounts/login/?next={edit_url(note)}"
    assert snapshot(note) == before


def test_editing_a_note_that_does_not_exist_is_a_404(signed_in):
    assert signed_in.get("/notes/00000000-0000-0000-0000-000000000000/edit/").status_code == 404


# Delete -----------------------------------------------------------------------------------


def test_the_delete_page_asks_first(signed_in, note):
    response = signed_in.get(delete_url(note))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Delete this note?" in body
    assert "This cannot be undone." in body
    assert f'<form method="post" action="{delete_url(note)}">' in body
    assert "North Korea shot the missiles" in body
    assert Annotation.objects.filter(pk=note.pk).exists()


def test_posting_the_delete_form_deletes_the_note_and_returns_to_the_article(signed_in, note):
    response = signed_in.post(delete_url(note))
    assert response.status_code == 302
    assert response["Location"] == note.article.get_absolute_url()
    assert not Annotation.objects.filter(pk=note.pk).exists()
    assert "Your note is deleted." in signed_in.get(response["Location"]).content.decode()


def test_the_htmx_delete_returns_the_paragraph_without_the_note(signed_in, note):
    response = signed_in.post(delete_url(note), headers=HTMX_ON_PAGE)
    body = response.content.decode()
    assert response.status_code == 200
    assert swapped_parts(body) == ["note-filters", note.start_key]
    assert "<html" not in body
    assert str(note.pk) not in body
    assert not Annotation.objects.filter(pk=note.pk).exists()


def test_deleting_a_note_keeps_its_tags_for_other_notes(signed_in, alice, article, note):
    other = note_on_quote(alice, article, "kind of mysteries", tags=["peace"])
    signed_in.post(delete_url(note))
    assert list(Annotation.objects.get(pk=other.pk).tags.names()) == ["Peace"]


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_the_delete_url_allows_only_get_and_post(signed_in, note, method):
    assert getattr(signed_in, method)(delete_url(note)).status_code == 405
    assert Annotation.objects.filter(pk=note.pk).exists()


@pytest.mark.parametrize("other", ["bob", "curator"])
@pytest.mark.parametrize("visibility", [PRIVATE, PUBLIC])
def test_nobody_else_may_delete_a_note_even_a_public_one(client, request, alice, article, other, visibility):
    target = note_on_quote(alice, article, "kind of mysteries", visibility=visibility)
    client.force_login(request.getfixturevalue(other))
    assert client.get(delete_url(target)).status_code == 404
    assert client.post(delete_url(target)).status_code == 404
    assert client.post(delete_url(target), headers=HTMX).status_code == 404
    assert Annotation.objects.filter(pk=target.pk).exists()


def test_an_anonymous_reader_cannot_delete(client, note):
    response = client.post(delete_url(note))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert Annotation.objects.filter(pk=note.pk).exists()


def test_an_htmx_edit_from_another_page_returns_just_the_note(signed_in, note):
    """On a tag or person page there is no article body: the card itself is swapped."""
    headers = {**HTMX, "HX-Target": f"note-{note.pk}"}
    response = signed_in.post(edit_url(note), edit(comment="Edited on the tag page"), headers=headers)
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<article class="note')
    assert "article-body" not in body
    assert "Edited on the tag page" in body


def test_an_htmx_delete_from_another_page_leaves_a_short_notice(signed_in, note):
    response = signed_in.post(delete_url(note), headers={**HTMX, "HX-Target": f"note-{note.pk}"})
    assert response.status_code == 200
    assert "Note deleted." in response.content.decode()
    assert not Annotation.objects.filter(pk=note.pk).exists()
