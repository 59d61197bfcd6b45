"""The curator's editor: one change to one block, as the new text `revising.revise` writes.

Each operation takes the article's paragraphs as they are (in order) and what the curator
asked for, and returns an `Edit`: the whole new text as a list of `Entry`, the blocks it
renders (for the preview) and a message for the revision. Everything is read and rendered
here, before any transaction opens; what cannot be written is an `EditError` saying what to
fix, and nothing is changed.

A block is one top-level Markdown block. The editor refuses, rather than silently changes,
what the page would not show as written: raw HTML the sanitizer would drop, a block that
reads as two, an empty one.
"""

import html.parser
from dataclasses import dataclass, field

from django.db import transaction

from reader.html_finding import HtmlFinder, scheme_of, unsafe_url
from reader.importing import split_blocks
from reader.models import Article, Paragraph, Revision, new_key
from reader.rendering import (
    ARTICLE_ATTRIBUTES,
    ARTICLE_TAGS,
    render_block,
    sanitize,
    unsanitized_html,
)
from reader.revising import Entry, paragraph_block, revise

# A block longer than this is more than one block's work: a long table or code listing fits.
MAX_SOURCE = 20_000
MAX_MESSAGE = Revision._meta.get_field("message").max_length
OPERATIONS = ("edit", "insert", "delete", "split", "merge")
SPLITTABLE = {"paragraph", "list", "quote"}
MERGEABLE = {"paragraph", "list", "quote"}
# How two blocks of one kind join: a paragraph runs on, a list goes on, a quote gets a new paragraph.
JOINS = {"paragraph": " ", "list": "\n", "quote": "\n>\n"}


class EditError(ValueError):
    """What is wrong with an edit, in words the curator can act on; `status` is the HTTP answer."""

    status = 400


class StaleEdit(EditError):
    status = 409


@dataclass(frozen=True)
class Edit:
    """One change to the text: the entries for `revise`, the new blocks to show, and why."""

    entries: list
    blocks: list = field(default_factory=list)  # the blocks the change writes, for the preview
    key: str = ""  # the block to show after saving
    message: str = ""


# Reading one block -----------------------------------------------------------------------------


def normalise(source):
    """The source as the page keeps it: LF line ends, no blank lines or trailing spaces around it."""
    source = source.replace("\r\n", "\n").replace("\r", "\n")
    lines = source.split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    return "\n".join(lines).rstrip()


def read_block(source, what="The block"):
    """Check and render one block's Markdown: a Block, or EditError saying what to fix."""
    if len(source) > MAX_SOURCE:
        raise EditError(f"{what} is {len(source):,} characters long; a block holds at most {MAX_SOURCE:,}.")
    if "\x00" in source:
        raise EditError(f"{what} holds a NUL character (U+0000), which text cannot hold; remove it.")
    source = normalise(source)
    if not source:
        raise EditError(f"{what} is empty. Write its text, or delete the block instead.")
    if len(split_blocks(source)) > 1:
        raise EditError(
            f"{what} reads as more than one block (a blank line or a heading starts a new one). "
            "Keep it to one, and use “Insert after” or “Split at cursor” for the rest."
        )
    raw = unsanitized_html(source)
    if dropped := dropped_html(raw):
        raise EditError(
            f"{what} holds {dropped}, which the page would drop. Write it as Markdown "
            "(to show code, put it between backticks); nothing was saved."
        )
    html = sanitize(raw).strip()
    if not html:
        raise EditError(f"{what} renders to nothing (a link definition alone, say). Give it some text.")
    if top_level_elements(html) > 1:
        raise EditError(f"{what} renders as more than one block. Keep it to one, and use “Insert after” for the rest.")
    return render_block(source)


