"""Seminars in the browser: join by the shared link, reply, ask and answer, upvote, and keep outsiders out."""

import re

import pytest
from playwright.sync_api import expect

from annotations.models import Annotation, Upvote
from seminars.models import Membership, Seminar
from tests.browser.reading import (
    TOOLBAR,
    fill_login_form,
    marked_text,
    marks,
    note_on,
    saving,
    select_phrase,
    sign_in,
    watch_errors,
)

pytestmark = pytest.mark.browser

SEMINAR = "Korea reading group"
QUESTION_PHRASE = "unpredictability and frequent abrupt policy changes"


@pytest.fixture
def seminar(make_seminar, alice, bob, article):
    """Alice instructs the seminar, bob takes part; the seed article is on its reading list."""
    return make_seminar(SEMINAR, "korea", instructors=[alice], participants=[bob], articles=[article])


@pytest.fixture
def alices_note(alice, article, seminar):
    return note_on(alice, article, "mysteries", comment="Why *mysteries*?", visibility="seminar", seminar=seminar)


def open_from_reading_list(page, seminar, article):
    """Go to the seminar's page and follow the article's link on its reading list."""
    page.goto(seminar.get_absolute_url())
    page.locator(".reading-list").get_by_role("link", name=article.title).click()
    page.wait_for_url(f"**{article.get_absolute_url()}?seminar={seminar.slug}")
    expect(page.locator(".seminar-context")).to_have_text(f"Reading with {seminar.name}")


def posting(page, path):
    """Wait for the POST to a discussion URL (…/reply/, …/upvote/ and so on) the next action sends."""
    return page.expect_response(lambda response: response.request.method == "POST" and path in response.url)


def reply_to(page, note, text):
    """Open the reply form under a note, type a reply and post it; return the new reply."""
    card = page.locator(f"article#note-{note.pk}")
    card.locator(".note-discussion").get_by_role("link", name="Reply").click()
    box = page.locator(f"#reply-slot-{note.pk} textarea[name=comment]")
    expect(box).to_be_visible()
    expect(box).to_be_focused()
    box.press_sequentially(text)
    with posting(page, f"/notes/{note.pk}/reply/") as response:
        page.locator(f"#reply-slot-{note.pk}").get_by_role("button", name="Post reply").click()
    assert response.value.status == 200
    return Annotation.objects.filter(parent=note).latest("created")


