"""Turn a Markdown file into an Article of Paragraphs, or update one in place.

One paragraph per top-level Markdown block. Everything is parsed and rendered before
the first write, and all writes happen in one transaction, so a bad file changes
nothing. Re-importing keeps the key (and so every note's anchor) of each paragraph
whose text is unchanged.
"""

import datetime
import re
from collections import defaultdict, deque
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils.text import slugify

from reader.models import Article, Paragraph, first_line_break
from reader.rendering import Block, render_block
from reader.revising import Entry, finish, first_revision, new_paragraphs, write

HEADER_FIELDS = ("title", "author", "date", "source")
HEADER_LINE = re.compile(r"^([A-Za-z]+)\s*:\s*(.*)$")
FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
ATX_HEADING = re.compile(r"^ {0,3}#{1,6}(\s|$)")
LIST_ITEM = re.compile(r"^ {0,3}([*+-]|\d{1,9}[.)])(\s|$)")
INDENTED = re.compile(r"^( {4}|\t)")
MAX_TITLE = Article._meta.get_field("title").max_length
MAX_AUTHOR = Article._meta.get_field("author").max_length
MAX_SLUG = Article._meta.get_field("slug").max_length
MAX_SOURCE = Article._meta.get_field("source_url").max_length


class ArticleImportError(Exception):
    """A problem with the input file; the message says what to fix."""


@dataclass
class ImportResult:
    article: Article
    created: bool
    added: int = 0
    removed: int = 0
    kept: int = 0
    changed: bool = True
    revised: bool = True

    def summary(self):
        a = self.article
        if self.created:
            return f"Imported “{a.title}” as /articles/{a.slug}/: {self.added} paragraphs ({a.status})."
        if not self.changed:
            return f"“{a.title}” is unchanged; revision stays {a.revision}."
        if not self.revised:
            return f"“{a.title}” is now {a.status}; its text is unchanged (revision {a.revision})."
        return (
            f"Updated “{a.title}” to revision {a.revision}: {self.kept} paragraphs kept, "
            f"{self.added} added, {self.removed} removed ({a.status})."
        )


def read_markdown_file(path):
    path = Path(path)
    if not path.exists():
        raise ArticleImportError(f"No such file: {path}")
    if path.is_dir():
        raise ArticleImportError(f"{path} is a folder; give the path of a Markdown file.")
    return decode_markdown(path.read_bytes(), path)


