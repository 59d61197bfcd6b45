"""The inbox: tell readers about replies, mentions and answers, in the app and by email.

The email goes out from the task worker, never from the request that made the notification:
a slow or unreachable mail server costs the reader nothing.
"""

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django_tasks import task

from annotations.models import Notification
from annotations.tasks import enqueue_on_commit

# One event, one inbox entry: about one note, a reader gets the strongest of these kinds only.
# A reply that @mentions its note's author is a mention; a reply chosen as the answer is an answer.
STRENGTH = {Notification.Kind.REPLY: 1, Notification.Kind.MENTION: 2, Notification.Kind.ANSWER: 3}


def notify(recipient, actor, kind, annotation):
    """Record one notification (at most once per recipient, kind and note) and email it after commit.

    Replies, mentions and answers about one note make one entry: a stronger kind takes over a
    weaker entry (which comes back unread, with no second email: the first one led to the same
    note, and the email is written from the entry when it is sent), a weaker kind adds nothing.
    """
    if recipient.pk == actor.pk:
        return None
    if kind in STRENGTH:
        conversation = Notification.objects.filter(recipient=recipient, annotation=annotation, kind__in=STRENGTH)
        existing = conversation.order_by("-pk").first()
        if existing is not None:
            if STRENGTH[kind] > STRENGTH[existing.kind]:
                existing.kind, existing.actor, existing.read = kind, actor, None
                existing.save(update_fields=["kind", "actor", "read"])
            return existing
    notification, created = Notification.objects.get_or_create(
        recipient=recipient, kind=kind, annotation=annotation, defaults={"actor": actor}
    )
    if created and recipient.email:
        enqueue_on_commit(email_notification, notification.pk)
    return notification


def notify_mentions(note):
    """Notify everyone the just-saved note @mentions who can read it (`Annotation.save` found them)."""
    for person in note.mentioned:
        notify(person, note.author, Notification.Kind.MENTION, note)


@task()
def email_notification(notification_id):
    """Email one notification, if its recipient can still read the note; return whether it went.

    The worker may run this a while after the note was written: by then the note may be
    deleted (and the notification with it), hidden, or narrowed to an audience the
    recipient is no longer in. A mail server that fails makes the task fail, with its
    traceback kept on the task's result (see the admin's Tasks).
    """
    related = Notification.objects.select_related("recipient", "actor", "annotation__article")
    notification = related.filter(pk=notification_id).first()
    if notification is None or not notification.recipient.email:
        return False
    if not Notification.objects.filter(pk=notification.pk).about_notes_visible_to(notification.recipient).exists():
        return False
    send_mail(_subject(notification), _body(notification), None, [notification.recipient.email])
    return True


def _subject(notification):
    subject = f"{notification.actor} {notification.get_kind_display()} on “{notification.annotation.article.title}”"
    # One line whatever the parts hold: a header value with a line break is refused (BadHeaderError).
    return " ".join(subject.split())


def _body(notification):
    note = notification.annotation
    site = settings.SITE_URL.rstrip("/")
    return "\n\n".join(
        part
        for part in [
            f"{notification.actor} {notification.get_kind_display()}:",
            note.comment,
            # Through the inbox, which marks the item read on the way to the note.
            f"Read it in context: {site}{reverse('inbox-open', args=[notification.pk])}",
            f"Your inbox: {site}{reverse('inbox')}",
        ]
        if part
    )
