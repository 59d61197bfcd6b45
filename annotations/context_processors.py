from annotations.models import Annotation


def inbox(request):
    """The header's unread count: notifications about notes the reader can still see."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    visible = Annotation.objects.visible_to(user)
    return {"unread_count": user.notifications.filter(read=None, annotation__in=visible).count()}
