"""Notes as W3C Web Annotation JSON-LD (https://www.w3.org/TR/annotation-model/).

A passage inside one paragraph is a FragmentSelector (the paragraph key)
refined by a TextPositionSelector, with a TextQuoteSelector beside it as an alternative.
A passage across paragraphs is a RangeSelector whose start and end selectors are such
FragmentSelectors narrowed to a single point (start == end), so it reads the same whether
a client takes the end selector's start or its end as the end of the range. A note on
the whole article targets the article's IRI. A note the text no longer holds where it was
(suggested or orphaned) keeps only its quote. A reply targets the annotation it answers. A
seminar note names its seminar by slug.

Where a note's passage stands after changes of the text is `anchor` (our context): its status,
its last move, and for its author the places suggested for it. A note the re-anchoring engine
moved to similar words keeps the quote it was written about (`anchor.writtenAbout`), while its
target's selectors, quote included, all name the words it marks now: every selector of a
target finds the same passage, as the model asks of alternatives.

What we accept is read by api.parsing.
"""

import json

from django.urls import reverse

from annotations.anchoring import same_quote
from annotations.models import Annotation

ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
MEDIA_TYPE = f'application/ld+json; profile="{ANNO_CONTEXT}"'
RFC3986 = "http://tools.ietf.org/rfc/rfc3986"
PAGE_SIZE = 200


class Iris:
    """The absolute IRIs of one article's annotations, as this request's host names them."""

    def __init__(self, request, article):
        self.article = request.build_absolute_uri(article.get_absolute_url())
        self.container = request.build_absolute_uri(reverse("api:annotations", kwargs={"slug": article.slug}))
        self.context = request.build_absolute_uri(reverse("api:context"))

    def note(self, pk):
        return f"{self.container}{pk}"

    def page(self, number, items_as_iris=False):
        return f"{self.container}?page={number}" + ("&iris=1" if items_as_iris else "")


def context_document(context_iri):
    """Our JSON-LD context: the terms anno.jsonld lacks, so JSON-LD processors keep them.

    The vocabulary's namespace is the context's own IRI with `#` for `.jsonld`.
    """
    return {
        "@context": {
            "mgl": context_iri.removesuffix(".jsonld") + "#",
            "ldp": "http://www.w3.org/ns/ldp#",
            "BasicContainer": "ldp:BasicContainer",
            "visibility": "mgl:visibility",
            "anchorStatus": "mgl:anchorStatus",
            "seminar": "mgl:seminar",
            "anchor": "mgl:anchor",
            "moderation": "mgl:moderation",
            "state": "mgl:state",
            "reason": "mgl:reason",
            "featured": "mgl:featured",
            "status": "mgl:status",
            "writtenAbout": "mgl:writtenAbout",
            "lastMove": "mgl:lastMove",
            "revision": "mgl:revision",
            "method": "mgl:method",
            "score": "mgl:score",
            "from": "mgl:from",
            "to": "mgl:to",
            "candidates": {"@id": "mgl:candidates", "@container": "@list"},  # best first
        }
    }


def encode(data):
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()


# What we send -------------------------------------------------------------------------


def timestamp(moment):
    return moment.isoformat(timespec="seconds").replace("+00:00", "Z")


def annotation(note, iris, *, embedded=False, viewer=None):
    """One note as `viewer` sees it; `embedded` leaves out the @context, which the page around it gives."""
    data = {} if embedded else {"@context": [ANNO_CONTEXT, iris.context]}
    data.update(
        id=iris.note(note.pk),
        type="Annotation",
        motivation=note.motivation,
        created=timestamp(note.created),
        modified=timestamp(note.modified),
        creator={
            "type": "Person",
            "nickname": note.author.get_username(),
            "name": note.author.get_full_name() or note.author.get_username(),
        },
    )
    bodies = _bodies(note)
    if bodies:
        data["body"] = bodies
    move = last_move(note) if note.start_key else None  # a reply or a note on the whole article has no place
    data["target"] = target(note, iris, move)
    data["visibility"] = note.visibility
    if note.seminar_id:
        data["seminar"] = note.seminar.slug
    for name in ("canonical", "via"):
        if getattr(note, name):
            data[name] = getattr(note, name)
    if note.start_key:
        data["anchor"] = anchor(note, iris, move, for_author=getattr(viewer, "pk", None) == note.author_id)
    data.update(moderation_state(note))
    return data


