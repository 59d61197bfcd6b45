"""Discussion around a note: upvotes, answers to questions, endorsements and moderation.

Each action takes a note the caller fetched through ``visible_to(user)``, checks who may
do it, and either changes one thing or raises: NoteError for a request that cannot be
granted as asked (a second upvote…), PermissionDenied for one the reader has no right to.
"""

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from annotations.models import Annotation, Notification, Upvote, can_moderate
from annotations.notifying import notify
from annotations.signals import moderated
from annotations.writing import NoteError

MAX_REASON = 500


def _live(note):
    if note.deleted:
        raise NoteError("That note was deleted by its author.")


@transaction.atomic
def upvote(user, note):
    _live(note)
    if note.author_id == user.pk:
        raise NoteError("You cannot upvote your own note.")
    if note.visibility == Annotation.Visibility.PRIVATE:
        raise NoteError("A private note cannot be upvoted.")
    try:
        with transaction.atomic():
            Upvote.objects.create(annotation=note, user=user)
    except IntegrityError:
        raise NoteError("You have already upvoted this note; each reader upvotes a note once.") from None


def withdraw_upvote(user, note):
    deleted, _ = Upvote.objects.filter(annotation=note, user=user).delete()
    if not deleted:
        raise NoteError("You have not upvoted this note.")


def _question_answered_by(user, reply):
    """The question `reply` answers, once it is sure `user` may choose that question's answer.

    The question's author decides, and so do the seminar's instructors.
    """
    question = reply.thread
    if question is None or not question.is_question:
        raise NoteError("Only a reply to a question can be its answer.")
    if question.author_id != user.pk and not can_moderate(user, question):
        raise PermissionDenied("Only the person who asked, or the seminar's instructors, choose the answer.")
    return question


@transaction.atomic
def mark_answer(user, reply):
    """Mark `reply` as the answer to the question that opened its thread."""
    question = _question_answered_by(user, reply)
    _live(reply)
    question.answer = reply
    question.save(update_fields=["answer", "modified"])
    if user.pk != question.author_id:  # an instructor chose: tell the person who asked
        notify(question.author, reply.author, Notification.Kind.ANSWER, reply)
    return question


@transaction.atomic
def unmark_answer(user, reply):
    """Take back the mark that made `reply` the answer to its question."""
    question = _question_answered_by(user, reply)
    if question.answer_id != reply.pk:
        raise NoteError("That reply is not marked as the answer.")
    question.answer = None
    question.save(update_fields=["answer", "modified"])
    return question


def _check_endorser(user, note):
    if note.visibility != Annotation.Visibility.SEMINAR or not can_moderate(user, note):
        raise PermissionDenied("Only the seminar's instructors endorse its notes.")


def endorse(user, note):
    """An instructor endorses a seminar note."""
    _check_endorser(user, note)
    _live(note)
    note.endorsed_by = user
    note.save(update_fields=["endorsed_by", "modified"])


def withdraw_endorsement(user, note):
    """An instructor takes back the endorsement of a seminar note."""
    _check_endorser(user, note)
    _live(note)
    note.endorsed_by = None
    note.save(update_fields=["endorsed_by", "modified"])


def check_moderator(user, note):
    """Refuse (403) whoever does not moderate `note` by the one moderation rule."""
    if not can_moderate(user, note):
        raise PermissionDenied("Only the seminar's instructors (or staff, for public notes) moderate this note.")


def clean_reason(reason, limit=MAX_REASON, *, required=False):
    """A moderator's reason on one line, checked: its author reads it."""
    reason = " ".join(reason.split())
    if required and not reason:
        raise NoteError("Give a reason: a short sentence the note's author will read.")
    if len(reason) > limit:
        raise NoteError(f"A reason is at most {limit} characters; this one has {len(reason)}.")
    return reason


@transaction.atomic
def hide(user, note, reason=""):
    """A moderator hides a note from everyone but its author and the moderators; the author is told why."""
    check_moderator(user, note)
    reason = clean_reason(reason)
    note.hidden, note.hidden_by, note.hidden_reason = True, user, reason
    note.save(update_fields=["hidden", "hidden_by", "hidden_reason", "modified"])
    tell_author(note, user, Notification.Kind.HIDDEN)
    moderated.send(sender=Annotation, actor=user, action="hide", note=note, reason=reason)


@transaction.atomic
def unhide(user, note):
    """A moderator shows a hidden note to its readers again."""
    check_moderator(user, note)
    if not note.hidden:
        raise NoteError("That note is not hidden.")
    note.hidden, note.hidden_by, note.hidden_reason = False, None, ""
    note.save(update_fields=["hidden", "hidden_by", "hidden_reason", "modified"])
    moderated.send(sender=Annotation, actor=user, action="unhide", note=note, reason="")


def tell_author(note, actor, kind):
    """Put a moderation act in the note's author's inbox, unread again if an earlier one is there."""
    notification = notify(note.author, actor, kind, note)
    if notification is not None and notification.read is not None:
        notification.read, notification.actor = None, actor
        notification.save(update_fields=["read", "actor"])
