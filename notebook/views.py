"""The notebook: a reader's notes across articles, filtered, paged, exported; import and tags beside it."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from annotations.writing import NoteError
from notebook import exporting
from notebook.forms import ImportForm
from notebook.importing import MAX_WEB_NOTES, NoteFileError, import_notes, read_file
from notebook.listing import NotebookFilters, notebook_notes
from notebook.tagging import my_tags, rename_tag
from reader.paging import page_of

NOTES_PER_PAGE = 50
FORMATS = {exporting.MARKDOWN: "Markdown", exporting.CSV: "CSV", "jsonld": "W3C JSON-LD"}


def site_of(request):
    return request.build_absolute_uri("/").rstrip("/")


def filters_or_400(request, template, context=None):
    """The request's filters, checked; (filters, None), or (filters, a 400 page that says what to fix)."""
    filters = NotebookFilters(request.user, request.GET)
    if filters.is_valid():
        return filters, None
    context = {"filters": filters, "notes": [], **(context or {})}
    return filters, render(request, template, context, status=400)


def export_links(request):
    """The export URLs for the filters the page shows, one per format."""
    query = {name: value for name, value in request.GET.items() if name not in ("page", "format") and value}
    return [
        (label, reverse("notebook-export") + "?" + urlencode({**query, "format": name}))
        for name, label in FORMATS.items()
    ]


@login_required
@require_GET
def notebook(request):
    filters, refused = filters_or_400(request, "notebook/notebook.html")
    if refused:
        return refused
    page = page_of(request, notebook_notes(request.user, filters), NOTES_PER_PAGE)
    context = {"filters": filters, "notes": page, "page_obj": page, "export_links": export_links(request)}
    return render(request, "notebook/notebook.html", context)


@login_required
@require_GET
def export(request):
    """The notes the notebook's filters select, as `?format=md` (one article: a file; more: a zip) or `csv`.

    `jsonld` is the API's export, which takes the same filters and the browser's session.
    """
    format = request.GET.get("format", exporting.MARKDOWN)
    if format == "jsonld":
        return redirect(reverse("api:notebook-export") + "?" + request.GET.urlencode())
    if format not in (exporting.MARKDOWN, exporting.CSV):
        return render(
            request,
            "400.html",
            {"message": f"There is no export format “{format}”: choose md, csv or jsonld."},
            status=400,
        )
    filters, refused = filters_or_400(request, "notebook/notebook.html")
    if refused:
        return refused
    return export_response(filters, site_of(request), format)


def export_response(filters, site, format):
    """A streaming download of the filtered notes (also the API's for Markdown and CSV)."""
    notes = notebook_notes(filters.user, filters, counts=False)
    if format == exporting.CSV:
        return download(exporting.csv_lines(notes, site), "text/csv; charset=utf-8", "marginalia-notes.csv")
    counts = notes.count_per_article()
    article = filters.cleaned_data.get("article")
    if article is None and len(counts) == 1:
        article = notes.first().article
    if article is not None:
        chunks = exporting.markdown_file(notes, site, article, counts.get(article.pk, 0))
        return download(chunks, "text/markdown; charset=utf-8", exporting.markdown_name(article))
    return download(exporting.markdown_zip(notes, site, counts), "application/zip", "marginalia-notes.zip")


def download(chunks, content_type, filename):
    response = StreamingHttpResponse(chunks, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def import_page(request):
    """Import a file of notes; the answer is its report. A file that cannot be used changes nothing (400)."""
    if request.method == "GET":
        return render(request, "notebook/import.html", {"form": ImportForm(request.user)})
    form = ImportForm(request.user, request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "notebook/import.html", {"form": form}, status=400)
    try:
        incoming = read_file(form.cleaned_data["file"].read(), max_notes=MAX_WEB_NOTES)
        report = import_notes(request.user, incoming, form.cleaned_data["article"])
    except NoteFileError as error:
        return render(request, "notebook/import.html", {"form": form, "problem": str(error)}, status=400)
    return render(request, "notebook/import.html", {"form": ImportForm(request.user), "report": report})


@login_required
@require_GET
def tags(request):
    return render(request, "notebook/tags.html", {"tags": my_tags(request.user)})


@login_required
@require_POST
def tag_rename(request, slug):
    """Rename one of my tags on my notes (to a tag that exists: merge them); others' notes keep theirs."""
    tag = my_tags(request.user).filter(slug=slug).first()
    if tag is None:
        raise Http404(f"None of your notes has a tag “{slug}”.")
    try:
        renamed = rename_tag(request.user, tag, request.POST.get("name"))
    except NoteError as error:
        context = {"tags": my_tags(request.user), "problem": str(error), "failed": tag}
        return render(request, "notebook/tags.html", context, status=400)
    messages.success(request, f"Your notes tagged “{tag.name}” are now tagged “{renamed.name}”.")
    return redirect("notebook-tags")
