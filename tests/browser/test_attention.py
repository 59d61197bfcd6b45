"""After a curator's edit, the author finds their notes: one moved and marked, one to check, one to re-attach.

Screenshots of the "Needs your attention" section and of the re-attach mode, at a phone's
and a laptop's width, go to tests/browser/screenshots/.
"""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from annotations.models import Annotation
from reader.rendering import render_block
from reader.revising import Entry, revise
from tests.annotations.factories import import_markdown
from tests.browser.reading import TOOLBAR, marked_text, marks, note_on, select_phrase, sign_in

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).parent / "screenshots"
SIZES = {"phone": {"width": 390, "height": 844}, "laptop": {"width": 1280, "height": 900}}

BUDGET = "The committee approved the budget for the coming year after a long debate about the harbour."
CRITICS = "Critics said the plan relied on optimistic forecasts of tourism and shipping revenue."
WEATHER = "A final paragraph about the weather, which nobody will edit at all."
MAYOR = "The mayor thanked the volunteers who cleaned the river banks every spring."


@pytest.fixture
def town(db, write_markdown, alice, curator):
    """Alice's three notes on "Town", after the curator's edit: one moved, one suggested, one orphaned."""
    article = import_markdown(write_markdown, "Title: Town\n\n" + "\n\n".join([BUDGET, CRITICS, WEATHER, MAYOR]))
    notes = {
        "moved": note_on(alice, article, "approved the budget for the coming year", comment="Was this unanimous?"),
        "suggested": note_on(alice, article, "optimistic forecasts of tourism", comment="Which forecasts, exactly?"),
        "orphaned": note_on(alice, article, "thanked the volunteers", comment="A **kind** gesture."),
    }
    keys = list(article.paragraphs.values_list("key", flat=True))
    edited = [
        BUDGET.replace("approved the budget", "approved the new budget"),
        CRITICS.replace("optimistic forecasts of tourism", "optimistic forecast of tourists"),
        WEATHER,
    ]
    entries = [Entry(key, render_block(text)) for key, text in zip(keys[:3], edited, strict=True)]
    revise(article, entries, author=curator, message="Copy-editing")
    statuses = {name: Annotation.objects.get(pk=note.pk).anchor_status for name, note in notes.items()}
    assert statuses == {"moved": "anchored", "suggested": "suggested", "orphaned": "orphaned"}
    return article, notes


def item(page, note):
    return page.locator(f"#attention-{note.pk}")


def posting(page):
    return page.expect_response(lambda response: response.request.method == "POST" and "/notes/" in response.url)


def test_the_author_sees_the_moved_note_accepts_a_suggestion_and_reattaches_an_orphan(
    page, browser_errors, alice, town
):
    article, notes = town
    sign_in(page, alice)
    page.goto(article.get_absolute_url())

    assert marked_text(page, notes["moved"]) == "approved the new budget for the coming year"
    expect(page.locator(".attention-item")).to_have_count(2)
    expect(marks(page, notes["suggested"])).to_have_count(0)

    with posting(page) as response:
        item(page, notes["suggested"]).get_by_role("button", name="Put it here").click()
    assert response.value.ok, response.value.text()
    expect(marks(page, notes["suggested"]).first).to_be_attached()
    assert marked_text(page, notes["suggested"]) == "optimistic forecast of tourists"
    expect(page.locator(".attention-item")).to_have_count(1)

    item(page, notes["orphaned"]).get_by_role("link", name="Select new words").click()
    banner = page.locator(".reattach-banner")
    expect(banner).to_contain_text("Select the words this note is about")
    weather = article.paragraphs.get(text=WEATHER).key
    select_phrase(page, weather, "the weather")
    expect(page.locator(f"{TOOLBAR} [data-action=highlight]")).to_be_hidden()
    with posting(page) as response:
        page.locator(f"{TOOLBAR} [data-action=attach]").click()
    assert response.value.ok, response.value.text()
    expect(marks(page, notes["orphaned"]).first).to_be_attached()
    assert marked_text(page, notes["orphaned"]) == "the weather"
    expect(banner).to_have_count(0)
    expect(page.locator("#attention")).to_have_count(0)

    page.reload()
    assert marked_text(page, notes["orphaned"]) == "the weather"
    assert marked_text(page, notes["suggested"]) == "optimistic forecast of tourists"
    assert browser_errors == []


