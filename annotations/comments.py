"""Readers' comments: Markdown rendered once, on save, to HTML that cannot run anything.

A comment that tries to carry active content (a script, an event handler, a javascript:
link…) is refused with a message rather than silently cleaned, so the author learns why
their text looks different. What passes is still sanitized with nh3.

`read_comment` checks and renders with one pass of Markdown, and annotations.writing calls
it before it opens a transaction (on SQLite a transaction holds the database's write lock).
@mentions are linked after the note is saved (`link_mentions`, a pass over the rendered
HTML), because who may be mentioned depends on who can read the saved note.
"""

import html
import html.parser
import re
from dataclasses import dataclass

from django.urls import reverse

from reader.html_finding import HtmlFinder, scheme_of, unsafe_url
from reader.rendering import TextWalker, markdown_to_html, sanitize, unsanitized_html

COMMENT_TAGS = {
    "a", "b", "blockquote", "br", "code", "del", "em", "h3", "h4", "h5", "h6", "hr", "i", "li",
    "ol", "p", "pre", "s", "strong", "sub", "sup", "ul",
}  # fmt: skip
COMMENT_ATTRIBUTES = {"a": {"href", "title"}}
COMMENT_LINK_REL = "nofollow noopener noreferrer ugc"
COMMENT_HTML = {"tags": COMMENT_TAGS, "attributes": COMMENT_ATTRIBUTES, "link_rel": COMMENT_LINK_REL}
ACTIVE_TAGS = {
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "form", "input",
    "button", "textarea", "select", "svg", "math", "link", "meta", "base", "template", "noscript",
}  # fmt: skip
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background"}
MAX_COMMENT_LENGTH = 10_000
MENTION = re.compile(r"(?<![\w@/.])@([\w.+-]*\w)")


class CommentError(ValueError):
    """What is wrong with a comment, in words its author can act on."""


@dataclass(frozen=True)
class Comment:
    """A checked comment: its Markdown, and the safe HTML that renders it (without @mention links)."""

    source: str
    html: str


class _ActiveContentFinder(HtmlFinder):
    def handle_starttag(self, tag, attrs):
        if self.found:
            return
        if tag in ACTIVE_TAGS:
            self.found = f"a <{tag}> element"
            return
        for name, value in attrs:
            if name.startswith("on"):
                self.found = f"an event handler ({name})"
            elif name in URL_ATTRIBUTES and unsafe_url(value or ""):
                self.found = f"a link that is not http, https or mailto ({scheme_of(value)}:)"
            elif name == "style":
                self.found = "a style attribute"

    handle_startendtag = handle_starttag


def active_content(unsanitized):
    """Describe the first active thing in Markdown's HTML for a comment, or return None."""
    return _ActiveContentFinder.first_in(unsanitized)


def read_comment(source):
    """Check and render a comment with one pass of Markdown: a Comment, or CommentError saying what to fix.

    What is stored and shown is the comment without its outer whitespace, so that is what is read.
    """
    if len(source) > MAX_COMMENT_LENGTH:
        raise CommentError(f"The comment is {len(source):,} characters long; the limit is {MAX_COMMENT_LENGTH:,}.")
    text = source.strip()
    unsanitized = unsanitized_html(text) if text else ""
    found = active_content(unsanitized)
    if found:
        raise CommentError(
            f"The comment contains {found}, which is not allowed. Comments are Markdown: "
            "to show code, put it between backticks."
        )
    if "\x00" in text:
        raise CommentError("The comment contains a NUL character (U+0000), which text cannot hold; remove it.")
    return Comment(source=text, html=sanitize(unsanitized, **COMMENT_HTML).strip())


def check_comment(source):
    """Return an error message a person can act on, or None when the comment is fine."""
    try:
        read_comment(source)
    except CommentError as error:
        return str(error)
    return None


def render_comment(source, mentionable=frozenset()):
    """Markdown → safe HTML, with each @name of `mentionable` linked to that reader's page."""
    html_ = markdown_to_html(source, **COMMENT_HTML)
    return link_mentions(html_, mentionable) if mentionable else html_


class _MentionLinker(TextWalker):
    """Rewrites @name in text, leaving code, pre and other links alone.

    A mention link from an earlier save is undone and decided again: who can read the note,
    and so who may be mentioned, may have changed since.
    """

    SKIP = {"a", "code", "pre"}

    def __init__(self, names):
        super().__init__()
        self.names, self.out, self.skipping, self.relinking = names, [], 0, 0

    def handle_starttag(self, tag, attrs):
        if tag == "a" and ("class", "mention") in attrs:  # nh3 drops every class a reader writes
            self.relinking += 1
            return
        super().handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag == "a" and self.relinking:
            self.relinking -= 1
            return
        super().handle_endtag(tag)

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
