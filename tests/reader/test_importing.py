"""Importing a Markdown file: the seed article, block splitting, drafts, re-imports and keys."""

import datetime
import re
from io import StringIO

import pytest
from django.core.management import call_command

from reader.importing import import_file
from reader.models import Article, Paragraph
from reader.rendering import text_content
from reader.signals import text_changed
from tests.conftest import RAW_SEED
from tests.pages import block_inner_html, parse, visible_text

pytestmark = pytest.mark.django_db


def import_text(write_markdown, text, slug="article", *args):
    path = write_markdown(text, name=f"{slug}.md")
    out = StringIO()
    call_command("import_article", str(path), "--slug", slug, *args, stdout=out)
    return Article.objects.get(slug=slug), out.getvalue()


def rows(article):
    """(pk, key, position, text) of every paragraph, in reading order."""
    return list(article.paragraphs.order_by("position").values_list("pk", "key", "position", "text"))


# The curated seed article


def test_seed_article_has_its_title_author_date_and_slug(article):
    assert article.title == "North Korean Missile Crisis"
    assert article.author == "WON Youngsu"
    assert article.published_on == datetime.date(2006, 7, 26)
    assert article.slug == "north-korean-missile-crisis"
    assert article.status == Article.Status.PUBLISHED
    assert article.revision == 1


def test_seed_article_headings_have_a_level_and_paragraphs_are_numbered_from_zero(article):
    paragraphs = list(article.paragraphs.order_by("position"))
    headings = [p for p in paragraphs if p.kind == Paragraph.Kind.HEADING]
    assert len(headings) == 4
    assert all(heading.level == 2 for heading in headings)
    assert all(p.level is None for p in paragraphs if p.kind != Paragraph.Kind.HEADING)
    assert [p.position for p in paragraphs] == list(range(len(paragraphs)))


def test_every_seed_paragraph_text_is_the_text_content_of_its_html(article):
    for paragraph in article.paragraphs.all():
        assert paragraph.text == text_content(paragraph.html), paragraph.key
        assert paragraph.text.strip()


def test_seed_article_carries_the_curators_repairs(article):
    paragraphs = list(article.paragraphs.all())
    assert not [p.key for p in paragraphs if "& #8211;" in p.source or "& #8211;" in p.text]
    root_cause = [p for p in paragraphs if p.kind == "heading" and "root-cause" in p.text]
    assert len(root_cause) == 1
    assert "–" in root_cause[0].text
    way_out = "For a way out of the crisis and the task of national and international peace movement"
    assert [p.text for p in paragraphs if p.kind == "heading" and "way out" in p.text] == [way_out]
    steps = "some steps need to be taken to show off the power"
    assert len([p for p in paragraphs if steps in p.text]) == 1
    assert not [p.key for p in paragraphs if 'href="#"' in p.html]


# The raw copy of the seed: nothing of the source may be lost


def sentences_of(markdown):
    """Every sentence of a Markdown document, with the Markdown syntax taken out.

    Headings and list items stand alone. A paragraph that stops mid-sentence (no final
    . ! or ?) runs on into the next paragraph, as the raw seed does once.
    """
    units, open_sentence = [], None
    for block in re.split(r"\n\s*\n", markdown):
        lines = [line.strip() for line in block.strip().splitlines() if line.strip()]
        if not lines:
            continue
        if lines[0].startswith("#") or re.match(r"^([-*+]|\d+\.)\s", lines[0]):
            units.extend(re.sub(r"^(#{1,6}|[-*+]|\d+\.)\s+", "", line) for line in lines)
            continue
        paragraph = " ".join(lines)
        if open_sentence:
            paragraph = f"{open_sentence} {paragraph}"
        open_sentence = None if re.search(r"[.!?][)\"']?$", paragraph) else paragraph
        if open_sentence is None:
            units.append(paragraph)
    assert open_sentence is None, "the document ends mid-sentence"
    sentences = []
    for unit in units:
        unit = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", unit)  # [text](url) → text
        unit = re.sub(r"<[^>]+>", "", unit)  # inline HTML such as <sup>th</sup>
        unit = re.sub(r"\*{1,3}|(?<!\w)_{1,3}|_{1,3}(?!\w)", "", unit)  # emphasis markers
        sentences.extend(re.split(r"(?<=[.!?])\s+(?=[A-Z0-9(])", " ".join(unit.split())))
    return [sentence for sentence in sentences if sentence]


def test_raw_seed_imports_with_every_sentence_on_the_reading_page(client):
    call_command("import_article", str(RAW_SEED), "--slug", "raw", stdout=StringIO())
    page = client.get("/articles/raw/").content.decode()
    title = parse(page).one("h1", class_="article-title")
    text = " ".join([visible_text(title), *map(visible_text, block_inner_html(page).values())])

    sentences = sentences_of(RAW_SEED.read_text(encoding="utf-8"))
    assert len(sentences) > 40
    assert [sentence for sentence in sentences if sentence not in text] == []


