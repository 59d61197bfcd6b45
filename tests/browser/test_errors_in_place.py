"""A refused note or reply says why where it was written, and the draft stays: with DEBUG on as off.

django-htmx's debug script (loaded by `{% htmx_script %}` when DEBUG is on) used to replace the
whole page with any 400, 403 or 404 an htmx request got back, so under `make run` a newcomer saw a
bare sentence instead of the reading page, and lost what they had typed.
"""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from annotations.models import Annotation
from tests.browser.reading import TOOLBAR, note_on, saving, select_phrase, sign_in

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).parent / "screenshots"
PHONE = {"width": 390, "height": 844}
SCRIPTED = "Look at this <script>alert(1)</script>"


@pytest.fixture(params=[True, False], ids=["debug", "no-debug"])
def debug(request, settings):
    """Both ways the site runs: `make run` (DEBUG on) and production (DEBUG off)."""
    settings.DEBUG = request.param
    return request.param


def still_reading(page, article):
    expect(page.locator("article.reading")).to_have_count(1)
    expect(page.locator("#article-body .block-text").first).to_be_visible()
    expect(page).to_have_title(f"{article.title} · Marginalia")


def test_a_refused_note_says_why_in_the_dialog_and_keeps_the_draft(new_page, debug, alice, article):
    page = new_page()
    paragraph = article.paragraphs.get(position=2)
    sign_in(page, alice)
    page.goto(article.get_absolute_url())
    select_phrase(page, paragraph.key, "mysteries")
    page.click(f"{TOOLBAR} [data-action=note]")
    dialog = page.locator("#note-dialog")
    page.fill("#new-comment", SCRIPTED)
    with saving(page) as response:
        dialog.get_by_role("button", name="Save note").click()
    assert response.value.status == 400

    toast = page.locator("#toast")
    expect(toast).to_contain_class("visible")
    expect(toast).to_contain_text("script")
    expect(dialog).to_be_visible()
    expect(dialog.locator("#toast")).to_have_count(1)  # shown inside the dialog that sent it
    expect(page.locator("#new-comment")).to_have_value(SCRIPTED)
    still_reading(page, article)
    assert Annotation.objects.count() == 0
    if debug:
        page.screenshot(path=SCREENSHOTS / "errors-in-place-dialog-1280.png")


def test_a_blank_reply_is_refused_in_place_and_keeps_the_reply_form(new_page, debug, alice, bob, article):
    note = note_on(alice, article, "mysteries", comment="Which mysteries?", visibility="public")
    page = new_page(viewport=PHONE)
    sign_in(page, bob)
    page.goto(f"{article.get_absolute_url()}#note-{note.pk}")
    card = page.locator(f"#note-{note.pk}")
    card.get_by_role("link", name="Reply").click()
    reply = page.locator(f"#reply-{note.pk}")
    expect(reply).to_be_visible()
    reply.fill("   ")
    with page.expect_response(lambda r: r.request.method == "POST" and "/reply/" in r.url) as response:
        page.locator(".reply-form").get_by_role("button", name="Post reply").click()
    assert response.value.status == 400

    toast = page.locator("#toast")
    expect(toast).to_contain_class("visible")
    expect(toast).to_contain_text("A reply needs some text.")
    expect(reply).to_have_value("   ")
    still_reading(page, article)
    assert Annotation.objects.count() == 1
    if debug:
        page.screenshot(path=SCREENSHOTS / "errors-in-place-reply-390.png")


def test_a_refused_edit_keeps_the_edit_form_and_its_text(new_page, debug, alice, article):
    note = note_on(alice, article, "mysteries", comment="First thought")
    page = new_page()
    sign_in(page, alice)
    page.goto(article.get_absolute_url())
    card = page.locator(f"#note-{note.pk}")
    card.get_by_role("link", name="Edit").click()
    comment = page.locator(f'[id="{note.pk}-comment"]')
    expect(comment).to_be_visible()
    comment.fill(SCRIPTED)
    with saving(page) as response:
        page.locator(f"form#note-{note.pk}").get_by_role("button", name="Save").click()
    assert response.value.status == 400

    expect(page.locator("#toast")).to_contain_text("script")
    expect(comment).to_have_value(SCRIPTED)
    still_reading(page, article)
    note.refresh_from_db()
    assert note.comment == "First thought"


def test_a_whole_error_page_shows_its_message_in_the_toast_not_in_the_page(new_page, debug, alice, article):
    page = new_page()
    paragraph = article.paragraphs.get(position=2)
    sign_in(page, alice)
    page.goto(article.get_absolute_url())
    page.evaluate("""() => {
      document.body.setAttribute("hx-headers", '{"x-csrftoken": "stale"}');
      for (const field of document.querySelectorAll("[name=csrfmiddlewaretoken]")) field.value = "stale";
    }""")
    select_phrase(page, paragraph.key, "mysteries")
    page.click(f"{TOOLBAR} [data-action=note]")
    page.fill("#new-comment", "A fine thought")
    with saving(page) as response:
        page.locator("#note-dialog").get_by_role("button", name="Save note").click()
    assert response.value.status == 403

    expect(page.locator("#toast")).to_contain_text("CSRF verification failed")
    expect(page.locator("#new-comment")).to_have_value("A fine thought")
    still_reading(page, article)
    expect(page.locator("#article-body h1")).to_have_count(0)  # no error page inside the article


@pytest.mark.parametrize(
    ("failure", "said"),
    [("server", "Something went wrong on our side"), ("network", "The server could not be reached")],
)
def test_a_save_that_fails_on_the_server_or_the_way_says_so_and_keeps_the_draft(
    new_page, alice, article, failure, said
):
    page = new_page()
    paragraph = article.paragraphs.get(position=2)
    sign_in(page, alice)
    page.goto(article.get_absolute_url())
    # The save never reaches the app: the server fails (500), or the connection does.
    page.route(
        "**/notes/",
        lambda route: route.fulfill(status=500, body="Server Error") if failure == "server" else route.abort(),
    )
    select_phrase(page, paragraph.key, "mysteries")
    page.click(f"{TOOLBAR} [data-action=note]")
    page.fill("#new-comment", "Kept, whatever the network does.")
    page.locator("#note-dialog").get_by_role("button", name="Save note").click()
    toast = page.locator("#toast")
    expect(toast).to_contain_class("visible")
    expect(toast).to_contain_text(said)
    expect(page.locator("#new-comment")).to_have_value("Kept, whatever the network does.")
    still_reading(page, article)
    assert Annotation.objects.count() == 0
