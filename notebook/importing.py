"""Notes from other tools: a Hypothesis export (their JSON) or W3C Web Annotation JSON-LD.

Each note is placed by its quote (and its position, where the file gives one: our own
FragmentSelector with its TextPositionSelector, or Hypothesis' TextPositionSelector as a hint
of where to look) in the article its target names, `/articles/<slug>/`, or the article chosen
for the whole file. A note whose words are not in the article is kept, orphaned, when it says
something; a bare highlight of missing words is skipped, as is a reply (its thread is not here).

A file is read whole and checked before anything is written; the notes are then written in one
transaction. Each note made is remembered with its id in the file (`ImportedNote`), so the same
file imported again adds nothing. Notes are made by annotations.writing, the one way notes are
made, and are private.
"""

import datetime
import hashlib
import json
import re
from dataclasses import dataclass, field
from urllib.parse import urlparse

from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from annotations.anchoring import AnchoringError, ArticleText
from annotations.models import QUOTE_CONTEXT, Annotation
from annotations.writing import NoteError, clean_comment, clean_tag_names, create_note
from notebook.models import ImportedNote
from reader.models import Article

MAX_FILE_BYTES = 10 * 1024 * 1024  # 5,000 notes exported as JSON-LD take about 5.5 MB
MAX_NOTES = 5_000  # manage.py import_notes
MAX_WEB_NOTES = 1_000  # the web form: a file of them takes seconds, not minutes, to write
_ARTICLE_PATH = re.compile(r"^/articles/([-\w]+)/?$")
ANCHORED, WHOLE, ORPHANED, SKIPPED = "anchored", "whole article", "orphaned", "skipped"


class NoteFileError(ValueError):
    """The file cannot be imported at all; the message says why and what to do. Nothing was written."""


@dataclass
class Incoming:
    """One annotation of the file, as far as it was understood."""

    source_id: str
    source: str = ""  # the IRI of what it annotates
    exact: str = ""
    prefix: str = ""
    suffix: str = ""
    start_key: str = ""  # our FragmentSelector's paragraph, with offsets into it
    start_offset: int | None = None
    end_key: str = ""
    end_offset: int | None = None
    near: int | None = None  # a position in the whole text, a hint where to look
    comment: str = ""
    tags: list = field(default_factory=list)
    created: datetime.datetime | None = None  # when it was written, as the file says
    problem: str = ""  # why it is skipped before anything is looked up

    @property
    def label(self):
        words = self.exact or self.comment or self.source_id
        words = " ".join(words.split())
        return words if len(words) <= 80 else words[:79] + "…"


@dataclass
class Outcome:
    incoming: Incoming
    status: str
    reason: str = ""
    note: Annotation | None = None


@dataclass
class Report:
    outcomes: list = field(default_factory=list)

    def count(self, *statuses):
        return sum(outcome.status in statuses for outcome in self.outcomes)

    @property
    def imported(self):
        return self.count(ANCHORED, WHOLE, ORPHANED)

    @property
    def orphaned(self):
        return self.count(ORPHANED)

    def summary(self):
        return (
            f"Imported {self.imported} note{'s' if self.imported != 1 else ''}: {self.count(ANCHORED)} anchored "
            f"on their words, {self.count(WHOLE)} on a whole article, {self.count(ORPHANED)} orphaned; "
            f"skipped {self.count(SKIPPED)}."
        )


# Reading the file ------------------------------------------------------------------------------


def check_size(size):
    if size > MAX_FILE_BYTES:
        raise NoteFileError(
            f"The file is {filesizeformat(size)}; the limit is {filesizeformat(MAX_FILE_BYTES)}. "
            "Export fewer notes at a time (one group or one document) and import each file."
        )


def read_file(data, max_notes=MAX_NOTES):
    """The annotations in the file's bytes, as [Incoming]; NoteFileError if the file cannot be used."""
    check_size(len(data))
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise NoteFileError("The file is not UTF-8 text: choose the JSON file your notes were exported to.") from None
    except (json.JSONDecodeError, RecursionError) as error:
        where = f" (line {error.lineno}, column {error.colno}: {error.msg})" if hasattr(error, "lineno") else ""
        raise NoteFileError(
            f"The file is not valid JSON{where}. Export your notes again and import that file."
        ) from None
    items = annotations_in(document)
    if len(items) > max_notes:
        more = f" here; manage.py import_notes takes up to {MAX_NOTES:,}" if max_notes < MAX_NOTES else ""
        raise NoteFileError(
            f"The file holds {len(items):,} annotations; at most {max_notes:,} are imported at once{more}. "
            "Export fewer at a time (one group or one document) and import each file."
        )
    incoming = [read_item(item, n) for n, item in enumerate(items)]
    if all(item.problem == NOT_AN_ANNOTATION for item in incoming):
        raise NoteFileError(ANOTHER_FORMAT)
    return incoming


ANOTHER_FORMAT = (
    "This file is neither a Hypothesis export nor W3C Web Annotations: import the JSON file Hypothesis "
    "exports, or a W3C AnnotationCollection (or a list of Annotations) such as Marginalia's JSON-LD export."
)
NOT_AN_ANNOTATION = "This entry is not an annotation."


