"""Who sees which note in the browser, and how an anonymous reader is brought in to take notes."""

import pytest
from playwright.sync_api import expect

from annotations.models import Annotation
from tests.browser.reading import (
    TOOLBAR,
    fill_login_form,
    marked_text,
    marks,
    note_on,
    saving,
    select_phrase,
    sign_in,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def notes(alice, bob, article):
    """Alice's private and public notes on one paragraph, bob's public note on another."""
    return {
        "secret": note_on(alice, article, "mysteries", comment="alice's secret thought", tags=["hush"]),
        "shared": note_on(alice, article, "unpredictability", comment="alice shares this", visibility="public"),
        "bobs": note_on(bob, article, "surprising the international", comment="bob's point", visibility="public"),
    }


def check_sees(page, note, author):
    card = page.locator(f"#note-{note.pk}")
    expect(card).to_have_count(1)
    expect(card.locator(".note-author")).to_have_text(author)
    assert marked_text(page, note) == note.quote_exact


def check_does_not_see(page, note):
    expect(page.locator(f"#note-{note.pk}")).to_have_count(0)
    expect(marks(page, note)).to_have_count(0)
    assert note.comment not in page.content()


def paragraph_count(page, note):
    return page.locator(f"#{note.start_key} .note-count").text_content()


def test_bob_does_not_see_alices_private_note_and_alice_sees_bobs_public_one(new_page, alice, bob, article, notes):
    assert notes["secret"].visibility == "private"
    as_bob = new_page()
    sign_in(as_bob, bob)
    as_bob.goto(article.get_absolute_url())
    check_does_not_see(as_bob, notes["secret"])
    check_sees(as_bob, notes["shared"], "alice")
    check_sees(as_bob, notes["bobs"], "You")
    expect(as_bob.locator(".note-total")).to_have_text("2 notes")
    assert paragraph_count(as_bob, notes["secret"]) == "1"  # the paragraph also holds alice's public note
    assert as_bob.goto("/tags/hush/").status == 404

    as_alice = new_page()
    sign_in(as_alice, alice)
    as_alice.goto(article.get_absolute_url())
    check_sees(as_alice, notes["secret"], "You")
    expect(as_alice.locator(f"#note-{notes['secret'].pk} .badge-private")).to_be_visible()
    check_sees(as_alice, notes["bobs"], "bob")
    expect(as_alice.locator(f"#note-{notes['bobs'].pk} .note-actions")).to_have_count(0)
    expect(as_alice.locator(".note-total")).to_have_text("3 notes")
    assert paragraph_count(as_alice, notes["secret"]) == "2"
    as_alice.goto("/tags/hush/")
    expect(as_alice.locator(f"#note-{notes['secret'].pk}")).to_be_visible()


def test_an_anonymous_reader_sees_public_notes_only(page, article, notes):
    page.goto(article.get_absolute_url())
    check_does_not_see(page, notes["secret"])
    check_sees(page, notes["shared"], "alice")
    check_sees(page, notes["bobs"], "bob")
    expect(page.locator(".note-total")).to_have_text("2 notes")
    expect(page.locator(".note-actions")).to_have_count(0)
    page.goto("/tags/")
    expect(page.get_by_role("link", name="#hush")).to_have_count(0)
    assert page.goto("/tags/hush/").status == 404


def test_an_anonymous_reader_who_selects_text_is_invited_to_sign_in_and_comes_back_to_the_paragraph(
    page, alice, article
):
    paragraph = article.paragraphs.get(position=9)
    page.goto(article.get_absolute_url())

    select_phrase(page, paragraph.key, "Kim Jong-il")
    toolbar = page.locator(TOOLBAR)
    expect(toolbar.locator("[data-action=highlight], [data-action=note]")).to_have_count(0)
    invitation = toolbar.locator("[data-action=sign-in]")
    expect(invitation).to_contain_text("Sign in")
    page.keyboard.press("h")  # the shortcuts need an account
    invitation.click()
    page.wait_for_url("**/accounts/login/**")
    fill_login_form(page, alice)

    page.wait_for_url(f"**{article.get_absolute_url()}#{paragraph.key}")
    assert page.url.endswith(f"{article.get_absolute_url()}#{paragraph.key}")
    assert page.evaluate("document.querySelector(':target')?.id") == paragraph.key
    expect(page.locator(f"#{paragraph.key}")).to_be_in_viewport()
    assert Annotation.objects.count() == 0

    select_phrase(page, paragraph.key, "Kim Jong-il")
    with saving(page):
        page.click(f"{TOOLBAR} [data-action=highlight]")
    note = Annotation.objects.get()
    assert (note.author, note.start_key, note.quote_exact) == (alice, paragraph.key, "Kim Jong-il")
    page.reload()
    assert marked_text(page, note) == "Kim Jong-il"
