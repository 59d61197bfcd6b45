"""A hostile article loses every script and keeps every word."""

import html
import string

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from reader.importing import import_file
from reader.rendering import markdown_to_html, render_block, sanitize, text_content

THUMBS_UP_MEDIUM = "\U0001f44d\U0001f3fd"
FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467"
HANGUL = "한국어 읽기"
COMBINING = "cafe\u0301 and re\u0301sume\u0301"
HARD_BREAK = "  \n"  # two trailing spaces

HOSTILE = f"""Title: Hostile

<script>alert(1)</script>

Before the image <img src=x onerror=alert(1)> after the image.

<a href="javascript:alert(1)">plain js</a> and <a href="JaVaScRiPt:alert(2)">mixed case</a> and
<a href="&#106;avascript:alert(3)">entity js</a> and <a href="java&#x09;script:alert(4)">tabbed js</a> and
<a href=" javascript:alert(5)">spaced js</a> and <a href="data:text/html,<script>alert(6)</script>">data link</a>

[markdown js](javascript:alert(7)) and [shouting js](JAVASCRIPT:alert(8)) and ![data image](data:image/svg+xml,x)

Safe links: [web](https://example.org/page) and [old web](http://example.com/) and [mail](mailto:reader@example.org).

<iframe src="https://evil.example/"></iframe>

<svg onload=alert(9)><circle r="1"></circle></svg>

Formula <math><mi>x</mi></math> here.

<style>body {{ display: none }}</style>

<form action="https://evil.example/"><input name="q"><button>Go</button></form>

<p onclick="alert(10)">Click-bait sentence.</p>

Emoji {THUMBS_UP_MEDIUM} and family {FAMILY} in one line.

Hangul: {HANGUL}.

Accents built from combining marks: {COMBINING}.

- outer item
    - inner item one
    - inner item two
- last outer item

| Column A | Column B |
|----------|----------|
| cell one | cell two |

```
<script>alert("shown as text")</script>
```

First line of a poem{HARD_BREAK}second line of the poem
"""

FORBIDDEN = ["<script", "onerror", "onload", "onclick", "javascript:", "data:", "<iframe", "<svg", "<style", "<form"]

VISIBLE = [
    "Before the image",
    "after the image.",
    "plain js",
    "data link",
    "markdown js",
    "Safe links:",
    "Click-bait sentence.",
    f"Emoji {THUMBS_UP_MEDIUM} and family {FAMILY} in one line.",
    f"Hangul: {HANGUL}.",
    f"Accents built from combining marks: {COMBINING}.",
    "outer item",
    "inner item one",
    "inner item two",
    "last outer item",
    "Column A",
    "cell two",
    '<script>alert("shown as text")</script>',
    "First line of a poem\nsecond line of the poem",
]


@pytest.fixture
def hostile(db, write_markdown):
    return list(import_file(write_markdown(HOSTILE, name="hostile.md")).article.paragraphs.all())


@pytest.mark.parametrize("forbidden", FORBIDDEN)
def test_no_paragraph_html_keeps_anything_that_runs_code(hostile, forbidden):
    for paragraph in hostile:
        assert forbidden not in paragraph.html.lower(), (paragraph.source, paragraph.html)


@pytest.mark.parametrize("scheme", ["javascript:", "data:"])
def test_no_dangerous_url_scheme_hides_behind_character_references(hostile, scheme):
    for paragraph in hostile:
        assert scheme not in html.unescape(paragraph.html).lower(), (paragraph.source, paragraph.html)


def test_every_hostile_link_loses_its_href(hostile):
    (links,) = [paragraph for paragraph in hostile if "plain js" in paragraph.text]
    assert links.html.count("<a ") == 6
    assert "href" not in links.html


def test_every_visible_word_survives_in_the_text(hostile):
    text = "\n".join(paragraph.text for paragraph in hostile)
    assert [words for words in VISIBLE if words not in text] == []


