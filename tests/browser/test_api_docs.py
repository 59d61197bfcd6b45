"""The API docs page works in a browser under the site's Content-Security-Policy."""

from playwright.sync_api import expect


def test_the_api_docs_show_the_annotation_operations_without_csp_errors(page, browser_errors):
    page.goto("/api/docs")
    expect(page.get_by_text("Create an annotation").first).to_be_visible()
    expect(page.get_by_text("Get an annotation").first).to_be_visible()
    assert browser_errors == []
