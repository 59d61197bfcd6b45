"""Select a passage, press Highlight: after a reload the marks cover exactly that passage."""

import pytest
from playwright.sync_api import expect

from annotations.models import Annotation
from reader.importing import import_file
from tests.browser.reading import (
    TOOLBAR,
    marked_text,
    marks,
    phrase_rects,
    saving,
    select_phrase,
    select_range,
    sign_in,
)

pytestmark = pytest.mark.browser

FORMATTED = "plain **bold part** and *italic* end"
UNICODE_TEXT = "Emoji 😀👍🏽 then 한국어 and e\u0301 then TARGET word"


@pytest.fixture
def formatted_article(db, write_markdown):
    path = write_markdown(f"Title: Formatting\n\n{FORMATTED}\n\nA second paragraph.\n", name="formatting.md")
    return import_file(path, slug="formatting").article


@pytest.fixture
def unicode_article(db, write_markdown):
    path = write_markdown(f"Title: Unicode\n\n{UNICODE_TEXT}\n", name="unicode.md")
    return import_file(path, slug="unicode").article


def highlight(page):
    with saving(page) as response:
        page.click(f"{TOOLBAR} [data-action=highlight]")
    assert response.value.ok, response.value.text()
    note = Annotation.objects.latest("created")
    expect(marks(page, note).first).to_be_attached()
    return note


def passage_of(note):
    return note.start_key, note.start_offset, note.end_key, note.end_offset


def test_a_highlight_marks_exactly_the_selected_passage_after_a_reload(page, alice, article):
    paragraph = article.paragraphs.get(position=3)
    sign_in(page, alice)
    page.goto(article.get_absolute_url())

    assert select_range(page, paragraph.key, 5, 60) == paragraph.text[5:60]
    note = highlight(page)
    expect(page.locator(TOOLBAR)).to_be_hidden()

    assert passage_of(note) == (paragraph.key, 5, paragraph.key, 60)
    assert note.quote_exact == paragraph.text[5:60]
    assert (note.author, note.visibility, note.comment) == (alice, "private", "")
    page.reload()
    assert marked_text(page, note) == paragraph.text[5:60]
    expect(marks(page, note)).to_have_count(1)
    expect(marks(page, note)).to_contain_class("mine")


def test_a_highlight_across_bold_and_italic_is_split_at_element_boundaries(page, alice, formatted_article):
    paragraph = formatted_article.paragraphs.get(position=0)
    assert paragraph.text == "plain bold part and italic end"
    start, end = 2, paragraph.text.index("italic") + 3
    sign_in(page, alice)
    page.goto(formatted_article.get_absolute_url())

    assert select_range(page, paragraph.key, start, end) == "ain bold part and ita"
    note = highlight(page)

    assert passage_of(note) == (paragraph.key, start, paragraph.key, end)
    assert note.quote_exact == "ain bold part and ita"
    page.reload()
    assert marks(page, note).all_text_contents() == ["ain ", "bold part", " and ", "ita"]
    shapes = marks(page, note).evaluate_all(
        """(marks) => marks.map((mark) => [
             mark.parentElement.tagName,
             mark.parentElement.closest(".block-text")?.dataset.key,
             mark.children.length,
           ])"""
    )
    key = paragraph.key
    assert shapes == [["P", key, 0], ["STRONG", key, 0], ["P", key, 0], ["EM", key, 0]]
    expect(page.locator(f'.block-text strong > mark[data-annotations~="{note.pk}"]')).to_have_text("bold part")
    expect(page.locator(f'.block-text em > mark[data-annotations~="{note.pk}"]')).to_have_text("ita")


def test_a_highlight_across_two_paragraphs_marks_the_tail_of_one_and_the_head_of_the_next(page, alice, article):
    first, second = article.paragraphs.get(position=2), article.paragraphs.get(position=3)
    start, end = 120, 40
    expected = first.text[start:] + "\n\n" + second.text[:end]
    sign_in(page, alice)
    page.goto(article.get_absolute_url())

    select_range(page, first.key, start, end, end_key=second.key)
    note = highlight(page)

    assert passage_of(note) == (first.key, start, second.key, end)
    assert note.quote_exact == expected
    page.reload()
    first_marks = page.locator(f'#{first.key} mark[data-annotations~="{note.pk}"]')
    second_marks = page.locator(f'#{second.key} mark[data-annotations~="{note.pk}"]')
    assert "".join(first_marks.all_text_contents()) == first.text[start:]
    assert "".join(second_marks.all_text_contents()) == second.text[:end]
    expect(marks(page, note)).to_have_count(2)


