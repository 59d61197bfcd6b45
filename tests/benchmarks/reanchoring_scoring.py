"""Where each note of the corpus belongs after an edit, the edit written for real, and the tally.

A note belongs where its first and last characters went (see `reanchoring_corpus`): its start
follows the character it began on, its end the character it ended after. When either character
is gone (deleted, or inside a rewritten stretch) the note belongs nowhere: it should orphan.
"""

from collections import Counter, defaultdict

from django.db import transaction

from annotations.anchoring import ArticleText
from annotations.models import Annotation
from reader.importing import import_text
from reader.models import Article
from reader.rendering import render_block
from reader.revising import Entry, revise
from tests.benchmarks.reanchoring_corpus import Block, Doc

ORPHAN = None
COLUMNS = ("notes", "right", "suggested", "orphaned", "wrong", "lost")


def load_doc(article, name):
    blocks = [Block(p.key, p.source, p.text, p.kind) for p in article.paragraphs.order_by("position")]
    return Doc(name, article.slug, article.title, blocks)


def note_rows(article, doc, authors):
    """The corpus's notes as Annotation rows, made from real passages of the article."""
    text = ArticleText(article.paragraphs.all())
    rows = []
    for n, note in enumerate(doc.notes):
        start, end = doc.blocks[note.start[0]], doc.blocks[note.end[0]]
        passage = text.by_position(start.key, note.start[1], end.key, note.end[1])
        assert passage.exact == note.exact
        rows.append(
            Annotation(
                author=authors[n % len(authors)],
                article=article,
                visibility=Annotation.Visibility.PUBLIC,
                article_revision=article.revision,
                **passage.as_fields(),
            )
        )
    return Annotation.objects.bulk_create(rows, batch_size=500)


# Where a note belongs -------------------------------------------------------------------------


def images(paragraphs):
    """{old paragraph index: [(piece, new paragraph index, its new offset)]} for every piece."""
    found = defaultdict(list)
    for j, paragraph in enumerate(paragraphs):
        offset = 0
        for piece in paragraph.pieces:
            if piece[0] == "keep":
                found[piece[1]].append((piece, j, offset))
                offset += piece[3] - piece[2]
            else:
                if piece[2] is not None:
                    found[piece[2][0]].append((piece, j, offset))
                offset += len(piece[1])
    return found


def start_image(found, index, offset):
    for piece, j, at in found.get(index, ()):
        if piece[0] == "keep" and piece[2] <= offset < piece[3]:
            return j, at + offset - piece[2]
        if piece[0] == "new" and piece[2][3] and piece[2][1] == offset < piece[2][2]:
            return j, at
    return None


def end_image(found, index, offset):
    for piece, j, at in found.get(index, ()):
        if piece[0] == "keep" and piece[2] < offset <= piece[3]:
            return j, at + offset - piece[2]
        if piece[0] == "new" and piece[2][3] and piece[2][1] < offset == piece[2][2]:
            return j, at + len(piece[1])
    return None


def expected(edit, doc, new_text):
    """[(running start, end) in the new text, or ORPHAN] for each of the doc's notes."""
    found = images(edit.paragraphs)
    places = []
    for note in doc.notes:
        start, end = start_image(found, *note.start), end_image(found, *note.end)
        if start is None or end is None:
            places.append(ORPHAN)
            continue
        start, end = new_text.starts[start[0]] + start[1], new_text.starts[end[0]] + end[1]
        places.append((start, end) if start < end else ORPHAN)
    return places


def concerned(edit, doc):
    """The indexes of the notes the edit concerns: on a paragraph not kept whole and alone, or one moved."""
    whole = {
        p.pieces[0][1]
        for p in edit.paragraphs
        if len(p.pieces) == 1
        and p.pieces[0][0] == "keep"
        and p.pieces[0][2:] == (0, len(doc.blocks[p.pieces[0][1]].text))
    }
    whole -= edit.moved
    return {n for n, note in enumerate(doc.notes) if any(i not in whole for i in range(note.start[0], note.end[0] + 1))}


# Writing the edit for real --------------------------------------------------------------------


