"""Issue 8: no comment costs more than linear work, and none is parsed while a transaction is open.

A comment made to be slow (10,000 `[` took 40 s to check and 43 s more to render, inside the
write transaction) held SQLite's write lock and made other writers fail. The regression tests
below use such inputs, 10,000 characters each, with a generous bound; how the time grows with
the length is a benchmark figure (tests/benchmarks/test_markdown_benchmark.py), not a test.
"""

import html
import io
import time

import markdown
import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from hypothesis import given, settings

from annotations.comments import MAX_COMMENT_LENGTH, check_comment, read_comment, render_comment
from annotations.models import Annotation
from annotations.writing import create_reply
from reader.bounded_blocks import MAX_NESTING
from tests.annotations.factories import create_url, note_on_article
from tests.annotations.test_comments import (
    ACTIVE_ELEMENTS,
    BAD_SCHEMES,
    EVENT_HANDLER,
    INVISIBLE,
    STYLE_ATTRIBUTE,
    Attributes,
    assert_harmless,
    sanitize_comment,
)
from tests.annotations.test_edit_delete import edit, edit_url, opened_version
from tests.hostile_markdown import SHAPES, hostile, hostile_markdown

# CPU seconds to check and render 10,000 characters (about 0.5 on a slow machine at rest); the issue's
# inputs took 5 to 83 s. Measured as this process's CPU time: a busy machine stretches the wall clock
# (CI once took 2.0 s of it for a case that takes 0.54), while work that grows too fast shows in either.
GENEROUS = 4.0


@pytest.mark.parametrize("shape", SHAPES)
def test_a_hostile_comment_of_ten_thousand_characters_is_checked_and_rendered_in_a_bounded_time(shape):
    source = hostile(shape, MAX_COMMENT_LENGTH)
    started = time.process_time()
    problem = check_comment(source)
    rendered = render_comment(source)
    assert time.process_time() - started < GENEROUS, shape
    assert problem is None or "not allowed" in problem
    assert_harmless(rendered)


@pytest.mark.parametrize(("marker", "container"), [("+ ", "<ul>"), ("1. ", "<ol>"), ("> ", "<blockquote>")])
def test_markers_nested_thousands_deep_render_without_running_out_of_stack(marker, container):
    rendered = render_comment(marker * 3_000 + "deep")
    assert rendered.count(container) == MAX_NESTING  # deeper markers stay text
    assert f"{marker * 3}deep" in html.unescape(rendered)


def test_an_unfinished_declaration_in_an_html_block_is_answered_not_a_crash():
    source = "<div>\n" + "<![" * 100
    assert check_comment(source) is None
    assert_harmless(render_comment(source))


@settings(max_examples=settings.default.max_examples, deadline=None)
@given(hostile_markdown())
def test_hostile_markdown_is_refused_with_a_reason_or_stored_harmless(source):
    problem = check_comment(source)
    if problem:
        assert "not allowed" in problem or "NUL" in problem
        return
    comment = read_comment(source)
    assert_inert(comment.html)
    assert sanitize_comment(comment.html) == comment.html


def assert_inert(fragment):
    """No active element, event handler, style or script-running link (as text, "javascript:" is only words)."""
    assert not ACTIVE_ELEMENTS.search(fragment), fragment
    assert not EVENT_HANDLER.search(fragment), fragment
    assert not STYLE_ATTRIBUTE.search(fragment), fragment
    for value in Attributes(fragment).values:
        assert not INVISIBLE.sub("", value).lower().startswith(BAD_SCHEMES), fragment


# One pass of Markdown per save, with no transaction open -------------------------------------


@pytest.fixture
def markdown_passes(monkeypatch, article):
    """For each Markdown conversion from here on: whether a transaction was open at the time."""
    passes = []
    convert = markdown.Markdown.convert

    def convert_and_note(md, source):
        passes.append(connection.in_atomic_block)
        return convert(md, source)

    monkeypatch.setattr(markdown.Markdown, "convert", convert_and_note)
    return passes


@pytest.fixture
def signed_in_alice(client, alice):
    client.force_login(alice)
    return client


