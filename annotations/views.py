import json
from functools import partial
from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.html import format_html
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from taggit.models import Tag

from annotations import discussion
from annotations.anchoring import AnchoringError, ArticleText
from annotations.comments import check_comment, render_comment
from annotations.models import Annotation, Seminar
from annotations.reading import ORPHANED, WHOLE_ARTICLE, Filters, notes_at, notes_for_reader, tag_suggestions
from annotations.threads import with_threads, with_votes
from annotations.writing import NoteError, create_note, create_reply, delete_note, update_note
from reader.models import Article
from reader.views import reading_context


def _article(request, slug):
    return get_object_or_404(Article.objects.readable_by(request.user), slug=slug)


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


def _in_article(request, article):
    """Whether an htmx request comes from the article's reading page (which re-renders as a whole)."""
    current = request.htmx.current_url if request.htmx else None
    return bool(current) and urlsplit(current).path == article.get_absolute_url()


def _body(request, article, status=200):
    """The article body, re-rendered after a change (htmx)."""
    return render(request, "reader/article_detail.html#article-body", reading_context(request, article), status=status)


def _error(request, message, template_context=None):
    if request.htmx:
        response = render(request, "annotations/error.html", {"message": message}, status=400)
        response["HX-Retarget"] = "#toast"
        response["HX-Reswap"] = "innerHTML"
        return response
    return render(request, "annotations/note_form.html", {**(template_context or {}), "error": message}, status=400)


@login_required
@require_POST
def note_create(request, slug):
    article = _article(request, slug)
    data = request.POST
    fields = _fields(data)
    try:
        note = create_note(request.user, article, _passage(article, data), **fields)
    except (AnchoringError, NoteError) as error:
        return _error(request, str(error), _form_context(article, data) | _form_choices(request.user))
    if request.htmx:
        response = _body(request, article)
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
    article = _article(request, slug)
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
def note_list(request, slug, place):
    """The notes at one place of an article (a paragraph key, "article" or "orphaned")."""
    article = _article(request, slug)
    paragraph = None
    if place not in (WHOLE_ARTICLE, ORPHANED):
        paragraph = get_object_or_404(article.paragraphs, key=place)
    filters = Filters.from_request(request)
    notes = notes_at(notes_for_reader(request.user, article, filters), place, paragraph)
    notes = with_threads(
        with_votes(notes, request.user).for_display().order_by("start_offset", "created"), request.user
    )
    template = "annotations/note_list.html" + ("#notes" if request.htmx else "")
    context = {"article": article, "paragraph": paragraph, "place": place, "notes": notes, "filters": filters}
    context["in_article"] = _in_article(request, article)
    return render(request, template, context)


@require_GET
def note_detail(request, pk):
    note = get_object_or_404(Annotation.objects.visible_to(request.user).for_display(), pk=pk)
    if request.htmx:
        if _in_article(request, note.article):  # on the reading page a note sits in its thread
            return _thread(request, note)
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
        context["in_article"] = _in_article(request, note.article)
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
            return _body(request, note.article)
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
            return _body(request, article)
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


def tag_list(request):
    visible = Annotation.objects.visible_to(request.user)
    tags = (
        Tag.objects.filter(annotations_taggedannotation_items__content_object__in=visible)
        .annotate(note_count=Count("annotations_taggedannotation_items"))
        .order_by("name")
    )
    return render(request, "annotations/tag_list.html", {"tags": tags})


def tag_detail(request, slug):
    tag = get_object_or_404(Tag, slug=slug)
    notes = list(Annotation.objects.visible_to(request.user).filter(tags=tag).for_display().order_by("-created"))
    if not notes:  # a tag on nothing you can see is, for you, no tag at all
        raise Http404("No notes you can see have this tag.")
    return render(request, "annotations/tag_detail.html", {"tag": tag, "notes": notes})


