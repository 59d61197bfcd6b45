"""The curator's editor in a real browser: edit a block under a highlight, read the dry run, save;
split a paragraph at the cursor and merge it back. Screenshots at phone and laptop widths."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from reader.models import Revision
from tests.browser.reading import marked_text, marks, note_on, sign_in

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).parent / "screenshots"
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 900}
ABRUPT = "frequent abrupt policy changes"


def shoot(page, name):
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png")


def open_editor(page, paragraph):
    block = page.locator(f"section#{paragraph.key}")
    block.hover()
    block.get_by_role("link", name="Edit").click()
    dialog = page.locator("#curator-dialog")
    expect(dialog).to_be_visible()
    expect(page.locator("#curator-source")).to_be_focused()
    return dialog


def put_cursor_before(page, words):
    """Click into the Markdown and move the caret just before `words`, as arrow keys would."""
    textarea = page.locator("#curator-source")
    at = textarea.input_value().index(words)
    textarea.focus()
    page.keyboard.press("Control+Home")
    textarea.evaluate("(element, at) => element.setSelectionRange(at - 1, at - 1)", at)
    page.keyboard.press("ArrowRight")  # the script keeps the caret's place as a person moves it


@pytest.mark.parametrize(("width", "viewport"), [("phone", PHONE), ("laptop", LAPTOP)])
def test_a_curator_edits_a_word_inside_a_highlight_sees_the_dry_run_and_the_mark_follows(
    new_page, curator, alice, bob, article, width, viewport
):
    page = new_page(viewport=viewport)
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    paragraph = article.paragraphs.get(text__contains=ABRUPT)
    note = note_on(alice, article, ABRUPT, comment="Alice's own reading", visibility="public")
    note_on(bob, article, "kind of mysteries", comment="Bob's private aside")  # private: the curator never sees it
    sign_in(page, curator, article.get_absolute_url())
    expect(marks(page, note)).to_have_text([ABRUPT])
    shoot(page, f"curator-page-{width}")

    dialog = open_editor(page, paragraph)
    expect(dialog.locator(".curator-where")).to_contain_text("2 notes on it")
    textarea = page.locator("#curator-source")
    expect(textarea).to_have_value(paragraph.source)
    textarea.fill(paragraph.source.replace("abrupt", "sudden"))
    dialog.get_by_role("button", name="Preview", exact=True).click()
    expect(dialog.locator(".curator-block")).to_contain_text("frequent sudden policy changes")
    expect(dialog.locator(".curator-dry-run")).to_have_text(
        "Notes: 1 note moves, 0 need their authors' check, 0 orphaned; 1 stays where it is."
    )
    assert "Bob's private aside" not in dialog.inner_text()
    shoot(page, f"curator-editor-{width}")

    dialog.get_by_role("button", name="Save", exact=True).click()
    expect(dialog).to_be_hidden()
    text = page.locator(f'.block-text[data-key="{paragraph.key}"]')
    expect(text).to_contain_text("frequent sudden policy changes")
    expect(marks(page, note)).to_have_text(["frequent sudden policy changes"])
    page.reload()
    assert marked_text(page, note) == "frequent sudden policy changes"
    assert Revision.objects.get(article=article, number=2).author == curator
    assert errors == [], errors


def test_a_curator_splits_a_paragraph_at_the_cursor_and_merges_it_back(page, curator, alice, article, browser_errors):
    paragraph = article.paragraphs.get(text__startswith="Initially")
    note = note_on(alice, article, "North Korean regime launched missiles", visibility="public")
    sign_in(page, curator, article.get_absolute_url())

    dialog = open_editor(page, paragraph)
    put_cursor_before(page, "However, all of a sudden")
    dialog.get_by_role("button", name="Split at cursor").click()
    expect(dialog.locator(".curator-block")).to_have_count(2)
    expect(dialog.locator(".curator-block").nth(1)).to_have_text(paragraph.text[paragraph.text.index("However") :])
    expect(dialog.locator(".curator-dry-run")).to_contain_text("1 note moves")
    shoot(page, "curator-split-laptop")
    dialog.get_by_role("button", name="Split here").click()
    expect(dialog).to_be_hidden()

    first = page.locator(f'.block-text[data-key="{paragraph.key}"]')
    expect(first).to_have_text(paragraph.text[: paragraph.text.index("However")].strip())
    second = page.locator(f"section#{paragraph.key} + section .block-text")
    expect(second).to_contain_text("However, all of a sudden")
    expect(second.locator(f'mark[data-annotations~="{note.pk}"]')).to_have_text(
        ["North Korean regime launched missiles"]
    )

    dialog = open_editor(page, paragraph)
    dialog.get_by_role("button", name="Merge with next").click()
    expect(dialog.locator(".curator-block")).to_have_text(paragraph.text)
    dialog.get_by_role("button", name="Merge", exact=True).click()
    expect(dialog).to_be_hidden()
    expect(page.locator(f'.block-text[data-key="{paragraph.key}"]')).to_have_text(paragraph.text)
    expect(marks(page, note)).to_have_text(["North Korean regime launched missiles"])
    assert article.paragraphs.count() == article.revisions.get(number=1).paragraphs.__len__()
    assert browser_errors == []


def test_a_bad_edit_is_refused_inline_and_nothing_changes(page, curator, article, browser_errors):
    paragraph = article.paragraphs.get(text__startswith="Initially")
    sign_in(page, curator, article.get_absolute_url())
    dialog = open_editor(page, paragraph)
    page.locator("#curator-source").fill("Now with <script>alert(1)</script> in it")
    dialog.get_by_role("button", name="Save", exact=True).click()
    expect(dialog.locator(".curator-error")).to_contain_text("a <script> element, which the page would drop")
    expect(dialog).to_be_visible()
    shoot(page, "curator-error-laptop")
    dialog.get_by_role("link", name="Cancel").click()
    expect(dialog).to_be_hidden()
    expect(page.locator(f'.block-text[data-key="{paragraph.key}"]')).to_have_text(paragraph.text)
    assert article.revisions.count() == 1
    assert [message for message in browser_errors if "400" not in message] == []


def test_without_javascript_the_edit_link_opens_the_editor_as_a_page(new_page, curator, article):
    page = new_page(viewport=PHONE, java_script_enabled=False)
    paragraph = article.paragraphs.get(text__startswith="Initially")
    sign_in(page, curator, article.get_absolute_url())
    page.locator(f"section#{paragraph.key}").get_by_role("link", name="Edit").click()
    page.wait_for_url(f"**/edit/{paragraph.key}/")
    page.fill("#curator-source", paragraph.source.replace("Initially", "At first"))
    page.get_by_role("button", name="Preview", exact=True).click()
    expect(page.locator(".curator-dry-run")).to_be_visible()
    page.screenshot(path=SCREENSHOTS / "curator-no-script-phone.png", full_page=True)
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url(f"**{article.get_absolute_url()}#{paragraph.key}")
    expect(page.locator(".messages")).to_contain_text("Saved: the article is now at revision 2.")
    expect(page.locator(f'.block-text[data-key="{paragraph.key}"]')).to_contain_text("At first when")
