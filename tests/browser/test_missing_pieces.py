"""The missing pieces in a real browser: the home page, uploading an article, resetting a password,
deleting a seminar and copying its join link. Each page is photographed at a phone's width and a
desktop's, into tests/browser/screenshots/ (git-ignored), to be looked at."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from annotations.models import Annotation
from tests.browser.reading import note_on, sign_in, watch_errors

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).parent / "screenshots"
WIDTHS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}
SEMINAR = Annotation.Visibility.SEMINAR


def unexpected(errors):
    """The page's errors, less the console's note of a form refused with 400, which these tests send on purpose."""
    return [error for error in errors if "status of 400" not in error]


def snap(page, name, size):
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"missing-{name}-{size}.png", full_page=True)


@pytest.fixture
def korea(make_seminar, alice, bob, article):
    return make_seminar("Korea 2006", instructors=[alice], participants=[bob], articles=[article])


@pytest.fixture(params=WIDTHS)
def size(request):
    return request.param


@pytest.fixture
def at_size(new_page, size):
    page = new_page(viewport=WIDTHS[size])
    page.errors = watch_errors(page)
    return page


def test_the_home_page_signed_out_and_signed_in(at_size, size, article, korea, alice, charlie):
    page = at_size
    note_on(alice, article, "mysteries", comment="Why *mysteries*? The word carries the argument.", visibility="public")
    note_on(alice, article, "shot the missiles", comment="Read with the timeline.", visibility=SEMINAR, seminar=korea)
    note_on(charlie, article, "missile", comment="Charlie's private thought.", visibility="private")
    page.goto("/")
    expect(page.locator(".article-note-count")).to_have_text("1 note")
    expect(page.get_by_role("heading", name="Read closely, together.")).to_be_visible()
    snap(page, "home-signed-out", size)

    sign_in(page, alice)
    page.goto("/")
    expect(page.locator(".article-note-count")).to_have_text("2 notes")
    expect(page.locator(".recent-note")).to_have_count(2)
    expect(page.get_by_role("link", name="Korea 2006")).to_be_visible()
    expect(page.get_by_text("Charlie's private thought.")).to_have_count(0)
    snap(page, "home-signed-in", size)
    page.locator(".recent-note").first.click()
    page.wait_for_url(f"**{article.get_absolute_url()}#**")
    assert unexpected(page.errors) == []


def test_staff_upload_an_article_and_see_an_error_in_the_form(at_size, size, curator, article):
    page = at_size
    sign_in(page, curator)
    page.goto("/")
    page.get_by_role("link", name="Add an article").click()
    page.wait_for_url("**/articles/new/")
    page.set_input_files("#id_file", files=[{"name": "essay.md", "mimeType": "text/markdown", "buffer": b"  \n"}])
    page.get_by_role("button", name="Import").click()
    expect(page.locator(".field-errors")).to_contain_text("essay.md is empty.")
    snap(page, "upload-error", size)

    essay = b"Title: An essay\n\nIts only paragraph.\n"
    page.set_input_files("#id_file", files=[{"name": "essay.md", "mimeType": "text/markdown", "buffer": essay}])
    page.get_by_label("Import as a draft").check()
    page.get_by_role("button", name="Import").click()
    page.wait_for_url("**/articles/essay/")
    expect(page.locator(".messages")).to_contain_text("Imported “An essay” as /articles/essay/: 1 paragraphs (draft).")
    assert unexpected(page.errors) == []


def test_the_password_reset_form_and_its_done_page(at_size, size, alice, mailoutbox):
    page = at_size
    page.goto("/accounts/login/")
    page.get_by_role("link", name="Forgot your password?").click()
    expect(page.get_by_role("heading", name="Reset your password")).to_be_visible()
    page.fill("#id_email", "alice@example")  # the browser lets it through; the server does not
    page.get_by_role("button", name="Email me a link").click()
    expect(page.locator(".field-errors")).to_contain_text("Enter a valid email address.")
    snap(page, "password-reset-error", size)
    page.fill("#id_email", "alice@example.com")
    page.get_by_role("button", name="Email me a link").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    snap(page, "password-reset-done", size)
    assert len(mailoutbox) == 1
    assert unexpected(page.errors) == []


def test_the_instructor_confirms_and_deletes_a_seminar(at_size, size, alice, bob, article, korea):
    page = at_size
    note = note_on(bob, article, "mysteries", comment="For the group.", visibility=SEMINAR, seminar=korea)
    sign_in(page, alice)
    page.goto(korea.get_absolute_url())
    page.get_by_role("link", name="Delete this seminar…").click()
    expect(page.get_by_role("heading", name="Delete Korea 2006?")).to_be_visible()
    expect(page.locator(".confirm-box")).to_contain_text("1 note shared with it (replies included) becomes private")
    snap(page, "seminar-delete", size)
    page.get_by_role("button", name="Delete the seminar").click()
    page.wait_for_url("**/seminars/")
    expect(page.locator(".messages")).to_contain_text("Korea 2006 is deleted")
    note.refresh_from_db()
    assert (note.visibility, note.seminar_id) == ("private", None)
    assert unexpected(page.errors) == []


def test_the_copy_button_copies_the_join_link(new_page, size, alice, korea, live_server):
    page = new_page(viewport=WIDTHS[size], permissions=["clipboard-read", "clipboard-write"])
    errors = watch_errors(page)
    sign_in(page, alice)
    page.goto(korea.get_absolute_url())
    button = page.get_by_role("button", name="Copy link")
    expect(button).to_be_visible()
    button.click()
    expect(page.locator(".copy-button")).to_have_text("Copied")
    join_url = page.locator("#join-link").input_value()
    assert join_url.endswith(f"/seminars/join/{korea.join_code}/")
    assert page.evaluate("navigator.clipboard.readText()") == join_url
    page.locator("#join-title").scroll_into_view_if_needed()
    snap(page, "seminar-copied", size)
    expect(page.locator(".copy-button")).to_have_text("Copy link", timeout=4000)
    assert errors == []


def test_without_javascript_the_join_link_is_there_to_select(new_page, alice, korea):
    page = new_page(java_script_enabled=False)
    sign_in(page, alice)
    page.goto(korea.get_absolute_url())
    expect(page.locator("#join-link")).to_be_visible()
    expect(page.locator(".copy-button")).to_be_hidden()
