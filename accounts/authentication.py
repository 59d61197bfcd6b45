"""Who is calling the JSON API: a personal token, a browser session, or nobody (reads only).

django-ninja tries these in order and keeps the first that answers; `anonymous` always
answers, so reads need no sign-in and each write asks for a signed-in user itself.
"""

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from ninja.errors import AuthenticationError, HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from accounts.models import ApiToken


class BearerToken(HttpBearer):
    """A personal token, `Authorization: Bearer mgl_…`, made on the account page."""

    def authenticate(self, request, token):
        user = ApiToken.objects.user_for(token)
        if user is None:
            raise AuthenticationError(
                message="This token is not valid: it was revoked or mistyped. Create a new one on your "
                f"account page, {request.build_absolute_uri(reverse('account'))}."
            )
        return user


class SessionCookie(APIKeyCookie):
    """The browser's session, as on the web pages; a write must carry the CSRF token too."""

    param_name = settings.SESSION_COOKIE_NAME

    def __call__(self, request):
        if not request.user.is_authenticated:
            return None
        if check_csrf(request) is not None:  # safe methods always pass
            raise HttpError(403, "CSRF check failed: send the X-CSRFToken header, or use a personal token instead.")
        return request.user

    def authenticate(self, request, key):  # required by the base class; __call__ does the work
        return None


def anonymous(request):
    """Anyone may read: visible_to(AnonymousUser()) is the public notes."""
    return AnonymousUser()


def signed_in(request):
    """The user behind the request, or a 401 that says how to sign in."""
    if not request.auth.is_authenticated:
        raise AuthenticationError(
            message="Sign in to write: send a personal token as `Authorization: Bearer <token>`; "
            f"create one on your account page, {request.build_absolute_uri(reverse('account'))}."
        )
    return request.auth
