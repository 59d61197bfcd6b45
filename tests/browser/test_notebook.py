"""The notebook in a real browser: my notes by article, a filter, an export, the import and tags pages.

Screenshots at a phone's and a laptop's width go to tests/browser/screenshots/.
"""

import json
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.annotations.factories import import_markdown
from tests.browser.reading import note_on, sign_in

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).parent / "screenshots"
SIZES = {"phone": {"width": 390, "height": 844}, "laptop": {"width": 1280, "height": 900}}


@pytest.fixture
def notebook(db, write_markdown, alice, bob, article):
    second = import_markdown(write_markdown, "Title: A Second Reading\n\nWords about peace and war.\n", slug="second")
    second.status = "published"
    second.save(update_fields=["status"])
    return {
        "tagged": note_on(alice, article, "frequent abrupt policy changes", comment="Why *so* abrupt?", tags=["pace"]),
        "plain": note_on(alice, article, "a fundamental limitation"),
        "second": note_on(alice, second, "peace and war", comment="The pair again", tags=["pairs"]),
        "bobs": note_on(bob, article, "money forgery and laundries", comment="Bob's private thought"),
    }


@pytest.mark.parametrize("size", SIZES)
def test_the_notebook_filters_and_exports_my_notes(new_page, browser_errors, alice, article, notebook, size):
    page = new_page(viewport=SIZES[size], accept_downloads=True)
    sign_in(page, alice)
    page.get_by_role("navigation", name="Site").get_by_role("link", name="Notebook").click()
    page.wait_for_url("**/notebook/")
    expect(page.locator("article.note")).to_have_count(3)
    expect(page.get_by_text("Bob's private thought")).to_have_count(0)
    expect(page.locator(".notebook-article h2")).to_have_text(["A Second Reading", "North Korean Missile Crisis"])
    page.screenshot(path=SCREENSHOTS / f"notebook-{size}.png", full_page=True)

    page.select_option("#id_tag", "pace")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**/notebook/?*tag=pace*")
    expect(page.locator("article.note")).to_have_count(1)
    expect(page.locator(".note-comment em")).to_have_text("so")
    page.screenshot(path=SCREENSHOTS / f"notebook-filtered-{size}.png", full_page=True)

    with page.expect_download() as download:
        page.locator(".notebook-export").get_by_role("link", name="Markdown").click()
    assert download.value.suggested_filename == f"{article.slug}.md"
    text = Path(download.value.path()).read_text()
    assert text.startswith('---\ntitle: "North Korean Missile Crisis"\n')
    assert "> frequent abrupt policy changes" in text

    page.get_by_role("link", name="Open at its place").click()
    page.wait_for_url(f"**{article.get_absolute_url()}#{notebook['tagged'].start_key}")
    assert browser_errors == []


@pytest.mark.parametrize("size", SIZES)
def test_importing_a_file_shows_its_report(new_page, tmp_path, alice, article, notebook, size):
    page = new_page(viewport=SIZES[size])
    sign_in(page, alice, "/notebook/import/")
    path = tmp_path / "hypothesis.json"
    target = [
        {"source": "https://example.org/", "selector": [{"type": "TextQuoteSelector", "exact": "the 6-way talk"}]}
    ]
    path.write_text(json.dumps([{"id": "h1", "uri": "https://example.org/", "text": "Imported", "target": target}]))
    page.set_input_files("#id_file", str(path))
    page.fill("#id_article", article.slug)
    page.get_by_role("button", name="Import").click()
    expect(page.locator(".report-summary")).to_have_text(
        "Imported 1 note: 1 anchored on their words, 0 on a whole article, 0 orphaned; skipped 0."
    )
    page.screenshot(path=SCREENSHOTS / f"notebook-import-{size}.png", full_page=True)


@pytest.mark.parametrize("size", SIZES)
def test_renaming_a_tag_from_the_tags_page(new_page, alice, notebook, size):
    page = new_page(viewport=SIZES[size])
    sign_in(page, alice, "/notebook/tags/")
    page.fill("#rename-pace", "tempo")
    page.locator("#tag-pace").get_by_role("button", name="Rename").click()
    expect(page.locator(".messages")).to_contain_text("are now tagged “tempo”")
    expect(page.locator("#tag-tempo")).to_be_visible()
    page.screenshot(path=SCREENSHOTS / f"notebook-tags-{size}.png", full_page=True)
