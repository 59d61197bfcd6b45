"""The reply page on its own (a link from an email or a bookmark) posts its reply with scripts on."""

import pytest
from playwright.sync_api import expect

from annotations.models import Annotation
from tests.browser.reading import note_on, sign_in

pytestmark = pytest.mark.browser


def test_the_reply_page_posts_the_reply_and_leads_back_to_the_note(page, browser_errors, alice, bob, article):
    note = note_on(alice, article, "mysteries", comment="Why *mysteries*?", visibility="public")
    sign_in(page, bob)
    page.goto(f"/notes/{note.pk}/reply/")
    page.fill("textarea[name=comment]", "Because nobody explains the launches.")
    with page.expect_navigation():
        page.get_by_role("button", name="Post reply").click()
    expect(page.locator(".messages")).to_contain_text("Your reply is posted.")
    assert Annotation.objects.get(parent=note).comment == "Because nobody explains the launches."
