"""What the reading page shows of the notes: marks in the text, notes beside each paragraph.

The marks and counts come from one light query (plain tuples, no model instances), so a
page under thousands of notes stays cheap. Note cards are rendered inline while there are
few of them; past INLINE_NOTES, each paragraph offers its notes on demand instead (one
small request when the reader opens them), and the marks say how many notes cover their
words rather than list every id: a click asks for exactly those notes (`notes_covering`).
Either way the page issues a fixed number of queries, whatever the number of notes.
"""

import functools
from dataclasses import dataclass, field
from typing import NamedTuple
from urllib.parse import parse_qs, quote, urlencode, urlsplit

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.db.models import Case, CharField, Count, Exists, IntegerField, OuterRef, Q, Value, When
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.safestring import mark_safe

from annotations.attention import attention_counts, attention_items, needing_attention
from annotations.forms import FilterForm
from annotations.highlighting import highlight
from annotations.models import Annotation, TaggedAnnotation
from annotations.threads import with_threads, with_votes
from reader.database import Prepared, rows_as_given
from reader.models import Article
from seminars.models import Seminar

INLINE_NOTES = 150
ORPHANED = "orphaned"
WHOLE_ARTICLE = "article"


@dataclass
class Block:
    paragraph: object
    html: str
    count: int = 0
    notes: list = field(default_factory=list)
    list_url: str = ""  # the address of its notes, with the reader's filters (`notes_addresses`)


PLACE = "~place~"  # no slug holds "~", so what reverse() writes for the place is found again by it
AS_REVERSE_LEAVES = RFC3986_SUBDELIMS + "/~:@"  # the characters reverse() does not quote in an argument


def notes_addresses(article, filters):
    """A function from a place of `article` (a paragraph key, WHOLE_ARTICLE or ORPHANED) to the address of
    the notes there, with `filters` carried on: `annotation-list` reversed once for a page, not once a place."""
    start, end = reverse("annotation-list", args=[article.slug, PLACE]).rsplit(PLACE, 1)
    query = f"?{filters.query}" if filters.query else ""
    return lambda place: f"{start}{quote(place, safe=AS_REVERSE_LEAVES)}{end}{query}"


@dataclass
class Filters:
    """Which notes the reader asked to see: a tag, and a scope (all, mine, a seminar's, public).

    Reading from a seminar's reading list (?seminar=SLUG) shows that seminar's notes by
    default. A seminar the reader is not in is ignored, never revealed.
    """

    tag: str = ""
    scope: str = "all"
    seminar: object = None  # a Seminar the reader belongs to

    @classmethod
    def from_request(cls, request):
        """Filters come from the query string, or for an htmx POST, from the page it was sent on.

        What cannot be read (an unknown scope, a seminar the reader is not in) falls back to the
        default rather than failing: a filter link must never break the page.
        """
        query = request.GET
        if request.method != "GET" and getattr(request, "htmx", None) and request.htmx.current_url:
            query = {k: v[-1] for k, v in parse_qs(urlsplit(request.htmx.current_url).query).items()}
        seminar = None
        if query.get("seminar"):
            seminar = Seminar.objects.of(request.user).filter(slug=query["seminar"]).first()
        form = FilterForm(query, seminar=seminar)
        form.is_valid()
        tag, scope = form.cleaned_data.get("tag", ""), form.cleaned_data.get("scope", "")
        if not scope and query.get("mine") in ("1", "on", "true"):
            scope = "mine"
        return cls(tag=tag.strip(), scope=scope or ("seminar" if seminar else "all"), seminar=seminar)

    def form(self, tags):
        """The filters as a form to render, offering `tags`; the chosen tag is matched without regard to case."""
        chosen = next((name for name in tags if name.lower() == self.tag.lower()), "")
        initial = {"tag": chosen, "scope": self.scope, "seminar": self.seminar.slug if self.seminar else ""}
        return FilterForm(seminar=self.seminar, tags=tags, initial=initial)

    @property
    def mine(self):
        return self.scope == "mine"

    @property
    def keeps_all_mine(self):
        """Whether every note of the reader's passes these filters (no tag, no audience narrowed to)."""
        return not self.tag and self.scope in ("all", "mine")

    @property
    def active(self):
        return bool(self.tag) or self.scope != ("seminar" if self.seminar else "all")

    @property
    def query(self):
        """The filters as a query string, to carry them on to other requests."""
        params = {"seminar": self.seminar.slug if self.seminar else "", "scope": self.scope, "tag": self.tag}
        return urlencode({key: value for key, value in params.items() if value and value != "all"})

    @property
    def cleared(self):
        """The query string with the filters cleared; a seminar's reading context stays."""
        return f"?{urlencode({'seminar': self.seminar.slug})}" if self.seminar else ""

    def apply(self, notes, user):
        if self.scope == "mine":
            notes = notes.filter(author=user) if user.is_authenticated else notes.none()
        elif self.scope == "seminar":
            notes = notes.filter(visibility=Annotation.Visibility.SEMINAR, seminar=self.seminar)
        elif self.scope == "public":
            notes = notes.filter(visibility=Annotation.Visibility.PUBLIC)
        if self.tag:
            notes = notes.filter(tagged_items__tag__name__iexact=self.tag).distinct()
        return notes


