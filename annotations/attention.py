"""Notes that need their author's attention: suggested or orphaned after a change of the text.

For each one the author sees the words it was written on, the paragraph as it read then and
as it reads now, and the places the engine suggests. The paragraph as it read then is in the
revision before the change that took the note off its words (`AnchorMove.revision` is the
revision the change made); it is rendered again from its Markdown source, which a revision keeps.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q

from annotations.anchoring import SEPARATOR
from annotations.models import AnchorMove, Annotation
from reader.models import Paragraph, Revision

CONTEXT = 60  # characters shown either side of a suggested place
EXCERPT = 400  # characters of a paragraph shown either side of the marked words


@dataclass
class Excerpt:
    """A stretch of text with some words marked in it: before, marked, after."""

    before: str
    marked: str = ""
    after: str = ""

    @classmethod
    def of(cls, text, start=None, end=None, limit=EXCERPT):
        if start is None:
            return cls(_cut_end(text, 2 * limit))
        return cls(_cut_start(text[:start], limit), text[start:end], _cut_end(text[end:], limit))


@dataclass
class Candidate:
    index: int
    text: str
    before: str
    after: str
    score: int  # percent


@dataclass
class Attention:
    """One note that needs its author: what it was on, what the text says now, where it may be."""

    note: object
    old: Excerpt | None = None  # None: the earlier text is not kept
    new: Excerpt | None = None  # None: the paragraph was removed
    candidates: list = field(default_factory=list)
    changed_by: object = None  # the revision's author, when known
    changed_on: object = None

    @property
    def anchor(self):
        return f"attention-{self.note.pk}"


def needing_attention(user):
    """The notes of `user` that await them, with the moves that say what happened to them."""
    if not user.is_authenticated:
        return Annotation.objects.none()
    moves = AnchorMove.objects.order_by("-created", "-pk")
    return (
        Annotation.objects.editable_by(user)
        .top_level()
        .needing_attention()
        .select_related("seminar")
        .prefetch_related(Prefetch("moves", queryset=moves))
        .order_by("start_offset", "created")
    )


def attention_counts(article):
    """{"suggested": n, "orphaned": m, "total": n + m} over every note on `article`: counts, never contents."""
    notes = Annotation.objects.for_article(article).needing_attention().filter(deleted=False)
    counts = notes.aggregate(
        suggested=Count("pk", filter=Q(anchor_status=Annotation.AnchorStatus.SUGGESTED)),
        orphaned=Count("pk", filter=Q(anchor_status=Annotation.AnchorStatus.ORPHANED)),
    )
    return {**counts, "total": counts["suggested"] + counts["orphaned"]}


def the_move_that_unplaced(note):
    """The change that took the note off its words: the earliest move since it was last placed.

    Later changes may move its suggestions on, but the words it was on are those before this one.
    """
    found = None
    for move in note.moves.all():  # newest first
        if move.status == Annotation.AnchorStatus.ANCHORED:
            break
        found = move
    return found


def attention_items(notes, paragraphs_of):
    """An Attention for each note; `paragraphs_of(article_id)` gives {key: Paragraph} of the text now.

    One query fetches the revisions that hold the earlier texts, however many notes there are.
    """
    notes = list(notes)
    unplaced = {note.pk: the_move_that_unplaced(note) for note in notes}
    wanted = {
        (note.article_id, number)
        for note in notes
        if (move := unplaced[note.pk])
        for number in (move.revision - 1, move.revision)
    }
    revisions = {}
    if wanted:
        rows = Revision.objects.select_related("author").filter(
            article__in={article for article, _ in wanted}, number__in={number for _, number in wanted}
        )
        revisions = {(row.article_id, row.number): row for row in rows}
    items = []
    for note in notes:
        move = unplaced[note.pk]
        source = move.source if move else {}
        earlier = revisions.get((note.article_id, move.revision - 1)) if move else None
        changed = revisions.get((note.article_id, move.revision)) if move else None
        item = Attention(note, changed_on=move.created if move else None)
        item.changed_by = changed.author if changed else None
        keys = _keys_between(earlier, source) if earlier else [note.start_key]
        if earlier:
            item.old = _old_excerpt(earlier, keys, source)
        item.new = _new_excerpt(note, keys, paragraphs_of(note.article_id))
        item.candidates = _candidates(note, paragraphs_of(note.article_id))
        order = earlier.keys.index(keys[0]) if earlier and keys[0] in earlier.keys else len(items)
        items.append((order, note.start_offset or 0, item))
    # In reading order within each article (as the text read before the change); articles as given.
    articles = list(dict.fromkeys(note.article_id for note in notes))
    items.sort(key=lambda entry: (articles.index(entry[2].note.article_id), entry[0], entry[1]))
    return [item for *_, item in items]


def _keys_between(revision, source):
    """The keys of the paragraphs the note spanned in `revision`, first to last."""
    keys = revision.keys
    start, end = source.get("start_key"), source.get("end_key")
    if start not in keys:
        return [start]
    first = keys.index(start)
    last = keys.index(end) if end in keys and keys.index(end) >= first else first
    return keys[first : last + 1]


def _texts(sources):
    texts = []
    for source in sources:
        paragraph = Paragraph(source=source)
        paragraph.render()
        texts.append(paragraph.text)
    return texts


def _old_excerpt(revision, keys, source):
    sources = dict(revision.paragraphs)
    texts = _texts([sources[key] for key in keys if key in sources])
    if not texts:
        return None
    joined = SEPARATOR.join(texts)
    start = source.get("start_offset")
    end = source.get("end_offset")
    if isinstance(start, int) and isinstance(end, int):
        end += len(joined) - len(texts[-1])  # the end counts into the last paragraph
    quote = source.get("text", "")
    if not (isinstance(start, int) and joined[start:end] == quote and quote):
        start = joined.find(quote) if quote else -1
        if start < 0:
            return Excerpt.of(joined)
        end = start + len(quote)
    return Excerpt.of(joined, start, end)


def _new_excerpt(note, keys, current):
    texts = [current[key].text for key in keys if key in current]
    if not texts:
        return None
    joined = SEPARATOR.join(texts)
    best = (note.anchor_candidates or [None])[0] if note.is_suggested else None
    if best and best["start_key"] == best["end_key"] == keys[0] and len(keys) == 1:
        return Excerpt.of(joined, best["start_offset"], best["end_offset"])
    return Excerpt.of(joined)


def _candidates(note, current):
    if not note.is_suggested:
        return []
    found = []
    for index, spot in enumerate(note.anchor_candidates or []):
        start, end = current.get(spot["start_key"]), current.get(spot["end_key"])
        before = start.text[: spot["start_offset"]] if start else ""
        after = end.text[spot["end_offset"] :] if end else ""
        score = round(100 * (spot.get("score") or 0))
        found.append(Candidate(index, spot["text"], _cut_start(before, CONTEXT), _cut_end(after, CONTEXT), score))
    return found


def _cut_start(text, limit):
    return text if len(text) <= limit else "…" + text[len(text) - limit :].lstrip()


def _cut_end(text, limit):
    return text if len(text) <= limit else text[:limit].rstrip() + "…"
