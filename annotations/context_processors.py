"""The header's unread count (config.context_processors.header shows it)."""

from annotations.models import Notification
from reader.database import Prepared


def any_unread(recipient):
    """A reader's unread notifications, by their id, about any note: the guard of `unread_count`."""
    return Notification.objects.filter(recipient=recipient, read=None)


_any_unread = Prepared(any_unread, "id", exists=True)


def unread_count(user, anything_unread=None):
    """How many unread notifications `user` has about notes they can still see. A reader with none
    unread pays one small query (none when `anything_unread`, the answer of `any_unread`, is given):
    the visibility rule only narrows them, so it is asked only when some are."""
    if not (_any_unread(user.pk) if anything_unread is None else anything_unread):
        return 0
    return user.notifications.filter(read=None).about_notes_visible_to(user).count()
