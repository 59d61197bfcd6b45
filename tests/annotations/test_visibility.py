"""Who sees which note: the author, another reader, an anonymous reader and staff, × private and public.

Every web read path is checked: the reading page (cards, marks, counts, total), its htmx
fragment, the note detail, the tag pages, tag suggestions, and the edit and delete URLs.
"""

import re
import uuid

import pytest
from django.urls import reverse
from taggit.models import Tag

from annotations.models import Annotation
from tests.annotations.factories import (
    PRIVATE,
    PUBLIC,
    get_page,
    import_markdown,
    marked_ids,
    note_cards,
    note_on_quote,
    note_total,
    paragraph_counts,
    reading_page,
)
from tests.pages import parse

pytestmark = pytest.mark.django_db

VIEWERS = ["alice", "bob", "anonymous", "curator"]
SECRET_COMMENT = "alice keeps this to herself"
SECRET_TAG = "alices-secret"
CSRF_TOKEN = re.compile(r"[A-Za-z0-9]{64}")
HTMX_BODY = {"HX-Request": "true", "HX-Target": "article-body"}


@pytest.fixture
def notes(article, alice):
    """Alice's private note on the second paragraph and her public one on the third."""
    return {
        PRIVATE: note_on_quote(
            alice, article, "North Korea shot the missiles", comment=SECRET_COMMENT, tags=[SECRET_TAG, "shared"]
        ),
        PUBLIC: note_on_quote(
            alice, article, "kind of mysteries", comment="alice shares this", tags=["shared"], visibility=PUBLIC
        ),
    }


@pytest.fixture
def as_user(client, request):
    """A client signed in as the named fixture's user ("anonymous": not signed in)."""

    def sign_in(name):
        if name != "anonymous":
            client.force_login(request.getfixturevalue(name))
        return client

    return sign_in


def may_see(viewer, visibility):
    return viewer == "alice" or visibility == PUBLIC


matrix = pytest.mark.parametrize(
    ("viewer", "visibility"), [(viewer, visibility) for viewer in VIEWERS for visibility in (PRIVATE, PUBLIC)]
)


# The reading page ------------------------------------------------------------------------


@matrix
def test_the_reading_page_shows_a_note_card_only_to_those_who_may_see_it(as_user, article, notes, viewer, visibility):
    page = reading_page(as_user(viewer), article)
    assert (str(notes[visibility].pk) in note_cards(page)) == may_see(viewer, visibility)


@matrix
def test_the_marks_carry_a_note_only_for_those_who_may_see_it(as_user, article, notes, viewer, visibility):
    page = reading_page(as_user(viewer), article)
    assert (str(notes[visibility].pk) in marked_ids(page)) == may_see(viewer, visibility)


@matrix
def test_the_htmx_article_body_follows_the_same_rule(as_user, article, notes, viewer, visibility):
    fragment = reading_page(as_user(viewer), article, **HTMX_BODY)
    assert fragment.lstrip().startswith('<div class="article-body" id="article-body">')
    assert "<html" not in fragment
    assert (str(notes[visibility].pk) in note_cards(fragment)) == may_see(viewer, visibility)
    assert (str(notes[visibility].pk) in marked_ids(fragment)) == may_see(viewer, visibility)


@pytest.mark.parametrize("viewer", VIEWERS)
def test_the_counts_only_count_notes_the_reader_may_see(as_user, article, notes, viewer):
    page = reading_page(as_user(viewer), article)
    private, public = notes[PRIVATE].start_key, notes[PUBLIC].start_key
    if viewer == "alice":
        assert paragraph_counts(page) == {private: 1, public: 1}
        assert note_total(page) == 2
    else:
        assert paragraph_counts(page) == {public: 1}
        assert note_total(page) == 1


@pytest.mark.parametrize("viewer", ["bob", "anonymous", "curator"])
def test_a_private_comment_and_its_tag_appear_nowhere_on_someone_elses_page(as_user, article, notes, viewer):
    page = reading_page(as_user(viewer), article)
    assert SECRET_COMMENT not in page
    assert SECRET_TAG not in page
    assert "alice shares this" in page


def test_the_only_mine_filter_shows_an_anonymous_reader_nothing(client, article, notes):
    page = reading_page(client, article, "?mine=1")
    assert note_cards(page) == []
    assert marked_ids(page) == set()


def test_filtering_by_a_private_tag_shows_bob_nothing(as_user, article, notes):
    page = reading_page(as_user("bob"), article, f"?tag={SECRET_TAG}")
    assert note_cards(page) == []
    assert SECRET_COMMENT not in page