class _DroppedHtml(HtmlFinder):
    """Finds the first thing in Markdown's raw output that the article's sanitizer would remove."""

    def handle_starttag(self, tag, attrs):
        if tag not in ARTICLE_TAGS:
            self.note(f"a <{tag}> element")
            return
        allowed = ARTICLE_ATTRIBUTES.get(tag, set())
        for name, value in attrs:
            if tag == "code" and name == "class" and (value or "").startswith("language-"):
                continue  # a fenced block's language: Markdown's own, harmless to lose
            if name not in allowed:
                self.note(f"the attribute {name} on <{tag}>")
            elif name in {"href", "src"} and unsafe_url(value or ""):
                self.note(f"a link that is not http, https or mailto ({scheme_of(value)}:)")

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        if tag not in ARTICLE_TAGS:
            self.note(f"a </{tag}> end tag")

    def handle_comment(self, data):
        self.note("an HTML comment")

    def handle_decl(self, decl):
        self.note("an HTML declaration")

    def handle_pi(self, data):
        self.note("an HTML processing instruction")

    def unknown_decl(self, data):
        self.note("an HTML declaration")


def dropped_html(raw):
    """Describe the first element, attribute or link of `raw` HTML that sanitizing removes, or None."""
    return _DroppedHtml.first_in(raw)