# Where a note sits, as a small number: on a passage the text holds, on the whole article, or on a
# passage lost or moved (shown apart, as orphaned).
ON_PASSAGE, ON_ARTICLE, UNPLACED = 0, 1, 2
ANCHORED = Annotation.AnchorStatus.ANCHORED


class Spot(NamedTuple):
    """Where a note sits, without the note: enough for marks and counts."""

    pk: object  # from `_spots`, the id as the database writes it as text; from `Spot.of`, the UUID
    author_id: int
    start_paragraph_id: int | None
    end_paragraph_id: int | None
    start_offset: int | None
    end_offset: int | None
    kind: int  # ON_PASSAGE, ON_ARTICLE or UNPLACED

    @classmethod
    def of(cls, note):
        kind = ON_ARTICLE if not note.start_key else ON_PASSAGE if note.anchor_status == ANCHORED else UNPLACED
        return cls(*(getattr(note, name) for name in SPOT_FIELDS[:-1]), kind)

    def place(self, index):
        return place_of(self.kind, self.start_paragraph_id, index)


def place_of(kind, start_paragraph_id, index):
    """Where a note sits on the page: on the whole article, orphaned, or its first paragraph's place in `index`."""
    if kind == ON_ARTICLE:
        return WHOLE_ARTICLE
    if kind == UNPLACED or start_paragraph_id not in index:
        return ORPHANED
    return index[start_paragraph_id]


SPOT_FIELDS = list(Spot._fields)
# Thousands of rows come back per page: the id read as text skips building a UUID each, and the kind
# read as a number spares two strings a row.
PK_AS_TEXT = Cast("pk", CharField())
SPOT_KIND = Case(
    When(start_key="", then=Value(ON_ARTICLE)),
    When(anchor_status=ANCHORED, then=Value(ON_PASSAGE)),
    default=Value(UNPLACED),
    output_field=IntegerField(),
)


def _dashed(pk):
    """The id as str(UUID) gives it, whether the database hands back 32 hex digits or 36 chars."""
    pk = str(pk)
    if len(pk) == 32:
        return f"{pk[:8]}-{pk[8:12]}-{pk[12:16]}-{pk[16:20]}-{pk[20:]}"
    return pk


def notes_for_reader(user, article, filters):
    """The notes that open threads on `article` that `user` may see; replies show under them."""
    return filters.apply(Annotation.objects.visible_to(user).for_article(article).top_level(), user)


