"""Writing notes: the form, creating, editing, deleting, previewing."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.html import format_html
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from annotations.anchoring import AnchoringError, ArticleText
from annotations.comments import check_comment, render_comment
from annotations.models import Annotation
from annotations.reading import tag_suggestions
from annotations.views.discussion import thread_response
from annotations.views.reading import article_body, in_article, readable_article, toast
from annotations.writing import NoteError, create_note, delete_note, update_note
from seminars.models import Seminar


def _offset(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        raise AnchoringError(f"Offsets must be whole numbers, not {value!r}.") from None


def _passage(article, data):
    """The passage a form describes: a range, one whole paragraph, or None for the whole article."""
    if data.get("start_key") or data.get("end_key"):
        text = ArticleText(article.paragraphs.all())
        exact = data.get("exact") or None
        return text.by_position(
            data.get("start_key"), _offset(data.get("start_offset")),
            data.get("end_key"), _offset(data.get("end_offset")), exact=exact,
        )  # fmt: skip
    return None


def _fields(data, default_visibility=Annotation.Visibility.PRIVATE):
    """A note form's fields; the visibility menu says "private", "public" or "seminar:SLUG"."""
    visibility, _, seminar = (data.get("visibility") or default_visibility).partition(":")
    return {
        "comment": data.get("comment", ""),
        "tags": data.get("tags", ""),
        "visibility": visibility,
        "seminar": seminar or None,
        "is_question": data.get("is_question") in ("1", "on", "true"),
    }


def _visibility_value(note):
    return f"seminar:{note.seminar.slug}" if note.seminar_id else note.visibility


def _error(request, message, template_context=None):
    if request.htmx:
        return toast(request, message)
    return render(request, "annotations/note_form.html", {**(template_context or {}), "error": message}, status=400)


@login_required
@require_POST
def note_create(request, slug):
    article = readable_article(request, slug)
    data = request.POST
    fields = _fields(data)
    try:
        note = create_note(request.user, article, _passage(article, data), **fields)
    except (AnchoringError, NoteError) as error:
        return _error(request, str(error), _form_context(article, data) | _form_choices(request.user))
    if request.htmx:
        response = article_body(request, article)
        response["HX-Trigger-After-Swap"] = json.dumps({"noteSaved": {"id": str(note.pk)}})
        return response
    messages.success(request, "Your note is saved.")
    return redirect(note.get_absolute_url())


def _form_context(article, data, note=None):
    paragraph = article.paragraphs.filter(key=data.get("start_key") or data.get("paragraph")).first()
    return {"article": article, "paragraph": paragraph, "data": data, "note": note}


@login_required
@require_GET
def note_new(request, slug):
    """The plain form: a note on one paragraph (?paragraph=KEY) or on the whole article."""
    article = readable_article(request, slug)
    key = request.GET.get("paragraph")
    paragraph = get_object_or_404(article.paragraphs, key=key) if key else None
    seminar = Seminar.objects.of(request.user).filter(slug=request.GET.get("seminar") or None).first()
    data = {"visibility": f"seminar:{seminar.slug}" if seminar else Annotation.Visibility.PRIVATE}
    if paragraph:
        data |= {"start_key": key, "start_offset": 0, "end_key": key, "end_offset": len(paragraph.text)}
    context = {"article": article, "paragraph": paragraph, "data": data, **_form_choices(request.user)}
    return render(request, "annotations/note_form.html", context)


def _form_choices(user):
    """What the note form offers: the reader's seminars to share with, and tags to reuse."""
    return {"my_seminars": list(Seminar.objects.of(user)), "tag_suggestions": tag_suggestions(user)}


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
    if request.method == "GET":
        data = {
            "comment": note.comment,
            "visibility": _visibility_value(note),
            "tags": ", ".join(note.tags.names()),
            "is_question": note.is_question,
        }
        template = "annotations/note_edit_form.html" if request.htmx else "annotations/note_form.html"
        context = {"article": note.article, "note": note, "data": data, **_form_choices(request.user)}
        context["in_article"] = in_article(request, note.article)
        return render(request, template, context)
    try:
        fields = _fields(request.POST, default_visibility=_visibility_value(note))
        given = {"comment", "tags"} & set(request.POST)  # what the form sent; the rest stays
        if not note.is_reply:  # a reply's audience and kind are its thread's
            if "visibility" in request.POST:
                given |= {"visibility", "seminar"}
            if "is_question" in request.POST or "comment" in request.POST:
                given.add("is_question")  # an unticked checkbox sends nothing
        update_note(note, **{key: fields[key] for key in given})
    except NoteError as error:
        context = {"article": note.article, "note": note, "data": request.POST, **_form_choices(request.user)}
        return _error(request, str(error), context)
    if request.htmx:
        if request.htmx.target == "article-body":
            return article_body(request, note.article)
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
    delete_note(note)
    if request.htmx:
        if request.htmx.target == "article-body":
            return article_body(request, article)
        return HttpResponse('<p class="muted note-gone">Note deleted.</p>')
    messages.success(request, "Your note is deleted.")
    return redirect(article.get_absolute_url())


@login_required
@require_POST
def note_preview(request):
    source = request.POST.get("comment", "")
    problem = check_comment(source)
    if problem:
        return HttpResponse(format_html('<p class="field-errors">{}</p>', problem), status=400)
    if not source.strip():
        return HttpResponse('<p class="muted">Nothing to preview yet.</p>')
    return HttpResponse(render_comment(source))
