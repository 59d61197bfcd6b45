"""GET /api/notebook/export: the notebook's notes, with its filters, as W3C JSON-LD, Markdown or CSV.

The JSON-LD is one AnnotationCollection whose first (and only) page embeds every note, each
written by api.serialising as the container's pages write it. It streams: the notes are read a
few hundred at a time and each is sent as soon as it is written.
"""

from itertools import chain

from django.http import StreamingHttpResponse
from django.urls import reverse

from accounts.authentication import signed_in
from api import serialising
from api.errors import ApiError
from api.openapi import reads
from api.views import api, with_last_move
from notebook import exporting
from notebook.listing import NotebookFilters, notebook_notes
from notebook.views import export_response, site_of

FORMATS = ("jsonld", exporting.MARKDOWN, exporting.CSV)


def _filters(request):
    filters = NotebookFilters(signed_in(request), request.GET)
    if not filters.is_valid():
        problems = "; ".join(
            f"{name}: {' '.join(errors)}" if name != "__all__" else " ".join(errors)
            for name, errors in filters.errors.items()
        )
        raise ApiError(400, f"Some filters cannot be used: {problems}")
    return filters


def jsonld_chunks(request, notes, total):
    """An AnnotationCollection of `notes`, piece by piece: its head, each note, its tail."""
    here = request.build_absolute_uri()
    context = request.build_absolute_uri(reverse("api:context"))
    head = {
        "@context": [serialising.ANNO_CONTEXT, context],
        "id": here,
        "type": "AnnotationCollection",
        "label": "Notes exported from Marginalia",
        "total": total,
    }
    page = {"id": here + ("&" if "?" in here else "?") + "page=0", "type": "AnnotationPage", "startIndex": 0}
    opening = serialising.encode(head)[:-1] + b',"first":' + serialising.encode(page)[:-1] + b',"items":['
    iris = {}  # article id -> serialising.Iris, made once per article

    def items():
        for n, note in enumerate(exporting.stream(notes)):
            if note.article_id not in iris:
                iris[note.article_id] = serialising.Iris(request, note.article)
            data = serialising.annotation(note, iris[note.article_id], embedded=True, viewer=request.auth)
            yield (b"," if n else b"") + serialising.encode(data)

    return chain([opening], items(), [b"]}}"])


@api.get(
    "/notebook/export",
    url_name="notebook-export",
    summary="Export your notebook",
    **{**reads(200, 400, 401), "openapi_extra": {}, "tags": ["Notebook"]},
)
def notebook_export(
    request,
    format: str = "jsonld",
    scope: str = "mine",
    article: str | None = None,
    tag: str | None = None,
    visibility: str | None = None,
    seminar: str | None = None,
    since: str | None = None,
    until: str | None = None,
    commented: bool = False,
    attention: bool = False,
):
    """The notes of your notebook, as the notebook's filters select them (by default all of yours).

    `format=jsonld` (default): a W3C AnnotationCollection with every note in its first page.
    `format=md`: Markdown with YAML front matter, one file for one article, else a zip of one
    file per article. `format=csv`: one row per note. `scope=all` takes in every note you can
    see; `article`, `tag` and `seminar` are slugs; `since` and `until` are dates (YYYY-MM-DD).
    The answer streams.
    """
    if format not in FORMATS:
        raise ApiError(400, f"There is no export format “{format}”: choose one of {', '.join(FORMATS)}.")
    filters = _filters(request)
    if format != "jsonld":
        return export_response(filters, site_of(request), format)
    notes = notebook_notes(filters.user, filters, counts=False)
    total = notes.count()
    notes = with_last_move(notes)
    response = StreamingHttpResponse(jsonld_chunks(request, notes, total), content_type=serialising.MEDIA_TYPE)
    response["Content-Disposition"] = 'attachment; filename="marginalia-notes.jsonld"'
    return response
