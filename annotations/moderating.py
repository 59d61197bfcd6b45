"""Curation on the notes themselves: approval of pending notes, featuring, suspended public writing.

Each act takes a note the caller fetched through ``visible_to(user)``, checks the one moderation
rule (`can_moderate`), changes the note, tells its author in the inbox where it concerns them,
and sends `moderated` (the moderation app keeps it in its audit log). Hiding and unhiding live
with the other discussion actions, in annotations.discussion.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from annotations.discussion import check_moderator, clean_reason, tell_author
from annotations.models import Annotation, Notification, Suspension
from annotations.signals import moderated
from annotations.writing import NoteError

MAX_FEATURE_REASON = 200


@transaction.atomic
def approve(user, note):
    """A moderator approves a pending note: its readers see it from now on."""
    check_moderator(user, note)
    if not note.pending:
        raise NoteError("That note is not awaiting approval.")
    note.pending, note.hidden_reason = False, ""
    note.save(update_fields=["pending", "hidden_reason", "modified"])
    tell_author(note, user, Notification.Kind.APPROVED)
    moderated.send(sender=Annotation, actor=user, action="approve", note=note, reason="")


@transaction.atomic
def resubmit(user, note):
    """The author of a hidden note asks again: it becomes pending, back in the moderators' queue."""
    if note.author_id != user.pk:
        raise PermissionDenied("Only the note's author asks for it to be shown again.")
    if not note.hidden:
        raise NoteError("That note is not hidden, so there is nothing to ask.")
    note.hidden, note.hidden_by, note.pending = False, None, True
    note.save(update_fields=["hidden", "hidden_by", "pending", "modified"])
    moderated.send(sender=Annotation, actor=user, action="resubmit", note=note, reason="")


@transaction.atomic
def feature(user, note, reason):
    """A moderator features a note with a short reason: a badge, first in its paragraph, a curator's pick."""
    check_moderator(user, note)
    reason = clean_reason(reason, MAX_FEATURE_REASON, required=True)
    if note.is_reply:
        raise NoteError("Only a note that opens a thread can be featured, not a reply.")
    if note.deleted or note.hidden or note.pending:
        raise NoteError("Only a note its readers can see can be featured (not a deleted, hidden or pending one).")
    if note.feature_declined:
        raise NoteError("Its author withdrew this note from featuring.")
    if note.is_featured:
        raise NoteError("That note is featured already.")
    note.featured_by, note.featured_at, note.featured_reason = user, timezone.now(), reason
    note.save(update_fields=["featured_by", "featured_at", "featured_reason", "modified"])
    tell_author(note, user, Notification.Kind.FEATURED)
    moderated.send(sender=Annotation, actor=user, action="feature", note=note, reason=reason)


def _clear_feature(note):
    note.featured_by, note.featured_at, note.featured_reason = None, None, ""


@transaction.atomic
def unfeature(user, note):
    """A moderator stops featuring a note."""
    check_moderator(user, note)
    if not note.is_featured:
        raise NoteError("That note is not featured.")
    _clear_feature(note)
    note.save(update_fields=["featured_by", "featured_at", "featured_reason", "modified"])
    moderated.send(sender=Annotation, actor=user, action="unfeature", note=note, reason="")


@transaction.atomic
def withdraw_from_featuring(user, note):
    """The author takes their note out of featuring, now and later."""
    if note.author_id != user.pk:
        raise PermissionDenied("Only the note's author withdraws it from featuring.")
    if not note.is_featured:
        raise NoteError("That note is not featured.")
    _clear_feature(note)
    note.feature_declined = True
    note.save(update_fields=["featured_by", "featured_at", "featured_reason", "feature_declined", "modified"])
    moderated.send(sender=Annotation, actor=user, action="withdraw", note=note, reason="")


@transaction.atomic
def suspend(user, note, reason):
    """Staff suspend the public writing of the author of a public note they moderate."""
    if not user.is_staff or note.visibility != Annotation.Visibility.PUBLIC:
        raise PermissionDenied("Only staff suspend a reader's public writing, from one of their public notes.")
    check_moderator(user, note)
    reason = clean_reason(reason, required=True)
    if note.author_id == user.pk:
        raise NoteError("You cannot suspend your own public writing.")
    if Suspension.objects.filter(user_id=note.author_id).exists():
        raise NoteError(f"{note.author.get_username()}'s public writing is suspended already.")
    Suspension.objects.create(user_id=note.author_id, suspended_by=user, reason=reason)
    moderated.send(sender=Annotation, actor=user, action="suspend", note=note, reason=reason)


@transaction.atomic
def unsuspend(user, person):
    """Staff give a reader their public writing back."""
    if not user.is_staff:
        raise PermissionDenied("Only staff lift a suspension.")
    deleted, _ = Suspension.objects.filter(user=person).delete()
    if not deleted:
        raise NoteError(f"{person.get_username()}'s public writing is not suspended.")
    moderated.send(sender=Annotation, actor=user, action="unsuspend", note=None, person=person, reason="")


def curators_picks(user, article, limit=10):
    """The featured notes on `article` that `user` may see, latest first: the article's "Curator's picks"."""
    shown = {"featured_at__isnull": False, "hidden": False, "pending": False}
    if not Annotation.objects.for_article(article).filter(**shown).exists():
        return []  # nothing featured here: one small query, and the visibility rule is not asked
    picks = Annotation.objects.visible_to(user).for_article(article).filter(**shown)
    return list(picks.select_related("author").order_by("-featured_at")[:limit])
