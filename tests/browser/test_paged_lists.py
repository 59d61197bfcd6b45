"""Paged lists in the browser: the page links sit under the list at phone and laptop widths, and lead on.

Screenshots of each list's last rows and its page links go to tests/browser/screenshots/.
"""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from annotations.models import Notification
from annotations.views import browsing
from tests.annotations.factories import many_notes
from tests.browser.reading import sign_in

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).parent / "screenshots"
SIZES = {"phone": {"width": 390, "height": 844}, "laptop": {"width": 1280, "height": 800}}


@pytest.fixture
def long_lists(alice, bob, article):
    """Alice's 100 notes tagged "peace" (a third of them private) and a notification for each of bob's replies."""
    notes = many_notes(article, [alice], 100, tags=["peace"])
    public = [note for note in notes if note.visibility == "public"]
    mentions = [note for note in many_notes(article, [bob], 100, tags=["reply"], seed=1) if note.visibility == "public"]
    Notification.objects.bulk_create(
        Notification(recipient=alice, actor=bob, kind="mention", annotation=note) for note in mentions
    )
    return public


def shoot(page, name, size):
    """The bottom of the list and its page links, in view, as a reader scrolled down sees them."""
    page.locator("nav.pagination").scroll_into_view_if_needed()
    page.screenshot(path=SCREENSHOTS / f"paged-{name}-{size}.png")


@pytest.mark.parametrize("size", list(SIZES))
def test_a_reader_pages_through_a_tag_with_the_links_under_the_list(new_page, browser_errors, alice, long_lists, size):
    page = new_page(viewport=SIZES[size])
    sign_in(page, alice)
    page.goto("/tags/peace/")
    where = page.locator("nav.pagination .pagination-where")
    expect(where).to_have_text("Page 1 of 4")
    expect(page.locator("article.note")).to_have_count(browsing.NOTES_PER_PAGE)
    links = page.locator("nav.pagination")
    box, width = links.bounding_box(), SIZES[size]["width"]
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= width  # no sideways scrolling on a phone
    shoot(page, "tag", size)

    links.get_by_role("link", name="Next →").click()
    page.wait_for_url("**/tags/peace/?page=2")
    expect(where).to_have_text("Page 2 of 4")
    links.get_by_role("link", name="← Previous").click()
    page.wait_for_url("**/tags/peace/?page=1")
    expect(where).to_have_text("Page 1 of 4")
    assert browser_errors == []


@pytest.mark.parametrize("size", list(SIZES))
def test_the_inbox_pages_too(new_page, alice, long_lists, size):
    page = new_page(viewport=SIZES[size])
    sign_in(page, alice)
    page.goto("/inbox/?page=last")
    expect(page.locator("nav.pagination .pagination-where")).to_have_text("Page 2 of 2")
    expect(page.locator(".pagination-edge")).to_have_text("Next →")
    shoot(page, "inbox", size)