def test_a_reader_joins_a_seminar_through_the_link_its_instructor_shares(
    page, new_page, browser_errors, live_server, alice, bob, article
):
    sign_in(page, alice)
    page.goto("/seminars/")
    page.get_by_role("link", name="New seminar").click()
    page.wait_for_url("**/seminars/new/")
    page.get_by_label("Name", exact=True).fill(SEMINAR)
    page.get_by_label("Description").fill("We read about the 2006 missile crisis.")
    page.get_by_role("button", name="Create seminar").click()
    page.wait_for_url("**/seminars/korea-reading-group/")
    expect(page.locator("h1")).to_have_text(SEMINAR)
    expect(page.locator(".messages")).to_contain_text("Your seminar is ready")
    expect(page.locator(".members li")).to_have_count(1)
    expect(page.locator("#member-alice .badge")).to_have_text("Instructor")

    page.select_option("#add-article", label=article.title)
    page.get_by_role("button", name="Add", exact=True).click()
    reading_list = page.locator(".reading-list")
    expect(reading_list.get_by_role("link", name=article.title)).to_have_attribute(
        "href", f"{article.get_absolute_url()}?seminar=korea-reading-group"
    )

    join_link = page.get_by_role("textbox", name="Join link").input_value()
    seminar = Seminar.objects.get(slug="korea-reading-group")
    assert join_link == f"{live_server.url}/seminars/join/{seminar.join_code}/"

    # Bob, in a browser of his own, follows the link before he has signed in.
    as_bob = new_page()
    bob_errors = watch_errors(as_bob)
    as_bob.goto(join_link)
    as_bob.wait_for_url(re.compile(r"/accounts/login/\?next="))
    fill_login_form(as_bob, bob)
    as_bob.wait_for_url(f"**/seminars/join/{seminar.join_code}/")
    expect(as_bob.locator("h1")).to_have_text(f"Join “{SEMINAR}”?")
    expect(as_bob.locator("main")).to_contain_text("We read about the 2006 missile crisis.")
    assert not Membership.objects.filter(seminar=seminar, user=bob).exists()  # looking is not joining
    as_bob.get_by_role("button", name="Join the seminar").click()

    as_bob.wait_for_url("**/seminars/korea-reading-group/")
    expect(as_bob.locator(".messages")).to_contain_text(f"Welcome to {SEMINAR}.")
    expect(as_bob.locator("#member-bob")).to_be_visible()
    expect(as_bob.locator("#member-bob .badge")).to_have_count(0)  # a participant, not an instructor
    expect(as_bob.locator("#member-alice .badge")).to_have_text("Instructor")
    expect(as_bob.get_by_role("textbox", name="Join link")).to_have_count(0)  # only instructors are shown the link
    expect(as_bob.locator(".reading-list").get_by_role("link", name=article.title)).to_be_visible()
    as_bob.reload()
    expect(as_bob.locator("#member-bob")).to_be_visible()
    assert Membership.objects.get(seminar=seminar, user=bob).role == Membership.Role.PARTICIPANT

    as_bob.get_by_role("navigation", name="Site").get_by_role("link", name="Seminars").click()
    as_bob.wait_for_url("**/seminars/")
    card = as_bob.locator(".article-card", has_text=SEMINAR)
    expect(card.get_by_role("link", name=SEMINAR)).to_have_attribute("href", "/seminars/korea-reading-group/")
    expect(card.locator(".badge")).to_have_count(0)

    # The link again: bob is already in, and is taken to the seminar without a second membership.
    as_bob.goto(join_link)
    as_bob.wait_for_url("**/seminars/korea-reading-group/")
    expect(as_bob.locator(".messages")).to_contain_text(f"You are already a member of {SEMINAR}.")
    assert Membership.objects.filter(seminar=seminar, user=bob).count() == 1

    page.reload()
    expect(page.locator(".members li")).to_have_count(2)
    expect(page.locator("#member-bob")).to_be_visible()
    assert browser_errors == []
    assert bob_errors == []


def test_a_reply_appears_under_the_note_at_once_and_reaches_the_authors_inbox(
    page, new_page, browser_errors, alice, bob, article, seminar, alices_note
):
    sign_in(page, bob)
    open_from_reading_list(page, seminar, article)
    thread = page.locator(f"#thread-{alices_note.pk}")
    expect(thread.locator(f"article#note-{alices_note.pk} .note-author")).to_have_text("alice")
    expect(thread.locator(f"article#note-{alices_note.pk} .badge-seminar")).to_have_text(SEMINAR)
    page.evaluate("window.beforeTheReply = 'still here'")
    url = page.url

    reply = reply_to(page, alices_note, "Because the regime is *opaque*.")

    replies = thread.locator(".replies .note-reply")
    expect(replies).to_have_count(1)
    expect(replies.locator(".note-author")).to_have_text("You")
    expect(replies.locator(".note-comment em")).to_have_text("opaque")
    expect(page.locator(f"#reply-slot-{alices_note.pk} form")).to_have_count(0)  # the form is gone
    assert page.evaluate("window.beforeTheReply") == "still here"  # no full reload
    assert page.url == url
    assert (reply.author, reply.comment, reply.visibility, reply.seminar) == (
        bob,
        "Because the regime is *opaque*.",
        "seminar",
        seminar,
    )
    page.reload()
    expect(thread.locator(f"article#note-{reply.pk} .note-comment em")).to_have_text("opaque")
    expect(thread.locator(".replies .note-reply")).to_have_count(1)

    as_alice = new_page()
    alice_errors = watch_errors(as_alice)
    sign_in(as_alice, alice)
    inbox_link = as_alice.get_by_role("navigation", name="Site").get_by_role("link", name=re.compile("^Inbox"))
    expect(inbox_link.locator(".nav-count")).to_have_text("1")
    expect(inbox_link.locator(".nav-count")).to_have_attribute("aria-label", "1 unread")
    inbox_link.click()
    as_alice.wait_for_url("**/inbox/")
    item = as_alice.locator(".inbox-item")
    expect(item).to_have_count(1)
    expect(item).to_contain_class("unread")
    expect(item.get_by_role("link")).to_have_text("bob replied to your note")
    expect(item.locator(".inbox-excerpt")).to_have_text("Because the regime is *opaque*.")
    item.get_by_role("link").click()
    as_alice.wait_for_url(f"**{article.get_absolute_url()}#note-{reply.pk}")
    expect(as_alice.locator(f"article#note-{reply.pk} .note-comment em")).to_have_text("opaque")
    assert browser_errors == []
    assert alice_errors == []


