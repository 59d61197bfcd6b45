"""Notes in the browser: write one with Markdown and tags, edit it in place, delete it, be refused."""

import pytest
from playwright.sync_api import expect

from annotations.models import Annotation
from tests.browser.reading import TOOLBAR, marked_text, marks, note_on, saving, select_phrase, sign_in

pytestmark = pytest.mark.browser

COMMENT = "China is **humiliated**, and `SK` too:\n\n- an envoy\n- no result"


def check_rendered_card(card, note):
    expect(card.locator(".note-comment strong")).to_have_text("humiliated")
    expect(card.locator(".note-comment code")).to_have_text("SK")
    expect(card.locator(".note-comment li")).to_have_text(["an envoy", "no result"])
    tags = card.locator(".note-tags a")
    expect(tags).to_have_text(["#Cold War", "#diplomacy"])
    assert [tags.nth(i).get_attribute("href") for i in range(2)] == ["/tags/cold-war/", "/tags/diplomacy/"]


def test_a_note_written_with_the_note_button_shows_its_markdown_and_tags_and_is_found_by_tag(page, alice, article):
    paragraph = article.paragraphs.get(position=12)  # far down the page: following the tag link must scroll
    phrase = "China and South Korea government are humiliated"
    sign_in(page, alice)
    page.goto(article.get_absolute_url())

    select_phrase(page, paragraph.key, phrase)
    page.click(f"{TOOLBAR} [data-action=note]")
    dialog = page.locator("#note-dialog")
    expect(dialog).to_be_visible()
    expect(dialog.locator("#note-dialog-quote")).to_have_text(phrase)
    expect(page.locator("#new-comment")).to_be_focused()
    page.fill("#new-comment", COMMENT)
    dialog.get_by_role("button", name="Preview").click()
    expect(dialog.locator(".preview strong")).to_have_text("humiliated")
    expect(dialog.locator(".preview li")).to_have_count(2)
    page.fill("#new-tags", "Cold War, diplomacy")
    page.select_option("#new-visibility", "public")
    with saving(page):
        dialog.get_by_role("button", name="Save note").click()
    expect(dialog).to_be_hidden()

    note = Annotation.objects.get()
    start = paragraph.text.index(phrase)
    assert (note.start_key, note.start_offset, note.end_key, note.end_offset) == (
        paragraph.key,
        start,
        paragraph.key,
        start + len(phrase),
    )
    assert (note.quote_exact, note.comment, note.visibility) == (phrase, COMMENT, "public")
    assert sorted(note.tags.names()) == ["Cold War", "diplomacy"]
    card = page.locator(f"#note-{note.pk}")
    check_rendered_card(card, note)
    page.reload()
    check_rendered_card(card, note)
    assert marked_text(page, note) == phrase

    card.get_by_role("link", name="#Cold War").click()
    page.wait_for_url("**/tags/cold-war/")
    expect(page.locator(f"#note-{note.pk} .note-comment strong")).to_have_text("humiliated")
    source = page.locator(".tagged-source a")
    expect(source).to_have_attribute("href", f"{article.get_absolute_url()}#{paragraph.key}")
    source.click()
    page.wait_for_url(f"**{article.get_absolute_url()}#{paragraph.key}")
    assert page.evaluate("document.querySelector(':target')?.id") == paragraph.key
    expect(page.locator(f"#{paragraph.key}")).to_be_in_viewport()


def test_pressing_n_after_selecting_opens_the_note_form_and_saves_a_private_note(page, alice, article):
    paragraph = article.paragraphs.get(position=2)
    sign_in(page, alice)
    page.goto(article.get_absolute_url())

    select_phrase(page, paragraph.key, "mysteries")
    page.keyboard.press("n")
    expect(page.locator("#note-dialog")).to_be_visible()
    expect(page.locator("#new-comment")).to_be_focused()
    page.keyboard.type("Why *mysteries*?")
    page.fill("#new-tags", "question")
    with saving(page):
        page.locator("#note-dialog").get_by_role("button", name="Save note").click()

    note = Annotation.objects.get()
    start = paragraph.text.index("mysteries")
    assert (note.start_offset, note.end_offset, note.quote_exact) == (start, start + 9, "mysteries")
    assert (note.comment, note.visibility, list(note.tags.names())) == ("Why *mysteries*?", "private", ["question"])
    page.reload()
    card = page.locator(f"#note-{note.pk}")
    expect(card.locator(".note-comment em")).to_have_text("mysteries")
    expect(card.locator(".badge-private")).to_be_visible()
    assert marked_text(page, note) == "mysteries"


def test_editing_a_note_in_place_changes_its_card_without_leaving_the_page(page, alice, article):
    note = note_on(alice, article, "mysteries", comment="First *thought*", tags=["draft"])
    sign_in(page, alice)
    page.goto(article.get_absolute_url())
    url = page.url
    page.evaluate("window.setBeforeTheEdit = 'still here'")

    page.locator(f"#note-{note.pk}").get_by_role("link", name="Edit").click()
    form = page.locator(f"form#note-{note.pk}")
    expect(form).to_be_visible()
    expect(form.locator("textarea[name=comment]")).to_have_value("First *thought*")
    expect(form.locator("input[name=tags]")).to_have_value("draft")
    form.locator("textarea[name=comment]").fill("Second **thought**")
    form.locator("input[name=tags]").fill("revised, history")
    with saving(page):
        form.get_by_role("button", name="Save").click()

    card = page.locator(f"article#note-{note.pk}")
    expect(card.locator(".note-comment strong")).to_have_text("thought")
    expect(card.locator(".note-tags a")).to_have_text(["#history", "#revised"])
    expect(form).to_have_count(0)
    assert page.url == url
    assert page.evaluate("window.setBeforeTheEdit") == "still here"
    before = (note.start_key, note.start_offset, note.end_key, note.end_offset, note.quote_exact)
    note.refresh_from_db()
    assert (note.comment, sorted(note.tags.names())) == ("Second **thought**", ["history", "revised"])
    assert (note.start_key, note.start_offset, note.end_key, note.end_offset, note.quote_exact) == before
    page.reload()
    expect(card.locator(".note-comment strong")).to_have_text("thought")
    expect(card.locator(".note-tags a")).to_have_text(["#history", "#revised"])
    assert marked_text(page, note) == "mysteries"


