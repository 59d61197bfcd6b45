"""The moderation queue, its actions, the flag form and the audit log.

Every note is fetched through `visible_to(user)` (someone else's private note is a 404); each
action then asks the one moderation rule (`can_moderate`): a note seen but not moderated is a 403.
"""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from annotations import discussion, moderating
from annotations.models import Annotation, Suspension
from annotations.writing import NoteError
from moderation import flagging, queue
from moderation.models import Flag
from reader.paging import page_of
from seminars.models import Seminar

QUEUE_PAGE = 25
LOG_PAGE = 50


def _note(user, pk):
    notes = Annotation.objects.visible_to(user).select_related("article", "author", "seminar", "start_paragraph")
    return get_object_or_404(notes, pk=pk)


def _moderator_only(user):
    if not queue.moderates_anything(user):
        raise PermissionDenied("The moderation queue is for staff and seminar instructors: you moderate no notes.")


@login_required
@require_GET
def queue_page(request):
    _moderator_only(request.user)
    page = page_of(request, queue.queue(request.user), QUEUE_PAGE)
    context = {"page_obj": page, "items": page.object_list}
    context["seminars"] = Seminar.objects.instructed_by(request.user).order_by("name")
    if request.user.is_staff:
        context["suspensions"] = Suspension.objects.select_related("user", "suspended_by").order_by("-created")
    return render(request, "moderation/queue.html", context)


@login_required
@require_POST
def seminar_premoderation(request, slug):
    """An instructor turns pre-moderation of their seminar on or off (new notes from then on)."""
    seminar = get_object_or_404(Seminar.objects.instructed_by(request.user), slug=slug)
    seminar.premoderated = request.POST.get("premoderated") == "on"
    seminar.save(update_fields=["premoderated"])
    state = "wait for your approval" if seminar.premoderated else "are shown at once"
    messages.success(request, f"New notes in {seminar.name} now {state}.")
    return redirect("moderation-queue")


@login_required
@require_GET
def log_page(request):
    _moderator_only(request.user)
    page = page_of(request, queue.log(request.user), LOG_PAGE)
    return render(request, "moderation/log.html", {"page_obj": page, "entries": page.object_list})


@login_required
@require_http_methods(["GET", "POST"])
def flag_note(request, pk):
    """The flag form (GET; the form alone for htmx), or the flag itself (POST)."""
    note = _note(request.user, pk)
    template = "moderation/flag.html" + ("#form" if request.htmx else "")
    context = {"note": note, "reasons": Flag.Reason.choices}
    if request.method == "GET":
        return render(request, template, context)
    reason, explanation = request.POST.get("reason", ""), request.POST.get("explanation", "")
    try:
        flagging.flag(request.user, note, reason, explanation)
    except NoteError as error:
        context |= {"error": error, "chosen": reason, "explanation": explanation}
        return render(request, template, context, status=error.status)
    if request.htmx:
        return render(request, "moderation/flag.html#done", context)
    messages.success(request, "Thank you: the moderators will look at the note.")
    return redirect(note.get_absolute_url())


def _act(request, pk, action, done, *, reason=False):
    """Do `action` to the note (with the POSTed reason if asked); answer the queue item or go back."""
    note = _note(request.user, pk)
    arguments = (request.POST.get("reason", ""),) if reason else ()
    try:
        action(request.user, note, *arguments)
    except NoteError as error:
        return _refused(request, note, str(error), error.status)
    if request.htmx:
        return _item(request, note, done=done)
    messages.success(request, done)
    return redirect(_back(request))


def _item(request, note, *, done="", error="", status=200):
    """The note's queue item re-rendered (htmx): its state now, and what was done or refused."""
    item = queue.queue(request.user).filter(pk=note.pk).first()
    context = {"item": item, "note": note, "done": done, "error": error}
    return render(request, "moderation/queue.html#item", context, status=status)


def _refused(request, note, message, status):
    if request.htmx:
        return _item(request, note, error=message, status=status)
    return render(request, "moderation/refused.html", {"note": note, "message": message}, status=status)


def _back(request):
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return "moderation-queue"


@login_required
@require_POST
def dismiss(request, pk):
    return _act(request, pk, flagging.dismiss, "Flags dismissed: the note stays as it is.")


REASON_PAGES = {
    "feature": ("Feature this note", "Why it is a good read (shown with the note)", 200, "Feature"),
    "hide": ("Hide this note", "Reason, for the author (they read it)", 500, "Hide"),
}


def _reason_page(request, pk, action):
    """The form a moderator fills before an act that needs a reason (opened from a note's card)."""
    note = _note(request.user, pk)
    discussion.check_moderator(request.user, note)
    title, label, limit, button = REASON_PAGES[action]
    context = {"note": note, "action": action, "title": title, "label": label, "limit": limit, "button": button}
    return render(request, "moderation/reason.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def hide(request, pk):
    if request.method == "GET":
        return _reason_page(request, pk, "hide")
    if not " ".join(request.POST.get("reason", "").split()):
        return _refused(request, _note(request.user, pk), "Give a reason: the note's author reads it.", 400)
    return _act(request, pk, discussion.hide, "Hidden: its author sees why.", reason=True)


@login_required
@require_POST
def unhide(request, pk):
    return _act(request, pk, discussion.unhide, "Shown again.")


@login_required
@require_POST
def approve(request, pk):
    return _act(request, pk, moderating.approve, "Approved: its readers see it now.")


@login_required
@require_http_methods(["GET", "POST"])
def feature(request, pk):
    if request.method == "GET":
        return _reason_page(request, pk, "feature")
    return _act(request, pk, moderating.feature, "Featured: it is a curator's pick.", reason=True)


@login_required
@require_POST
def unfeature(request, pk):
    return _act(request, pk, moderating.unfeature, "No longer featured.")


@login_required
@require_POST
def suspend(request, pk):
    return _act(request, pk, moderating.suspend, "Suspended: the author can no longer write public notes.", reason=True)


@login_required
@require_POST
def resubmit(request, pk):
    return _act(request, pk, moderating.resubmit, "Sent to the moderators again.")


@login_required
@require_POST
def withdraw(request, pk):
    return _act(request, pk, moderating.withdraw_from_featuring, "Your note is no longer featured.")


@login_required
@require_POST
def unsuspend(request, username):
    person = get_object_or_404(get_user_model(), username=username)
    try:
        moderating.unsuspend(request.user, person)
    except NoteError as error:
        return render(request, "moderation/refused.html", {"message": str(error)}, status=error.status)
    messages.success(request, f"{person.get_username()} can write public notes again.")
    return redirect("moderation-queue")