def person_detail(request, username):
    """A reader's notes, as far as the viewer may see them."""
    person = get_object_or_404(get_user_model(), username=username, is_active=True)
    notes = list(
        Annotation.objects.visible_to(request.user).filter(author=person).for_display().order_by("-created")[:200]
    )
    return render(request, "annotations/person_detail.html", {"person": person, "notes": notes})


@login_required
def inbox(request):
    visible = Annotation.objects.visible_to(request.user)
    notifications = list(
        request.user.notifications.filter(annotation__in=visible)
        .select_related("actor", "annotation__article")
        .order_by("-created")[:200]
    )
    unread = [n.pk for n in notifications if n.read is None]
    if request.method == "POST" and unread:
        request.user.notifications.filter(pk__in=unread).update(read=timezone.now())
        return redirect("inbox")
    return render(request, "annotations/inbox.html", {"notifications": notifications, "unread": len(unread)})


def _thread(request, note):
    """The thread `note` belongs to, rendered for the reader (htmx), after a discussion action."""
    root_pk = note.thread_id or note.pk
    visible = with_votes(Annotation.objects.visible_to(request.user), request.user).for_display()
    root = visible.filter(pk=root_pk).first()
    if root is None:  # e.g. an instructor just hid the note and no longer moderates it
        return HttpResponse("")
    [root] = with_threads([root], request.user)
    context = {"note": root, "in_article": _in_article(request, root.article)}
    return render(request, "annotations/thread.html", context)


def _discussion_error(request, note, message):
    if request.htmx:
        return _error(request, message)
    context = {"note": note, "message": message}
    return render(request, "annotations/discussion_error.html", context, status=400)


def _after(request, note, message):
    """Answer a discussion action: the re-rendered thread (htmx), or back to the note."""
    if request.htmx:
        return _thread(request, note)
    messages.success(request, message)
    return redirect(note.get_absolute_url())


@login_required
@require_http_methods(["GET", "POST"])
def note_reply(request, pk):
    """Reply to a note the reader can see: the form (GET; an htmx request gets the form alone), or post it."""
    parent = get_object_or_404(
        Annotation.objects.visible_to(request.user).select_related("article", "author"), pk=pk, deleted=False
    )
    template = "annotations/reply_form.html" + ("#form" if request.htmx else "")
    if request.method == "GET":
        return render(request, template, {"parent": parent})
    comment = request.POST.get("comment", "")
    try:
        reply = create_reply(request.user, parent, comment=comment)
    except NoteError as error:
        if request.htmx:
            return _error(request, str(error))
        return render(request, template, {"parent": parent, "comment": comment, "error": error}, status=400)
    return _after(request, reply, "Your reply is posted.")


DISCUSSION_ACTIONS = {  # action: (what does it, what to tell the reader)
    "upvote": (discussion.upvote, "Upvoted."),
    "withdraw-upvote": (discussion.withdraw_upvote, "Your upvote is withdrawn."),
    "mark-answer": (discussion.mark_answer, "Marked as the answer."),
    "unmark-answer": (partial(discussion.mark_answer, answer=False), "No longer the answer."),
    "endorse": (discussion.endorse, "Endorsed."),
    "unendorse": (partial(discussion.endorse, endorsed=False), "Endorsement withdrawn."),
    "hide": (discussion.hide, "Hidden."),
    "unhide": (partial(discussion.hide, hidden=False), "Shown again."),
}


@login_required
@require_POST
def note_discuss(request, pk):
    """Upvote, answer, endorse or hide a note (POST action=…); see DISCUSSION_ACTIONS."""
    note = get_object_or_404(
        Annotation.objects.visible_to(request.user).select_related("article", "thread", "seminar"), pk=pk
    )
    action = request.POST.get("action", "")
    if action not in DISCUSSION_ACTIONS:
        known = ", ".join(DISCUSSION_ACTIONS)
        return _discussion_error(request, note, f"Unknown action {action[:40]!r}; use one of: {known}.")
    do, done = DISCUSSION_ACTIONS[action]
    try:
        do(request.user, note)
    except NoteError as error:
        return _discussion_error(request, note, str(error))
    return _after(request, note, done)
