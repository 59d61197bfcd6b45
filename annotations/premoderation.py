"""What a new note's audience asks before it is written: whether it waits for a moderator, and
whether its author may write for the public at all (annotations.writing asks both, the second
in the one query that locks the author's row)."""

from django.conf import settings

from annotations.models import Annotation, Suspension
from annotations.sql import quoted
from seminars.models import Seminar


def needs_approval(author, visibility, seminar):
    """Whether a new note by `author` for this audience waits for a moderator's approval.

    Public notes do where the site says so (MARGINALIA_PREMODERATE_PUBLIC), seminar notes where
    the seminar says so; a moderator's own notes never wait. One query at most, only for a
    pre-moderated seminar.
    """
    if visibility == Annotation.Visibility.PUBLIC:
        return settings.PREMODERATE_PUBLIC_NOTES and not author.is_staff
    if visibility == Annotation.Visibility.SEMINAR and seminar is not None and seminar.premoderated:
        return not Seminar.objects.instructed_by(author).filter(pk=seminar.pk).exists()
    return False


SUSPENDED = (
    "Your public writing is suspended by the site's moderators; "
    "you can still write private notes and notes to your seminars."
)


def suspended_sql(user):
    """Whether `user` is suspended, as SQL and its parameters for a hand-written query (`refusal_to_publish`'s rule)."""
    return f"EXISTS (SELECT 1 FROM {quoted(Suspension)} WHERE {quoted(Suspension, 'user')} = %s)", [user.pk]


def refusal_to_publish(author, visibility):
    """Why `author` may not make a note public (their public writing is suspended), or "".

    A new note or reply asks this in the query that locks its author's row (`suspended_sql`).
    """
    if visibility == Annotation.Visibility.PUBLIC and Suspension.objects.filter(user=author).exists():
        return SUSPENDED
    return ""
