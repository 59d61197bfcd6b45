"""Read a rendered reading page the way a person (or a browser's DOM) sees it."""

import html
import re
from html.parser import HTMLParser

BLOCK_TEXT = re.compile(r'<div class="block-text"[^>]*? data-key="([^"]*)"[^>]*>(.*?)</div>', re.DOTALL)
TAG = re.compile(r"<[^>]+>")


def block_inner_html(page):
    """{key: inner HTML of the block's `.block-text` element}, in page order.

    Paragraph HTML never contains a <div> (the sanitizer does not allow one), so the
    first `</div>` after the opening tag closes the element.
    """
    return dict(BLOCK_TEXT.findall(page))


def visible_text(fragment):
    """The text of an HTML fragment with tags dropped, entities decoded and whitespace collapsed."""
    return " ".join(html.unescape(TAG.sub("", fragment)).split())


class Elements(HTMLParser):
    """Every element's tag and attributes, in document order."""

    def __init__(self, page):
        super().__init__(convert_charrefs=True)
        self.elements = []
        self.feed(page)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    def ids(self):
        return [attrs["id"] for _, attrs in self.elements if "id" in attrs]

    def links(self, css_class=None):
        return [
            attrs.get("href", "")
            for tag, attrs in self.elements
            if tag == "a" and (css_class is None or css_class in (attrs.get("class") or "").split())
        ]
