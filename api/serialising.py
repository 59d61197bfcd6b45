"""Notes as W3C Web Annotation JSON-LD (https://www.w3.org/TR/annotation-model/).

A passage inside one paragraph is a FragmentSelector (the paragraph key)
refined by a TextPositionSelector, with a TextQuoteSelector beside it as an alternative.
A passage across paragraphs is a RangeSelector whose start and end selectors are such
FragmentSelectors narrowed to a single point (start == end), so it reads the same whether
a client takes the end selector's start or its end as the end of the range. A note on
the whole article targets the article's IRI. An orphaned note keeps only its quote. A reply
targets the annotation it answers. A seminar note names its seminar by slug.

What we accept is read by api.parsing.
"""

import json

from django.urls import reverse

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
        }
    }


def encode(data):
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()


# What we send -------------------------------------------------------------------------


def timestamp(moment):
    return moment.isoformat(timespec="seconds").replace("+00:00", "Z")


def annotation(note, iris, *, embedded=False):
    """One note; `embedded` leaves out the @context, which the page around it gives."""
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
    data["target"] = target(note, iris)
    data["visibility"] = note.visibility
    if note.seminar_id:
        data["seminar"] = note.seminar.slug
    for name in ("canonical", "via"):
        if getattr(note, name):
            data[name] = getattr(note, name)
    return data


def _bodies(note):
    bodies = []
    if note.comment:
        bodies.append(
            {"type": "TextualBody", "value": note.comment, "format": "text/markdown", "purpose": "commenting"}
        )
    for name in sorted((tag.name for tag in note.tag_list), key=str.casefold):
        bodies.append({"type": "TextualBody", "value": name, "purpose": "tagging"})
    return bodies


def target(note, iris):
    if note.parent_id:  # a reply targets the note it answers
        return iris.note(note.parent_id)
    if note.is_on_whole_article:
        return iris.article
    quote = {"type": "TextQuoteSelector", "exact": note.quote_exact}
    if note.quote_prefix:
        quote["prefix"] = note.quote_prefix
    if note.quote_suffix:
        quote["suffix"] = note.quote_suffix
    if not note.is_anchored:
        return {"type": "SpecificResource", "source": iris.article, "selector": quote, "anchorStatus": "orphaned"}
    if note.start_key == note.end_key:
        position = _fragment(note.start_key, note.start_offset, note.end_offset)
    else:
        position = {
            "type": "RangeSelector",
            "startSelector": _fragment(note.start_key, note.start_offset, note.start_offset),
            "endSelector": _fragment(note.end_key, note.end_offset, note.end_offset),
        }
    return {"type": "SpecificResource", "source": iris.article, "selector": [position, quote]}


def _fragment(key, start, end):
    return {
        "type": "FragmentSelector",
        "conformsTo": RFC3986,
        "value": key,
        "refinedBy": {"type": "TextPositionSelector", "start": start, "end": end},
    }


def last_page(total):
    return max(0, (total - 1) // PAGE_SIZE)


def page(notes, number, total, iris, *, items_as_iris=False, embedded=False):
    data = {} if embedded else {"@context": [ANNO_CONTEXT, iris.context]}
    data.update(
        id=iris.page(number, items_as_iris),
        type="AnnotationPage",
        # An object, not a bare IRI: the W3C suite's page checks need partOf's total.
        partOf={"id": iris.container, "total": total},
        startIndex=number * PAGE_SIZE,
        items=[iris.note(note.pk) if items_as_iris else annotation(note, iris, embedded=True) for note in notes],
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