def _spans(start_paragraph_id, end_paragraph_id, start_offset, end_offset, order, local, run):
    """Yield (index in `run`, start, end) for each paragraph of `run` a note's passage touches.

    `order` gives each paragraph's index in the whole article, `local` maps those indexes to
    indexes in `run` (the whole article's paragraphs, or the few a change touched).
    """
    a, b = order.get(start_paragraph_id), order.get(end_paragraph_id)
    if a is None or b is None:
        return
    for i in range(a, b + 1):
        if (j := local.get(i)) is not None:
            yield j, start_offset if i == a else 0, end_offset if i == b else len(run[j].text)


def _spots(notes):
    """The places of `notes`, as rows; `pk` is the id as the database writes it (see `_dashed`).

    The query is the ORM's, visibility rule and all. Its rows are read straight from the cursor, as the
    database gives them (text and numbers, nothing to convert), which spares the ORM's work on each of
    thousands. Django 5.2 selects a values_list's columns in the order given, which `Spot._make` relies
    on; tests/annotations/test_spots.py checks that each row says what `Spot.of` says of its note.
    """
    found = rows_as_given(_spot_rows(notes))
    if found and len(found[0]) > len(SPOT_FIELDS):  # DISTINCT (a tag filter) selects the ordering too
        return [Spot._make(row[: len(SPOT_FIELDS)]) for row in found]
    return list(map(Spot._make, found))


def _spot_rows(notes):
    return notes.values_list(PK_AS_TEXT, *SPOT_FIELDS[1:-1], SPOT_KIND)


def _page_spots(user, article, filters):
    """The places of the notes `user` may see on `article` under `filters`: rows in `Spot`'s order,
    plain tuples where thousands come (`_blocks` and `attention_context` read them by position).

    Unfiltered (the page as most readers open it), from SQL the ORM builds once for each kind of
    reader the visibility rule tells apart (`READER_KINDS`): building it cost more than running it.
    """
    if filters != Filters():
        return _spots(notes_for_reader(user, article, filters))
    kind = tuple(getattr(user, name) for name in READER_KINDS)
    reader = (user.pk,) if user.is_authenticated else ()
    return _unfiltered_spots[kind](*reader, article.pk)


# What the visibility rule reads of a reader besides their id: one prepared query for each kind of
# reader. tests/annotations/test_page_spots.py checks that the rule reads nothing else of them.
READER_KINDS = ("is_authenticated", "is_staff")


def _stand_in_reader(staff):
    """A build for the unfiltered spots of a signed-in reader, staff or not, from their id."""
    return lambda reader, article: _spot_rows(
        notes_for_reader(get_user_model()(pk=reader, is_staff=staff), Article(pk=article), Filters())
    )


_unfiltered_spots = {
    (False, False): Prepared(
        lambda article: _spot_rows(notes_for_reader(AnonymousUser(), Article(pk=article), Filters())),
        "id", convert=False,
    ),
    (True, False): Prepared(_stand_in_reader(staff=False), "id", "id", convert=False),
    (True, True): Prepared(_stand_in_reader(staff=True), "id", "id", convert=False),
}  # fmt: skip