def _types(value):
    kinds = value.get("type", []) if isinstance(value, dict) else []
    return set(kinds) if isinstance(kinds, list) else {kinds}


def annotations_in(document):
    """The list of annotation objects a document holds, whichever of the accepted shapes it has."""
    if isinstance(document, list):
        items = document
    elif not isinstance(document, dict):
        raise NoteFileError(ANOTHER_FORMAT)
    elif "AnnotationCollection" in _types(document):
        first = document.get("first")
        if isinstance(first, str):
            raise NoteFileError(
                "This collection keeps its annotations on pages elsewhere (its `first` is a link): "
                "import a file with the annotations in it."
            )
        items = (first or {}).get("items", []) if isinstance(first, dict) else document.get("items", [])
    elif "AnnotationPage" in _types(document):
        items = document.get("items", [])
    elif "Annotation" in _types(document):
        items = [document]
    elif isinstance(document.get("annotations"), list):  # a Hypothesis export
        items = document["annotations"]
    elif isinstance(document.get("rows"), list):  # a page of Hypothesis' search API
        items = document["rows"]
    else:
        raise NoteFileError(ANOTHER_FORMAT)
    if not isinstance(items, list) or not items:
        raise NoteFileError("The file holds no annotations to import.")
    return items


def read_item(item, n):
    if not isinstance(item, dict):
        return Incoming(source_id=f"#{n}", problem=NOT_AN_ANNOTATION)
    if "Annotation" in _types(item):
        incoming = _w3c(item)
    elif "uri" in item or ("text" in item and isinstance(item.get("target"), list)):
        incoming = _hypothesis(item)
    else:
        return Incoming(source_id=f"#{n}", problem=NOT_AN_ANNOTATION)
    incoming.created = _moment(item.get("created"))
    if not incoming.source_id:  # remembered by its content instead
        incoming.source_id = "sha256:" + hashlib.sha256(json.dumps(item, sort_keys=True).encode()).hexdigest()
    elif len(incoming.source_id) > ImportedNote._meta.get_field("source_id").max_length:
        incoming.source_id = "sha256:" + hashlib.sha256(incoming.source_id.encode()).hexdigest()
    return incoming


def _moment(value):
    """The time a note was written, from the file's ISO 8601 `created`; never later than now."""
    try:
        moment = parse_datetime(value) if isinstance(value, str) else None
    except ValueError:
        moment = None
    if moment is None:
        return None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, datetime.UTC)
    return min(moment, timezone.now())


def _text(value):
    return value if isinstance(value, str) else ""


def _w3c(item):
    incoming = Incoming(source_id=_text(item.get("id")))
    target = item.get("target")
    target = target[0] if isinstance(target, list) and target else target
    if item.get("motivation") == "replying":
        incoming.problem = "A reply: its thread is not in this file's articles."
    if isinstance(target, str):
        incoming.source = target
    elif isinstance(target, dict):
        incoming.source = _text(target.get("source")) or _text(target.get("id"))
        _selectors(incoming, target.get("selector"))
    else:
        incoming.problem = incoming.problem or "It has no target: nothing says what it annotates."
    bodies = item.get("body", [])
    for body in bodies if isinstance(bodies, list) else [bodies]:
        if isinstance(body, str):
            continue  # an IRI: a body kept elsewhere
        if isinstance(body, dict) and isinstance(body.get("value"), str):
            if body.get("purpose") == "tagging":
                incoming.tags.append(body["value"])
            elif not incoming.comment:
                incoming.comment = body["value"]
    if not incoming.comment and isinstance(item.get("bodyValue"), str):
        incoming.comment = item["bodyValue"]
    return incoming


def _hypothesis(item):
    incoming = Incoming(
        source_id="hypothesis:" + _text(item.get("id")) if item.get("id") else "",
        source=_text(item.get("uri")),
        comment=_text(item.get("text")),
        tags=[tag for tag in item.get("tags") or [] if isinstance(tag, str)],
    )
    if item.get("references"):
        incoming.problem = "A reply: its thread is not in this file's articles."
    targets = item.get("target")
    target = targets[0] if isinstance(targets, list) and targets and isinstance(targets[0], dict) else {}
    incoming.source = _text(target.get("source")) or incoming.source
    _selectors(incoming, target.get("selector"))
    return incoming


def _selectors(incoming, selectors):
    for selector in selectors if isinstance(selectors, list) else [selectors]:
        if not isinstance(selector, dict):
            continue
        kind = selector.get("type")
        if kind == "TextQuoteSelector":
            incoming.exact = _text(selector.get("exact"))
            incoming.prefix, incoming.suffix = _text(selector.get("prefix")), _text(selector.get("suffix"))
        elif kind == "TextPositionSelector" and isinstance(selector.get("start"), int):
            incoming.near = selector["start"]
        elif kind == "FragmentSelector":
            key, start, end = _fragment(selector)
            incoming.start_key, incoming.start_offset, incoming.end_key, incoming.end_offset = key, start, key, end
        elif kind == "RangeSelector":
            start = _fragment(selector.get("startSelector"))
            end = _fragment(selector.get("endSelector"))
            incoming.start_key, incoming.start_offset = start[0], start[1]
            incoming.end_key, incoming.end_offset = end[0], end[1]