def test_a_question_shared_with_the_seminar_gets_an_answer_its_asker_marks(
    page, new_page, browser_errors, alice, bob, article, seminar
):
    paragraph = article.paragraphs.get(text__contains=QUESTION_PHRASE)
    sign_in(page, bob)
    open_from_reading_list(page, seminar, article)

    select_phrase(page, paragraph.key, QUESTION_PHRASE)
    page.click(f"{TOOLBAR} [data-action=note]")
    dialog = page.locator("#note-dialog")
    expect(dialog).to_be_visible()
    visibility = dialog.get_by_label("Who can see it")
    expect(visibility).to_have_value("seminar:korea")  # reading with the seminar: shared with it by default
    expect(visibility.locator("option:checked")).to_have_text(f"{SEMINAR} (seminar)")
    page.keyboard.type("Which policy changes does the author mean?")
    question_box = dialog.get_by_label("This is a question")
    question_box.check()
    with saving(page):
        dialog.get_by_role("button", name="Save note").click()
    expect(dialog).to_be_hidden()

    question = Annotation.objects.get()
    assert (question.author, question.is_question, question.visibility, question.seminar) == (
        bob,
        True,
        "seminar",
        seminar,
    )
    assert question.quote_exact == QUESTION_PHRASE
    card = page.locator(f"article#note-{question.pk}")
    expect(card.locator(".badge-question")).to_have_text("Question")
    expect(card.locator(".badge-seminar")).to_have_text(SEMINAR)
    assert marked_text(page, question) == QUESTION_PHRASE

    as_alice = new_page()
    alice_errors = watch_errors(as_alice)
    sign_in(as_alice, alice)
    open_from_reading_list(as_alice, seminar, article)
    expect(as_alice.locator(f"article#note-{question.pk} .badge-question")).to_have_text("Question")
    answer = reply_to(as_alice, question, "The swings between talks and tests.")
    expect(as_alice.locator(f"article#note-{answer.pk} .note-comment")).to_have_text(
        "The swings between talks and tests."
    )

    page.reload()
    reply_card = page.locator(f"article#note-{answer.pk}")
    expect(reply_card.locator(".note-author")).to_have_text("alice")
    expect(reply_card.locator(".badge-answer")).to_have_count(0)
    with posting(page, f"/notes/{answer.pk}/mark-answer/") as response:
        reply_card.get_by_role("button", name="Mark as answer").click()
    assert response.value.status == 200

    def check_answered():
        expect(reply_card.locator(".badge-answer")).to_have_text("Answer")
        expect(reply_card).to_contain_class("note-answer")
        expect(card.locator(".badge-question")).to_have_text("Answered question")
        expect(reply_card.get_by_role("button", name="Not the answer")).to_be_visible()

    check_answered()
    question.refresh_from_db()
    assert question.answer_id == answer.pk
    page.reload()
    check_answered()

    as_alice.reload()
    expect(as_alice.locator(f"article#note-{answer.pk} .badge-answer")).to_have_text("Answer")
    expect(as_alice.locator(f"article#note-{question.pk} .badge-question")).to_have_text("Answered question")
    assert browser_errors == []
    assert alice_errors == []