def test_emoji_hangul_and_combining_marks_keep_their_exact_code_points(hostile):
    text = "".join(paragraph.text for paragraph in hostile)
    assert "e\u0301" in text
    assert "\u00e9" not in text  # not normalized to the precomposed é
    assert "\U0001f3fd" in text  # skin tone modifier
    assert text.count("\u200d") == 2  # the family's zero-width joiners


def test_the_script_inside_a_code_block_is_escaped_text(hostile):
    (code,) = [paragraph for paragraph in hostile if paragraph.kind == "code"]
    assert "&lt;script&gt;" in code.html
    assert code.text == '<script>alert("shown as text")</script>\n'


def test_nested_lists_and_tables_keep_their_structure(hostile):
    kinds = [paragraph.kind for paragraph in hostile]
    assert kinds.count("list") == 1
    assert kinds.count("table") == 1
    (nested,) = [paragraph for paragraph in hostile if paragraph.kind == "list"]
    assert nested.html.count("<ul>") == 2
    (table,) = [paragraph for paragraph in hostile if paragraph.kind == "table"]
    assert "<th>Column A</th>" in table.html
    assert "<td>cell two</td>" in table.html


def test_two_trailing_spaces_make_a_line_break(hostile):
    (poem,) = [paragraph for paragraph in hostile if "poem" in paragraph.text]
    assert "First line of a poem<br>" in poem.html


def test_http_https_and_mailto_links_survive_with_noopener(hostile):
    (links,) = [paragraph for paragraph in hostile if "Safe links" in paragraph.text]
    for href in ("https://example.org/page", "http://example.com/", "mailto:reader@example.org"):
        assert f'href="{href}"' in links.html
    assert links.html.count('rel="noopener noreferrer"') == 3


def test_blocks_that_sanitize_to_nothing_are_dropped(hostile):
    sources = [paragraph.source for paragraph in hostile]
    assert not [source for source in sources if source.startswith(("<script", "<style", "<svg", "<iframe"))]
    assert all(paragraph.text.strip() for paragraph in hostile)


def test_every_paragraph_text_is_the_text_content_of_its_html(hostile):
    for paragraph in hostile:
        assert paragraph.text == text_content(paragraph.html)


# Laws


@settings(deadline=None)  # the first example builds the Markdown converter
@given(st.text())
@example("<p><select><p>")
def test_sanitizing_twice_equals_sanitizing_once(dirty):
    once = sanitize(dirty)
    assert sanitize(once) == once


@settings(deadline=None)
@given(st.text(alphabet=st.characters(exclude_characters="<")))
def test_sanitizing_text_without_tags_twice_equals_sanitizing_once(dirty):
    once = sanitize(dirty)
    assert sanitize(once) == once


@settings(deadline=None)
@given(st.text())
def test_rendered_html_never_contains_a_script_element(source):
    assert "<script" not in markdown_to_html(source).lower()


words = st.text(alphabet=string.ascii_letters + string.digits + " .,!?", max_size=30)


@settings(deadline=None)
@given(
    words,
    st.text().filter(lambda payload: "</" not in payload),
    words,
    st.sampled_from(["script", "SCRIPT", "ScRiPt"]),
)
def test_a_script_element_leaves_no_trace_in_html_or_text(before, payload, after, tag):
    html_ = markdown_to_html(f"{before}<{tag}>{payload}</{tag}>{after}")
    assert "<script" not in html_.lower()
    assert "<script" not in text_content(html_).lower()


def test_text_of_a_raw_pre_block_is_what_a_browser_reads():
    block = render_block("<pre>\n\nfoo</pre>")
    # The HTML parser drops one newline right after <pre>: a browser reads "\nfoo" from the source,
    # and the stored HTML must say the same, however often it is cleaned again.
    assert block.html == "<pre>\n\nfoo</pre>"
    assert block.text == "\nfoo"
    assert sanitize(block.html) == block.html
