"""An article's title is one line: the admin, the importer and the database all refuse a line break.

A title goes into email Subject headers, where a newline is an error: a title saved with one
once made every later reply on the article fail after the reply was saved.
"""

import pytest
from django.db import IntegrityError, transaction

from annotations.models import Annotation, Notification
from annotations.notifying import _subject
from annotations.writing import create_reply
from reader.importing import ArticleImportError, parse_article
from reader.models import Article
from tests.annotations.factories import PUBLIC, note_on_quote
from tests.reader.test_admin import CHANGELIST, form_data

pytestmark = pytest.mark.django_db

BREAKS = ["\n", "\r", "\r\n", "\u2028", "\x85", "\x0b"]


@pytest.fixture
def curator_client(client, curator):
    client.force_login(curator)
    return client


@pytest.mark.parametrize("line_break", BREAKS)
def test_the_admin_refuses_a_title_with_a_line_break_and_keeps_the_old_one(curator_client, article, line_break):
    url = f"{CHANGELIST}{article.pk}/change/"
    data = form_data(curator_client.get(url).content.decode(), "article_form")
    data["title"] = [f"First line{line_break}Second line"]
    response = curator_client.post(url, data)
    assert response.status_code == 200
    assert "it must be one line" in response.content.decode()
    title = article.title
    article.refresh_from_db()
    assert article.title == title


@pytest.mark.parametrize(
    "markdown",
    ["Title: Two\u2028lines\n\nBody.\n", "Title: Two\x85lines\n\nBody.\n", "# Two\u2029lines\n\nBody.\n"],
    ids=["header-line-separator", "header-next-line", "heading-paragraph-separator"],
)
def test_the_importer_refuses_a_title_with_a_line_break(markdown):
    with pytest.raises(ArticleImportError, match=r"The title holds a line break \(U\+\w{4}\); a title is one line."):
        parse_article(markdown)


@pytest.mark.parametrize("line_break", BREAKS)
def test_the_database_refuses_a_title_with_a_line_break(article, line_break):
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.filter(pk=article.pk).update(title=f"Two{line_break}lines")


def test_a_reply_after_a_refused_title_change_is_posted_and_its_email_has_a_one_line_subject(
    client, curator, alice, bob, article, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(curator)
    url = f"{CHANGELIST}{article.pk}/change/"
    data = form_data(client.get(url).content.decode(), "article_form")
    data["title"] = ["Injected\nBcc: everyone@example.com"]
    client.post(url, data)
    note = note_on_quote(alice, article, "kind of mysteries", visibility=PUBLIC)
    client.force_login(bob)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/notes/{note.pk}/reply/", {"comment": "A reply"})
    assert response.status_code == 302
    assert Annotation.objects.filter(parent=note).count() == 1
    assert all("\n" not in message.subject for message in mailoutbox)


def test_the_notification_subject_is_one_line_whatever_the_title_holds(alice, bob, article):
    note = note_on_quote(alice, article, "kind of mysteries", visibility=PUBLIC)
    create_reply(bob, note, comment="A reply")
    notification = Notification.objects.get(recipient=alice)
    notification.annotation.article.title = "Two\nlines\r\nand\u2028three"  # as a title stored before the rule
    assert _subject(notification) == "bob replied to your note on “Two lines and three”"
