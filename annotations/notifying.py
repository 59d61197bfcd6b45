"""The inbox: tell readers about replies, mentions and answers, in the app and by email."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse

from annotations.models import Notification

log = logging.getLogger(__name__)


def notify(recipient, actor, kind, annotation):
    """Record one notification (at most once per recipient, kind and note) and email it after commit."""
    if recipient.pk == actor.pk:
        return None
    notification, created = Notification.objects.get_or_create(
        recipient=recipient, kind=kind, annotation=annotation, defaults={"actor": actor}
    )
    if created and recipient.email:
        transaction.on_commit(lambda: _email(notification))
    return notification


def notify_mentions(note):
    """Notify everyone the note @mentions who can read it (mentionable() knows who)."""
    from django.contrib.auth import get_user_model

    names = note.mentionable()
    for person in get_user_model().objects.filter(username__in=names):
        notify(person, note.author, Notification.Kind.MENTION, note)


def _email(notification):
    note = notification.annotation
    subject = f"{notification.actor} {notification.get_kind_display()} on “{note.article.title}”"
    link = settings.SITE_URL.rstrip("/") + note.get_absolute_url() if settings.SITE_URL else note.get_absolute_url()
    body = "\n\n".join(
        part
        for part in [
            f"{notification.actor} {notification.get_kind_display()}:",
            note.comment,
            f"Read it in context: {link}",
            f"Your inbox: {settings.SITE_URL.rstrip('/')}{reverse('inbox')}",
        ]
        if part
    )
    try:
        send_mail(subject, body, None, [notification.recipient.email])
    except OSError:  # a mail server being down must not break the reply that triggered it
        log.exception("Could not email notification %s", notification.pk)
