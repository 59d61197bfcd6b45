"""The reading page in the browser: marks and notes lead to each other, the keyboard, the layout, no errors."""

import pytest
from playwright.sync_api import expect

from annotations.models import Annotation
from tests.browser.reading import TOOLBAR, marked_text, marks, note_on, saving, select_phrase, sign_in

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
WIDE = {"width": 1400, "height": 900}
LONG_COMMENT = "\n\n".join(f"Point {n}: the speculation needs a source." for n in range(1, 9))


def in_viewport(page, element):
    return page.evaluate(
        """(element) => {
          const box = element.getBoundingClientRect();
          return box.bottom > 0 && box.top < innerHeight && box.right > 0 && box.left < innerWidth;
        }""",
        element.element_handle(),
    )


def test_clicking_a_highlight_brings_its_note_into_view_and_the_quote_leads_back(new_page, alice, article):
    note = note_on(alice, article, "The general speculation", comment=LONG_COMMENT)
    page = new_page(viewport={"width": 390, "height": 600})  # notes sit under the text, folded
    sign_in(page, alice)
    page.goto(article.get_absolute_url())
    card = page.locator(f"#note-{note.pk}")
    mark = marks(page, note).first
    expect(card).to_be_hidden()

    mark.click()
    expect(card).to_be_visible()
    expect(card).to_be_focused()
    expect(card).to_be_in_viewport()

    quote_link = card.locator(f'[data-jump="{note.pk}"]')
    quote_link.evaluate("(link) => link.scrollIntoView({block: 'start'})")
    assert not in_viewport(page, mark), "the test needs the mark out of sight before following the quote"
    url = page.url
    quote_link.click()
    expect(mark).to_be_in_viewport()
    expect(mark).to_contain_class("flash")
    assert page.url == url  # the page scrolled to the mark itself, not to the paragraph's fragment
    assert marked_text(page, note) == "The general speculation"


def test_t_focuses_the_toolbar_escape_hides_it_and_h_highlights(page, alice, article):
    paragraph = article.paragraphs.get(position=2)
    sign_in(page, alice)
    page.goto(article.get_absolute_url())
    toolbar = page.locator(TOOLBAR)

    select_phrase(page, paragraph.key, "mysteries")
    page.keyboard.press("t")
    expect(toolbar.locator("button").first).to_be_focused()
    expect(toolbar.locator("button").first).to_have_attribute("data-action", "highlight")
    page.keyboard.press("Escape")
    expect(toolbar).to_be_hidden()
    assert Annotation.objects.count() == 0

    select_phrase(page, paragraph.key, "mysteries")
    with saving(page):
        page.keyboard.press("h")
    note = Annotation.objects.get()
    start = paragraph.text.index("mysteries")
    assert (note.start_key, note.start_offset, note.end_offset) == (paragraph.key, start, start + len("mysteries"))
    page.reload()
    assert marked_text(page, note) == "mysteries"


def block_geometry(page, key):
    return page.evaluate(
        """(key) => {
          const section = document.getElementById(key);
          const text = section.querySelector(".block-text").getBoundingClientRect();
          const notes = section.querySelector(".notes").getBoundingClientRect();
          return {text: {right: text.right, bottom: text.bottom}, notes: {left: notes.left, top: notes.top}};
        }""",
        key,
    )


def horizontal_overflow(page):
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


def test_on_a_phone_nothing_scrolls_sideways_and_notes_sit_under_their_paragraph(new_page, alice, article):
    note = note_on(alice, article, "mysteries", comment="A note with a long link: https://example.com/" + "x" * 80)
    page = new_page(viewport=PHONE)
    page.goto(article.get_absolute_url())
    assert horizontal_overflow(page) <= 1  # anonymous, no notes shown

    sign_in(page, alice)
    page.goto(article.get_absolute_url())
    page.locator(f"#{note.start_key} .notes-details > summary").click()
    expect(page.locator(f"#note-{note.pk}")).to_be_visible()
    assert horizontal_overflow(page) <= 1
    geometry = block_geometry(page, note.start_key)
    assert geometry["notes"]["top"] >= geometry["text"]["bottom"], geometry


def test_on_a_wide_screen_notes_sit_beside_their_paragraph(new_page, alice, article):
    note = note_on(alice, article, "mysteries", comment="Beside the text")
    page = new_page(viewport=WIDE)
    sign_in(page, alice)
    page.goto(article.get_absolute_url())
    expect(page.locator(f"#note-{note.pk}")).to_be_visible()  # open without a click on a wide screen
    geometry = block_geometry(page, note.start_key)
    assert geometry["notes"]["left"] >= geometry["text"]["right"], geometry
    assert horizontal_overflow(page) <= 1


def test_the_reading_page_runs_without_javascript_errors_or_csp_violations(page, browser_errors, alice, article):
    note = note_on(alice, article, "mysteries", comment="*Seen* by all", tags=["review"], visibility="public")
    paragraph = article.paragraphs.get(position=3)
    response = page.goto(article.get_absolute_url())
    assert "script-src 'self'" in response.headers["content-security-policy"]
    select_phrase(page, paragraph.key, "North Korean regime")  # anonymous: the sign-in invitation
    marks(page, note).first.click()

    sign_in(page, alice)
    page.goto(article.get_absolute_url())
    select_phrase(page, paragraph.key, "North Korean regime")
    page.keyboard.press("n")
    page.fill("#new-comment", "A *preview*")
    page.locator("#note-dialog").get_by_role("button", name="Preview").click()
    expect(page.locator("#note-dialog .preview em")).to_have_text("preview")
    page.keyboard.press("Escape")
    expect(page.locator("#note-dialog")).to_be_hidden()
    select_phrase(page, paragraph.key, "North Korean regime")
    with saving(page):
        page.click(f"{TOOLBAR} [data-action=highlight]")
    marks(page, note).first.click()
    card = page.locator(f"#note-{note.pk}")
    card.get_by_role("link", name="Edit").click()
    page.locator(f"form#note-{note.pk}").get_by_role("link", name="Cancel").click()
    expect(card.get_by_role("link", name="Edit")).to_be_visible()
    page.goto("/tags/review/")
    page.goto(f"{article.get_absolute_url()}#{paragraph.key}")
    page.wait_for_timeout(200)  # let anything asynchronous report

    assert Annotation.objects.count() == 2
    assert browser_errors == []