def _fragment(selector):
    """(paragraph key, start, end) of a FragmentSelector refined by a TextPositionSelector, or ("", None, None)."""
    if not isinstance(selector, dict) or selector.get("type") != "FragmentSelector":
        return "", None, None
    refined = selector.get("refinedBy")
    if not isinstance(refined, dict) or refined.get("type") != "TextPositionSelector":
        return "", None, None
    return _text(selector.get("value")), refined.get("start"), refined.get("end")


# Placing and writing -------------------------------------------------------------------------


def article_of(source, user, cache):
    """The article a target's IRI names (`…/articles/<slug>/`), if `user` can read it; else None."""
    match = _ARTICLE_PATH.match(urlparse(source).path) if source else None
    if match is None:
        return None
    slug = match[1]
    if slug not in cache:
        cache[slug] = Article.objects.readable_by(user).filter(slug=slug).first()
    return cache[slug]


def import_notes(user, incoming, article=None):
    """Write the notes of a file read by `read_file` for `user`, into `article` if given (else each
    note's own); return a Report. Everything is written in one transaction."""
    report, articles, texts, seen = Report(), {}, {}, set()
    already = set(
        ImportedNote.objects.filter(user=user, source_id__in=[item.source_id for item in incoming]).values_list(
            "source_id", flat=True
        )
    )
    prepared = [_prepare(item, user, article, articles, already, seen) for item in incoming]
    if all(isinstance(found, Outcome) and found.reason.startswith(NO_ARTICLE) for found in prepared):
        raise NoteFileError(
            "None of the file's notes is on an article here that you can read: choose the article to import them into."
        )
    with transaction.atomic():
        for item, found in zip(incoming, prepared, strict=True):
            outcome = found if isinstance(found, Outcome) else _write(user, item, *found, texts)
            report.outcomes.append(outcome)
    return report


NO_ARTICLE = "Its target is not an article here"


def _prepare(item, user, chosen, articles, already, seen):
    """(article, comment, tags) for a note to write, or the Outcome of one skipped."""
    if item.problem:
        return Outcome(item, SKIPPED, item.problem)
    if item.source_id in seen:
        return Outcome(item, SKIPPED, "The file holds this annotation twice; it is imported once.")
    seen.add(item.source_id)
    if item.source_id in already:
        return Outcome(item, SKIPPED, "Imported before: it is in your notebook already.")
    article = chosen or article_of(item.source, user, articles)
    if article is None:
        return Outcome(item, SKIPPED, f"{NO_ARTICLE} that you can read ({item.source or 'no address'}).")
    if not item.exact.strip() and not item.comment.strip():
        return Outcome(item, SKIPPED, "It has neither a quote nor a comment: there is nothing to import.")
    try:
        return article, clean_comment(item.comment), clean_tag_names(item.tags)
    except NoteError as error:
        return Outcome(item, SKIPPED, str(error))


def _place(item, text):
    """The passage the note names in `text`: by its position checked against its quote, else by its quote."""
    if item.start_key and item.end_key:
        try:
            return text.by_position(
                item.start_key, item.start_offset, item.end_key, item.end_offset, exact=item.exact or None
            )
        except AnchoringError:
            pass  # another article's keys, or a text changed since: the quote decides
    return text.by_quote(item.exact, item.prefix[-QUOTE_CONTEXT:], item.suffix[:QUOTE_CONTEXT], near=item.near)


def _write(user, item, article, comment, tags, texts):
    if article.pk not in texts:
        texts[article.pk] = ArticleText.of(article)
    passage, status, extra = None, WHOLE, {}
    if item.exact.strip():
        try:
            passage, status = _place(item, texts[article.pk]), ANCHORED
        except AnchoringError as error:
            if not comment.source:
                return Outcome(item, SKIPPED, f"{error} A highlight with no comment is not kept without its words.")
            status, extra = ORPHANED, _orphaned(item)
    if item.created is not None:
        extra["created"] = item.created  # it keeps its date (and is no copy of a note sent a moment ago)
    try:
        note = create_note(user, article, passage, comment=comment, tags=tags, **extra)
    except NoteError as error:
        return Outcome(item, SKIPPED, str(error))
    ImportedNote.objects.create(user=user, source_id=item.source_id, annotation=note)
    return Outcome(item, status, note=note)


def _orphaned(item):
    """The fields of a note kept with its quote and no place, as the re-anchoring engine keeps one."""
    key = (item.start_key or "imported")[:40]
    return {
        "start_key": key,
        "end_key": key,
        "start_offset": 0,
        "end_offset": max(1, len(item.exact)),
        "quote_exact": item.exact,
        "quote_prefix": item.prefix[-QUOTE_CONTEXT:],
        "quote_suffix": item.suffix[:QUOTE_CONTEXT],
        "anchor_status": Annotation.AnchorStatus.ORPHANED,
    }
