from django.utils.functional import SimpleLazyObject

from annotations.models import Notification
from reader.database import Prepared


def inbox(request):
    """The header's unread count: notifications about notes the reader can still see.

    Counted only when a template shows it: a fragment (a paragraph sent back after a highlight)
    has no header, and pays nothing for it.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_count": SimpleLazyObject(lambda: unread_count(user))}


def unread_count(user):
    """How many unread notifications `user` has about notes they can still see. A reader with none
    unread pays one small query: the visibility rule only narrows them, so it is asked only when some are."""
    if not _any_unread(user.pk):
        return 0
    return user.notifications.filter(read=None).about_notes_visible_to(user).count()


_any_unread = Prepared(lambda recipient: Notification.objects.filter(recipient=recipient, read=None), "id", exists=True)
