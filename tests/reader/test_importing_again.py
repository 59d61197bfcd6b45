"""Importing a file again renders only the blocks whose source changed: the others keep the HTML
and text stored with them, which their unchanged source would render to anyway."""

import pytest

from reader.importing import import_text, parse_article, stored_blocks
from reader.models import Paragraph

pytestmark = pytest.mark.django_db

ORIGINAL = "Title: Again\n\nFirst *block*.\n\nSecond [block](https://example.org/).\n\nThird block.\n"


def _marked(article):
    """Mark each stored paragraph's HTML, as no rendering of its source would write it."""
    for paragraph in article.paragraphs.all():
        Paragraph.objects.filter(pk=paragraph.pk).update(html=paragraph.html + "<!--stored-->")


def test_a_block_whose_source_is_unchanged_keeps_its_stored_html():
    article = import_text(ORIGINAL, slug="again").article
    _marked(article)
    result = import_text(ORIGINAL.replace("Third block.", "Third block, corrected."), slug="again")
    html = list(article.paragraphs.order_by("position").values_list("html", flat=True))
    assert html[0].endswith("<!--stored-->")
    assert html[1].endswith("<!--stored-->")
    assert html[2] == "<p>Third block, corrected.</p>"
    assert (result.kept, result.added, result.removed) == (2, 1, 1)


def test_an_edited_block_is_rendered_afresh_with_its_text():
    article = import_text(ORIGINAL, slug="again").article
    import_text(ORIGINAL.replace("First *block*.", "First **bold** block."), slug="again")
    first = article.paragraphs.order_by("position").first()
    assert (first.html, first.text, first.source) == (
        "<p>First <strong>bold</strong> block.</p>",
        "First bold block.",
        "First **bold** block.",
    )


def test_the_stored_blocks_are_those_of_the_article_imported_under_that_slug():
    import_text(ORIGINAL, slug="again")
    import_text("Title: Other\n\nElsewhere.\n", slug="other")
    assert sorted(stored_blocks("again")) == ["First *block*.", "Second [block](https://example.org/).", "Third block."]
    assert stored_blocks("nowhere") == {}


def test_a_source_repeated_in_a_file_is_rendered_once_into_equal_blocks():
    _, blocks = parse_article("Title: Twice\n\nSame *words*.\n\nOther.\n\nSame *words*.\n")
    assert blocks[0] is blocks[2]
    assert blocks[0].html == "<p>Same <em>words</em>.</p>"
