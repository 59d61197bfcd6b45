"""The W3C Web Annotation Protocol (https://www.w3.org/TR/annotation-protocol/) over django-ninja.

One container per article, /api/articles/<slug>/annotations/, paged in reading order; one
resource per note, /api/articles/<slug>/annotations/<uuid>. Reads go through
Annotation.objects.visible_to like every other read path; writes go through
annotations.writing like the web forms, so both refuse the same things.
"""

import hashlib
import re
import uuid

from csp.decorators import csp_update
from django.contrib.auth import get_user_model
from django.core.exceptions import RequestDataTooBig
from django.db import transaction
from django.db.models import Case, Count, F, OuterRef, Prefetch, Q, Subquery, Value, When, Window
from django.http import HttpResponse
from django.urls import reverse

from accounts.authentication import BearerToken, SessionCookie, anonymous, signed_in
from annotations.models import AnchorMove, Annotation, TaggedAnnotation
from annotations.writing import (
    UNCHANGED,
    DuplicateNote,
    NoteError,
    accept_suggestion,
    clean_comment,
    create_note,
    create_reply,
    delete_note,
    update_note,
)
from api import parsing, schemas, serialising
from api.errors import ApiError, answer_errors_in_json
from api.openapi import ANCHORING, TAGS, JsonLdAPI, reads, responses, writes
from reader.models import Article
from seminars.models import Seminar

CONTAINER = "/articles/{slug}/annotations/"
ITEM = "/articles/{slug}/annotations/{note_id}"
LDP = "http://www.w3.org/ns/ldp#"
PREFER_MINIMAL = LDP + "PreferMinimalContainer"
PREFER_IRIS = LDP + "PreferContainedIRIs"
PREFER_DESCRIPTIONS = LDP + "PreferContainedDescriptions"
ACCEPT_POST = f"{serialising.MEDIA_TYPE}, application/json"
CONTAINER_HEADERS = {
    "Link": f'<{LDP}BasicContainer>; rel="type", <http://www.w3.org/TR/annotation-protocol/>; rel="{LDP}constrainedBy"',
    "Allow": "GET, HEAD, OPTIONS, POST",
    "Accept-Post": ACCEPT_POST,
    "Vary": "Accept, Prefer, Authorization, Cookie",
}
PAGE_HEADERS = {"Allow": "GET, HEAD, OPTIONS", "Vary": CONTAINER_HEADERS["Vary"]}
ITEM_HEADERS = {
    "Link": f'<{LDP}Resource>; rel="type"',
    "Allow": "GET, HEAD, OPTIONS, PUT, DELETE",
    "Vary": "Accept, Authorization, Cookie",
}
_INCLUDE = re.compile(r'include\s*=\s*"([^"]*)"')


api = JsonLdAPI(
    title="Marginalia",
    version="1",
    description=(
        "W3C Web Annotation Protocol for Marginalia's articles. Annotations are JSON-LD "
        f"(`{serialising.MEDIA_TYPE}`). Read without signing in; write with a personal token "
        "(`Authorization: Bearer …`, from your account page) or a browser session with its CSRF token." + ANCHORING
    ),
    urls_namespace="api",
    auth=[BearerToken(), SessionCookie(), anonymous],
    # The docs page draws its menus' arrows as inline SVG images; an image cannot run script.
    docs_decorator=csp_update({"img-src": "data:"}),
)
answer_errors_in_json(api)


# Finding things ----------------------------------------------------------------------


def readable_article(request, slug):
    found = Article.objects.readable_by(request.auth).filter(slug=slug).order_by()[:1]  # slugs are unique
    article = next(iter(found), None)
    if article is None:
        raise ApiError(404, f"There is no article {slug!r} that you can read.")
    return article


def in_reading_order(notes):
    """Notes on the whole article first, then by paragraph, offset and age; notes not placed last.

    A note not placed in the text (orphaned, or suggested: awaiting its author's check) comes
    after every placed one, whatever paragraph it was on.
    """
    place = Case(
        When(~Q(anchor_status=Annotation.AnchorStatus.ANCHORED), then=Value(2)),
        When(start_key="", then=Value(0)),
        default=Value(1),
    )
    return notes.order_by(place.asc(), "start_paragraph__position", "start_offset", "created", "pk")


