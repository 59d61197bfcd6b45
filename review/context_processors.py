from django.utils.functional import SimpleLazyObject

from review import scheduling


def review(request):
    """The header's count of cards left today: asked once per request, and only when the header shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    if not hasattr(request, "_review_due"):
        request._review_due = SimpleLazyObject(lambda: scheduling.due_count(user, scheduling.today()))
    return {"review_due": request._review_due}
