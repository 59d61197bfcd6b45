from django.utils.functional import SimpleLazyObject


def inbox(request):
    """The header's unread count: notifications about notes the reader can still see.

    Counted only when a template shows it: a fragment (a paragraph sent back after a highlight)
    has no header, and pays nothing for it.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "unread_count": SimpleLazyObject(
            lambda: user.notifications.about_notes_visible_to(user).filter(read=None).count()
        )
    }