@matrix
def test_the_notes_listed_on_demand_at_a_paragraph_follow_the_same_rule(as_user, article, notes, viewer, visibility):
    note = notes[visibility]
    url = reverse("annotation-list", args=[article.slug, note.start_key])
    for headers in ({}, {"HX-Request": "true"}):
        page = get_page(as_user(viewer), url, **headers)
        assert (str(note.pk) in note_cards(page)) == may_see(viewer, visibility)


# Note detail -----------------------------------------------------------------------------


@matrix
def test_the_note_detail_redirects_to_the_passage_or_is_a_404(as_user, notes, viewer, visibility):
    note = notes[visibility]
    response = as_user(viewer).get(reverse("annotation-detail", args=[note.pk]))
    if may_see(viewer, visibility):
        assert response.status_code == 302
        assert response["Location"] == f"/articles/{note.article.slug}/#{note.start_key}"
    else:
        assert response.status_code == 404


@matrix
def test_the_htmx_note_detail_is_the_card_or_a_404(as_user, notes, viewer, visibility):
    note = notes[visibility]
    response = as_user(viewer).get(reverse("annotation-detail", args=[note.pk]), headers={"HX-Request": "true"})
    if may_see(viewer, visibility):
        assert response.status_code == 200
        assert note_cards(response.content.decode()) == [str(note.pk)]
        assert "<html" not in response.content.decode()
    else:
        assert response.status_code == 404
        assert note.comment not in response.content.decode()


# Edit and delete -------------------------------------------------------------------------


@matrix
@pytest.mark.parametrize("action", ["annotation-edit", "annotation-delete"])
def test_only_the_author_may_open_the_edit_and_delete_pages(as_user, notes, viewer, visibility, action):
    url = reverse(action, args=[notes[visibility].pk])
    response = as_user(viewer).get(url)
    if viewer == "alice":
        assert response.status_code == 200
    elif viewer == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("viewer", ["bob", "curator"])
@pytest.mark.parametrize("visibility", [PRIVATE, PUBLIC])
def test_nobody_else_can_change_or_delete_a_note_even_a_public_one(as_user, notes, viewer, visibility):
    note = notes[visibility]
    client = as_user(viewer)
    edit = client.post(reverse("annotation-edit", args=[note.pk]), {"comment": "defaced", "visibility": PUBLIC})
    delete = client.post(reverse("annotation-delete", args=[note.pk]))
    assert (edit.status_code, delete.status_code) == (404, 404)
    kept = Annotation.objects.get(pk=note.pk)
    assert (kept.comment, kept.visibility) == (note.comment, note.visibility)


# Tags ------------------------------------------------------------------------------------


@pytest.mark.parametrize("viewer", VIEWERS)
def test_the_tag_list_shows_a_private_tag_only_to_its_author(as_user, notes, viewer):
    page = get_page(as_user(viewer), "/tags/")
    assert (SECRET_TAG in page) == (viewer == "alice")
    assert "#shared" in page


@pytest.mark.parametrize("viewer", VIEWERS)
def test_a_tag_carried_only_by_a_private_note_is_a_404_for_everyone_but_its_author(as_user, notes, viewer):
    slug = Tag.objects.get(name=SECRET_TAG).slug
    response = as_user(viewer).get(reverse("tag-detail", args=[slug]))
    assert response.status_code == (200 if viewer == "alice" else 404)
    assert (SECRET_COMMENT in response.content.decode()) == (viewer == "alice")


@pytest.mark.parametrize("viewer", VIEWERS)
def test_a_shared_tags_page_lists_only_the_notes_the_reader_may_see(as_user, notes, viewer):
    page = get_page(as_user(viewer), reverse("tag-detail", args=["shared"]))
    expected = [str(notes[PUBLIC].pk)] + ([str(notes[PRIVATE].pk)] if viewer == "alice" else [])
    assert sorted(note_cards(page)) == sorted(expected)


@pytest.mark.parametrize("viewer", ["alice", "bob", "curator"])
def test_tag_suggestions_offer_only_tags_of_notes_the_reader_may_see(as_user, article, notes, viewer):
    client = as_user(viewer)
    for page in (
        reading_page(client, article),
        get_page(client, reverse("annotation-new", args=[article.slug])),
        get_page(client, reverse("annotation-new", args=[article.slug]) + f"?paragraph={notes[PUBLIC].start_key}"),
    ):
        datalist = parse(page).one("datalist", id="tag-suggestions")
        assert "shared" in [option["value"] for option in datalist.find_all("option")]
        assert (SECRET_TAG in datalist.html) == (viewer == "alice")


# Drafts ----------------------------------------------------------------------------------


@pytest.fixture
def draft_note(write_markdown, alice):
    """Alice's public note on an article the curator has since taken back to draft."""
    article = import_markdown(write_markdown, "Title: Drafty\n\nA paragraph about hidden things.\n", slug="drafty")
    note = note_on_quote(alice, article, "hidden things", comment="on a draft", tags=["drafty"], visibility=PUBLIC)
    import_markdown(write_markdown, "Title: Drafty\n\nA paragraph about hidden things.\n", slug="drafty", draft=True)
    return note