def _blocks(user, run, spots, order, compact=False):
    """The blocks of `run` (some of the article's paragraphs, in order) with their marks and counts,
    and how many of `spots` sit on the whole article and how many are orphaned.

    Compact marks name only the reader's own notes, so the others' ranges go in without their ids:
    a page under thousands of notes spells out none of them.
    """
    local = {order[paragraph.pk]: j for j, paragraph in enumerate(run)}
    blocks = [Block(paragraph, paragraph.html) for paragraph in run]
    ranges = [[] for _ in run]
    counts = {WHOLE_ARTICLE: 0, ORPHANED: 0}
    reader_id = user.id if user.is_authenticated else None  # read once: `user` is a lazy object
    mine = set()
    for pk, author_id, start_paragraph_id, end_paragraph_id, start_offset, end_offset, kind in spots:
        place = place_of(kind, start_paragraph_id, order)
        if place in counts:
            counts[place] += 1
            continue
        ident = "" if compact and author_id != reader_id else _dashed(pk)
        if reader_id is not None and author_id == reader_id:
            mine.add(ident)
        j = local.get(place)
        if j is not None:
            blocks[j].count += 1
            if start_paragraph_id == end_paragraph_id:  # most notes: one paragraph's words
                ranges[j].append((start_offset, end_offset, ident))
                continue
        for j, start, end in _spans(start_paragraph_id, end_paragraph_id, start_offset, end_offset, order, local, run):
            ranges[j].append((start, end, ident))
    htmls = tuple(paragraph.html for paragraph in run)
    # A long text's marks are made afresh: what is remembered stays within MARKED_PAGES × MARKED_SIZE.
    marked = _marked if sum(map(len, htmls)) <= MARKED_SIZE else _marked.__wrapped__
    for block, html in zip(blocks, marked(htmls, tuple(map(tuple, ranges)), frozenset(mine), compact), strict=True):
        block.html = mark_safe(html)  # sanitized on import; marks added by us
    return blocks, counts


MARKED_PAGES = 16
MARKED_SIZE = 256 * 1024  # characters of HTML; the seed article has 16 KB, a 10,000-paragraph one 1.5 MB


@functools.lru_cache(maxsize=MARKED_PAGES)
def _marked(htmls, ranges, mine, compact):
    """The paragraphs' HTML with the marks of `ranges` (one tuple of ranges a paragraph).

    A function of its arguments alone, so a page read again while its text and its notes are
    as they were (most reads of a busy article) reuses the marks it made last time.
    """
    return tuple(
        highlight(html, block_ranges, mine, compact=compact) if block_ranges else html
        for html, block_ranges in zip(htmls, ranges, strict=True)
    )


def _full_notes(user, notes):
    return with_threads(with_votes(notes, user).for_display(), user)


def _filter_context(user, article, filters, note_count):
    """The count, the tag filter, and the note form's tag suggestions: one query reads both lists of tags
    (after a smaller one that says whether there are any)."""
    rows = _tag_uses(user, article) if user.is_authenticated else None
    tags = article_tags(user, article, rows)
    return {
        "note_count": note_count,
        "article_tags": tags,
        "filter_form": filters.form(tags),
        "filters": filters,
        "tag_suggestions": tag_suggestions(user, article, rows),
    }


def page_notes(user, article, paragraphs, filters):
    """Everything the reading page needs to show the notes `user` may see on `article`."""
    spots = _page_spots(user, article, filters)
    index = {paragraph.pk: i for i, paragraph in enumerate(paragraphs)}
    inline = len(spots) <= INLINE_NOTES
    blocks, counts = _blocks(user, paragraphs, spots, index, compact=not inline)
    if inline and spots:
        grouped = group_notes(_full_notes(user, notes_for_reader(user, article, filters)), index)
    else:
        grouped = {}
    address = notes_addresses(article, filters)
    for i, block in enumerate(blocks):
        block.notes = grouped.get(i, [])
        block.list_url = address(block.paragraph.key)
    return {
        "blocks": blocks,
        "new_note_url": reverse("annotation-new", args=[article.slug]),  # each block links to it
        "inline_notes": inline,
        "whole_article_notes": grouped.get(WHOLE_ARTICLE, []),
        "whole_article_count": counts[WHOLE_ARTICLE],
        "whole_article_list_url": address(WHOLE_ARTICLE),
        "orphaned_notes": grouped.get(ORPHANED, []),
        "orphaned_count": counts[ORPHANED],
        "orphaned_list_url": address(ORPHANED),
        **_filter_context(user, article, filters, len(spots)),
        **attention_context(user, article, paragraphs, spots if filters.keeps_all_mine else None),
    }


