"""Daily review in a real browser: three cards, each revealed and answered, then nothing left for today."""

import datetime
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from annotations.models import Annotation
from review.models import Card
from tests.browser.reading import note_on, sign_in

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).parent / "screenshots"
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def three_notes(alice, article):
    notes = [
        note_on(alice, article, "unpredictability"),
        note_on(alice, article, "surprising the international community"),
        note_on(alice, article, "fundamental limitation", comment="The *real* problem."),
    ]
    Annotation.objects.filter(author=alice).update(created=timezone.now() - datetime.timedelta(days=3))
    return notes


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 900}, PHONE], ids=["1280", "390"])
def test_reviewing_three_cards(new_page, alice, three_notes, viewport):
    page = new_page(viewport=viewport)
    sign_in(page, alice)
    expect(page.locator(".site-nav").get_by_role("link", name="Review")).to_contain_text("3")
    page.locator(".site-nav").get_by_role("link", name="Review").click()
    page.wait_for_url("**/review/")
    for left in (3, 2, 1):
        expect(page.locator(".review-progress")).to_contain_text(f"{left} card{'s' if left > 1 else ''} left today")
        card = page.locator(".review-card")
        expect(card.locator(".review-answer")).to_be_hidden()
        card.get_by_text("Reveal").click()
        expect(card.locator(".review-answer mark")).to_be_visible()
        if left == 3:
            page.screenshot(path=SCREENSHOTS / f"review-{viewport['width']}.png", full_page=True)
        card.get_by_role("button", name="Good 2 days").click()
        expect(page.get_by_role("status")).to_contain_text("It comes back in 2 days.")
    expect(page.locator(".empty")).to_contain_text("Nothing left to review today: you went through 3 cards")
    assert Card.objects.filter(half_life=2).count() == 3
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]


def test_a_note_left_out_comes_back_when_put_back(page, alice, three_notes):
    sign_in(page, alice, next_url="/review/")
    page.get_by_role("button", name="Leave this note out of review").click()
    expect(page.locator(".review-progress")).to_contain_text("2 cards left today")
    page.locator(".review-left-out").get_by_role("button", name="Put back").click()
    expect(page.locator(".review-progress")).to_contain_text("3 cards left today")
