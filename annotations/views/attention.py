"""Notes awaiting their authors after a change of the text: the list, accepting a place, attaching anew.

Each action starts from the notes the reader may edit, so someone else's note is a 404.
On the reading page (htmx) the article body comes back with the note marked; without
JavaScript the reader is sent to the note's new place.
"""

import json
from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from annotations.anchoring import AnchoringError, ArticleText
from annotations.attention import attention_items, needing_attention
from annotations.models import Annotation
from annotations.views.notes import posted_passage
from annotations.views.reading import article_body, toast
from annotations.writing import NoteError, accept_suggestion, update_note
from reader.models import Paragraph
from reader.paging import page_of

NOTES_PER_PAGE = 50
PLACED = "This note is on its words already: edit it, or delete it and make a new one, to change them."
NOTHING_SELECTED = "Select the words this note is about in the article, then choose “Attach here”."


@login_required
@require_GET
def attention_list(request):
    """Every note of the reader's that awaits them, grouped by article."""
    notes = needing_attention(request.user).select_related("article").order_by("article__title", "article", "created")
    page = page_of(request, notes, NOTES_PER_PAGE)
    articles = {note.article_id for note in page}
    current = {}
    for paragraph in Paragraph.objects.filter(article__in=articles).only("article_id", "key", "text"):
        current.setdefault(paragraph.article_id, {})[paragraph.key] = paragraph
    items = attention_items(page, lambda article_id: current.get(article_id, {}))
    groups = [(article, list(group)) for article, group in groupby(items, key=lambda item: item.note.article)]
    return render(request, "annotations/attention_list.html", {"groups": groups, "page_obj": page})


def _editable(request, pk):
    return get_object_or_404(Annotation.objects.editable_by(request.user).select_related("article"), pk=pk)


@login_required
@require_POST
def note_accept(request, pk):
    """Put a suggested note on the place the author chose (`candidate`, the index shown)."""
    note = _editable(request, pk)
    index = _number(request.POST.get("candidate", "0"))
    try:
        accept_suggestion(note, index)
    except NoteError as error:
        chosen = isinstance(index, int) and 0 <= index < len(note.anchor_candidates or [])
        conflict = not note.is_suggested or chosen  # placed already, or the text moved on: not the request's fault
        return _refused(request, note, str(error), status=409 if conflict else 400)
    return _placed(request, note, "Your note is on its new place.")


@login_required
@require_http_methods(["GET", "POST"])
def note_reattach(request, pk):
    """Attach a note that lost its words to words the author selects (or, without JavaScript, a paragraph)."""
    note = _editable(request, pk)
    if not note.needs_attention:
        return _refused(request, note, PLACED, status=409)
    if request.method == "GET":
        paragraphs = [paragraph for paragraph in note.article.paragraphs.all() if paragraph.text.strip()]
        return render(request, "annotations/attention_reattach.html", {"note": note, "paragraphs": paragraphs})
    try:
        posted = request.POST
        passage = posted_passage(note.article, posted) or _whole_paragraph(note.article, posted.get("paragraph"))
        update_note(note, passage=passage)
    except (AnchoringError, NoteError) as error:
        return _refused(request, note, str(error))
    return _placed(request, note, "Your note is attached to the words you chose.")


def _whole_paragraph(article, key):
    if not key:
        raise AnchoringError(NOTHING_SELECTED)
    text = ArticleText.of(article)
    paragraph = text.paragraph(key)
    return text.by_position(key, 0, key, len(paragraph.text))


def _number(value):
    """The index as a number, or as sent (shortened) for accept_suggestion to refuse by name."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return str(value)[:20]


def _placed(request, note, message):
    if request.htmx:
        response = article_body(request, note.article)
        response["HX-Trigger-After-Swap"] = json.dumps({"noteAttached": {"id": str(note.pk)}})
        return response
    messages.success(request, message)
    return redirect(note.get_absolute_url())


def _refused(request, note, message, status=400):
    if request.htmx:
        return toast(request, message, status=status)
    context = {"note": note, "message": message}
    return render(request, "annotations/attention_error.html", context, status=status)


urlpatterns = [
    path("notes/attention/", attention_list, name="notes-attention"),
    path("notes/<uuid:pk>/accept/", note_accept, name="annotation-accept"),
    path("notes/<uuid:pk>/reattach/", note_reattach, name="annotation-reattach"),
]