def with_last_move(notes):
    """The notes, each with its latest AnchorMove in `last_moves` (a list of one, or empty): one query for all.

    (One note alone costs that one query whether prefetched or not: serialising.last_move asks for it.)
    """
    latest = AnchorMove.objects.filter(annotation=OuterRef("annotation")).order_by("-created", "-pk").values("pk")[:1]
    last = AnchorMove.objects.filter(pk=Subquery(latest))
    return notes.prefetch_related(Prefetch("moves", queryset=last, to_attr="last_moves"))


def _note_id(note_id):
    try:
        return uuid.UUID(note_id)
    except ValueError:
        raise ApiError(404, f"There is no annotation {note_id!r} here: annotation ids are UUIDs.") from None


def visible_note(request, article, note_id):
    notes = Annotation.objects.visible_to(request.auth).for_article(article)
    note = notes.for_display().select_related("seminar").filter(pk=_note_id(note_id)).first()
    if note is None:
        raise ApiError(404, f"There is no annotation {note_id} on this article that you can see.")
    return note


def own_note(request, article, note_id, *, lock=True):
    """The asker's note, locked for the change; someone else's is 403 if visible, else 404."""
    user, pk = signed_in(request), _note_id(note_id)
    notes = Annotation.objects.editable_by(user).for_article(article)
    note = (notes.select_for_update(of=("self",)) if lock else notes).filter(pk=pk).first()
    if note is None:
        visible_note(request, article, note_id)
        raise ApiError(403, "This is someone else's annotation: only its author can change or delete it.")
    return note


# Responses ---------------------------------------------------------------------------


def etag(body):
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def ld_response(data, headers, status=200):
    body = serialising.encode(data)
    response = HttpResponse(body, status=status, content_type=serialising.MEDIA_TYPE)
    response["ETag"] = etag(body)
    for name, value in headers.items():
        response[name] = value
    return response


def headers_only(headers):
    response = HttpResponse(content_type=serialising.MEDIA_TYPE)
    for name, value in headers.items():
        response[name] = value
    return response


def annotation_response(request, note, links, status=200):
    return ld_response(serialising.annotation(note, links, viewer=request.auth), ITEM_HEADERS, status=status)


def check_if_match(request, current_body, *, required=False):
    """Honour If-Match: a change based on an old version is refused (412) rather than lost.

    Where it is `required`, a change that names no version is refused too (428): it would
    overwrite whatever another client saved since this one read the annotation.
    """
    header = request.headers.get("If-Match")
    if header is None:
        if required:
            raise ApiError(
                428,
                f"Say which version you are replacing: GET the annotation, then send its ETag "
                f"(now {etag(current_body)}) in If-Match with your PUT. If-Match: * replaces "
                "whatever version is there.",
            )
        return
    current = etag(current_body)
    if not {"*", current} & {tag.strip() for tag in header.split(",")}:
        raise ApiError(
            412,
            f"The annotation has changed since you read it (its ETag is now {current}): "
            "GET it again, redo your change on that version and send its ETag in If-Match.",
        )


# Reading what clients send -------------------------------------------------------------


def read_json(request):
    try:
        body = request.body
    except RequestDataTooBig:
        raise ApiError(413, "The request body is too large for one annotation.") from None
    if not body.strip():
        raise ApiError(400, f"The request body is empty: send an Annotation as {serialising.MEDIA_TYPE}.")
    if request.content_type not in parsing.ACCEPTED_TYPES:
        raise ApiError(
            415,
            f"Send the annotation as {serialising.MEDIA_TYPE} (or application/json), "
            f"not {request.content_type or 'a body with no Content-Type'}.",
            {"Accept-Post": ACCEPT_POST},
        )
    try:
        return parsing.decode_json(body)
    except parsing.InputError as error:
        raise ApiError(error.status, str(error)) from None


def read_note(request, article, links, **options):
    try:
        return parsing.AnnotationReader(article, links).read(read_json(request), **options)
    except parsing.InputError as error:
        raise ApiError(error.status, str(error)) from None