def moderation_state(note):
    """A hidden or pending note's state, with the moderator's reason; a featured note's feature.

    Only its author and its moderators can read a hidden or pending note (visible_to), so whoever
    is sent one may read its state; that a note is featured is shown to all its readers.
    """
    data = {}
    if note.hidden or note.pending:
        data["moderation"] = {"state": "hidden" if note.hidden else "pending"}
        if note.hidden and note.hidden_reason:
            data["moderation"]["reason"] = note.hidden_reason
    if note.featured_at:
        data["featured"] = {"created": timestamp(note.featured_at), "reason": note.featured_reason}
    return data


def _bodies(note):
    bodies = []
    if note.comment:
        bodies.append(
            {"type": "TextualBody", "value": note.comment, "format": "text/markdown", "purpose": "commenting"}
        )
    names = note.tag_names if hasattr(note, "tag_names") else [tag.name for tag in note.tag_list]
    for name in sorted(names, key=str.casefold):
        bodies.append({"type": "TextualBody", "value": name, "purpose": "tagging"})
    return bodies


def target(note, iris, move=None):
    """What the note targets; `move`, its last AnchorMove, tells the words a moved note marks now."""
    if note.parent_id:  # a reply targets the note it answers
        return iris.note(note.parent_id)
    if note.is_on_whole_article:
        return iris.article
    if not note.is_anchored:  # suggested or orphaned: not placed, so only the quote
        return {
            "type": "SpecificResource",
            "source": iris.article,
            "selector": _written_about(note),
            "anchorStatus": note.anchor_status,
        }
    position = _position(note.start_key, note.start_offset, note.end_key, note.end_offset)
    return {"type": "SpecificResource", "source": iris.article, "selector": [position, quote_now(note, move)]}


def _position(start_key, start_offset, end_key, end_offset):
    if start_key == end_key:
        return _fragment(start_key, start_offset, end_offset)
    return {
        "type": "RangeSelector",
        "startSelector": _fragment(start_key, start_offset, start_offset),
        "endSelector": _fragment(end_key, end_offset, end_offset),
    }


def _quote(exact, prefix="", suffix=""):
    quote = {"type": "TextQuoteSelector", "exact": exact}
    if prefix:
        quote["prefix"] = prefix
    if suffix:
        quote["suffix"] = suffix
    return quote


def _written_about(note):
    """The quote as stored: the words the note was written about, with the text around them then."""
    return _quote(note.quote_exact, note.quote_prefix, note.quote_suffix)


def _placed_here(note, move):
    """The place `move` put the note at ({start_key, …, text}), if the note is still there; else None.

    A move whose place is not the note's (the note was placed again since, some other way) tells nothing.
    """
    if move is None or move.status != Annotation.AnchorStatus.ANCHORED or not move.target.get("text"):
        return None
    place = (note.start_key, note.start_offset, note.end_key, note.end_offset)
    there = tuple(move.target.get(name) for name in ("start_key", "start_offset", "end_key", "end_offset"))
    return move.target if there == place else None


def marks_other_words(note, move):
    """Whether the placed note marks words other than those it was written about (after a fuzzy move)."""
    here = _placed_here(note, move)
    return here is not None and not same_quote(here["text"], note.quote_exact)


def quote_now(note, move):
    """The target's TextQuoteSelector: the words the note marks now, so that it finds what its position does.

    The engine moves a note without changing its stored quote, and records in the move the words
    at the new place. The stored prefix and suffix were taken around the stored words, so they go
    only with those; a move that recorded its own (`prefix`, `suffix`) gives them instead.
    """
    here = _placed_here(note, move)
    if here is None or ("prefix" not in here and same_quote(here["text"], note.quote_exact)):
        return _written_about(note)
    return _quote(here["text"], here.get("prefix", ""), here.get("suffix", ""))