def test_a_highlight_after_emoji_hangul_and_a_combining_accent_stores_code_point_offsets(page, alice, unicode_article):
    paragraph = unicode_article.paragraphs.get(position=0)
    assert paragraph.text == UNICODE_TEXT
    start = UNICODE_TEXT.index("TARGET")
    utf16_start = len(UNICODE_TEXT[:start].encode("utf-16-le")) // 2
    assert utf16_start == start + 3  # three astral characters before it: a wrong unit shows
    sign_in(page, alice)
    page.goto(unicode_article.get_absolute_url())

    assert select_phrase(page, paragraph.key, "TARGET") == "TARGET"
    note = highlight(page)

    assert passage_of(note) == (paragraph.key, start, paragraph.key, start + len("TARGET"))
    assert note.quote_exact == "TARGET"
    page.reload()
    assert marked_text(page, note) == "TARGET"


# The same through the real mouse: the page learns of the selection only from selectionchange.


def test_double_clicking_a_word_after_emoji_and_highlighting_it_marks_that_word(page, alice, unicode_article):
    paragraph = unicode_article.paragraphs.get(position=0)
    sign_in(page, alice)
    page.goto(unicode_article.get_absolute_url())

    box = phrase_rects(page, paragraph.key, "TARGET")["whole"]
    page.mouse.dblclick((box["left"] + box["right"]) / 2, box["y"])
    expect(page.locator(TOOLBAR)).to_be_visible()
    note = highlight(page)

    start = UNICODE_TEXT.index("TARGET")
    assert passage_of(note) == (paragraph.key, start, paragraph.key, start + 6)
    page.reload()
    assert marked_text(page, note) == "TARGET"


def test_dragging_the_mouse_over_a_passage_and_highlighting_it_marks_what_was_dragged_over(page, alice, article):
    paragraph = article.paragraphs.get(position=3)
    phrase = "North Korean regime publicised its intention"
    sign_in(page, alice)
    page.goto(article.get_absolute_url())

    rects = phrase_rects(page, paragraph.key, phrase)
    page.mouse.move(rects["first"]["left"] + 1, rects["first"]["y"])
    page.mouse.down()
    page.mouse.move(rects["last"]["right"] - 1, rects["last"]["y"], steps=8)
    page.mouse.up()
    expect(page.locator(TOOLBAR)).to_be_visible()
    note = highlight(page)

    start = paragraph.text.index(phrase)
    assert passage_of(note) == (paragraph.key, start, paragraph.key, start + len(phrase))
    assert note.quote_exact == phrase
    page.reload()
    assert marked_text(page, note) == phrase


def test_triple_clicking_a_paragraph_and_highlighting_it_marks_the_whole_paragraph(page, alice, article):
    paragraph = article.paragraphs.get(position=2)
    sign_in(page, alice)
    page.goto(article.get_absolute_url())

    box = phrase_rects(page, paragraph.key, "mysteries")["whole"]
    page.mouse.click(box["left"] + 2, box["y"], click_count=3)
    expect(page.locator(TOOLBAR)).to_be_visible()
    note = highlight(page)

    assert passage_of(note) == (paragraph.key, 0, paragraph.key, len(paragraph.text))
    assert note.quote_exact == paragraph.text
    page.reload()
    assert marked_text(page, note) == paragraph.text


# Known bugs: these fail today (see the reasons), and start passing when the app is fixed.

TABLE = "| a | b |\n|---|---|\n| one | two |"


@pytest.fixture
def table_article(db, write_markdown):
    path = write_markdown(f"Title: Table\n\nBefore.\n\n{TABLE}\n\nAfter.\n", name="table.md")
    return import_file(path, slug="table").article


def block_text(page, key):
    return page.evaluate("(key) => document.querySelector(`.block-text[data-key='${key}']`).textContent", key)


def test_a_highlight_across_table_cells_leaves_the_table_text_in_place(page, alice, table_article):
    table = table_article.paragraphs.get(position=1)
    start, end = table.text.index("one"), table.text.index("two") + 3
    sign_in(page, alice)
    page.goto(table_article.get_absolute_url())
    assert block_text(page, table.key) == table.text

    assert select_range(page, table.key, start, end) == "one\ntwo"
    note = highlight(page)
    assert passage_of(note) == (table.key, start, table.key, end)
    page.reload()
    assert block_text(page, table.key) == table.text  # the offsets of every later selection count into it
    assert marked_text(page, note) == "onetwo"  # the newline between the cells cannot hold a mark

    select_phrase(page, table.key, "a")
    with saving(page) as response:
        page.click(f"{TOOLBAR} [data-action=highlight]")
    assert response.value.ok, response.value.text()


def test_a_new_highlight_flashes_once_it_is_saved(page, alice, article):
    paragraph = article.paragraphs.get(position=2)
    sign_in(page, alice)
    page.goto(article.get_absolute_url())
    select_phrase(page, paragraph.key, "mysteries")
    note = highlight(page)
    expect(marks(page, note)).to_contain_class("flash", timeout=1_500)