# One paragraph per top-level block


@pytest.mark.parametrize(
    ("source", "kinds"),
    [
        ("```\nfirst\n\n\nsecond\n```", ["code"]),
        ("- a\n\n- b", ["list"]),
        ("1. one\n\n2. two\n\n    still two", ["list"]),
        ("## A heading\nA paragraph right under it.", ["heading", "paragraph"]),
        ("| a | b |\n|---|---|\n| 1 | 2 |", ["table"]),
        ("---", ["rule"]),
        ("> A quotation\n> over two lines.", ["quote"]),
        ("```python\nx = 1\n```", ["code"]),
        ("    indented code\n\n    still the same code", ["code"]),
    ],
)
def test_each_top_level_block_becomes_one_paragraph(write_markdown, source, kinds):
    article, _ = import_text(write_markdown, f"Title: Blocks\n\n{source}\n")
    assert list(article.paragraphs.values_list("kind", flat=True)) == kinds


def test_fenced_code_keeps_its_blank_lines(write_markdown):
    article, _ = import_text(write_markdown, "Title: Code\n\n```\nfirst\n\n\nsecond\n```\n\nAfter.\n")
    code, after = article.paragraphs.all()
    assert code.text == "first\n\n\nsecond\n"
    assert after.text == "After."


def test_a_heading_is_kept_with_its_level(write_markdown):
    article, _ = import_text(write_markdown, "Title: Levels\n\n### Third\nBody.\n")
    heading = article.paragraphs.get(position=0)
    assert (heading.kind, heading.level, heading.text) == ("heading", 3, "Third")


def test_a_level_one_heading_opening_the_file_becomes_the_title(write_markdown):
    article, _ = import_text(write_markdown, "# The Real Title\n\nFirst paragraph.\n")
    assert article.title == "The Real Title"
    assert list(article.paragraphs.values_list("text", flat=True)) == ["First paragraph."]


# Drafts


def test_draft_flag_imports_a_draft_and_reimporting_without_it_publishes(write_markdown):
    article, _ = import_text(write_markdown, "Title: T\n\nBody.\n", "article", "--draft")
    assert article.status == Article.Status.DRAFT

    article, _ = import_text(write_markdown, "Title: T\n\nBody.\n")
    assert article.status == Article.Status.PUBLISHED


def test_publishing_by_reimport_does_not_bump_the_revision(write_markdown):
    import_text(write_markdown, "Title: T\n\nBody.\n", "article", "--draft")
    article, _ = import_text(write_markdown, "Title: T\n\nBody.\n")
    assert article.revision == 1


# Re-importing


ORIGINAL = "Title: Versions\n\nFirst stays.\n\nSecond will change.\n\nThird will go.\n\nFourth stays.\n"
EDITED = "Title: Versions\n\nFirst stays.\n\nSecond has changed.\n\nFourth stays.\n\nA new fifth.\n"


def test_reimport_keeps_key_and_row_of_unchanged_paragraphs(write_markdown):
    article, _ = import_text(write_markdown, ORIGINAL)
    before = {text: (pk, key) for pk, key, _, text in rows(article)}

    article, _ = import_text(write_markdown, EDITED)
    after = {text: (pk, key) for pk, key, _, text in rows(article)}
    assert after["First stays."] == before["First stays."]
    assert after["Fourth stays."] == before["Fourth stays."]


def test_reimport_gives_changed_text_a_new_key_and_follows_the_new_order(write_markdown):
    article, _ = import_text(write_markdown, ORIGINAL)
    old_keys = {key for _, key, _, _ in rows(article)}

    article, out = import_text(write_markdown, EDITED)
    after = rows(article)
    assert [text for *_, text in after] == ["First stays.", "Second has changed.", "Fourth stays.", "A new fifth."]
    assert [position for _, _, position, _ in after] == [0, 1, 2, 3]
    new_keys = {key for _, key, _, text in after if text in ("Second has changed.", "A new fifth.")}
    assert len(new_keys) == 2
    assert not new_keys & old_keys
    assert article.revision == 2
    assert "revision 2" in out


def test_reimport_deletes_a_removed_paragraph(write_markdown):
    article, _ = import_text(write_markdown, ORIGINAL)
    gone = article.paragraphs.get(text="Third will go.")

    import_text(write_markdown, EDITED)
    assert not Paragraph.objects.filter(pk=gone.pk).exists()
    assert not Paragraph.objects.filter(text="Third will go.").exists()


