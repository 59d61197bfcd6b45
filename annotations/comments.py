"""Readers' comments: Markdown rendered once, on save, to HTML that cannot run anything.

A comment that tries to carry active content (a script, an event handler, a javascript:
link…) is refused with a message rather than silently cleaned, so the author learns why
their text looks different. What passes is still sanitized with nh3.
"""

import html
import re
from html.parser import HTMLParser

from django.urls import reverse

from reader.rendering import URL_SCHEMES, TextWalker, markdown_to_html, unsanitized_html

COMMENT_TAGS = {
    "a", "b", "blockquote", "br", "code", "del", "em", "h3", "h4", "h5", "h6", "hr", "i", "li",
    "ol", "p", "pre", "s", "strong", "sub", "sup", "ul",
}  # fmt: skip
COMMENT_ATTRIBUTES = {"a": {"href", "title"}}
COMMENT_LINK_REL = "nofollow noopener noreferrer ugc"
ACTIVE_TAGS = {
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "form", "input",
    "button", "textarea", "select", "svg", "math", "link", "meta", "base", "template", "noscript",
}  # fmt: skip
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background"}
MAX_COMMENT_LENGTH = 10_000
MENTION = re.compile(r"(?<![\w@/.])@([\w.+-]*\w)")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):", re.IGNORECASE)
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")


class _ActiveContentFinder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = None

    def handle_starttag(self, tag, attrs):
        if self.found:
            return
        if tag in ACTIVE_TAGS:
            self.found = f"a <{tag}> element"
            return
        for name, value in attrs:
            if name.startswith("on"):
                self.found = f"an event handler ({name})"
            elif name in URL_ATTRIBUTES and _unsafe_url(value or ""):
                self.found = f"a link that is not http, https or mailto ({_scheme_of(value)}:)"
            elif name == "style":
                self.found = "a style attribute"

    handle_startendtag = handle_starttag


def _scheme_of(url):
    match = _SCHEME.match(_INVISIBLE.sub("", html.unescape(url)))
    return match.group(1).lower() if match else ""


def _unsafe_url(url):
    scheme = _scheme_of(url)
    return bool(scheme) and scheme not in URL_SCHEMES


def active_content(markdown_source):
    """Describe the first active thing the comment's HTML would contain, or return None."""
    finder = _ActiveContentFinder()
    finder.feed(unsanitized_html(markdown_source))
    finder.close()
    return finder.found


def render_comment(source, mentionable=frozenset()):
    """Markdown → safe HTML, with each @name of `mentionable` linked to that reader's page."""
    html_ = markdown_to_html(source, tags=COMMENT_TAGS, attributes=COMMENT_ATTRIBUTES, link_rel=COMMENT_LINK_REL)
    return link_mentions(html_, mentionable) if mentionable else html_


class _MentionLinker(TextWalker):
    """Rewrites @name in text, leaving code, pre and existing links alone."""

    SKIP = {"a", "code", "pre"}

    def __init__(self, names):
        super().__init__()
        self.names, self.out, self.skipping = names, [], 0

    def tag(self, tag):
        self.skipping += tag in self.SKIP
        self.out.append(self.get_starttag_text())

    def end_tag(self, tag):
        self.skipping -= tag in self.SKIP and self.skipping > 0
        self.out.append(f"</{tag}>")

    def skipped(self, data):
        self.out.append(data)

    def text(self, data):
        escaped = html.escape(data, quote=False)
        if not self.skipping:
            escaped = MENTION.sub(self._link, escaped)
        self.out.append(escaped)

    def _link(self, match):
        name = match.group(1)
        if name not in self.names:
            return match.group(0)
        return f'<a class="mention" href="{reverse("person-detail", args=[name])}">@{name}</a>'


def link_mentions(html_, names):
    linker = _MentionLinker(set(names))
    linker.feed(html_)
    linker.close()
    return "".join(linker.out)


def check_comment(source):
    """Return an error message a person can act on, or None when the comment is fine."""
    if len(source) > MAX_COMMENT_LENGTH:
        return f"The comment is {len(source):,} characters long; the limit is {MAX_COMMENT_LENGTH:,}."
    found = active_content(source)
    if found:
        return (
            f"The comment contains {found}, which is not allowed. Comments are Markdown: "
            "to show code, put it between backticks."
        )
    if "\x00" in source:
        return "The comment contains a NUL character (U+0000), which text cannot hold; remove it."
    return None
