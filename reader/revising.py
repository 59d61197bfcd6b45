"""Every change of an article's text goes through here, whoever makes it.

An import, an edit in the admin, the curator's editor and a revert all end in `finish`:
the article's revision number goes up, a Revision keeps the paragraphs as they now are
(who, when, why), and `text_changed` is sent with the paragraphs as they were, so whatever
points into the text (readers' notes) is re-anchored in the same transaction.

A new text is given as a list of `Entry`: a rendered block, and the key of the paragraph it
continues (None for a new paragraph). A paragraph keeps its key, and so its permalink, while
its text is corrected; paragraphs whose keys are not given are removed.
"""

import copy
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from reader.models import Article, Paragraph, Revision, base_key, new_key
from reader.rendering import Block
from reader.signals import text_changed


@dataclass(frozen=True)
class Entry:
    key: str | None
    block: object  # rendering.Block


class RevisionError(ValueError):
    """The new text cannot be written as given; the message says why."""


def snapshot(article):
    """The article's paragraphs as they are now, as copies later writes will not change."""
    return [copy.copy(paragraph) for paragraph in article.paragraphs.order_by("position")]


def sources(paragraphs):
    return [[paragraph.key, paragraph.source] for paragraph in paragraphs]


def same_text(before, after):
    """Whether two lists of paragraphs read the same: the same keys, in order, with the same sources."""
    return [(p.key, p.source) for p in before] == [(p.key, p.source) for p in after]


def write(article, entries):
    """Make the article's paragraphs `entries`, in order; return the paragraphs as they were.

    Rows are updated in place where a key continues, created for new blocks and deleted for
    keys not given. Returns None, writing nothing, when the text would not change.
    """
    rows = {paragraph.key: paragraph for paragraph in article.paragraphs.order_by("position")}
    before = list(rows.values())  # as `snapshot` gives: a row is copied below before it is changed
    given = [entry.key for entry in entries if entry.key is not None]
    if len(set(given)) != len(given):
        raise RevisionError("A paragraph's key is given twice.")
    if unknown := set(given) - set(rows):
        raise RevisionError(f"This article has no paragraph with key {sorted(unknown)[0]!r}.")
    entries = _continuing(entries, rows, set(given))
    given = [entry.key for entry in entries if entry.key is not None]
    if [(entry.key, entry.block.source) for entry in entries] == [(p.key, p.source) for p in before]:
        return None
    taken = set(given)
    removed = [paragraph.pk for key, paragraph in rows.items() if key not in taken]
    Paragraph.objects.filter(pk__in=removed).delete()
    kept, fresh = [], []
    for position, entry in enumerate(entries):
        if entry.key is None:
            fresh.append((position, entry.block))
            continue
        paragraph, block = rows[entry.key], entry.block
        if (paragraph.position, paragraph.source) != (position, block.source):
            paragraph = copy.copy(paragraph)
            paragraph.position, paragraph.source = position, block.source
            paragraph.kind, paragraph.level, paragraph.html, paragraph.text = (
                block.kind,
                block.level,
                block.html,
                block.text,
            )
            kept.append(paragraph)
    _move(kept, len(before) + len(entries))
    Paragraph.objects.bulk_create(new_paragraphs(article, fresh, taken), batch_size=1000)
    return before


def _continuing(entries, rows, given):
    """Entries for new blocks that continue a paragraph otherwise removed, the one whose key their text gives.

    A removed paragraph's key would go to the new block with its text (keys come from text):
    the block continues that row instead, so what points at the row (notes) keeps pointing at it.
    """
    free = set(rows) - given
    continued = []
    for entry in entries:
        key = base_key(entry.block.text) if entry.key is None else None
        if key in free:
            free.discard(key)
            entry = Entry(key, entry.block)
        continued.append(entry)
    return continued


def _move(kept, offset):
    """Save changed rows without tripping unique (article, position).

    Positions are unique and checked row by row, so the rows first move to a range no old or
    new position uses, then to their final places. A row that neither moved nor changed keeps
    its position, which no other row's final position can equal.
    """
    final = [paragraph.position for paragraph in kept]
    for paragraph in kept:
        paragraph.position += offset
    Paragraph.objects.bulk_update(kept, ["position"], batch_size=500)
    for paragraph, position in zip(kept, final, strict=True):
        paragraph.position = position
    Paragraph.objects.bulk_update(kept, ["position", "source", "html", "text", "kind", "level"], batch_size=500)


def new_paragraphs(article, numbered_blocks, taken):
    return [
        Paragraph(
            article=article,
            position=position,
            key=new_key(block.text, taken),
            kind=block.kind,
            level=block.level,
            source=block.source,
            html=block.html,
            text=block.text,
        )
        for position, block in numbered_blocks
    ]


def first_revision(article, *, author=None, message=""):
    """Record an article's first text (a new import) as its revision."""
    return Revision.objects.create(
        article=article,
        number=article.revision,
        author=author,
        message=message,
        paragraphs=[list(row) for row in article.paragraphs.order_by("position").values_list("key", "source")],
    )


def finish(article, before, *, author=None, message=""):
    """Count a new revision of `article`, keep it, and re-anchor what points into the text.

    `before` is the paragraphs as they were (from `snapshot`), or None when only the article's
    details (its title, say) changed. Call inside the transaction that wrote the change.
    """
    Article.objects.filter(pk=article.pk).update(revision=F("revision") + 1, modified=timezone.now())
    article.refresh_from_db(fields=["revision", "modified"])
    revision = first_revision(article, author=author, message=message)
    if before is not None:
        text_changed.send(sender=Article, article=article, before=before, revision=revision)
    return revision


@transaction.atomic
def revise(article, entries, *, author=None, message=""):
    """Write `entries` as the article's new text, as a new revision; None when nothing changed."""
    article = Article.objects.select_for_update().get(pk=article.pk)
    before = write(article, entries)
    if before is None:
        return None
    return finish(article, before, author=author, message=message)


def record(article, before, *, author=None, message=""):
    """A change already written (by the admin's forms): keep it as a revision, if the text changed.

    Call inside the transaction that wrote it, with the paragraphs `snapshot` gave before.
    """
    if same_text(before, article.paragraphs.order_by("position")):
        return None
    return finish(article, before, author=author, message=message)


def entries_of(revision):
    """The entries that bring the text back to an old `revision`, rendered from its sources.

    A paragraph whose key the article still has continues it; the others come back as new.
    """
    current = set(revision.article.paragraphs.values_list("key", flat=True))
    return [
        Entry(paragraph.key if paragraph.key in current else None, paragraph_block(paragraph))
        for paragraph in revision.rendered()
    ]


def paragraph_block(paragraph):
    return Block(
        source=paragraph.source, kind=paragraph.kind, level=paragraph.level, html=paragraph.html, text=paragraph.text
    )


@transaction.atomic
def revert(article, number, *, author=None):
    """Bring the text back to revision `number`, as a new revision; None when it already reads so."""
    article = Article.objects.select_for_update().get(pk=article.pk)  # the text read below is the one revised
    revision = Revision.objects.filter(article=article, number=number).first()
    if revision is None:
        raise RevisionError(f"This article has no revision {number}.")
    return revise(article, entries_of(revision), author=author, message=f"Reverted to revision {number}")
