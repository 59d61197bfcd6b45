"""Discussion with JavaScript turned off: every action is a real form, posted by its own button,
and the page it leads back to shows what changed.

The conftest's seminar "Korea 2006": alice instructs it, bob takes part.
"""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from annotations.models import Annotation, Upvote
from annotations.writing import create_reply
from tests.browser.reading import note_on, sign_in

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).parent / "screenshots"
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 800}


@pytest.fixture
def page(new_page):
    """A browser page with JavaScript turned off: no htmx, no reader.js."""
    return new_page(java_script_enabled=False)


def open_thread(page, note):
    """The thread of `note`, unfolded the way a reader without scripts does it: a click on its summary."""
    thread = page.locator(f"#thread-{(note.thread or note).pk}")
    details = page.locator("details.notes-details", has=thread)
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    expect(thread).to_be_visible()
    return thread


def press(page, note, button):
    """Click a discussion button of a note's card; wait for the page it leads back to."""
    open_thread(page, note)
    card = page.locator(f"article#note-{note.pk}")
    with page.expect_navigation():
        card.get_by_role("button", name=button).click()
    expect(page.locator(".messages")).to_be_visible()
    expect(card).to_be_in_viewport()  # the page opens on the card, its notes unfolded
    return card


def test_readers_without_javascript_upvote_answer_and_moderate_with_the_real_buttons(
    page, new_page, browser_errors, alice, bob, article, seminar
):
    shared = {"visibility": "seminar", "seminar": seminar}
    alices_note = note_on(alice, article, "mysteries", comment="Why *mysteries*?", **shared)
    question = note_on(bob, article, "abrupt policy changes", comment="Which changes?", is_question=True, **shared)
    answer = create_reply(alice, question, comment="The swings between talks and tests.")

    # Bob, a reader, upvotes alice's note.
    sign_in(page, bob)
    page.goto(article.get_absolute_url())
    card = press(page, alices_note, "Upvote, 0 votes")
    expect(page.locator(".messages")).to_have_text("Upvoted.")
    open_thread(page, alices_note)
    expect(card.get_by_role("button", name="Upvote, 1 vote")).to_have_attribute("aria-pressed", "true")
    assert Upvote.objects.filter(annotation=alices_note, user=bob).exists()

    # Bob asked the question: he marks alice's reply as its answer.
    card = press(page, answer, "Mark as answer")
    expect(page.locator(".messages")).to_have_text("Marked as the answer.")
    open_thread(page, answer)
    expect(card.locator(".badge-answer")).to_have_text("Answer")
    expect(page.locator(f"article#note-{question.pk} .badge-question")).to_have_text("Answered question")
    expect(card.get_by_role("button", name="Not the answer")).to_be_visible()
    question.refresh_from_db()
    assert question.answer_id == answer.pk

    # Alice, the instructor, hides bob's question, then shows it again.
    as_alice = new_page(java_script_enabled=False)
    sign_in(as_alice, alice)
    as_alice.goto(article.get_absolute_url())
    card = press(as_alice, question, "Hide")
    expect(as_alice.locator(".messages")).to_have_text("Hidden.")
    open_thread(as_alice, question)
    expect(card.locator(".badge-hidden")).to_have_text("Hidden")
    assert Annotation.objects.get(pk=question.pk).hidden
    page.reload()  # bob, who asked, still sees his question, marked as hidden
    expect(page.locator(f"article#note-{question.pk} .badge-hidden")).to_have_text("Hidden")
    card = press(as_alice, question, "Unhide")
    expect(as_alice.locator(".messages")).to_have_text("Shown again.")
    open_thread(as_alice, question)
    expect(card.locator(".badge-hidden")).to_have_count(0)
    expect(card.get_by_role("button", name="Hide", exact=True)).to_be_visible()
    assert not Annotation.objects.get(pk=question.pk).hidden

    page.reload()
    expect(page.locator(f"article#note-{question.pk}")).to_have_count(1)
    expect(page.locator(f"article#note-{question.pk} .badge-hidden")).to_have_count(0)
    for who, viewer in [("reader", page), ("instructor", as_alice)]:
        for size, viewport in [("phone", PHONE), ("laptop", LAPTOP)]:
            viewer.set_viewport_size(viewport)
            notes = viewer.locator("details.notes-details", has=open_thread(viewer, question))
            notes.screenshot(path=SCREENSHOTS / f"discussion-without-javascript-{who}-{size}.png")
    assert browser_errors == []
