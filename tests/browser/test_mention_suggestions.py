"""@mention suggestions in a real browser: a seminar note's reply suggests its members as one types."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.reading import note_on, sign_in, watch_errors
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).parent / "screenshots"
LAPTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["390", "1280"])
def test_a_reply_suggests_the_seminars_members_and_the_keyboard_chooses(
    new_page, viewport, alice, bob, article, seminar, django_user_model
):
    django_user_model.objects.create_user("bertha", password=PASSWORD)  # a "b", but not in the seminar
    note = note_on(alice, article, "mysteries", comment="What mysteries?", visibility="seminar", seminar=seminar)
    page = new_page(viewport=viewport)
    errors = watch_errors(page)
    sign_in(page, alice)
    page.goto(f"{article.get_absolute_url()}#note-{note.pk}")
    page.locator(f"#note-{note.pk}").get_by_role("link", name="Reply").click()
    reply = page.locator(f"#reply-{note.pk}")
    expect(reply).to_be_visible()

    reply.press_sequentially("Ask @b", delay=30)
    listbox = page.get_by_role("listbox", name="People to mention")
    expect(listbox).to_be_visible()
    expect(listbox.get_by_role("option")).to_have_text(["@bob"])  # bertha cannot read the note
    option = listbox.get_by_role("option", name="@bob")
    expect(option).to_have_attribute("aria-selected", "true")
    expect(reply).to_have_attribute("aria-activedescendant", option.get_attribute("id"))
    expect(reply).to_have_attribute("aria-controls", listbox.get_attribute("id"))
    box, under = reply.bounding_box(), listbox.bounding_box()
    assert under["y"] >= box["y"] + box["height"] - 1  # under the box
    page.screenshot(path=SCREENSHOTS / f"mention-suggestions-{viewport['width']}.png")

    page.keyboard.press("ArrowDown")  # one option: it wraps to itself
    page.keyboard.press("Enter")
    expect(listbox).to_have_count(0)
    expect(reply).to_have_value("Ask @bob ")
    expect(reply).not_to_have_attribute("aria-activedescendant", "")
    expect(reply).to_be_focused()

    reply.press_sequentially("and @b", delay=30)
    expect(listbox).to_be_visible()
    page.keyboard.press("Escape")  # closes the list, keeps the text
    expect(listbox).to_have_count(0)
    expect(reply).to_have_value("Ask @bob and @b")
    reply.press_sequentially("o", delay=30)
    expect(listbox).to_be_visible()
    page.keyboard.press("Tab")
    expect(reply).to_have_value("Ask @bob and @bob ")
    assert errors == []