def test_a_reader_upvotes_a_note_once_and_can_withdraw_the_upvote(
    page, new_page, browser_errors, alice, bob, article, seminar, alices_note
):
    sign_in(page, bob)
    open_from_reading_list(page, seminar, article)
    card = page.locator(f"article#note-{alices_note.pk}")
    button = card.get_by_role("button", name=re.compile("^Upvote"))
    expect(button).to_have_accessible_name("Upvote, 0 votes")
    expect(button).to_have_attribute("aria-pressed", "false")
    expect(button).to_have_attribute("title", "Upvote")

    with posting(page, f"/notes/{alices_note.pk}/upvote/") as response:
        button.click()
    assert response.value.status == 200
    expect(button).to_have_accessible_name("Upvote, 1 vote")
    expect(button).to_have_attribute("aria-pressed", "true")
    expect(button).to_have_attribute("title", "Withdraw your upvote")
    assert Upvote.objects.filter(annotation=alices_note).count() == 1

    page.reload()
    expect(button).to_have_accessible_name("Upvote, 1 vote")
    expect(button).to_have_attribute("aria-pressed", "true")

    # Alice sees the count on her own note, with nothing to press.
    as_alice = new_page()
    alice_errors = watch_errors(as_alice)
    sign_in(as_alice, alice)
    open_from_reading_list(as_alice, seminar, article)
    own = as_alice.locator(f"article#note-{alices_note.pk}")
    expect(own.locator(".upvotes")).to_have_text("▲ 1 upvote")
    expect(own.get_by_role("button", name=re.compile("^Upvote"))).to_have_count(0)

    # Pressed again, the button takes the upvote back: once is all a reader gets.
    with posting(page, f"/notes/{alices_note.pk}/unvote/"):
        button.click()
    expect(button).to_have_accessible_name("Upvote, 0 votes")
    expect(button).to_have_attribute("aria-pressed", "false")
    assert Upvote.objects.filter(annotation=alices_note).count() == 0
    page.reload()
    expect(button).to_have_accessible_name("Upvote, 0 votes")
    expect(button).to_have_attribute("aria-pressed", "false")
    assert browser_errors == []
    assert alice_errors == []


def test_a_reader_outside_the_seminar_sees_none_of_its_notes_even_in_its_reading_context(
    page, browser_errors, alice, bob, charlie, article, seminar, alices_note
):
    bobs_reply = Annotation.objects.create(
        author=bob,
        article=article,
        parent=alices_note,
        thread=alices_note,
        comment="bob's seminar-only reply",
        visibility="seminar",
        seminar=seminar,
    )
    question = note_on(
        bob,
        article,
        QUESTION_PHRASE,
        comment="bob's seminar question",
        visibility="seminar",
        seminar=seminar,
        is_question=True,
    )
    public = note_on(alice, article, "surprising the international", comment="alice, for all", visibility="public")

    sign_in(page, charlie)
    page.goto(f"{article.get_absolute_url()}?seminar={seminar.slug}")
    expect(page.locator(f"article#note-{public.pk} .note-comment")).to_have_text("alice, for all")
    expect(page.locator(".seminar-context")).to_have_count(0)
    expect(page.locator(".note-total")).to_have_text("1 note")
    for note in (alices_note, bobs_reply, question):
        expect(page.locator(f"#note-{note.pk}")).to_have_count(0)
        expect(marks(page, note)).to_have_count(0)
        assert note.comment not in page.content()
    expect(page.locator(".badge-seminar")).to_have_count(0)
    expect(page.locator("#new-visibility option")).to_have_text(["Only me", "Everyone (public)"])

    scope = page.get_by_label("Show")
    expect(scope.locator("option")).to_have_text(["Everything I can see", "Mine", "Public"])
    page.goto(f"{article.get_absolute_url()}?seminar={seminar.slug}&scope=seminar")
    expect(page.locator(".note-total")).to_have_text("1 note")
    assert alices_note.comment not in page.content()

    place = alices_note.start_key
    page.goto(f"/articles/{article.slug}/notes/at/{place}/?seminar={seminar.slug}&scope=seminar")
    expect(page.locator("main")).to_contain_text("No notes here that you can see.")
    assert browser_errors == []
    # Chromium logs each 404 as a console error, so these come after the check.
    assert page.goto(seminar.get_absolute_url()).status == 404
    assert page.goto(f"/notes/{alices_note.pk}/reply/").status == 404
