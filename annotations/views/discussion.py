"""Discussion around a note: replies, upvotes, answers, endorsements, hiding."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from accounts.throttling import throttle
from annotations import discussion
from annotations.models import Annotation
from annotations.threads import with_threads, with_votes
from annotations.views.reading import in_article, toast
from annotations.writing import NoteError, create_reply


def thread_response(request, note):
    """The thread `note` belongs to, rendered for the reader (htmx), after a discussion action."""
    root_pk = note.thread_id or note.pk
    visible = with_votes(Annotation.objects.visible_to(request.user), request.user).for_display()
    root = visible.filter(pk=root_pk).first()
    if root is None:  # e.g. an instructor just hid the note and no longer moderates it
        return HttpResponse("")
    [root] = with_threads([root], request.user)
    context = {"note": root, "in_article": in_article(request, root.article)}
    return render(request, "annotations/thread.html", context)


def _discussion_error(request, note, message):
    if request.htmx:
        return toast(request, message)
    context = {"note": note, "message": message}
    return render(request, "annotations/discussion_error.html", context, status=400)


def after_discussion(request, note, message):
    """Answer a discussion action: the re-rendered thread (htmx), or back to the note."""
    if request.htmx:
        return thread_response(request, note)
    messages.success(request, message)
    # Back to the card itself, not its passage: the browser unfolds the notes around it.
    return redirect(f"{note.article.get_absolute_url()}#note-{note.pk}")


@login_required
@require_http_methods(["GET", "POST"])
@throttle("note")
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
    except NoteError as error:  # a reply sent twice is a 409 (writing.DuplicateNote)
        if request.htmx:
            return toast(request, str(error), status=error.status)
        return render(request, template, {"parent": parent, "comment": comment, "error": error}, status=error.status)
    return after_discussion(request, reply, "Your reply is posted.")


def discussable(user):
    """The notes `user` may upvote, answer, endorse or hide: those they can see (each action checks the rest)."""
    return Annotation.objects.visible_to(user).select_related("article", "thread", "seminar")


def discuss(request, note, action, done):
    """Do `action` (a function of annotations.discussion) to the note; say `done` when it worked."""
    try:
        action(request.user, note)
    except NoteError as error:
        return _discussion_error(request, note, str(error))
    return after_discussion(request, note, done)


@login_required
@require_POST
def note_upvote(request, pk):
    note = get_object_or_404(discussable(request.user), pk=pk)
    return discuss(request, note, discussion.upvote, "Upvoted.")


@login_required
@require_POST
def note_unvote(request, pk):
    note = get_object_or_404(discussable(request.user), pk=pk)
    return discuss(request, note, discussion.withdraw_upvote, "Your upvote is withdrawn.")


@login_required
@require_POST
def note_mark_answer(request, pk):
    note = get_object_or_404(discussable(request.user), pk=pk)
    return discuss(request, note, discussion.mark_answer, "Marked as the answer.")


@login_required
@require_POST
def note_unmark_answer(request, pk):
    note = get_object_or_404(discussable(request.user), pk=pk)
    return discuss(request, note, discussion.unmark_answer, "No longer the answer.")


@login_required
@require_POST
def note_endorse(request, pk):
    note = get_object_or_404(discussable(request.user), pk=pk)
    return discuss(request, note, discussion.endorse, "Endorsed.")


@login_required
@require_POST
def note_unendorse(request, pk):
    note = get_object_or_404(discussable(request.user), pk=pk)
    return discuss(request, note, discussion.withdraw_endorsement, "Endorsement withdrawn.")


@login_required
@require_POST
def note_hide(request, pk):
    note = get_object_or_404(discussable(request.user), pk=pk)
    return discuss(request, note, discussion.hide, "Hidden.")


@login_required
@require_POST
def note_unhide(request, pk):
    note = get_object_or_404(discussable(request.user), pk=pk)
    return discuss(request, note, discussion.unhide, "Shown again.")