def write(function, *args, **kwargs):
    """Call a writing function; its NoteError answers the request (400; 409 for a note sent twice).

    A duplicate's answer names the note already saved in Location, so a client that resent a
    request it thought lost can read the note it made.
    """
    try:
        return function(*args, **kwargs)
    except DuplicateNote as error:
        location = reverse("api:annotation", kwargs={"slug": error.note.article.slug, "note_id": error.note.pk})
        raise ApiError(error.status, str(error), {"Location": location}) from None
    except NoteError as error:
        raise ApiError(error.status, str(error)) from None


# The container -------------------------------------------------------------------------


def _prefer(request):
    """The IRIs in the Prefer header's include="…" (RFC 7240, LDP)."""
    return {iri for match in _INCLUDE.finditer(request.headers.get("Prefer", "")) for iri in match[1].split()}


MAX_OFFSET = 2**31 - 1


def _page_notes(notes, number, items_as_iris):
    """(the notes of page `number`, how many notes there are in all): the page's ids and the total
    come in one query, which sorts only the columns reading order needs; then only the page's notes
    are read whole (`described`)."""
    start = number * serialising.PAGE_SIZE
    counted = in_reading_order(notes).annotate(total=Window(Count("pk"))).values_list("pk", "total")
    # An offset past what a database integer holds is no page (and would overflow the query).
    rows = list(counted[start : start + serialising.PAGE_SIZE]) if 0 <= start <= MAX_OFFSET else []
    total = rows[0][1] if rows else notes.count()  # past the last page: nothing to sort, only to count
    pks = [pk for pk, _ in rows]
    if items_as_iris:
        return [Annotation(pk=pk) for pk in pks], total
    return described(Annotation.objects.filter(pk__in=pks), pks), total


# What a note's JSON-LD reads of it (api.serialising.annotation): nothing more is loaded.
DESCRIBED = [
    "id", "author", "parent", "seminar", "start_key", "start_offset", "end_key", "end_offset",
    "quote_exact", "quote_prefix", "quote_suffix", "comment", "visibility", "anchor_status", "anchor_candidates",
    "is_question", "canonical", "via", "created", "modified",
    "hidden", "hidden_reason", "pending", "featured_at", "featured_reason",  # serialising.moderation_state
]  # fmt: skip
AUTHOR_NAMES = ["username", "first_name", "last_name"]


def described(notes, order):
    """The notes ready to describe, in the `order` of their ids, in four queries whatever their number.

    The notes come with their authors' names and seminars' slugs in one query, and each author
    and seminar is made once (a page of 200 notes by a few people is not 200 people); then their
    tags (`tag_names`), and the last move of each (`last_moves`).
    """
    names = {f"author_{name}": F(f"author__{name}") for name in AUTHOR_NAMES}
    place = {pk: i for i, pk in enumerate(order)}
    page = sorted(
        notes.only(*DESCRIBED).annotate(**names, seminar_slug=F("seminar__slug")), key=lambda note: place[note.pk]
    )
    people, seminars, tags = {}, {}, {note.pk: [] for note in page}
    db = notes.db
    for note in page:
        if note.author_id not in people:
            values = [note.author_id, *(getattr(note, f"author_{name}") for name in AUTHOR_NAMES)]
            people[note.author_id] = get_user_model().from_db(db, ["id", *AUTHOR_NAMES], values)
        note.author = people[note.author_id]
        if note.seminar_id is not None:
            if note.seminar_id not in seminars:
                seminars[note.seminar_id] = Seminar.from_db(db, ["id", "slug"], [note.seminar_id, note.seminar_slug])
            note.seminar = seminars[note.seminar_id]
    rows = TaggedAnnotation.objects.filter(content_object__in=list(tags)).values_list("content_object", "tag__name")
    for note_id, name in rows:
        tags[note_id].append(name)
    latest = AnchorMove.objects.filter(annotation=OuterRef("annotation")).order_by("-created", "-pk").values("pk")[:1]
    moves = {
        move.annotation_id: move for move in AnchorMove.objects.filter(annotation__in=list(tags), pk=Subquery(latest))
    }
    for note in page:
        note.tag_names = tags[note.pk]
        note.last_moves = [moves[note.pk]] if note.pk in moves else []
    return page


