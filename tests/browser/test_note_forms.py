"""The note forms in the browser: one note per submission, limits said while typing, a delete that asks in the page."""

import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

from annotations.models import Annotation
from tests.browser.reading import TOOLBAR, marks, note_on, saving, select_phrase, sign_in

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).parent / "screenshots"
SIZES = {"390": {"width": 390, "height": 844}, "1280": {"width": 1280, "height": 900}}


def open_note_dialog(page, article, phrase="mysteries"):
    paragraph = article.paragraphs.filter(text__contains=phrase).first()
    page.goto(article.get_absolute_url())
    select_phrase(page, paragraph.key, phrase)
    page.click(f"{TOOLBAR} [data-action=note]")
    dialog = page.locator("#note-dialog")
    expect(dialog).to_be_visible()
    return dialog


@pytest.fixture
def slow_saves(monkeypatch):
    """Saving a note or a reply takes a moment, as on a busy server: a second click lands while the first is sent."""
    from annotations.views import discussion, notes

    def slowly(save):
        def saved(*args, **kwargs):
            time.sleep(0.4)
            return save(*args, **kwargs)

        return saved

    monkeypatch.setattr(notes, "create_note", slowly(notes.create_note))
    monkeypatch.setattr(discussion, "create_reply", slowly(discussion.create_reply))


def posts_to(page, part):
    """The POST requests the page sends to URLs containing `part`, as they are sent."""
    sent = []
    page.on("request", lambda request: request.method == "POST" and part in request.url and sent.append(request.url))
    return sent


def test_double_clicking_save_makes_one_note(page, slow_saves, alice, article):
    sign_in(page, alice)
    dialog = open_note_dialog(page, article)
    page.fill("#new-comment", "Once only")
    sent = posts_to(page, "/notes/")
    save = dialog.get_by_role("button", name="Save note")
    with saving(page):
        save.dblclick()
        expect(save).to_be_disabled()
    expect(dialog).to_be_hidden()
    page.wait_for_timeout(800)  # a second request, had one been queued, would have gone by now
    assert len(sent) == 1  # the page sends one (the server would refuse a duplicate, but never sees one)
    assert Annotation.objects.count() == 1
    assert Annotation.objects.get().comment == "Once only"
    expect(page.locator("#note-dialog button[type=submit]")).to_be_enabled()  # ready for the next note


def test_double_clicking_post_reply_posts_one_reply(page, slow_saves, alice, bob, article):
    note = note_on(alice, article, "mysteries", comment="Which ones?", visibility="public")
    sign_in(page, bob)
    page.goto(article.get_absolute_url())
    page.locator(f"#note-{note.pk}").get_by_role("link", name="Reply").click()
    page.fill(f"#reply-{note.pk}", "These ones.")
    sent = posts_to(page, "/reply/")
    post = page.locator(".reply-form").get_by_role("button", name="Post reply")
    with page.expect_response(lambda r: r.request.method == "POST" and "/reply/" in r.url):
        post.dblclick()
    expect(page.locator(".reply .note-comment")).to_have_text("These ones.")
    page.wait_for_timeout(800)
    assert len(sent) == 1
    assert Annotation.objects.filter(thread=note).count() == 1


def test_the_highlight_button_is_disabled_while_its_highlight_is_saved(page, slow_saves, alice, article):
    paragraph = article.paragraphs.get(position=2)
    sign_in(page, alice)
    page.goto(article.get_absolute_url())
    select_phrase(page, paragraph.key, "mysteries")
    with saving(page):
        page.keyboard.press("h")
        expect(page.locator(f"{TOOLBAR} [data-action=highlight]")).to_be_disabled()
    expect(page.locator("mark[data-annotations]")).not_to_have_count(0)
    expect(page.locator(f"{TOOLBAR} [data-action=highlight]")).to_be_enabled()
    assert Annotation.objects.count() == 1


