"""Bad input to `import_article`: a message a person can act on, and nothing changed."""

import os
import subprocess
import sys
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from reader.models import Article, Paragraph

pytestmark = pytest.mark.django_db

SEED_SLUG = "north-korean-missile-crisis"


def snapshot():
    """Everything the importer may write, so a test can show it wrote nothing."""
    return (
        list(Article.objects.order_by("pk").values()),
        list(Paragraph.objects.order_by("pk").values()),
    )


def fails_without_change(*args):
    before = snapshot()
    with pytest.raises(CommandError) as error:
        call_command("import_article", *map(str, args), stdout=StringIO(), stderr=StringIO())
    assert snapshot() == before
    return str(error.value)


BAD_FILES = {
    "non_utf8": (b"\xff\xfe caf\xe9", ["not UTF-8", "0xff", "save it as UTF-8"]),
    "empty": ("", ["empty"]),
    "whitespace_only": ("  \n\t\n   \n", ["empty"]),
    "header_only": ("Title: Just a title\nAuthor: Someone\n", ["no text blocks", "nothing to import"]),
    "header_only_then_blank_line": ("Title: Just a title\n\n\n", ["no text blocks"]),
    "only_markup_that_sanitizes_away": ("<script>alert(1)</script>\n\n<style>p{}</style>\n", ["no text blocks"]),
    "bad_header_line": ("Title: T\nAuthor A. Person\n\nBody.\n", ["Line 2", "header", "Author A. Person"]),
    "unknown_header_field": ("Title: T\nSubtitle: S\n\nBody.\n", ["Line 2", "Subtitle", "Title:, Author:, Date:"]),
    "bad_date": ("Title: T\nDate: 26/07/2006\n\nBody.\n", ["26/07/2006", "YYYY-MM-DD"]),
    "impossible_date": ("Title: T\nDate: 2006-02-30\n\nBody.\n", ["2006-02-30", "YYYY-MM-DD"]),
    "long_title": ("Title: " + "t" * 301 + "\n\nBody.\n", ["title", "longer than 300"]),
    "long_title_from_heading": ("# " + "t" * 301 + "\n\nBody.\n", ["title", "longer than 300"]),
    "long_author": ("Title: T\nAuthor: " + "a" * 201 + "\n\nBody.\n", ["author", "longer than 200"]),
    "ftp_source": ("Title: T\nSource: ftp://example.org/a.md\n\nBody.\n", ["ftp://example.org/a.md", "http"]),
    "javascript_source": ("Title: T\nSource: javascript:alert(1)\n\nBody.\n", ["javascript:alert(1)", "http"]),
}


@pytest.mark.parametrize("name", BAD_FILES)
def test_bad_file_is_refused_with_a_clear_message(write_markdown, name):
    content, words = BAD_FILES[name]
    message = fails_without_change(write_markdown(content))
    for word in words:
        assert word in message


@pytest.mark.parametrize("name", BAD_FILES)
def test_bad_file_over_an_existing_article_leaves_it_untouched(article, write_markdown, name):
    content, words = BAD_FILES[name]
    message = fails_without_change(write_markdown(content), "--slug", article.slug)
    assert words[0] in message
    article.refresh_from_db()
    assert article.revision == 1


def test_an_empty_date_is_refused_or_ignored_without_a_traceback(write_markdown):
    path = write_markdown("Title: T\nDate:\n\nBody.\n")
    refusal = None
    try:
        call_command("import_article", str(path), stdout=StringIO())
    except CommandError as error:
        refusal = str(error)
    if refusal is None:  # ignored: an article with no date
        assert Article.objects.get().published_on is None
    else:  # refused: fine, if it says why and writes nothing
        assert "Date" in refusal
        assert Article.objects.count() == 0


def test_a_source_url_longer_than_500_characters_is_refused(write_markdown):
    message = fails_without_change(write_markdown("Title: T\nSource: https://example.org/" + "a" * 500 + "\n\nBody.\n"))
    assert "Source" in message
    assert "500" in message


def test_missing_file_is_refused(tmp_path):
    message = fails_without_change(tmp_path / "missing.md")
    assert "No such file" in message
    assert "missing.md" in message


def test_missing_file_over_an_existing_article_leaves_it_untouched(article, tmp_path):
    message = fails_without_change(tmp_path / "missing.md", "--slug", article.slug)
    assert "No such file" in message


def test_a_folder_is_refused(tmp_path):
    message = fails_without_change(tmp_path)
    assert "folder" in message
    assert "Markdown file" in message


@pytest.mark.parametrize("slug", ["has spaces", "a/b", "café", "x" * 201])
def test_invalid_slug_is_refused(write_markdown, slug):
    message = fails_without_change(write_markdown("Title: T\n\nBody.\n"), "--slug", slug)
    assert "not a valid slug" in message
    assert "letters, digits, hyphens and underscores" in message


def test_valid_reimport_after_a_refused_one_still_works(article, write_markdown):
    fails_without_change(write_markdown("Title: T\nDate: 26/07/2006\n\nBody.\n"), "--slug", article.slug)
    call_command(
        "import_article", str(write_markdown("Title: T\n\nBody.\n")), "--slug", article.slug, stdout=StringIO()
    )
    article.refresh_from_db()
    assert article.revision == 2
    assert list(article.paragraphs.values_list("text", flat=True)) == ["Body."]


def test_command_line_reports_a_missing_file_on_stderr_with_a_failing_status(tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}",
        "DJANGO_DEBUG": "1",
    }
    manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
    migrate = subprocess.run([*manage, "migrate", "--verbosity", "0"], env=env, capture_output=True, text=True)
    assert migrate.returncode == 0, migrate.stderr

    run = subprocess.run(
        [*manage, "import_article", "missing.md"], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert run.returncode != 0
    assert "No such file: missing.md" in run.stderr
    assert "Traceback" not in run.stderr