@pytest.mark.parametrize("viewer", ["alice", "bob", "anonymous"])
def test_notes_on_a_draft_article_are_invisible_to_non_staff_everywhere(as_user, draft_note, viewer):
    client = as_user(viewer)
    assert client.get(draft_note.article.get_absolute_url()).status_code == 404
    assert client.get(reverse("annotation-detail", args=[draft_note.pk])).status_code == 404
    assert client.get(reverse("tag-detail", args=["drafty"])).status_code == 404
    assert "drafty" not in get_page(client, "/tags/")


def test_staff_see_public_notes_on_a_draft_article(as_user, draft_note):
    client = as_user("curator")
    assert str(draft_note.pk) in note_cards(reading_page(client, draft_note.article))
    assert str(draft_note.pk) in note_cards(get_page(client, reverse("tag-detail", args=["drafty"])))
    assert "#drafty" in get_page(client, "/tags/")


@pytest.mark.parametrize("action", ["annotation-edit", "annotation-delete"])
def test_the_author_cannot_open_her_note_on_a_draft_article_either(as_user, draft_note, action):
    assert as_user("alice").get(reverse(action, args=[draft_note.pk])).status_code == 404


# A stranger sees nothing -----------------------------------------------------------------


def test_charlie_sees_nothing_of_alices_private_note_on_any_path(as_user, article, notes, charlie):
    private = notes[PRIVATE]
    secret_slug = Tag.objects.get(name=SECRET_TAG).slug
    client = as_user("charlie")
    reading = article.get_absolute_url()
    paths = [
        ("get", "/", {}),
        ("get", reading, {}),
        ("get", reading + "?mine=1", {}),
        ("get", reading + f"?tag={SECRET_TAG}", {}),
        ("get", reading + "?tag=shared", {}),
        ("get", reading, HTMX_BODY),
        ("get", reading + f"?tag={SECRET_TAG}", HTMX_BODY),
        ("get", "/tags/", {}),
        ("get", reverse("tag-detail", args=[secret_slug]), {}),
        ("get", reverse("tag-detail", args=["shared"]), {}),
        ("get", reverse("annotation-detail", args=[private.pk]), {}),
        ("get", reverse("annotation-detail", args=[private.pk]), {"HX-Request": "true"}),
        ("get", reverse("annotation-edit", args=[private.pk]), {}),
        ("get", reverse("annotation-edit", args=[private.pk]), {"HX-Request": "true"}),
        ("get", reverse("annotation-delete", args=[private.pk]), {}),
        ("post", reverse("annotation-edit", args=[private.pk]), {}),
        ("post", reverse("annotation-delete", args=[private.pk]), {"HX-Request": "true"}),
        ("get", reverse("annotation-list", args=[article.slug, private.start_key]), {}),
        ("get", reverse("annotation-list", args=[article.slug, private.start_key]), {"HX-Request": "true"}),
        ("get", reverse("annotation-list", args=[article.slug, "article"]), {}),
        ("get", reverse("annotation-list", args=[article.slug, "orphaned"]), {}),
        ("get", reverse("annotation-list", args=[article.slug, private.start_key]) + f"?tag={SECRET_TAG}", {}),
        ("get", reverse("annotation-new", args=[article.slug]), {}),
        ("get", reverse("annotation-new", args=[article.slug]) + f"?paragraph={private.start_key}", {}),
        ("get", f"/api/articles/{article.slug}/annotations/", {}),
        ("get", f"/api/articles/{article.slug}/annotations/?page=0", {}),
        ("get", f"/api/articles/{article.slug}/annotations/{private.pk}", {}),
    ]
    stranger = str(uuid.uuid4())

    def everything(response):
        text = response.content.decode() + "".join(f"{k}: {v}\n" for k, v in response.items())
        return CSRF_TOKEN.sub("TOKEN", text)

    for method, path, headers in paths:
        response = getattr(client, method)(path, headers=headers)
        body = everything(response)
        assert response.status_code < 500, path
        for secret in (SECRET_COMMENT, SECRET_TAG):
            assert secret not in body, (method, path, secret)
        if str(private.pk) in path:
            # A 404 may repeat the id charlie asked for, but must read exactly as for a note that never existed.
            other = getattr(client, method)(path.replace(str(private.pk), stranger), headers=headers)
            assert response.status_code == other.status_code == 404, path
            assert body.replace(str(private.pk), "ID") == everything(other).replace(stranger, "ID")
        else:
            assert str(private.pk) not in body, (method, path)
            assert private.pk.hex not in body, (method, path)
    assert Annotation.objects.filter(pk=private.pk, comment=SECRET_COMMENT).exists()
