"""The header every signed-in page shows: cards to review, unread notifications, notes awaiting moderation."""

import functools

from django.contrib.auth import get_user_model
from django.db.models import Exists
from django.utils.functional import SimpleLazyObject

from annotations.context_processors import any_unread, unread_count
from moderation.queue import queue_count
from reader.database import Prepared
from review import scheduling
from seminars.models import instructed_by

# Whether each count has anything to count (due, unread, instructs), in one query: each guard is its app's own.
_anything = Prepared(
    lambda reader, start, day: get_user_model().objects.filter(pk=reader).values_list(
        Exists(scheduling.any_due(reader, start, day)), Exists(any_unread(reader)), Exists(instructed_by(reader))
    ),
    "id", "datetime", "date", convert=False,
)  # fmt: skip


def header(request):
    """The header's three counts, once a request and reader. Each is counted only when a template shows
    it (a fragment has no header and pays nothing); the first one shown asks, in one query, which have
    anything to count, and only those run their own (with the visibility rule). A view that changes
    what they count and renders again in the same request sees them as they were when first shown."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    if getattr(request, "_header_for", None) != user.pk:
        request._header_for = user.pk
        day = scheduling.today()

        @functools.cache
        def anything():
            found = _anything(user.pk, scheduling.start_of(day), day)
            return tuple(map(bool, found[0])) if found else (False, False, False)  # (SQLite gives 0 and 1)

        request._header = {
            "review_due": SimpleLazyObject(lambda: scheduling.due_count(user, day, anything()[0])),
            "unread_count": SimpleLazyObject(lambda: unread_count(user, anything()[1])),
            "moderation_count": SimpleLazyObject(lambda: queue_count(user, anything()[2])),
        }
    return request._header