HTMX = {"HX-Request": "true", "HX-Target": "article-body"}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("headers", [{}, HTMX], ids=["form", "htmx"])
def test_a_note_posted_on_the_web_is_parsed_once_with_no_transaction_open(
    signed_in_alice, article, bob, markdown_passes, headers
):
    data = {"comment": "*Why*, @bob?", "visibility": "public"}
    response = signed_in_alice.post(create_url(article), data, headers=headers)
    assert response.status_code in (200, 302)
    assert markdown_passes == [False]
    assert '<a class="mention" href="/people/bob/">@bob</a>' in Annotation.objects.get().comment_html


@pytest.mark.django_db(transaction=True)
def test_an_edit_on_the_web_is_parsed_once_with_no_transaction_open(signed_in_alice, alice, article, markdown_passes):
    note = note_on_article(alice, article, comment="First")
    version = opened_version(signed_in_alice, note)
    markdown_passes.clear()
    response = signed_in_alice.post(edit_url(note), edit(comment="*Second*", version=version))
    assert response.status_code == 302, response.content
    assert markdown_passes == [False]
    assert Annotation.objects.get().comment_html == "<p><em>Second</em></p>"


@pytest.mark.django_db(transaction=True)
def test_a_reply_on_the_web_is_parsed_once_with_no_transaction_open(client, alice, bob, article, markdown_passes):
    note = note_on_article(alice, article, comment="First", visibility="public")
    markdown_passes.clear()
    client.force_login(bob)
    response = client.post(reverse("annotation-reply", args=[note.pk]), {"comment": "*Because*"})
    assert response.status_code == 302, response.content
    assert markdown_passes == [False]


@pytest.mark.django_db(transaction=True)
def test_notes_and_replies_through_the_api_are_parsed_once_each_with_no_transaction_open(
    annotation_api, issue_token, alice, article, markdown_passes
):
    token = issue_token(alice)
    container = annotation_api.container(article)
    note = {"type": "Annotation", "target": f"http://testserver/articles/{article.slug}/", "bodyValue": "*New*"}
    created = annotation_api.send("POST", container, note, token=token)
    assert created.status_code == 201, created.content
    reply = {"type": "Annotation", "target": created.json()["id"], "bodyValue": "*Reply*"}
    assert annotation_api.send("POST", container, reply, token=token).status_code == 201
    url = created.json()["id"].removeprefix("http://testserver")
    current = annotation_api.send("GET", url, token=token)
    changed = current.json() | {"bodyValue": "*Changed*"}
    changed.pop("body", None)
    replaced = annotation_api.send("PUT", url, changed, token=token, **{"If-Match": current["ETag"]})
    assert replaced.status_code == 200, replaced.content
    assert markdown_passes == [False, False, False]


@pytest.mark.django_db(transaction=True)
def test_the_demo_notes_are_parsed_once_each_with_no_transaction_open(settings, monkeypatch, markdown_passes):
    settings.DEBUG = True
    monkeypatch.setenv("MARGINALIA_DEMO_PASSWORD", "demo-password-for-tests")
    call_command("seed_demo", stdout=io.StringIO())
    commented = Annotation.objects.exclude(comment="").count()
    assert commented > 0
    assert markdown_passes[-commented:] == [False] * commented


@pytest.mark.django_db
def test_the_preview_parses_the_comment_once(signed_in_alice, markdown_passes):
    response = signed_in_alice.post(reverse("annotation-preview"), {"comment": "*Soon*"})
    assert response.content.decode() == "<p><em>Soon</em></p>"
    assert len(markdown_passes) == 1


@pytest.mark.django_db
def test_the_preview_of_ten_thousand_brackets_answers_in_a_bounded_time(signed_in_alice):
    started = time.process_time()
    response = signed_in_alice.post(reverse("annotation-preview"), {"comment": hostile("unclosed [", 10_000)})
    assert response.status_code == 200
    assert time.process_time() - started < GENEROUS


@pytest.mark.django_db
def test_a_mention_is_linked_when_the_note_is_saved_and_unlinked_when_its_readers_change(alice, bob, article):
    note = note_on_article(alice, article, comment="Look, @bob", visibility="public")
    assert '<a class="mention" href="/people/bob/">@bob</a>' in note.comment_html
    note.visibility = "private"
    note.save()
    assert Annotation.objects.get(pk=note.pk).comment_html == "<p>Look, @bob</p>"
    reply = create_reply(bob, note_on_article(bob, article, comment="x", visibility="public"), comment="@alice hi")
    assert '<a class="mention" href="/people/alice/">@alice</a>' in reply.comment_html
