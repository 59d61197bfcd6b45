"""Creating a note on the web: POST /articles/<slug>/notes/ (plain form and htmx), and the Markdown preview."""

import html
import json

import pytest
from django.urls import reverse
from taggit.models import Tag

from annotations.models import Annotation
from tests.annotations.factories import (
    PUBLIC,
    create_url,
    import_markdown,
    marked_ids,
    note_cards,
    prose,
    swapped_parts,
)
from tests.pages import parse

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
QUOTE = "North Korea shot the missiles"


@pytest.fixture
def signed_in(client, alice):
    client.force_login(alice)
    return client


@pytest.fixture
def second(article):
    """The seed article's second paragraph: "Early morning of July 5th, North Korea shot the missiles, …"."""
    return prose(article)[1]


def range_of(paragraph, quote, **more):
    start = paragraph.text.index(quote)
    return {
        "start_key": paragraph.key,
        "start_offset": start,
        "end_key": paragraph.key,
        "end_offset": start + len(quote),
        "exact": quote,
    } | more


# Happy paths ------------------------------------------------------------------------------


def test_alice_makes_a_note_and_is_sent_back_to_the_passage(signed_in, alice, article, second):
    data = range_of(second, QUOTE, comment="Why *then*?", tags="missiles, July", visibility=PUBLIC)
    response = signed_in.post(create_url(article), data)
    note = Annotation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/articles/{article.slug}/#{second.key}"
    assert (note.author, note.article, note.start_paragraph, note.end_paragraph) == (alice, article, second, second)
    assert (note.quote_exact, note.visibility) == (QUOTE, PUBLIC)
    assert note.quote_prefix.endswith("\n\n" + second.text[: second.text.index(QUOTE)])
    assert len(note.quote_prefix) == 32
    assert note.comment_html == "<p>Why <em>then</em>?</p>"
    assert sorted(note.tags.names()) == ["July", "missiles"]
    assert note.article_revision == article.revision
    followed = signed_in.get(response["Location"])
    assert "Your note is saved." in followed.content.decode()


def test_a_highlight_needs_no_comment_and_is_private_by_default(signed_in, article, second):
    response = signed_in.post(create_url(article), range_of(second, QUOTE))
    note = Annotation.objects.get()
    assert response.status_code == 302
    assert (note.comment, note.comment_html, note.visibility, note.motivation) == ("", "", "private", "highlighting")


def test_the_quote_is_optional_and_checked_without_regard_to_white_space(signed_in, article, second):
    assert signed_in.post(create_url(article), range_of(second, QUOTE, exact="")).status_code == 302
    assert (
        signed_in.post(
            # With a comment: a bare highlight again on the same words a moment later would be a duplicate.
            create_url(article),
            {**range_of(second, QUOTE, exact=" North  Korea\nshot the missiles "), "comment": "Checked."},
        ).status_code
        == 302
    )
    assert Annotation.objects.count() == 2


def test_a_note_can_run_across_paragraphs(signed_in, article):
    first, second = prose(article)[1:3]
    data = {"start_key": first.key, "start_offset": 40, "end_key": second.key, "end_offset": 9}
    assert signed_in.post(create_url(article), data).status_code == 302
    note = Annotation.objects.get()
    assert note.quote_exact == first.text[40:] + "\n\n" + second.text[:9]
    assert (note.start_paragraph, note.end_paragraph) == (first, second)


def test_offsets_count_code_points_so_an_emoji_before_the_passage_does_not_shift_it(signed_in, write_markdown):
    article = import_markdown(write_markdown, "Title: Doves\n\n🕊️🕊️ Peace on the 평화 peninsula.\n")
    paragraph = prose(article)[0]
    start = paragraph.text.index("Peace")
    data = {"start_key": paragraph.key, "start_offset": start, "end_key": paragraph.key, "end_offset": start + 5}
    assert start == 5
    assert signed_in.post(create_url(article), data | {"exact": "Peace"}).status_code == 302
    assert Annotation.objects.get().quote_exact == "Peace"


def test_the_htmx_create_returns_only_the_count_and_the_paragraph_it_changed(signed_in, article, second):
    response = signed_in.post(create_url(article), range_of(second, QUOTE, comment="quick"), headers=HTMX)
    note = Annotation.objects.get()
    body = response.content.decode()
    assert response.status_code == 200
    assert swapped_parts(body) == ["note-total", second.key]  # no new tag: the filters stay as they are
    assert response["HX-Reswap"] == "none"
    assert "<html" not in body
    assert str(note.pk) in note_cards(body)
    assert str(note.pk) in marked_ids(body)
    assert json.loads(response["HX-Trigger-After-Swap"]) == {"noteSaved": {"id": str(note.pk)}}


def test_the_htmx_create_keeps_the_filters_of_the_page_it_came_from(signed_in, alice, article, second):
    signed_in.post(create_url(article), range_of(second, "July", tags="dates"))
    headers = HTMX | {"HX-Current-URL": f"http://testserver/articles/{article.slug}/?tag=dates"}
    response = signed_in.post(create_url(article), range_of(second, QUOTE, tags="missiles"), headers=headers)
    dated = Annotation.objects.get(tags__name="dates")
    assert note_cards(response.content.decode()) == [str(dated.pk)]


def test_a_note_on_the_whole_article_has_no_range(signed_in, article):
    assert signed_in.post(create_url(article), {"comment": "All of it", "visibility": PUBLIC}).status_code == 302
    note = Annotation.objects.get()
    assert note.is_on_whole_article
    assert note.start_paragraph is None