class _TopLevel(html.parser.HTMLParser):
    VOID = {"br", "hr", "img"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth = self.count = 0

    def handle_starttag(self, tag, attrs):
        self.count += self.depth == 0
        self.depth += tag not in self.VOID

    def handle_endtag(self, tag):
        self.depth = max(0, self.depth - 1)

    def handle_data(self, data):
        self.count += self.depth == 0 and bool(data.strip())


def top_level_elements(html_):
    """How many top-level elements (or runs of bare text) sanitized HTML holds."""
    parser = _TopLevel()
    parser.feed(html_)
    parser.close()
    return parser.count


# The operations ------------------------------------------------------------------------------


def _entries(paragraphs):
    return [Entry(paragraph.key, paragraph_block(paragraph)) for paragraph in paragraphs]


def _at(paragraphs, key):
    for i, paragraph in enumerate(paragraphs):
        if paragraph.key == key:
            return i
    raise EditError(f"This article has no block {key!r} any more; reload the page to see its text as it is now.")


def edit_block(paragraphs, key, source):
    """Replace one block's Markdown; it keeps its key, and so its permalink."""
    i = _at(paragraphs, key)
    block = read_block(source)
    if block.source == paragraphs[i].source:
        raise EditError("The block reads as it did: there is nothing to save.")
    entries = _entries(paragraphs)
    entries[i] = Entry(key, block)
    return Edit(entries, [block], key, f"Edited paragraph {key}")


def insert_after(paragraphs, key, source):
    """A new block after this one, with a key of its own."""
    i = _at(paragraphs, key)
    block = read_block(source, "The new block")
    entries = _entries(paragraphs)
    entries.insert(i + 1, Entry(None, block))
    return Edit(entries, [block], key, f"Inserted a paragraph after {key}")


def delete_block(paragraphs, key):
    i = _at(paragraphs, key)
    if len(paragraphs) == 1:
        raise EditError("This is the article's only block; an article keeps at least one.")
    entries = _entries(paragraphs)
    del entries[i]
    after = paragraphs[i - 1].key if i else paragraphs[1].key
    return Edit(entries, [], after, f"Deleted paragraph {key}")


def split_block(paragraphs, key, source, cursor):
    """Split the block's Markdown in two at `cursor` (code points into the source as written).

    The first part keeps the key; the second is a new block. A quote's second part stays a quote.
    """
    i = _at(paragraphs, key)
    source = source.replace("\r\n", "\n").replace("\r", "\n")
    whole = read_block(source)
    if whole.kind not in SPLITTABLE:
        raise EditError(f"A {whole.kind} cannot be split at the cursor; only paragraphs, lists and quotes can.")
    cursor = _cursor(cursor, source)
    first, second = normalise(source[:cursor]), normalise(source[cursor:])
    if not first or not second:
        raise EditError(
            "Put the cursor inside the text, where the second block should begin: "
            "at its very start or end there is nothing to split."
        )
    if whole.kind == "quote" and not second.lstrip().startswith(">"):
        second = "> " + second.lstrip()
    blocks = [read_block(first, "The first part"), read_block(second, "The second part")]
    entries = _entries(paragraphs)
    entries[i : i + 1] = [Entry(key, blocks[0]), Entry(None, blocks[1])]
    return Edit(entries, blocks, key, f"Split paragraph {key}")


def _cursor(value, source):
    try:
        cursor = int(value)
    except (TypeError, ValueError):
        raise EditError("Put the cursor in the text where the block should split, then choose “Split”.") from None
    if not 0 <= cursor <= len(source):
        raise EditError(f"The cursor ({cursor}) is outside the text, which is {len(source)} characters long.")
    return cursor


def merge_with_next(paragraphs, key, source):
    """Join this block (as the editor now has it) with the next; the first keeps its key."""
    i = _at(paragraphs, key)
    if i + 1 == len(paragraphs):
        raise EditError("This is the last block: there is nothing after it to merge with.")
    first, second = read_block(source), paragraph_block(paragraphs[i + 1])
    if first.kind != second.kind or first.kind not in MERGEABLE:
        raise EditError(
            f"A {first.kind} cannot be merged with a {second.kind} after it: only two paragraphs, "
            "two lists or two quotes can be merged. Edit the blocks instead."
        )
    if first.kind == "list" and _list_tag(first) != _list_tag(second):
        raise EditError("A numbered list cannot be merged with a bulleted one; edit the blocks instead.")
    joined = first.source.rstrip() + JOINS[first.kind] + second.source.lstrip()
    try:
        block = read_block(joined, "The merged block")
    except EditError as error:
        raise EditError(f"These two blocks cannot be merged. {error}") from None
    entries = _entries(paragraphs)
    entries[i : i + 2] = [Entry(key, block)]
    return Edit(entries, [block], key, f"Merged paragraph {paragraphs[i + 1].key} into {key}")


def _list_tag(block):
    return block.html[:4]  # "<ol>" (or "<ol " with a start) or "<ul>"


def make_edit(paragraphs, operation, key, source="", cursor=None):
    """The Edit a request asks for: `operation` is one of OPERATIONS."""
    if operation == "edit":
        return edit_block(paragraphs, key, source)
    if operation == "insert":
        return insert_after(paragraphs, key, source)
    if operation == "delete":
        return delete_block(paragraphs, key)
    if operation == "split":
        return split_block(paragraphs, key, source, cursor)
    if operation == "merge":
        return merge_with_next(paragraphs, key, source)
    raise EditError(f"Unknown change {operation!r}: choose edit, insert, delete, split or merge.")


# Before and after ------------------------------------------------------------------------------


def paragraphs_after(article, entries):
    """The text `entries` would write, as unsaved Paragraphs keyed as `revise` will key them."""
    taken = {entry.key for entry in entries if entry.key is not None}
    after = []
    for position, entry in enumerate(entries):
        block = entry.block
        key = entry.key if entry.key is not None else new_key(block.text, taken)
        after.append(
            Paragraph(
                article=article,
                position=position,
                key=key,
                kind=block.kind,
                level=block.level,
                source=block.source,
                html=block.html,
                text=block.text,
            )
        )
    return after


def check_revision(article, revision):
    """Refuse an edit made on an older text than the article's own: StaleEdit (409)."""
    try:
        revision = int(revision)
    except (TypeError, ValueError):
        raise EditError("The form lost the revision it was opened at; reload the page and edit again.") from None
    if revision != article.revision:
        raise StaleEdit(
            f"The article changed since this editor opened (revision {revision} is now {article.revision}), "
            "so nothing was saved: copy your text, reload the page and make your change again."
        )


def read_message(message):
    """The revision's message, as one line of at most MAX_MESSAGE characters."""
    message = " ".join((message or "").split())
    if len(message) > MAX_MESSAGE:
        raise EditError(f"The message is {len(message):,} characters long; keep it to {MAX_MESSAGE}.")
    return message


def save(article, edit, *, revision, author=None, message=""):
    """Write `edit` as a new revision, if the article is still at `revision`; returns the Revision."""
    message = read_message(message) or edit.message
    with transaction.atomic():
        locked = Article.objects.select_for_update().get(pk=article.pk)
        check_revision(locked, revision)
        return revise(locked, edit.entries, author=author, message=message)
