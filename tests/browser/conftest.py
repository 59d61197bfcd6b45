"""Real-browser fixtures: Playwright driving the system Chromium against pytest-django's live server.

One Chromium for the whole run, a fresh browser context (cookies, storage) per test. Without
Chromium the browser tests skip, unless MARGINALIA_REQUIRE_BROWSER=1 says they must run (CI).
"""

import os
import shutil
from pathlib import Path

import pytest

from tests.browser.reading import watch_errors

# Playwright's sync API runs an asyncio event loop in the test's own thread (it switches to it
# with greenlets), so from Django's point of view every ORM call a fixture or test makes looks
# like it comes from async code and raises SynchronousOnlyOperation. Nothing here is really
# async: the loop only talks to Chromium, and the live server answers in a thread of its own.
# Django reads this variable on each call, so setting it here (before any test) is enough.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORT = {"width": 1280, "height": 900}
# How long an action or an expectation waits before it fails: a cap on failing, never a wait when all
# is well. CI runs the suite twice at once on two cores, so the browser and its server share the machine.
TIMEOUT_MS = 10_000
BROWSER_DIR = Path(__file__).parent


def chromium_executable():
    if Path("/usr/bin/chromium").exists():
        return "/usr/bin/chromium"
    return shutil.which("chromium")


def _missing(reason):
    """Skip the browser tests, or fail them loudly where a browser is required."""
    if os.environ.get("MARGINALIA_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason}, and MARGINALIA_REQUIRE_BROWSER=1 requires the browser tests to run.", pytrace=False)
    pytest.skip(f"{reason}: browser tests skipped (install Debian's chromium to run them).")


class BrowserSession:
    """Playwright and one Chromium, started on first use and stopped after the last browser test.

    Stopping early matters: while Playwright runs, its event loop stays registered as running in
    the main thread, and the non-browser tests that follow would all look like async code.
    """

    def __init__(self):
        self.playwright = self.browser = None

    def get(self):
        if self.browser is None:
            executable = chromium_executable()
            if not executable:
                _missing("Chromium was not found at /usr/bin/chromium or on PATH")
            from playwright.sync_api import expect, sync_playwright  # pinned in requirements.txt

            expect.set_options(timeout=TIMEOUT_MS)
            self.playwright = sync_playwright().start()
            self.browser = self.playwright.chromium.launch(
                executable_path=executable, headless=True, args=CHROMIUM_ARGS
            )
        return self.browser

    def stop(self):
        if self.browser is not None:
            self.browser.close()
            self.playwright.stop()
        self.playwright = self.browser = None


_session = BrowserSession()


def _is_browser_test(item):
    return item is not None and BROWSER_DIR in Path(item.path).parents


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    result = yield  # the test's fixtures (its browser contexts) are torn down first
    if _is_browser_test(item) and not _is_browser_test(nextitem):
        _session.stop()
    return result


def pytest_sessionfinish(session):
    _session.stop()


@pytest.fixture
def browser():
    return _session.get()


@pytest.fixture
def new_page(browser, live_server):
    """Open a page in a fresh browser context (its own cookies), on the live server.

    Other context options pass through: `new_page(java_script_enabled=False)`.
    """
    contexts = []

    def open_page(viewport=VIEWPORT, **options):
        context = browser.new_context(base_url=live_server.url, viewport=viewport, **options)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture
def dialogs(page):
    """Messages of every alert/confirm the page shows; each is dismissed unless a test says otherwise."""
    seen = []

    def record(dialog):
        seen.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", record)
    return seen


@pytest.fixture
def browser_errors(page):
    """Uncaught exceptions and console errors on the page (a missing favicon is not one)."""
    return watch_errors(page)
