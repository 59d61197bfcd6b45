"""The audit log listens: every moderation act on a note or a reader, and every change of text."""

from django.dispatch import receiver
from django.utils import timezone

from annotations.models import Annotation
from annotations.signals import moderated
from moderation.models import AuditEntry, Flag
from reader.models import Article
from reader.signals import text_changed


def _name(user):
    return user.get_username() if user is not None else ""


def record(actor, action, note=None, *, person=None, reason="", **fields):
    """Write one audit entry about `note` (its article, seminar and author are copied in)."""
    if note is not None:
        person = person or note.author
        fields |= {"annotation": note, "article_id": note.article_id, "seminar_id": note.seminar_id}
        fields["visibility"] = note.visibility if note.visibility != Annotation.Visibility.PRIVATE else ""
    return AuditEntry.objects.create(
        actor=actor,
        actor_name=_name(actor),
        action=action,
        person=person,
        person_name=_name(person),
        reason=reason,
        **fields,
    )


@receiver(moderated)
def record_moderation(sender, actor, action, note=None, person=None, reason="", **kwargs):
    record(actor, action, note, person=person, reason=reason)
    if action == "hide":  # a hidden note answers the flags raised on it
        resolved = {"resolved_at": timezone.now(), "resolved_by": actor, "resolution": Flag.Resolution.HIDDEN}
        Flag.objects.open().filter(annotation=note).update(**resolved)


@receiver(text_changed, sender=Article)
def record_text_change(sender, article, before, revision, **kwargs):
    record(revision.author, "text", article=article, reason=revision.message, revision=revision.number)
