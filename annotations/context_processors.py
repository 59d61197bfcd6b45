def inbox(request):
    """The header's unread count: notifications about notes the reader can still see."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_count": user.notifications.about_notes_visible_to(user).filter(read=None).count()}