def _fragment(key, start, end):
    return {
        "type": "FragmentSelector",
        "conformsTo": RFC3986,
        "value": key,
        "refinedBy": {"type": "TextPositionSelector", "start": start, "end": end},
    }


# Where the passage stands ------------------------------------------------------------------


def last_move(note):
    """The note's latest AnchorMove or None: from the prefetch `api.views.with_last_move` made, else asked."""
    if hasattr(note, "last_moves"):
        return note.last_moves[0] if note.last_moves else None
    return note.moves.order_by("-created", "-pk").first()


def anchor(note, iris, move, *, for_author=False):
    """The note's anchor status, the quote it was written about if it now marks other words,
    its last move, and for its author the places suggested for it (best first)."""
    data = {"status": note.anchor_status}
    if note.is_anchored and marks_other_words(note, move):
        data["writtenAbout"] = _written_about(note)
    if move is not None:
        data["lastMove"] = _move(move, iris)
    if for_author and note.is_suggested and note.anchor_candidates:
        data["candidates"] = [_candidate(candidate, iris) for candidate in note.anchor_candidates]
    return data


def _candidate(candidate, iris):
    """A suggested place: a target the author can send back in a PUT to accept it, and its score."""
    place = _place(candidate, iris)
    if candidate.get("score") is not None:
        place["score"] = candidate["score"]
    return place


def _move(move, iris):
    data = {"revision": move.revision, "status": move.status, "method": move.method}
    if move.score is not None:
        data["score"] = round(move.score, 3)
    if move.source:
        data["from"] = _place(move.source, iris)
    if move.target:
        data["to"] = _place(move.target, iris)
    data["created"] = timestamp(move.created)
    return data


def _place(spot, iris):
    """A place a move or a suggestion records ({start_key, start_offset, end_key, end_offset, text}),
    as a target: the article, the position, and the words there."""
    keys = ("start_key", "start_offset", "end_key", "end_offset")
    selectors = []
    if all(spot.get(name) not in (None, "") for name in keys):
        selectors.append(_position(*(spot[name] for name in keys)))
    if spot.get("text"):
        selectors.append(_quote(spot["text"], spot.get("prefix", ""), spot.get("suffix", "")))
    resource = {"type": "SpecificResource", "source": iris.article}
    if selectors:
        resource["selector"] = selectors if len(selectors) > 1 else selectors[0]
    return resource


def last_page(total):
    return max(0, (total - 1) // PAGE_SIZE)


def page(notes, number, total, iris, *, items_as_iris=False, embedded=False, viewer=None):
    data = {} if embedded else {"@context": [ANNO_CONTEXT, iris.context]}
    data.update(
        id=iris.page(number, items_as_iris),
        type="AnnotationPage",
        # An object, not a bare IRI: the W3C suite's page checks need partOf's total.
        partOf={"id": iris.container, "total": total},
        startIndex=number * PAGE_SIZE,
        items=[
            iris.note(note.pk) if items_as_iris else annotation(note, iris, embedded=True, viewer=viewer)
            for note in notes
        ],
    )
    if number > 0:
        data["prev"] = iris.page(number - 1, items_as_iris)
    if number < last_page(total):
        data["next"] = iris.page(number + 1, items_as_iris)
    return data


def collection(article, iris, total, *, first=None, items_as_iris=False):
    """The container; `first` is the embedded first page, or None to link to it by IRI."""
    data = {
        "@context": [ANNO_CONTEXT, iris.context],
        "id": iris.container,
        "type": ["BasicContainer", "AnnotationCollection"],
        "label": f"Notes on “{article.title}”",
        "total": total,
    }
    if total:
        data["first"] = first if first is not None else iris.page(0, items_as_iris)
        data["last"] = iris.page(last_page(total), items_as_iris)
    return data