@pytest.mark.parametrize("size", SIZES)
def test_the_comment_counter_warns_near_the_limit_and_a_long_paste_is_kept_whole(new_page, alice, article, size):
    page = new_page(viewport=SIZES[size])
    sign_in(page, alice)
    dialog = open_note_dialog(page, article)
    limit = dialog.locator("#new-comment-limit")
    expect(limit).to_contain_text("0 / 10,000")

    page.fill("#new-comment", "word " * 1_900)  # 9,500 characters
    expect(limit).to_contain_text("9,500 / 10,000")
    expect(limit).to_contain_class("near")
    expect(limit).to_contain_text("500 characters left.")

    pasted = "x" * 10_050
    page.fill("#new-comment", pasted)
    expect(page.locator("#new-comment")).to_have_value(pasted)  # nothing cut
    expect(limit).to_contain_text("10,050 / 10,000")
    expect(limit).to_contain_class("over")
    expect(limit).to_contain_text("50 characters too many")

    page.fill("#new-tags", "Cold War, " + "a" * 52)
    tags_limit = dialog.locator("#new-tags-limit")
    expect(tags_limit).to_contain_text("Up to 10 tags, 40 characters each.")
    expect(tags_limit).to_contain_text("has 52 characters; a tag can have 40.")
    dialog.screenshot(path=SCREENSHOTS / f"note-dialog-limits-{size}.png")

    with saving(page) as response:
        dialog.get_by_role("button", name="Save note").click()
    assert response.value.status == 400
    expect(page.locator("#toast")).to_contain_text("10,050 characters long")
    expect(page.locator("#new-comment")).to_have_value(pasted)

    page.fill("#new-comment", "Short")
    page.fill("#new-tags", "Cold War")
    expect(limit).not_to_contain_class("over")
    expect(tags_limit.locator(".limit-warning")).to_have_text("")


def test_the_reply_and_edit_forms_count_too(page, alice, article):
    note = note_on(alice, article, "mysteries", comment="Hm", visibility="public")
    sign_in(page, alice)
    page.goto(article.get_absolute_url())
    card = page.locator(f"#note-{note.pk}")
    card.get_by_role("link", name="Reply").click()
    page.fill(f"#reply-{note.pk}", "Yes\nno")
    # htmx sends a line break as it is; a form sent without it, as CR LF (two characters, see forms.js)
    expect(page.locator(f'[id="reply-{note.pk}-limit"]')).to_contain_text("6 / 10,000")

    card.get_by_role("link", name="Edit").click()
    expect(page.locator(f'[id="{note.pk}-comment-limit"]')).to_contain_text("2 / 10,000")


@pytest.mark.parametrize("size", SIZES)
def test_deleting_a_note_asks_in_a_dialog_that_works_by_keyboard(new_page, alice, article, size):
    note = note_on(alice, article, "mysteries", comment="Delete me")
    page = new_page(viewport=SIZES[size])
    native = []
    page.on("dialog", lambda dialog: (native.append(dialog.message), dialog.dismiss()))
    sign_in(page, alice)
    page.goto(f"{article.get_absolute_url()}#note-{note.pk}")
    card = page.locator(f"#note-{note.pk}")
    delete = card.get_by_role("link", name="Delete")

    delete.focus()
    page.keyboard.press("Enter")
    confirm = page.get_by_role("alertdialog", name="Delete this note?")
    expect(confirm).to_be_visible()
    expect(confirm).to_contain_text("This cannot be undone.")
    expect(confirm.get_by_role("button", name="Cancel")).to_be_focused()
    page.screenshot(path=SCREENSHOTS / f"delete-confirm-{size}.png")
    page.keyboard.press("Escape")
    expect(confirm).to_have_count(0)
    expect(delete).to_be_focused()
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")  # on Cancel
    expect(confirm).to_have_count(0)
    assert Annotation.objects.filter(pk=note.pk).exists()

    page.keyboard.press("Enter")
    expect(confirm).to_be_visible()
    page.keyboard.press("Shift+Tab")
    expect(confirm.get_by_role("button", name="Delete")).to_be_focused()
    with saving(page):
        page.keyboard.press("Enter")
    expect(card).to_have_count(0)
    expect(marks(page, note)).to_have_count(0)
    assert not Annotation.objects.filter(pk=note.pk).exists()
    assert native == []


def test_without_javascript_delete_leads_to_a_confirmation_page(new_page, alice, article):
    note = note_on(alice, article, "mysteries", comment="Delete me")
    page = new_page(java_script_enabled=False)
    sign_in(page, alice)
    page.goto(article.get_absolute_url())
    card = page.locator(f"#note-{note.pk}")
    card.locator("xpath=ancestor::details[1]/summary").click()  # unfold the paragraph's notes
    card.get_by_role("link", name="Delete").click()
    expect(page.get_by_role("heading", name="Delete this note?")).to_be_visible()
    page.get_by_role("button", name="Delete note").click()
    page.wait_for_url(f"**{article.get_absolute_url()}")
    assert not Annotation.objects.filter(pk=note.pk).exists()
