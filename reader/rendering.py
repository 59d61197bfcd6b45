"""Markdown → sanitized HTML → text, for one block of an article.

Python-Markdown passes raw HTML through, so everything it produces goes through nh3's
allow-list. `text` is then read back from the sanitized HTML exactly as a browser's
`textContent` would give it, because annotation offsets count into that string.
"""

import re
import threading
from dataclasses import dataclass
from html.parser import HTMLParser

import markdown
import nh3

from reader.bounded_markdown import BoundedWork

ARTICLE_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "cite", "code", "del", "dd", "dl", "dt", "em",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol",
    "p", "pre", "q", "s", "samp", "small", "strong", "sub", "sup", "table", "tbody", "td",
    "tfoot", "th", "thead", "tr", "u", "ul",
}  # fmt: skip
ARTICLE_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "ol": {"start"},
    "td": {"align", "colspan", "rowspan"},
    "th": {"align", "colspan", "rowspan", "scope"},
}
URL_SCHEMES = {"http", "https", "mailto"}

KIND_OF_TAG = {
    "p": "paragraph",
    "ul": "list",
    "ol": "list",
    "dl": "list",
    "blockquote": "quote",
    "pre": "code",
    "table": "table",
    "hr": "rule",
}
HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}

_local = threading.local()


def _markdown():
    # Building a Markdown instance costs far more than converting a block: reuse one per thread.
    if not hasattr(_local, "md"):
        _local.md = markdown.Markdown(
            extensions=["tables", "fenced_code", "sane_lists", BoundedWork()],
            extension_configs={"tables": {"use_align_attribute": True}},
        )
    return _local.md


_SURROGATES = re.compile("[\ud800-\udfff]")


def replace_surrogates(text):
    """Lone UTF-16 surrogates (JSON can carry them) cannot be stored or encoded: replace them."""
    return _SURROGATES.sub("\ufffd", text)


# A parser drops one newline right after <pre>; the serializer must then write two, as the HTML
# spec's serializer does, or each round of cleaning loses a line and never reaches a fixed point.
PRE_NEWLINE = re.compile(r"(<(?:pre|listing|textarea)\b[^>]*>)\n")


def sanitize(html, *, tags=ARTICLE_TAGS, attributes=ARTICLE_ATTRIBUTES, link_rel="noopener noreferrer"):
    """Clean `html` to a fixed point.

    Dropping an element can leave markup that parses differently the next time (nh3 turns
    `<p><select><p>` into `<p><p></p></p>`, which a browser reads as three paragraphs), and
    our offsets must count the text a browser builds. Cleaning again until nothing changes
    gives HTML that a browser parses into exactly what we serialized.
    """
    html = replace_surrogates(html)
    for _ in range(4):
        cleaned = nh3.clean(html, tags=tags, attributes=attributes, url_schemes=URL_SCHEMES, link_rel=link_rel)
        cleaned = PRE_NEWLINE.sub(r"\1\n\n", cleaned)
        if cleaned == html:
            break
        html = cleaned
    return html


def unsanitized_html(source):
    """Python-Markdown's own output, raw HTML included: never show this to a browser."""
    return _markdown().reset().convert(source)


def markdown_to_html(source, **sanitize_options):
    return sanitize(unsanitized_html(source), **sanitize_options).strip()


class TextWalker(HTMLParser):
    """Walks HTML's text as a browser's parser builds it.

    One rule of HTML parsing matters here: a newline right after `<pre>` (or `<listing>`,
    `<textarea>`) is dropped, so it is no part of the element's textContent. Subclasses
    get `text(data)` for the text that counts and `skipped(data)` for the newline that doesn't.
    """

    PRE_TAGS = {"pre", "listing", "textarea"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self._after_pre = False

    def handle_starttag(self, tag, attrs):
        self._after_pre = tag in self.PRE_TAGS
        self.tag(tag)

    def handle_startendtag(self, tag, attrs):
        self._after_pre = False
        self.tag(tag)

    def handle_endtag(self, tag):
        self._after_pre = False
        self.end_tag(tag)

    def handle_data(self, data):
        if self._after_pre and data.startswith("\n"):
            self.skipped("\n")
            data = data[1:]
        self._after_pre = False
        if data:
            self.text(data)

    def tag(self, tag):
        pass

    def end_tag(self, tag):
        pass

    def skipped(self, data):
        pass

    def text(self, data):
        pass


class _TextContent(TextWalker):
    def __init__(self):
        super().__init__()
        self.parts = []
        self.first_tag = None

    def tag(self, tag):
        if self.first_tag is None:
            self.first_tag = tag

    def text(self, data):
        self.parts.append(data)


def _read(html):
    parser = _TextContent()
    parser.feed(html)
    parser.close()
    return parser


def text_content(html):
    """What `element.textContent` gives for an element whose innerHTML is `html`."""
    return "".join(_read(html).parts)


@dataclass(frozen=True)
class Block:
    source: str
    kind: str
    level: int | None
    html: str
    text: str


def render_block(source):
    html = markdown_to_html(source)
    parser = _read(html)
    tag = parser.first_tag
    level = HEADINGS.get(tag)
    kind = "heading" if level else KIND_OF_TAG.get(tag, "paragraph")
    return Block(source=source, kind=kind, level=level, html=html, text="".join(parser.parts))
