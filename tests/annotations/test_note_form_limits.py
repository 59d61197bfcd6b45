"""The note forms say their limits beside the fields, cut nothing silently, and count notes in good English."""

import pytest
from django.urls import reverse

from annotations.comments import MAX_COMMENT_LENGTH
from annotations.tagging import MAX_TAG_LENGTH, MAX_TAGS
from tests.annotations.factories import PUBLIC, get_page, note_on_quote, reading_page
from tests.pages import parse

pytestmark = pytest.mark.django_db


def fields_of(page, comment_id, tags_id):
    html = parse(page)
    return html.one("textarea", id=comment_id), html.one("input", id=tags_id), html


def check_limits(page, comment_id, tags_id):
    comment, tags, html = fields_of(page, comment_id, tags_id)
    assert "maxlength" not in comment.attrs, "a maxlength cuts a long paste without a word"
    assert comment["data-limit"] == str(MAX_COMMENT_LENGTH)
    said = html.one(id=comment["aria-describedby"]).text
    assert f"{MAX_COMMENT_LENGTH:,} characters" in said
    assert tags["data-tag-length"] == str(MAX_TAG_LENGTH)
    assert tags["data-tag-count"] == str(MAX_TAGS)
    assert int(tags["maxlength"]) == MAX_TAGS * (MAX_TAG_LENGTH + 2)
    said = " ".join(html.one(id=tags["aria-describedby"]).text.split())
    assert f"Up to {MAX_TAGS} tags, {MAX_TAG_LENGTH} characters each." in said


def test_the_note_dialog_says_the_comment_and_tag_limits(client, alice, article):
    client.force_login(alice)
    check_limits(reading_page(client, article), "new-comment", "new-tags")


def test_the_plain_note_form_says_the_limits(client, alice, article):
    client.force_login(alice)
    check_limits(get_page(client, reverse("annotation-new", args=[article.slug])), "new-comment", "new-tags")


def test_the_edit_form_says_the_limits(client, alice, article):
    note = note_on_quote(alice, article, "kind of mysteries", comment="Hm")
    client.force_login(alice)
    page = get_page(client, reverse("annotation-edit", args=[note.pk]), **{"HX-Request": "true"})
    check_limits(page, f"{note.pk}-comment", f"{note.pk}-tags")


@pytest.mark.parametrize("htmx", [True, False])
def test_the_reply_form_counts_to_the_comment_limit_and_cuts_nothing(client, alice, bob, article, htmx):
    note = note_on_quote(alice, article, "kind of mysteries", comment="Hm", visibility=PUBLIC)
    client.force_login(bob)
    headers = {"HX-Request": "true"} if htmx else {}
    html = parse(get_page(client, reverse("annotation-reply", args=[note.pk]), **headers))
    reply = html.one("textarea", id=f"reply-{note.pk}")
    assert "maxlength" not in reply.attrs
    assert reply["data-limit"] == str(MAX_COMMENT_LENGTH)
    assert f"{MAX_COMMENT_LENGTH:,} characters" in html.one(id=reply["aria-describedby"]).text


def test_one_matching_note_matches_and_two_match(client, alice, article):
    note_on_quote(alice, article, "kind of mysteries", tags=["war"], visibility=PUBLIC)
    note_on_quote(alice, article, "missile experiment", tags=["peace"], visibility=PUBLIC)
    assert "1 note matches" in reading_page(client, article, "?tag=war")
    note_on_quote(alice, article, "North Korea shot the missiles", tags=["war"], visibility=PUBLIC)
    assert "2 notes match" in reading_page(client, article, "?tag=war")
