"""Flags: a reader tells the moderators about a note they can see; the moderators dismiss them or hide it.

Each function takes a note the caller fetched through ``visible_to(user)``. A request that cannot
be granted raises NoteError (a 4xx with its message); one the user has no right to,
PermissionDenied. Nothing changes when either is raised.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone

from annotations.discussion import check_moderator
from annotations.writing import NoteError
from moderation.models import MAX_EXPLANATION, Flag
from moderation.receivers import record


def clean_flag(reason, explanation):
    """The reason (one of Flag.Reason) and the explanation, checked; "other" needs a sentence."""
    if reason not in Flag.Reason.values:
        choices = ", ".join(Flag.Reason.values)
        raise NoteError(f"Choose a reason for the flag: one of {choices} (not {str(reason)[:40]!r}).")
    explanation = " ".join(str(explanation).split())
    if reason == Flag.Reason.OTHER and not explanation:
        raise NoteError("Say in a sentence what is wrong with the note: “something else” needs a few words.")
    if len(explanation) > MAX_EXPLANATION:
        raise NoteError(f"The explanation is at most {MAX_EXPLANATION} characters; this one has {len(explanation)}.")
    return reason, explanation


@transaction.atomic
def flag(user, note, reason, explanation=""):
    """`user` flags `note` (once); its author is never told who."""
    reason, explanation = clean_flag(reason, explanation)
    if note.author_id == user.pk:
        raise NoteError("You cannot flag your own note; edit or delete it instead.")
    if note.deleted:
        raise NoteError("That note was deleted by its author.")
    try:
        with transaction.atomic():
            flagged = Flag.objects.create(annotation=note, flagger=user, reason=reason, explanation=explanation)
    except IntegrityError:
        raise NoteError("You have flagged this note already; each reader flags a note once.", status=409) from None
    record(user, "flag", note, reason=flagged.get_reason_display() + (f": {explanation}" if explanation else ""))
    return flagged


@transaction.atomic
def dismiss(user, note):
    """A moderator dismisses the open flags on `note`: it stays as it is."""
    check_moderator(user, note)
    count = (
        Flag.objects.open()
        .filter(annotation=note)
        .update(resolved_at=timezone.now(), resolved_by=user, resolution=Flag.Resolution.DISMISSED)
    )
    if not count:
        raise NoteError("That note has no open flags to dismiss.")
    record(user, "dismiss", note, reason=f"{count} flag{'s' if count != 1 else ''}")
    return count