def test_escape_leaves_the_reattach_mode_and_the_toolbar_offers_highlight_again(page, alice, town):
    article, notes = town
    sign_in(page, alice)
    page.goto(article.get_absolute_url())
    item(page, notes["orphaned"]).get_by_role("link", name="Select new words").click()
    expect(page.locator(".reattach-banner")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.locator(".reattach-banner")).to_have_count(0)
    select_phrase(page, article.paragraphs.get(text=WEATHER).key, "the weather")
    expect(page.locator(f"{TOOLBAR} [data-action=highlight]")).to_be_visible()
    expect(page.locator(f"{TOOLBAR} [data-action=attach]")).to_have_count(0)


def test_a_selection_the_server_refuses_shows_its_message_and_keeps_the_mode(page, alice, town):
    article, notes = town
    sign_in(page, alice)
    page.goto(article.get_absolute_url())
    item(page, notes["orphaned"]).get_by_role("link", name="Select new words").click()
    paragraph = article.paragraphs.get(text=WEATHER)
    select_phrase(page, paragraph.key, "the weather")
    article.paragraphs.filter(pk=paragraph.pk).update(text=WEATHER.upper())  # edited meanwhile
    with posting(page) as response:
        page.keyboard.press("a")
    assert response.value.status == 400
    expect(page.locator("#toast")).to_contain_text("does not match the text at that position")
    expect(page.locator(".reattach-banner")).to_be_visible()
    assert Annotation.objects.get(pk=notes["orphaned"].pk).anchor_status == "orphaned"


@pytest.mark.parametrize("size", SIZES)
def test_screenshots_of_the_attention_section_and_the_reattach_mode(new_page, alice, town, size):
    article, notes = town
    page = new_page(viewport=SIZES[size])
    sign_in(page, alice)
    page.goto(article.get_absolute_url() + "#attention")
    SCREENSHOTS.mkdir(exist_ok=True)
    section = page.locator("#attention")
    expect(section).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    section.screenshot(path=SCREENSHOTS / f"attention-section-{size}.png")
    item(page, notes["orphaned"]).get_by_role("link", name="Select new words").click()
    select_phrase(page, article.paragraphs.get(text=WEATHER).key, "the weather")
    page.wait_for_timeout(800)  # the smooth scroll to the text settles before the picture
    page.screenshot(path=SCREENSHOTS / f"attention-reattach-{size}.png")
    page.goto("/notes/attention/")
    page.screenshot(path=SCREENSHOTS / f"attention-list-{size}.png", full_page=True)
    page.goto("/inbox/")
    page.screenshot(path=SCREENSHOTS / f"attention-inbox-{size}.png", full_page=True)


@pytest.mark.parametrize("size", SIZES)
def test_staff_see_how_many_notes_need_their_authors_and_nothing_of_them(new_page, curator, town, size):
    article, _ = town
    page = new_page(viewport=SIZES[size])
    sign_in(page, curator)
    page.goto(article.get_absolute_url())
    counts = page.locator(".attention-counts")
    expect(counts).to_have_text("2 notes on this page need their authors' attention (1 suggested, 1 orphaned).")
    expect(page.locator("#attention")).to_have_count(0)
    expect(page.get_by_text("Which forecasts, exactly?")).to_have_count(0)
    SCREENSHOTS.mkdir(exist_ok=True)
    page.locator(".article-body").screenshot(path=SCREENSHOTS / f"attention-staff-{size}.png")
