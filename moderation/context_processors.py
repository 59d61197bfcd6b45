from django.utils.functional import SimpleLazyObject

from moderation.queue import queue_count


def moderation(request):
    """The header's count of notes awaiting this moderator (one query; none for anonymous readers)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"moderation_count": SimpleLazyObject(lambda: queue_count(user))}  # counted only where shown
