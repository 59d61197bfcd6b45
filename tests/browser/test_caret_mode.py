"""Selecting part of a paragraph with the keyboard alone: caret mode, then H or N, no mouse."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from annotations.models import Annotation
from reader.importing import import_file
from tests.browser.reading import TOOLBAR, marked_text, saving, sign_in, watch_errors

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).parent / "screenshots"
SECOND = "Gentle readers *often* select words with keys alone."


@pytest.fixture
def caret_article(db, write_markdown):
    text = f"Title: Caret\n\nThe first paragraph opens the piece.\n\n{SECOND}\n\nA third paragraph closes it.\n"
    return import_file(write_markdown(text, name="caret.md"), slug="caret").article


def paragraph_with(article, words):
    return article.paragraphs.get(text__contains=words)


def enter_caret_mode_on(page, paragraph):
    """Tab to the paragraph's own "Note on this paragraph" link, then C."""
    link = page.locator(f'[id="{paragraph.key}"] .note-here')
    for _ in range(60):
        if link.evaluate("(el) => el === document.activeElement"):
            break
        page.keyboard.press("Tab")
    else:
        raise AssertionError("Tab never reached the paragraph's link")
    page.keyboard.press("c")
    block = page.locator(f'.block-text[data-key="{paragraph.key}"]')
    expect(block).to_be_focused()
    expect(block).to_have_class("block-text caret-active")
    expect(page.locator(".caret-mark")).to_be_visible()
    expect(page.get_by_role("status").filter(has_text="Caret mode")).to_be_attached()
    return block


def select_two_words(page):
    page.keyboard.press("Shift+Control+ArrowRight")
    page.keyboard.press("Shift+Control+ArrowRight")
    expect(page.get_by_role("status").filter(has_text="Selected: Gentle readers")).to_be_attached()


def test_caret_mode_selects_two_words_and_h_highlights_exactly_them(page, alice, caret_article):
    errors = watch_errors(page)
    paragraph = paragraph_with(caret_article, "Gentle readers")
    sign_in(page, alice)
    page.goto(caret_article.get_absolute_url())
    enter_caret_mode_on(page, paragraph)

    select_two_words(page)
    assert page.evaluate("() => window.getSelection().toString()") == "Gentle readers"
    with saving(page) as response:
        page.keyboard.press("h")
    assert response.value.ok, response.value.text()

    note = Annotation.objects.get(author=alice)
    assert note.quote_exact == "Gentle readers"
    assert (note.start_key, note.start_offset, note.end_key, note.end_offset) == (paragraph.key, 0, paragraph.key, 14)
    assert (note.visibility, note.comment) == ("private", "")
    expect(page.locator(f'mark[data-annotations~="{note.pk}"]')).to_have_count(1)
    assert marked_text(page, note) == "Gentle readers"

    # Still in caret mode after the redraw, just after the highlight: on across the formatting.
    block = page.locator(f'.block-text[data-key="{paragraph.key}"]')
    expect(block).to_be_focused()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Shift+Control+ArrowRight")
    page.keyboard.press("Shift+Control+ArrowRight")
    assert page.evaluate("() => window.getSelection().toString()") == "often select"

    page.keyboard.press("Escape")
    expect(page.locator(".caret-mark")).to_be_hidden()
    expect(page.locator(TOOLBAR)).to_be_hidden()
    expect(page.get_by_role("status").filter(has_text="Caret mode off")).to_be_attached()
    expect(block).not_to_have_attribute("tabindex", "-1")
    assert errors == []


def test_caret_mode_n_opens_the_note_dialog_with_the_words_and_saves_them(page, alice, caret_article):
    errors = watch_errors(page)
    paragraph = paragraph_with(caret_article, "Gentle readers")
    sign_in(page, alice)
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(caret_article.get_absolute_url())
        enter_caret_mode_on(page, paragraph)
        select_two_words(page)
        expect(page.locator(TOOLBAR)).to_be_visible()
        page.screenshot(path=SCREENSHOTS / f"caret-mode-{width}.png")
        page.keyboard.press("Escape")

    enter_caret_mode_on(page, paragraph)
    select_two_words(page)
    page.keyboard.press("n")
    dialog = page.locator("#note-dialog")
    expect(dialog).to_be_visible()
    expect(page.locator("#note-dialog-quote")).to_have_text("Gentle readers")
    expect(dialog.locator("[name=comment]")).to_be_focused()
    page.keyboard.type("Two words, chosen with the keys.")
    with saving(page) as response:
        page.keyboard.press("Tab")  # away from the comment, then submit the form with the keyboard
        dialog.locator("[type=submit]").focus()
        page.keyboard.press("Enter")
    assert response.value.ok, response.value.text()
    expect(dialog).to_be_hidden()
    note = Annotation.objects.get(author=alice)
    assert (note.quote_exact, note.comment) == ("Gentle readers", "Two words, chosen with the keys.")
    assert errors == []


def test_the_button_starts_caret_mode_and_arrows_cross_paragraphs(page, alice, caret_article):
    errors = watch_errors(page)
    first = paragraph_with(caret_article, "first paragraph")
    second = paragraph_with(caret_article, "Gentle readers")
    sign_in(page, alice)
    page.goto(caret_article.get_absolute_url())
    button = page.get_by_role("button", name="Select with the keyboard")
    for _ in range(40):
        if button.evaluate("(el) => el === document.activeElement"):
            break
        page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.locator(f'.block-text[data-key="{first.key}"]')).to_be_focused()
    page.keyboard.press("End")
    page.keyboard.press("ArrowRight")  # past the end of the text: the next paragraph's start
    expect(page.locator(f'.block-text[data-key="{second.key}"]')).to_be_focused()
    page.keyboard.press("Shift+ArrowRight")
    assert page.evaluate("() => window.getSelection().toString()") == "G"
    page.keyboard.press("Escape")
    assert errors == []
