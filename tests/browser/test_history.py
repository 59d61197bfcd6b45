"""A curator goes through an article's history in the browser: the revisions, a comparison, an old text, a revert.

Screenshots at phone and laptop widths go to tests/browser/screenshots/ (git-ignored).
"""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from annotations.models import Annotation
from reader.rendering import render_block
from reader.revising import Entry, revise
from tests.browser.reading import note_on, sign_in

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).parent / "screenshots"
SIZES = {"phone": {"width": 390, "height": 844}, "laptop": {"width": 1280, "height": 800}}


def edit(article, author, message, **replacements):
    """A new revision with each `old=new` replacement made in the paragraphs holding `old`."""
    entries = []
    for paragraph in article.paragraphs.order_by("position"):
        source = paragraph.source
        for old, new in replacements.items():
            source = source.replace(old, new)
        entries.append(Entry(paragraph.key, render_block(source)))
    revise(article, entries, author=author, message=message)


@pytest.fixture
def revised(article, curator):
    """The seed article in three revisions: a word corrected, then a sentence added and one rewritten."""
    edit(article, curator, "A better word", **{"frequent abrupt": "frequent sudden"})
    edit(
        article,
        curator,
        "Clearer opening; a <em>new</em> sentence",
        **{
            "In this, the same goes the story.": "In this, the same goes the story. Nobody saw it coming.",
            "If then, what was": "If so, then what was",
        },
    )
    article.refresh_from_db()
    return article


def no_sideways_scrolling(page):
    assert page.evaluate("() => document.documentElement.scrollWidth <= innerWidth + 1")


@pytest.mark.parametrize("size", list(SIZES))
def test_a_curator_reads_the_history_compares_and_opens_an_old_text(
    new_page, browser_errors, curator, alice, revised, size
):
    note = note_on(alice, revised, "Military-First policy", comment="On the current text", visibility="public")
    page = new_page(viewport=SIZES[size])
    sign_in(page, curator)
    page.goto(revised.get_absolute_url())
    page.screenshot(path=SCREENSHOTS / f"history-reading-page-{size}.png")
    page.locator(".article-header").get_by_role("link", name="History").click()
    page.wait_for_url(f"**/articles/{revised.slug}/history/")
    expect(page.locator("li.revision")).to_have_count(3)
    expect(page.locator("#revision-1 .revision-author")).to_have_text("import")
    no_sideways_scrolling(page)
    page.screenshot(path=SCREENSHOTS / f"history-list-{size}.png", full_page=True)

    page.locator("#revision-3").get_by_role("link", name="Compare with revision 2").click()
    page.wait_for_url("**/history/compare/?from=2&to=3")
    expect(page.locator("section.diff-row")).to_have_count(2)
    expect(page.locator("section.diff-row ins").first).to_be_visible()
    no_sideways_scrolling(page)
    page.screenshot(path=SCREENSHOTS / f"history-compare-{size}.png", full_page=True)

    page.get_by_role("link", name="Read revision 2").click()
    page.wait_for_url("**/?revision=2")
    banner = page.locator(".revision-banner")
    expect(banner).to_contain_text("You are reading revision 2 of")
    expect(page.locator("mark")).to_have_count(0)
    expect(page.locator(f"#note-{note.pk}")).to_have_count(0)
    no_sideways_scrolling(page)
    page.screenshot(path=SCREENSHOTS / f"history-old-text-{size}.png")

    banner.get_by_role("link", name="read the current text").click()
    page.wait_for_url(f"**/articles/{revised.slug}/")
    expect(page.locator(f'mark[data-annotations~="{note.pk}"]').first).to_be_visible()
    assert browser_errors == []


def test_a_curator_confirms_a_revert_and_the_orphaned_note_is_placed_again(
    new_page, browser_errors, curator, alice, article
):
    note = note_on(alice, article, "Military-First policy")
    edit(article, curator, "Rewritten", **{"its Military-First policy": "its army-first line"})
    assert Annotation.objects.get(pk=note.pk).anchor_status == Annotation.AnchorStatus.ORPHANED
    page = new_page(viewport=SIZES["laptop"])
    sign_in(page, curator)
    page.goto(f"/articles/{article.slug}/history/")
    old = page.locator("#revision-1")
    button = old.get_by_role("button", name="Revert to revision 1")
    expect(button).to_be_hidden()  # the confirmation step comes first
    old.get_by_text("Revert to this revision…").click()
    expect(button).to_be_visible()
    page.screenshot(path=SCREENSHOTS / "history-revert-confirm-laptop.png")
    button.click()
    expect(page.locator(".messages")).to_contain_text("Reverted to revision 1: the text is now revision 3.")
    expect(page.locator("li.revision")).to_have_count(3)
    assert Annotation.objects.get(pk=note.pk).anchor_status == Annotation.AnchorStatus.ANCHORED
    assert browser_errors == []