def test_reimporting_an_identical_file_keeps_the_revision_and_says_so(write_markdown):
    article, _ = import_text(write_markdown, ORIGINAL)
    before = rows(article)

    article, out = import_text(write_markdown, ORIGINAL)
    assert article.revision == 1
    assert "unchanged" in out
    assert rows(article) == before


def test_reimport_with_swapped_and_rotated_paragraphs_keeps_every_row(write_markdown):
    article, _ = import_text(write_markdown, "Title: Order\n\nA.\n\nB.\n\nC.\n\nD.\n")
    before = {text: (pk, key) for pk, key, _, text in rows(article)}

    article, _ = import_text(write_markdown, "Title: Order\n\nB.\n\nA.\n\nD.\n\nC.\n")
    assert [text for *_, text in rows(article)] == ["B.", "A.", "D.", "C."]
    assert {text: (pk, key) for pk, key, _, text in rows(article)} == before

    article, _ = import_text(write_markdown, "Title: Order\n\nC.\n\nB.\n\nA.\n\nD.\n")
    assert [text for *_, text in rows(article)] == ["C.", "B.", "A.", "D."]
    assert {text: (pk, key) for pk, key, _, text in rows(article)} == before
    assert article.revision == 3


def test_reimport_that_inserts_at_the_top_shifts_every_kept_paragraph(write_markdown):
    article, _ = import_text(write_markdown, "Title: Shift\n\nA.\n\nB.\n\nC.\n")
    keys = {text: key for _, key, _, text in rows(article)}

    article, _ = import_text(write_markdown, "Title: Shift\n\nNew start.\n\nA.\n\nB.\n\nC.\n")
    after = rows(article)
    assert [(position, text) for _, _, position, text in after] == [(0, "New start."), (1, "A."), (2, "B."), (3, "C.")]
    assert {text: key for _, key, _, text in after if text in keys} == keys


def test_reimport_that_only_changes_markup_keeps_the_key_and_updates_the_html(write_markdown):
    article, _ = import_text(write_markdown, "Title: Markup\n\nSome *words*.\n")
    before = article.paragraphs.get()

    article, _ = import_text(write_markdown, "Title: Markup\n\nSome **words**.\n")
    after = article.paragraphs.get()
    assert (after.pk, after.key, after.text) == (before.pk, before.key, before.text)
    assert "<strong>words</strong>" in after.html
    assert article.revision == 2


def test_duplicate_paragraphs_get_distinct_keys(write_markdown):
    article, _ = import_text(write_markdown, "Title: Twice\n\nSame.\n\n---\n\nSame.\n\n---\n\nSame.\n")
    keys = [key for _, key, _, _ in rows(article)]
    assert len(keys) == 5
    assert len(set(keys)) == 5


def test_reimport_keeps_the_keys_of_duplicate_paragraphs_in_order(write_markdown):
    article, _ = import_text(write_markdown, "Title: Twice\n\nSame.\n\nOther.\n\nSame.\n")
    first_same, _, second_same = rows(article)

    article, _ = import_text(write_markdown, "Title: Twice\n\nSame.\n\nChanged.\n\nSame.\n")
    assert [(pk, key) for pk, key, _, text in rows(article) if text == "Same."] == [
        first_same[:2],
        second_same[:2],
    ]


def test_a_text_change_is_signalled_with_the_paragraphs_as_they_were(write_markdown):
    article, _ = import_text(write_markdown, ORIGINAL)
    was = [(p.key, p.text) for p in article.paragraphs.order_by("position")]
    doomed = set(
        article.paragraphs.filter(text__in=["Second will change.", "Third will go."]).values_list("pk", flat=True)
    )
    calls = []

    def receiver(sender, article, before, revision, **kwargs):
        still_stored = set(Paragraph.objects.filter(pk__in=doomed).values_list("pk", flat=True))
        calls.append((sender, article.slug, [(p.key, p.text) for p in before], revision.number, still_stored))

    text_changed.connect(receiver)
    try:
        import_text(write_markdown, EDITED)
    finally:
        text_changed.disconnect(receiver)

    # The new text is in place (the removed rows are gone) and the old one travels with the signal.
    assert calls == [(Article, "article", was, 2, set())]


def test_no_signal_when_the_text_is_unchanged(write_markdown):
    import_text(write_markdown, ORIGINAL)
    calls = []

    def receiver(**kwargs):
        calls.append(kwargs)

    text_changed.connect(receiver)
    try:
        import_text(write_markdown, ORIGINAL)
    finally:
        text_changed.disconnect(receiver)
    assert calls == []


def test_import_file_returns_counts_of_kept_added_and_removed(write_markdown):
    import_text(write_markdown, ORIGINAL)
    result = import_file(write_markdown(EDITED, name="article.md"))
    assert (result.created, result.kept, result.added, result.removed) == (False, 2, 2, 2)