def changed_notes(user, article, filters, run, whole_article=False, tags_changed=True):
    """What the reading page re-draws after a note on `run` (consecutive paragraphs, in order) or on
    the whole article was added, changed or deleted: those paragraphs, the count, the filters.

    The work is bounded by the notes touching `run`, not by the notes on the page: one count,
    one light query of those notes' places, and their cards when the page shows cards inline.
    The filters' tags are read again only when `tags_changed`; otherwise the count alone is sent.
    """
    notes = notes_for_reader(user, article, filters)
    total = notes.count()
    inline = total <= INLINE_NOTES
    address = notes_addresses(article, filters)
    context = {
        "inline_notes": inline,
        "blocks": [],
        "new_note_url": reverse("annotation-new", args=[article.slug]),
        "whole_article_changed": whole_article,
        "whole_article_list_url": address(WHOLE_ARTICLE),
        "tags_changed": tags_changed,
    }
    if run:
        order = dict(article.paragraphs.values_list("pk", "position"))
        low, high = run[0].position, run[-1].position
        # Notes that start at or before the run's end and end at or after its start (no join: two id lists).
        touching = notes.filter(
            start_paragraph__in=article.paragraphs.filter(position__lte=high).values("pk"),
            end_paragraph__in=article.paragraphs.filter(position__gte=low).values("pk"),
        )
        spots = _spots(touching)
        blocks, _ = _blocks(user, run, spots, order, compact=not inline)
        if inline:
            # The cards of the notes that start in the run: their spots came through visible_to already.
            here = {paragraph.position for paragraph in run}
            starting = [spot.pk for spot in spots if spot.place(order) in here]
            grouped = group_notes(_full_notes(user, Annotation.objects.filter(pk__in=starting)), order)
            for block in blocks:
                block.notes = grouped.get(block.paragraph.position, [])
        for block in blocks:
            block.list_url = address(block.paragraph.key)
        context["blocks"] = blocks
    if whole_article:
        at_top = notes_at(notes, WHOLE_ARTICLE)
        context["whole_article_count"] = count = at_top.count()
        shown = group_notes(_full_notes(user, at_top), {}) if inline and count else {}
        context["whole_article_notes"] = shown.get(WHOLE_ARTICLE, [])
    if not tags_changed:
        return context | {"note_count": total, "filters": filters}
    return context | _filter_context(user, article, filters, total)


def attention_context(user, article, paragraphs, spots=None):
    """The reader's own notes on `article` awaiting them; for staff, how many of anyone's do (counts only).

    Whatever the number of notes: one query for the reader's, two more when there are some
    (their moves, the earlier texts), and one for staff's counts. `spots`, when they hold every
    note of the reader's on the article, spare the first query when none of theirs awaits them.
    """
    if not user.is_authenticated:
        return {"attention": [], "attention_counts": None}
    reader_id = user.id
    awaiting = spots is None or any(row[1] == reader_id and row[-1] == UNPLACED for row in spots)  # author, kind
    notes = list(needing_attention(user).for_article(article)) if awaiting else []
    for note in notes:
        note.article = article  # for its links, without a query each
    current = {paragraph.key: paragraph for paragraph in paragraphs}
    return {
        "attention": attention_items(notes, lambda _: current) if notes else [],
        "attention_counts": attention_counts(article) if user.is_staff else None,
    }


def notes_at(notes, place, paragraph=None):
    """Narrow `notes` to those shown at one place: a paragraph, WHOLE_ARTICLE or ORPHANED."""
    if place == WHOLE_ARTICLE:
        return notes.filter(start_key="")
    if place == ORPHANED:
        return notes.exclude(start_key="").filter(
            ~Q(anchor_status=Annotation.AnchorStatus.ANCHORED) | Q(start_paragraph=None)
        )
    if paragraph is not None:
        notes = notes.filter(start_paragraph=paragraph)
    return notes.filter(anchor_status=Annotation.AnchorStatus.ANCHORED)