def decode_markdown(data, name):
    """The text of a Markdown file's bytes (`name` says which file, in the errors)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ArticleImportError(
            f"{name} is not UTF-8 text (byte 0x{data[error.start]:02x} at offset {error.start}); "
            "save it as UTF-8 and try again."
        ) from None
    if not text.strip():
        raise ArticleImportError(f"{name} is empty.")
    return text


def parse_header(text):
    """Split an optional `Title:` / `Author:` / `Date:` / `Source:` header from the body."""
    lines = text.split("\n")
    first = HEADER_LINE.match(lines[0])
    if not first or first.group(1).lower() not in HEADER_FIELDS:
        return {}, text
    meta = {}
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            return meta, "\n".join(lines[number:])
        match = HEADER_LINE.match(line)
        field = match.group(1).lower() if match else None
        if field not in HEADER_FIELDS:
            raise ArticleImportError(
                f"Line {number} of the header is not a field: {line.strip()[:60]!r}. "
                "The header holds Title:, Author:, Date: and Source: lines and ends with a blank line."
            )
        meta[field] = match.group(2).strip()
    return meta, ""


def split_blocks(body):
    """Return the Markdown source of each top-level block, in order."""
    chunks, current, fence = [], [], None

    def flush():
        if current:
            chunks.append(current.copy())
            current.clear()

    for line in body.split("\n"):
        if fence:
            current.append(line)
            if line.strip().startswith(fence) and not line.strip().strip(fence[0]):
                fence = None
            continue
        if match := FENCE.match(line):
            fence = match.group(1)
            current.append(line)
        elif not line.strip():
            flush()
        elif ATX_HEADING.match(line):
            flush()
            current.append(line)
            flush()
        else:
            current.append(line)
    flush()
    return ["\n".join(chunk) for chunk in _merge_continuations(chunks)]


def _list_marker(line):
    match = LIST_ITEM.match(line)
    if not match:
        return None
    return "ordered" if match.group(1)[0].isdigit() else "bullet"


def _merge_continuations(chunks):
    """Blank lines split chunks; glue back loose list items and indented continuations."""
    merged = []
    for chunk in chunks:
        previous = merged[-1] if merged else None
        opens_list = previous and _list_marker(previous[0])
        continues = previous and INDENTED.match(chunk[0]) and (opens_list or INDENTED.match(previous[0]))
        same_list = opens_list and _list_marker(chunk[0]) == opens_list
        if continues or same_list:
            previous.extend(["", *chunk])
        else:
            merged.append(chunk)
    return merged


def _has_content(block):
    return block.text.strip() or block.kind == "rule" or "<img" in block.html


def _lines(text):
    return text.replace("\r\n", "\n").replace("\r", "\n")


def parse_article(text, rendered=None):
    """Parse and render everything; return (meta, blocks). Raises ArticleImportError.

    `rendered` ({source: Block}) holds blocks rendered already, the stored paragraphs of the
    article being imported again: only the blocks whose source is not among them are rendered
    (Markdown is most of an import's work), and a source repeated in the file is rendered once.
    """
    meta, body = parse_header(_lines(text))
    rendered = dict(rendered or {})
    blocks = []
    for source in split_blocks(body):
        if source not in rendered:
            rendered[source] = render_block(source)
        if _has_content(rendered[source]):
            blocks.append(rendered[source])
    if "title" not in meta and blocks and blocks[0].kind == "heading" and blocks[0].level == 1:
        meta["title"] = blocks.pop(0).text.strip()
    if not blocks:
        raise ArticleImportError("The file has no text blocks: nothing to import.")
    return _check_meta(meta), blocks


def _check_meta(meta):
    if len(meta.get("title", "")) > MAX_TITLE:
        raise ArticleImportError(f"The title is longer than {MAX_TITLE} characters.")
    if found := first_line_break(meta.get("title", "")):
        raise ArticleImportError(f"The title holds a line break (U+{ord(found):04X}); a title is one line.")
    if len(meta.get("author", "")) > MAX_AUTHOR:
        raise ArticleImportError(f"The author is longer than {MAX_AUTHOR} characters.")
    if "date" in meta:
        meta["date"] = _parse_date(meta["date"])
    source = meta.get("source", "")
    if source and not re.match(r"^https?://\S+$", source):
        raise ArticleImportError(f"Source {source!r} is not an http(s) URL.")
    if len(source) > MAX_SOURCE:
        raise ArticleImportError(f"Source is longer than {MAX_SOURCE} characters; give a shorter URL.")
    return meta


def _parse_date(value):
    """An empty Date: means no date; anything else must be YYYY-MM-DD."""
    if not value:
        return None
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            raise ValueError
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise ArticleImportError(f"Date {value!r} is not a date; write it as YYYY-MM-DD.") from None


def import_file(path, *, slug=None, draft=False):
    path = Path(path)
    return import_text(read_markdown_file(path), name=path.stem, slug=slug, draft=draft)


def import_text(text, *, name="", slug=None, draft=False):
    """Import Markdown `text`; the slug is `slug`, else made from `name` (the file's), else from the title."""
    known = slug or slugify(name) or slugify(parse_header(_lines(text))[0].get("title", ""))
    meta, blocks = parse_article(text, stored_blocks(known) if known else None)
    slug = slug or slugify(name) or slugify(meta.get("title", ""))
    if not slug:
        raise ArticleImportError("Cannot make a slug from the file name or title; give one with --slug.")
    return save_article(slug, meta, blocks, draft=draft)


def stored_blocks(slug):
    """The paragraphs the article `slug` has now, as rendered blocks by source ({} for a new article).

    A source renders to the same block whenever it is rendered, so an import again of an edited
    file renders only what was edited.
    """
    rows = Paragraph.objects.filter(article__slug=slug).values_list("source", "kind", "level", "html", "text")
    return {row[0]: Block(*row) for row in rows}


def _check_slug(slug):
    if len(slug) > MAX_SLUG or not re.fullmatch(r"[-a-zA-Z0-9_]+", slug):
        raise ArticleImportError(
            f"{slug!r} is not a valid slug: use at most {MAX_SLUG} letters, digits, hyphens and underscores."
        )


@transaction.atomic
def save_article(slug, meta, blocks, *, draft=False):
    _check_slug(slug)
    article = Article.objects.select_for_update().filter(slug=slug).first()
    created = article is None
    if created:
        article = Article(slug=slug)
    fields = {
        "title": meta.get("title") or article.title or slug.replace("-", " ").capitalize(),
        "author": meta.get("author", article.author),
        "published_on": meta.get("date", article.published_on),
        "source_url": meta.get("source", article.source_url),
    }
    meta_changed = any(getattr(article, name) != value for name, value in fields.items())
    status = Article.Status.DRAFT if draft else Article.Status.PUBLISHED
    status_changed = article.status != status
    for name, value in fields.items():
        setattr(article, name, value)
    article.status = status
    if created:
        article.save()
        Paragraph.objects.bulk_create(new_paragraphs(article, enumerate(blocks), set()), batch_size=1000)
        first_revision(article, message="Imported")
        return ImportResult(article, created=True, added=len(blocks))
    entries, result = _entries(article, blocks)
    before = write(article, entries)
    result.changed = before is not None
    # Publishing is not an edit: the revision counts changes to what readers read.
    result.revised = result.changed or meta_changed
    if result.revised or status_changed:
        article.save()
    if result.revised:
        finish(article, before, message="Imported again" if result.changed else "Details changed by an import")
    result.changed = result.revised or status_changed
    return result


def _entries(article, blocks):
    """The new text as entries: each block whose text an old paragraph has continues that paragraph.

    A paragraph is matched by its text alone, so its key (and every note's anchor on it) survives
    a move or a change of markup; a block with new text is a new paragraph.
    """
    by_text = defaultdict(deque)
    for key, text in article.paragraphs.order_by("position").values_list("key", "text"):
        by_text[text].append(key)
    entries = [Entry(by_text[block.text].popleft() if by_text[block.text] else None, block) for block in blocks]
    kept = sum(entry.key is not None for entry in entries)
    removed = sum(len(keys) for keys in by_text.values())
    return entries, ImportResult(article, created=False, added=len(blocks) - kept, removed=removed, kept=kept)
