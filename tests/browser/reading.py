"""What a reader does on the reading page in a real browser: sign in, select a passage, look at marks.

Selections are real DOM selections (a Range set on `window.getSelection()`), so the page's own
`selectionchange` handler turns them into a passage, exactly as after a drag of the mouse.
"""

import re

from playwright.sync_api import expect

from annotations.anchoring import ArticleText
from annotations.writing import create_note
from tests.conftest import PASSWORD

TOOLBAR = "#selection-toolbar"

# Find the text node and offset at `units` UTF-16 units into element `el`'s text. A start point
# at the very end of a text node moves to the next one; an end point stays.
_LOCATE_JS = """
  const block = (key) => {
    const element = document.querySelector(`.block-text[data-key="${key}"]`);
    if (!element) throw new Error(`no .block-text with data-key ${key}`);
    return element;
  };
  const locate = (element, units, isEnd) => {
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    let node, last = null;
    while ((node = walker.nextNode())) {
      if (units < node.data.length || (isEnd && units === node.data.length)) return [node, units];
      units -= node.data.length;
      last = node;
    }
    if (last && units === 0) return [last, last.data.length];
    throw new Error(`offset beyond the text of ${element.dataset.key}`);
  };
  const select = (startBlock, startUnits, endBlock, endUnits) => {
    const range = document.createRange();
    range.setStart(...locate(startBlock, startUnits, false));
    range.setEnd(...locate(endBlock, endUnits, true));
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    return range.toString();
  };
"""

# Offsets in code points (the server's unit), converted to UTF-16 units with Array.from.
SELECT_RANGE_JS = f"""([startKey, start, endKey, end]) => {{
  {_LOCATE_JS}
  const units = (element, points) => Array.from(element.textContent).slice(0, points).join("").length;
  const first = block(startKey), last = block(endKey);
  return select(first, units(first, start), last, units(last, end));
}}"""

# A phrase found with indexOf, in the DOM's own UTF-16 units: no code point arithmetic at all.
SELECT_PHRASE_JS = f"""([key, phrase]) => {{
  {_LOCATE_JS}
  const element = block(key);
  const at = element.textContent.indexOf(phrase);
  if (at < 0) throw new Error(`${{phrase}} is not in ${{key}}`);
  return select(element, at, element, at + phrase.length);
}}"""

# Viewport rectangles of a phrase's first and last characters, for aiming the real mouse at it.
PHRASE_RECTS_JS = f"""([key, phrase]) => {{
  {_LOCATE_JS}
  const element = block(key);
  const at = element.textContent.indexOf(phrase);
  if (at < 0) throw new Error(`${{phrase}} is not in ${{key}}`);
  const rect = (from, to) => {{
    const range = document.createRange();
    range.setStart(...locate(element, from, false));
    range.setEnd(...locate(element, to, true));
    const box = range.getBoundingClientRect();
    return {{left: box.left, right: box.right, top: box.top, bottom: box.bottom, y: (box.top + box.bottom) / 2}};
  }};
  const end = at + phrase.length;
  const lastLength = Array.from(phrase).at(-1).length;
  return {{whole: rect(at, end), first: rect(at, at + 1), last: rect(end - lastLength, end)}};
}}"""


def sign_in(page, user, next_url=None):
    """Sign in through the real login form, as a person would."""
    page.goto("/accounts/login/" + (f"?next={next_url}" if next_url else ""))
    fill_login_form(page, user)
    page.wait_for_url(re.compile(r"^(?!.*/accounts/login/)"))


def fill_login_form(page, user):
    page.fill("#id_username", user.get_username())
    page.fill("#id_password", PASSWORD)
    page.click("main form button[type=submit]")


def clear_selection(page):
    """Drop any selection and wait until the toolbar has gone, so the next one is fresh."""
    page.evaluate("() => { document.activeElement?.blur(); window.getSelection().removeAllRanges(); }")
    expect(page.locator(TOOLBAR)).to_be_hidden()


def select_range(page, start_key, start, end, end_key=None):
    """Select from `start` in one paragraph to `end` in another (or the same), in code points."""
    clear_selection(page)
    text = page.evaluate(SELECT_RANGE_JS, [start_key, start, end_key or start_key, end])
    expect(page.locator(TOOLBAR)).to_be_visible()
    return text


def select_phrase(page, key, phrase):
    """Select the first occurrence of `phrase` in a paragraph, located in the DOM's own units."""
    clear_selection(page)
    text = page.evaluate(SELECT_PHRASE_JS, [key, phrase])
    expect(page.locator(TOOLBAR)).to_be_visible()
    return text


def phrase_rects(page, key, phrase):
    """{"whole", "first", "last"}: boxes of the phrase and of its first and last characters."""
    return page.evaluate(PHRASE_RECTS_JS, [key, phrase])


def marks(page, note):
    """The marks of one note (a locator), whatever else covers them."""
    return page.locator(f'mark[data-annotations~="{note.pk}"]')


def marked_text(page, note):
    return "".join(marks(page, note).all_text_contents())


def saving(page):
    """Wait for the note POST the next action sends (use as a context manager)."""
    return page.expect_response(lambda response: response.request.method == "POST" and "/notes/" in response.url)


def note_on(author, article, phrase, **fields):
    """Make a note on the first paragraph holding `phrase`, the way the web form would."""
    paragraph = article.paragraphs.filter(text__contains=phrase).first()
    start = paragraph.text.index(phrase)
    passage = ArticleText(article.paragraphs.all()).by_position(
        paragraph.key, start, paragraph.key, start + len(phrase), exact=phrase
    )
    return create_note(author, article, passage, **fields)


def watch_errors(page):
    """Collect a page's uncaught exceptions, console errors and CSP reports into a list."""
    errors = []
    page.on("pageerror", lambda error: errors.append(f"uncaught: {error}"))

    def console(message):
        if message.type == "error" and "favicon" not in (message.location or {}).get("url", ""):
            errors.append(f"console: {message.text}")
        elif "Content Security Policy" in message.text:
            errors.append(f"csp: {message.text}")

    page.on("console", console)
    return errors
