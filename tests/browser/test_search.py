"""Search in a real browser: from the header's box to a result, and on to its passage in the text."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.reading import note_on, sign_in

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).parent / "screenshots"
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def noted(alice, article):
    return note_on(alice, article, "unpredictability", comment="Why is nothing ever certain?", tags=["mystery"])


def test_a_search_from_the_header_opens_a_passage_at_its_place(page, alice, article, noted):
    sign_in(page, alice)
    page.goto("/")
    box = page.get_by_role("search", name="Quick search").get_by_role("searchbox")
    box.fill("unpredictability")
    box.press("Enter")
    page.wait_for_url("**/search/?q=unpredictability")
    expect(page.locator(".search-note mark").first).to_have_text("unpredictability")
    page.screenshot(path=SCREENSHOTS / "search-1280.png", full_page=True)
    paragraph = article.paragraphs.get(text__contains="unpredictability")
    page.locator(".search-passage .search-text a").first.click()
    page.wait_for_url(f"**{article.get_absolute_url()}#{paragraph.key}")
    assert page.evaluate("document.querySelector(':target')?.id") == paragraph.key


def test_a_note_found_opens_at_its_note(page, alice, article, noted):
    sign_in(page, alice)
    page.goto("/search/?q=tag%3Amystery")
    expect(page.locator(".search-note")).to_have_count(1)
    page.locator(".search-note .note-quote a").click()
    page.wait_for_url(f"**{article.get_absolute_url()}#{noted.start_key}")


def test_on_a_phone_the_header_links_to_the_search_page(new_page, alice, article, noted):
    page = new_page(viewport=PHONE)
    sign_in(page, alice)
    page.goto("/")
    expect(page.get_by_role("search", name="Quick search")).to_be_hidden()
    page.locator(".site-nav").get_by_role("link", name="Search", exact=True).click()
    page.wait_for_url("**/search/")
    page.locator("#search-q").fill('"kind of mysteries"')
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.locator(".search-passage mark").first).to_have_text("kind")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=SCREENSHOTS / "search-390.png", full_page=True)


def test_a_query_that_cannot_run_says_why_in_place(page, alice, article):
    sign_in(page, alice)
    page.goto("/search/?q=tag%3Anowhere")
    expect(page.get_by_role("alert")).to_contain_text("No note you can see is tagged “nowhere”")
    expect(page.locator("#search-q")).to_have_value("tag:nowhere")