def write_edit(edit, article):
    """The edit as the app makes it: through `revise` with entries, or a re-import of the whole Markdown."""
    if edit.path == "revise":
        entries = [Entry(p.key, render_block(p.source)) for p in edit.paragraphs]
        revise(article, entries, message=edit.kind)
    else:
        markdown = f"Title: {article.title}\n\n" + "\n\n".join(p.source for p in edit.paragraphs) + "\n"
        import_text(markdown, slug=article.slug)
    paragraphs = list(Article.objects.get(pk=article.pk).paragraphs.order_by("position"))
    assert [p.text for p in paragraphs] == [p.text for p in edit.paragraphs], f"{edit.kind}: the text is not as built"
    return ArticleText(paragraphs)


def verdict(row, quote, place, new_text):
    """right, suggested, orphaned, wrong or lost, for one note read back after an edit."""
    if row is None or not row["start_key"] or row["start_offset"] is None or row["end_offset"] is None:
        return "lost"
    if row["quote_exact"] != quote:
        return "lost"
    status = row["anchor_status"]
    if status == Annotation.AnchorStatus.SUGGESTED:
        return "suggested"
    if status == Annotation.AnchorStatus.ORPHANED:
        return "right" if place is ORPHAN else "orphaned"
    if place is ORPHAN:
        return "wrong"
    want = new_text.passage(*place)
    got = (row["start_key"], row["start_offset"], row["end_key"], row["end_offset"])
    return "right" if got == (want.start.key, want.start_offset, want.end.key, want.end_offset) else "wrong"


class Tally:
    """Counts per kind and overall, and the two shares the targets are about."""

    def __init__(self):
        self.rows = defaultdict(Counter)
        self.survives = Counter()  # notes whose words are still somewhere: total, right
        self.one_word = Counter()  # notes with a single-word edit inside: total, right or suggested
        self.wrong = []

    def add(self, kind, verdict, *, survives, one_word_inside, detail):
        self.rows[kind]["notes"] += 1
        self.rows[kind][verdict] += 1
        if survives:
            self.survives["total"] += 1
            self.survives["right"] += verdict == "right"
        if one_word_inside:
            self.one_word["total"] += 1
            self.one_word["kept"] += verdict in ("right", "suggested")
        if verdict in ("wrong", "lost"):
            self.wrong.append((kind, verdict, detail))

    def overall(self):
        total = Counter()
        for kind, row in self.rows.items():
            if kind != "(notes elsewhere)":
                total.update(row)
        return total

    def table(self):
        width = max(len(kind) for kind in self.rows) + 2
        lines = [f"{'edit kind':<{width}}" + "".join(f"{name:>10}" for name in COLUMNS)]
        for kind, row in [*sorted(self.rows.items()), ("overall (concerned notes)", self.overall())]:
            lines.append(f"{kind:<{width}}" + "".join(f"{row[name]:>10}" for name in COLUMNS))
        return "\n".join(lines)

    def share(self, counter, key):
        return counter[key] / counter["total"] if counter["total"] else 1.0


def run_edit(edit, doc, article, pks, tally):
    """Write one edit, read every note of the article back, score it, and roll the edit back."""
    with transaction.atomic():
        new_text = write_edit(edit, article)
        places = expected(edit, doc, new_text)
        rows = {
            row["pk"]: row
            for row in Annotation.objects.filter(article=article).values(
                "pk", "anchor_status", "start_key", "start_offset", "end_key", "end_offset", "quote_exact"
            )
        }
        mine = concerned(edit, doc)
        for n, (note, place) in enumerate(zip(doc.notes, places, strict=True)):
            result = verdict(rows.get(pks[n]), note.exact, place, new_text)
            survives = place is not ORPHAN and new_text.text[place[0] : place[1]] == note.exact
            inside = edit.single_word and place is not ORPHAN and not survives
            kind = edit.kind if n in mine else "(notes elsewhere)"
            detail = (edit.path, note.exact[:60], place and new_text.text[place[0] : place[1]][:60], rows.get(pks[n]))
            tally.add(kind, result, survives=survives and n in mine, one_word_inside=inside, detail=detail)
        transaction.set_rollback(True)
