"""Writing notes: the form, creating, editing, deleting, previewing."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.html import format_html
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.throttling import throttle
from annotations.anchoring import AnchoringError, ArticleText
from annotations.comments import CommentError, read_comment
from annotations.forms import PRIVATE, NoteForm
from annotations.models import Annotation
from annotations.reading import tag_suggestions
from annotations.views.discussion import thread_response
from annotations.views.reading import in_article, note_changes, readable_article, toast
from annotations.writing import NoteError, create_note, delete_note, update_note
from seminars.models import Seminar

STALE = (
    "This note changed since you opened it (in another tab, or by a moderator), so nothing was saved: "
    "copy your text, reload the note and make your change again."
)


def _offset(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        raise AnchoringError(f"Offsets must be whole numbers, not {value!r}.") from None


def posted_passage(article, data):
    """The passage a form describes: a range, one whole paragraph, or None for the whole article."""
    if data.get("start_key") or data.get("end_key"):
        text = ArticleText.of(article)
        exact = data.get("exact") or None
        return text.by_position(
            data.get("start_key"), _offset(data.get("start_offset")),
            data.get("end_key"), _offset(data.get("end_offset")), exact=exact,
        )  # fmt: skip
    return None


def _error(request, message, form_page, status=400):
    """The reading page shows the message in its toast (htmx); the plain form, again with the message."""
    if request.htmx:
        return toast(request, message, status=status)
    return render(request, "annotations/note_form.html", {**form_page(), "error": message}, status=status)


def _form_page(request, article, form, paragraph=None, note=None):
    """The plain note form's context; the tags to reuse come with it."""
    suggestions = tag_suggestions(request.user, article)
    return {"article": article, "paragraph": paragraph, "note": note, "form": form, "tag_suggestions": suggestions}


def _paragraph(article, data):
    return article.paragraphs.filter(key=data.get("start_key") or None).first()


@login_required
@require_POST
@throttle("note")
def note_create(request, slug):
    article = readable_article(request, slug)
    form = NoteForm(request.POST, user=request.user)
    try:
        if not form.is_valid():
            raise NoteError(form.error_message)
        note = create_note(request.user, article, posted_passage(article, request.POST), **form.note_fields())
    except (AnchoringError, NoteError) as error:  # a note sent twice is a 409 (writing.DuplicateNote)
        return _error(
            request,
            str(error),
            lambda: _form_page(request, article, form, _paragraph(article, request.POST)) | {"range": request.POST},
            status=getattr(error, "status", 400),
        )
    if request.htmx:
        response = note_changes(request, article, note, tags_changed=bool(form.cleaned_data.get("tags")))
        response["HX-Trigger-After-Swap"] = json.dumps({"noteSaved": {"id": str(note.pk)}})
        return response
    messages.success(request, "Your note is saved.")
    return redirect(note.get_absolute_url())


@login_required
@require_GET
def note_new(request, slug):
    """The plain form: a note on one paragraph (?paragraph=KEY) or on the whole article."""
    article = readable_article(request, slug)
    key = request.GET.get("paragraph")
    paragraph = get_object_or_404(article.paragraphs, key=key) if key else None
    seminar = Seminar.objects.of(request.user).filter(slug=request.GET.get("seminar") or None).first()
    form = NoteForm(user=request.user, initial={"visibility": f"seminar:{seminar.slug}" if seminar else PRIVATE})
    context = _form_page(request, article, form, paragraph)
    if paragraph:
        context["range"] = {"start_key": key, "start_offset": 0, "end_key": key, "end_offset": len(paragraph.text)}
    return render(request, "annotations/note_form.html", context)


@require_GET
def note_detail(request, pk):
    note = get_object_or_404(Annotation.objects.visible_to(request.user).for_display(), pk=pk)
    if request.htmx:
        if in_article(request, note.article):  # on the reading page a note sits in its thread
            return thread_response(request, note)
        return render(request, "annotations/note_card.html", {"note": note})
    return redirect(note.get_absolute_url())


@login_required
@require_http_methods(["GET", "POST"])
def note_edit(request, pk):
    note = get_object_or_404(Annotation.objects.editable_by(request.user).select_related("article"), pk=pk)
    form = NoteForm.for_note(note, request.user, request.POST if request.method == "POST" else None)
    if request.method == "GET":
        template = "annotations/note_edit_form.html" if request.htmx else "annotations/note_form.html"
        context = _form_page(request, note.article, form, note=note)
        return render(request, template, context | {"in_article": in_article(request, note.article)})
    if form.is_stale():
        return _error(request, STALE, lambda: _form_page(request, note.article, form, note=note), status=409)
    try:
        if not form.is_valid():
            raise NoteError(form.error_message)
        update_note(note, **form.changes())
    except NoteError as error:
        return _error(
            request, str(error), lambda: _form_page(request, note.article, form, note=note), status=error.status
        )
    if request.htmx:
        if request.htmx.target == "article-body":
            return note_changes(request, note.article, note)
        note = Annotation.objects.visible_to(request.user).for_display().get(pk=note.pk)
        return render(request, "annotations/note_card.html", {"note": note})
    messages.success(request, "Your note is updated.")
    return redirect(note.get_absolute_url())


@login_required
@require_http_methods(["GET", "POST"])
def note_delete(request, pk):
    note = get_object_or_404(Annotation.objects.editable_by(request.user).select_related("article"), pk=pk)
    if request.method == "GET":
        return render(request, "annotations/note_confirm_delete.html", {"note": note})
    article = note.article
    had_tags = note.tags.exists()
    delete_note(note)
    if request.htmx:
        if request.htmx.target == "article-body":
            return note_changes(request, article, note, tags_changed=had_tags)
        return HttpResponse('<p class="muted note-gone">Note deleted.</p>')
    messages.success(request, "Your note is deleted.")
    return redirect(article.get_absolute_url())


@login_required
@require_POST
def note_preview(request):
    try:
        comment = read_comment(request.POST.get("comment", ""))
    except CommentError as problem:
        return HttpResponse(format_html('<p class="field-errors">{}</p>', problem), status=400)
    if not comment.source:
        return HttpResponse('<p class="muted">Nothing to preview yet.</p>')
    return HttpResponse(comment.html)