def test_cancelling_an_edit_puts_the_note_card_back_unchanged(page, alice, article):
    note = note_on(alice, article, "mysteries", comment="First *thought*", tags=["draft"])
    sign_in(page, alice)
    page.goto(article.get_absolute_url())
    url = page.url
    page.evaluate("window.setBeforeTheEdit = 'still here'")

    page.locator(f"#note-{note.pk}").get_by_role("link", name="Edit").click()
    form = page.locator(f"form#note-{note.pk}")
    form.locator("textarea[name=comment]").fill("Never saved")
    form.get_by_role("link", name="Cancel").click()

    card = page.locator(f"article#note-{note.pk}")
    expect(card.locator(".note-comment em")).to_have_text("thought")
    expect(card.locator(".note-tags a")).to_have_text(["#draft"])
    expect(card.get_by_role("link", name="Edit")).to_be_visible()
    expect(card.get_by_role("link", name="Reply")).to_be_visible()  # the card comes back with its discussion
    expect(form).to_have_count(0)
    assert page.url == url
    assert page.evaluate("window.setBeforeTheEdit") == "still here"
    note.refresh_from_db()
    assert note.comment == "First *thought*"
    page.reload()
    expect(card.locator(".note-comment em")).to_have_text("thought")


def test_deleting_a_note_asks_first_and_only_deletes_it_when_confirmed(page, dialogs, alice, article):
    note = note_on(alice, article, "mysteries", comment="Delete me")
    posted = []
    page.on("request", lambda request: request.method == "POST" and "/delete/" in request.url and posted.append(1))
    sign_in(page, alice)
    page.goto(article.get_absolute_url())
    card = page.locator(f"#note-{note.pk}")

    card.get_by_role("link", name="Delete").click()
    confirm = page.get_by_role("alertdialog", name="Delete this note?")
    expect(confirm).to_contain_text("This cannot be undone.")
    confirm.get_by_role("button", name="Cancel").click()
    expect(confirm).to_have_count(0)
    page.wait_for_timeout(300)  # a request, had one been sent, would have shown by now
    assert posted == []
    expect(card).to_be_visible()
    assert Annotation.objects.filter(pk=note.pk).exists()

    card.get_by_role("link", name="Delete").click()
    with saving(page):
        confirm.get_by_role("button", name="Delete").click()
    expect(card).to_have_count(0)
    expect(marks(page, note)).to_have_count(0)
    assert not Annotation.objects.filter(pk=note.pk).exists()
    page.reload()
    expect(card).to_have_count(0)
    expect(marks(page, note)).to_have_count(0)
    assert dialogs == []  # the browser's own confirm() is never used


def test_a_comment_with_a_script_is_refused_with_a_visible_message_and_nothing_runs(page, dialogs, alice, article):
    paragraph = article.paragraphs.get(position=2)
    sign_in(page, alice)
    page.goto(article.get_absolute_url())

    select_phrase(page, paragraph.key, "mysteries")
    page.click(f"{TOOLBAR} [data-action=note]")
    dialog = page.locator("#note-dialog")
    page.fill("#new-comment", "Look <script>alert(1)</script>")
    dialog.get_by_role("button", name="Preview").click()
    expect(dialog.locator(".preview .field-errors")).to_contain_text("<script>")
    with saving(page) as response:
        dialog.get_by_role("button", name="Save note").click()
    assert response.value.status == 400

    toast = page.locator("#toast")
    expect(toast).to_contain_class("visible")
    expect(toast).to_be_in_viewport()
    expect(toast).to_contain_text("script")
    assert Annotation.objects.count() == 0
    page.reload()
    expect(page.locator("mark[data-annotations]")).to_have_count(0)
    expect(page.locator(".note")).to_have_count(0)
    assert dialogs == []


def test_an_error_about_the_note_dialog_shows_above_the_dialog_and_can_be_dismissed(page, alice, article):
    paragraph = article.paragraphs.get(position=2)
    sign_in(page, alice)
    page.goto(article.get_absolute_url())
    select_phrase(page, paragraph.key, "mysteries")
    page.click(f"{TOOLBAR} [data-action=note]")
    page.fill("#new-comment", "<script>alert(1)</script>")
    with saving(page):
        page.locator("#note-dialog").get_by_role("button", name="Save note").click()
    toast = page.locator("#toast")
    expect(toast).to_contain_class("visible")
    expect(toast).to_be_in_viewport()

    on_top = toast.evaluate(
        """(toast) => {
          const box = toast.getBoundingClientRect();
          return toast.contains(document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2));
        }"""
    )
    assert on_top, "the message is covered by the note dialog's backdrop"
    toast.click(timeout=1_500)
    expect(toast).not_to_contain_class("visible")