def test_staff_can_annotate_a_draft_article(client, curator, write_markdown):
    draft = import_markdown(write_markdown, "Title: Draft\n\nNot ready yet.\n", slug="draft", draft=True)
    client.force_login(curator)
    assert client.post(create_url(draft), {"comment": "Fix this"}).status_code == 302


# Refusals ---------------------------------------------------------------------------------


def test_get_is_not_allowed(signed_in, article):
    assert signed_in.get(create_url(article)).status_code == 405
    assert not Annotation.objects.exists()


def test_an_anonymous_reader_is_sent_to_sign_in_and_nothing_is_stored(client, article, second):
    response = client.post(create_url(article), range_of(second, QUOTE))
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next=/articles/{article.slug}/notes/"
    assert not Annotation.objects.exists()


def test_an_unknown_article_is_a_404(signed_in):
    assert signed_in.post("/articles/no-such-article/notes/", {"comment": "x"}).status_code == 404


def test_a_draft_article_is_a_404_for_readers(signed_in, write_markdown):
    draft = import_markdown(write_markdown, "Title: Draft\n\nNot ready yet.\n", slug="draft", draft=True)
    assert signed_in.post(create_url(draft), {"comment": "x"}).status_code == 404
    assert not Annotation.objects.exists()


def bad_inputs():
    return [
        ({"start_offset": "abc"}, "must be whole numbers, not 'abc'"),
        ({"start_offset": ""}, "must be whole numbers"),
        ({"end_offset": "1.5"}, "must be whole numbers"),
        ({"start_offset": "-1"}, "start offset -1 is outside paragraph"),
        ({"end_offset": "100000"}, "end offset 100000 is outside paragraph"),
        ({"start_offset": "20", "end_offset": "10"}, "ends before it starts"),
        ({"start_offset": "10", "end_offset": "10"}, "empty"),
        ({"start_offset": "5", "end_offset": "6"}, "only white space"),
        ({"start_key": "p-nope"}, "no paragraph with key 'p-nope'"),
        ({"end_key": ""}, "no paragraph with key ''"),
        ({"exact": "something else"}, "does not match the text at that position"),
        ({"visibility": "everyone"}, "Visibility 'everyone' is not one of"),
        ({"comment": "x" * 10_001}, "the limit is 10,000"),
        ({"comment": "<script>alert(1)</script>"}, "contains a <script> element, which is not allowed"),
        ({"comment": "[x](javascript:alert(1))"}, "not http, https or mailto (javascript:)"),
        ({"tags": "<b>"}, "character tags cannot have"),
        ({"tags": ",".join(f"t{n}" for n in range(11))}, "at most 10 tags"),
        ({"tags": "x" * 41}, "longer than 40 characters"),
    ]


BAD = [pytest.param(change, message, id=f"{n:02}") for n, (change, message) in enumerate(bad_inputs())]


@pytest.mark.parametrize(("change", "message"), BAD)
def test_bad_input_is_a_400_with_a_message_and_nothing_is_stored(signed_in, article, second, change, message):
    response = signed_in.post(create_url(article), range_of(second, QUOTE, comment="kept") | change)
    body = html.unescape(response.content.decode())
    assert response.status_code == 400
    assert message in body
    assert 'class="form-errors" role="alert"' in body
    assert not Annotation.objects.exists()
    assert not Tag.objects.exists()


@pytest.mark.parametrize(("change", "message"), BAD)
def test_bad_input_over_htmx_is_a_400_toast_and_nothing_is_stored(signed_in, article, second, change, message):
    response = signed_in.post(create_url(article), range_of(second, QUOTE) | change, headers=HTMX)
    body = html.unescape(response.content.decode())
    assert response.status_code == 400
    assert response["HX-Retarget"] == "#toast"
    assert message in body
    assert "<html" not in body
    assert not Annotation.objects.exists()


def test_the_refused_form_keeps_what_the_reader_typed(signed_in, article, second):
    data = range_of(second, QUOTE, comment="My long thought", tags="peace", visibility=PUBLIC, exact="wrong")
    form = parse(signed_in.post(create_url(article), data).content.decode()).one("form", class_="stack-form")
    assert form.one("textarea", name="comment").value == "My long thought"
    assert form.one("input", name="tags").value == "peace"
    assert form.one("select", name="visibility").value == PUBLIC
    assert form.one("input", name="start_key").value == second.key


# Preview ----------------------------------------------------------------------------------

PREVIEW = reverse("annotation-preview")


def test_the_preview_renders_markdown(signed_in):
    response = signed_in.post(PREVIEW, {"comment": "**bold** [link](https://example.org/)"})
    assert response.status_code == 200
    assert response.content.decode() == (
        '<p><strong>bold</strong> <a href="https://example.org/" rel="nofollow noopener noreferrer ugc">link</a></p>'
    )


def test_the_preview_refuses_a_script_with_the_reason(signed_in):
    response = signed_in.post(PREVIEW, {"comment": "<script>alert(1)</script>"})
    assert response.status_code == 400
    assert "not allowed" in response.content.decode()
    assert "<script" not in response.content.decode()


def test_the_preview_of_nothing_says_so(signed_in):
    assert "Nothing to preview yet." in signed_in.post(PREVIEW, {"comment": "  "}).content.decode()


def test_the_preview_is_post_only_and_for_signed_in_readers(client, signed_in):
    assert signed_in.get(PREVIEW).status_code == 405
    signed_in.logout()
    response = client.post(PREVIEW, {"comment": "x"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