def notes_covering(notes, paragraph, offset):
    """Narrow `notes` to those whose passage covers the character at `offset` of `paragraph`."""
    starts_before = Q(start_paragraph__position__lt=paragraph.position) | Q(
        start_paragraph=paragraph, start_offset__lte=offset
    )
    ends_after = Q(end_paragraph__position__gt=paragraph.position) | Q(end_paragraph=paragraph, end_offset__gt=offset)
    return notes_at(notes, None).filter(starts_before, ends_after)


def group_notes(notes, index):
    """Full notes grouped by where they sit: a paragraph's index, WHOLE_ARTICLE or ORPHANED."""
    grouped = {}
    # Featured notes come first in their paragraph.
    for note in sorted(notes, key=lambda note: (note.featured_at is None, note.start_offset or 0, note.created)):
        grouped.setdefault(Spot.of(note).place(index), []).append(note)
    return grouped


def article_tags(user, article, uses=None):
    """The tags on notes `user` can see on `article`: the reading page's tag filter.

    `uses`, the rows `_tag_uses` read for this reader and article, saves the query.
    """
    if uses is not None:
        return sorted({name for name, _, here in uses if here}, key=by_name)
    # From the article's tagged notes, each asked whether the reader sees it: the work follows the tags
    # on the article, where a list of every visible note would follow the notes (most are bare highlights).
    tagged = TaggedAnnotation.objects.filter(content_object__article=article)
    if not tagged.exists():
        return []  # no tag on the article: one small query, no visibility rule
    visible = Annotation.objects.visible_to(user).filter(pk=OuterRef("content_object"))
    rows = tagged.filter(Exists(visible))
    return sorted(set(rows.values_list("tag__name", flat=True)), key=by_name)


SUGGESTED = 100  # the reader's own tags offered in the note form, the most used first


def _tag_uses(user, article=None):
    """(tag name, uses on the reader's own notes, uses on notes they can see on `article`), one row a tag.

    One query, bounded by what the reader wrote and by the article, never by the whole site's notes;
    where neither has a tag, one smaller query that says so instead.
    """
    if not (_any_tagged(user.pk, article.pk) if article else _any_tagged_mine(user.pk)):
        return []  # no tag on the reader's notes or on the article: one small query, no visibility rule
    mine, here = Q(content_object__author=user), Q(content_object__article=article)
    notes = Annotation.objects.visible_to(user).filter(
        Q(author=user) | Q(article=article) if article else Q(author=user)
    )
    rows = TaggedAnnotation.objects.filter(content_object__in=notes).values_list("tag__name")
    return list(rows.annotate(uses=Count("pk", filter=mine), here=Count("pk", filter=here) if article else Value(0)))


def _tagged(author, article=None):
    """Tag rows on `author`'s notes, and with `article` on every note there: no visibility rule."""
    mine = Q(content_object__author=author)
    return mine | Q(content_object__article=article) if article else mine


# The guard of _tag_uses, asked for every signed-in reader of every page: prepared once.
_any_tagged = Prepared(
    lambda author, article: TaggedAnnotation.objects.filter(_tagged(author, article)), "id", "id", exists=True
)
_any_tagged_mine = Prepared(lambda author: TaggedAnnotation.objects.filter(_tagged(author)), "id", exists=True)


def tag_suggestions(user, article=None, uses=None):
    """The tags to offer in the note form: the reader's own most used (SUGGESTED of them), and
    with `article` the tags on the notes they can see there, in a reader's alphabetical order.

    `uses`, the rows `_tag_uses` read for this reader and article, saves the query.
    """
    if not user.is_authenticated:
        return []
    rows = _tag_uses(user, article) if uses is None else uses
    used = sorted((row for row in rows if row[1]), key=lambda row: (-row[1], row[0]))[:SUGGESTED]
    return sorted({name for name, _, _ in used} | {name for name, _, on_article in rows if on_article}, key=by_name)


def by_name(name):
    """The key that sorts tag names as readers read them: "#context" before "#Timeline"."""
    return (name.casefold(), name)