@api.api_operation(
    ["GET", "HEAD"],
    CONTAINER,
    url_name="annotations",
    summary="List an article's annotations",
    **reads(200, 400, 401, 404, body=schemas.AnnotationCollection | schemas.AnnotationPage),
)
def annotation_collection(request, slug: str, page: int | None = None, iris: bool = False):
    """The article's annotations you can see: an AnnotationCollection, or with `?page=N` one AnnotationPage.

    Pages hold up to 200 annotations in reading order. Honours `Prefer: return=representation;
    include="http://www.w3.org/ns/ldp#PreferMinimalContainer"` (no embedded page),
    `…#PreferContainedIRIs` (items as IRIs; also `?iris=1` on a page) and `…#PreferContainedDescriptions`.
    """
    article = readable_article(request, slug)
    links = serialising.Iris(request, article)
    notes = Annotation.objects.visible_to(request.auth).for_article(article)
    if page is not None:
        items, total = _page_notes(notes, page, iris)
        if not 0 <= page <= serialising.last_page(total):
            raise ApiError(404, f"There is no page {page}: pages run from 0 to {serialising.last_page(total)}.")
        data = serialising.page(items, page, total, links, items_as_iris=iris, viewer=request.auth)
        return ld_response(data, {**PAGE_HEADERS, "Content-Location": data["id"]})
    prefer = _prefer(request)
    iris = PREFER_IRIS in prefer and PREFER_DESCRIPTIONS not in prefer
    first = None
    if PREFER_MINIMAL in prefer:
        total = notes.count()
    else:
        items, total = _page_notes(notes, 0, iris)
        if total:
            first = serialising.page(items, 0, total, links, items_as_iris=iris, embedded=True, viewer=request.auth)
    data = serialising.collection(article, links, total, first=first, items_as_iris=iris)
    return ld_response(data, {**CONTAINER_HEADERS, "Content-Location": data["id"]})


@api.api_operation(["OPTIONS"], CONTAINER, summary="What the container allows", **reads(200, 404))
def container_options(request, slug: str):
    """What the container allows and accepts (Allow, Accept-Post, Link)."""
    readable_article(request, slug)
    return headers_only(CONTAINER_HEADERS)


@api.post(CONTAINER, summary="Create an annotation", **writes(201, 400, 401, 403, 404, 409, 413, 415))
def create_annotation(request, slug: str):
    """Create an annotation on the article; 201 with the new annotation, its IRI in Location.

    The target is the article's IRI (a note on the whole article), or a passage of it: a
    `FragmentSelector` (paragraph key) refined by a `TextPositionSelector`, a `RangeSelector`
    of two of those, or a `TextQuoteSelector` alone (prefix and suffix pick among repeats; a quote
    they do not single out is a 409 that lists where it occurs, so send a position or more context).
    A quote beside a position checks it (409 when they disagree).
    """
    user = signed_in(request)
    article = readable_article(request, slug)
    links = serialising.Iris(request, article)
    note_input = read_note(request, article, links)
    if note_input.parent:  # a reply shares its thread's audience, so it gives no visibility of its own
        parent = visible_note(request, article, note_input.parent)
        note = write(create_reply, user, parent, comment=note_input.comment, tags=note_input.tags)
    else:
        note = write(create_note, user, article, note_input.passage, **note_input.fields())
    note.last_moves = []  # a new note has not moved
    response = annotation_response(request, note, links, status=201)
    response["Location"] = links.note(note.pk)
    return response


# One annotation ------------------------------------------------------------------------


@api.api_operation(
    ["GET", "HEAD"],
    ITEM,
    url_name="annotation",
    summary="Get an annotation",
    **reads(200, 401, 404, body=schemas.Annotation),
)
def get_annotation(request, slug: str, note_id: str):
    """One annotation, if you can see it (someone else's private note is a 404).

    A note on a passage says in `anchor` where it stands after changes of the text: its status,
    its last move, and for its author the places suggested for it.
    """
    article = readable_article(request, slug)
    return annotation_response(request, visible_note(request, article, note_id), serialising.Iris(request, article))


@api.api_operation(["OPTIONS"], ITEM, summary="What the annotation allows", **reads(200, 404))
def annotation_options(request, slug: str, note_id: str):
    """What the annotation allows (Allow, Link)."""
    visible_note(request, readable_article(request, slug), note_id)
    return headers_only(ITEM_HEADERS)


@api.put(ITEM, summary="Replace your annotation", **writes(200, 400, 401, 403, 404, 409, 412, 413, 415, 428))
def replace_annotation(request, slug: str, note_id: str):
    """Replace your annotation: body, target, visibility, canonical and via (what is left out is cleared).

    Send the ETag you read in If-Match: if the annotation changed since, nothing is changed (412);
    without If-Match nothing is changed either (428). `If-Match: *` replaces whatever version is there.

    A target sent back unchanged keeps the note where it is, even a suggested or orphaned note
    (its `anchorStatus` may be left out). A new target places the note there, and is recorded
    as its author's move: that is how an orphaned or suggested note is re-attached. A suggested
    note sent back with one of its `anchor.candidates` as target (the score may stay) accepts that
    suggestion, as the reading page does: it keeps the quote it was written about.
    """
    article = readable_article(request, slug)
    links = serialising.Iris(request, article)
    # The body is read and its comment parsed before the transaction, which on SQLite holds the
    # database's write lock; inside it, the note is locked and its version checked again.
    note = own_note(request, article, note_id, lock=False)
    current = serialising.annotation(note, links, viewer=request.auth)
    check_if_match(request, serialising.encode(current), required=True)
    note_input = read_note(request, article, links, keep_target=current["target"])
    if note.parent_id and (note_input.passage is not UNCHANGED or note_input.parent):
        raise ApiError(400, f"A reply's target is the annotation it answers, {current['target']}; keep it as it is.")
    if note_input.parent:
        raise ApiError(400, "A note cannot become a reply: post the reply as a new annotation instead.")
    comment = write(clean_comment, note_input.comment)
    with transaction.atomic():
        note = own_note(request, article, note_id)
        check_if_match(
            request, serialising.encode(serialising.annotation(note, links, viewer=request.auth)), required=True
        )
        passage = note_input.passage
        chosen = suggestion_chosen(note, passage)
        if chosen is not None:
            note, passage = write(accept_suggestion, note, chosen), UNCHANGED
        note = write(update_note, note, passage=passage, **note_input.fields() | {"comment": comment})
    return annotation_response(request, note, links)


def suggestion_chosen(note, passage):
    """The index of the suggested place `passage` is, for a suggested note; else None."""
    if not note.is_suggested or passage is UNCHANGED or passage is None:
        return None
    place = (passage.start.key, passage.start_offset, passage.end.key, passage.end_offset)
    for index, candidate in enumerate(note.anchor_candidates or []):
        if tuple(candidate.get(name) for name in ("start_key", "start_offset", "end_key", "end_offset")) == place:
            return index
    return None


@api.delete(ITEM, summary="Delete your annotation", tags=TAGS, response=responses(204, 401, 403, 404, 412))
def delete_annotation(request, slug: str, note_id: str):
    """Delete your annotation (204). Honours If-Match like PUT."""
    article = readable_article(request, slug)
    with transaction.atomic():
        note = own_note(request, article, note_id)
        if "If-Match" in request.headers:
            links = serialising.Iris(request, article)
            check_if_match(request, serialising.encode(serialising.annotation(note, links, viewer=request.auth)))
        write(delete_note, note)
    return HttpResponse(status=204)


@api.get("/ns/marginalia.jsonld", url_name="context", auth=None, summary="Our JSON-LD context", tags=["JSON-LD"])
def context(request):
    """Marginalia's JSON-LD context: declares `visibility`, `seminar`, `anchorStatus` and `anchor` with its terms."""
    document = serialising.context_document(request.build_absolute_uri(reverse("api:context")))
    response = HttpResponse(serialising.encode(document), content_type="application/ld+json")
    response["Cache-Control"] = "public, max-age=3600"
    return response


# The notebook's export and search keep their operations in modules of their own.
from api import flags, notebook_export, searching  # noqa: E402, F401
