"""Who is calling: the JSON API's token, session or nobody, and the sign-in lockout for web sign-ins.

django-ninja tries the API's in order and keeps the first that answers; `anonymous` always
answers, so reads need no sign-in and each write asks for a signed-in user itself. The one
that answers also counts the request against the API's rate limit (accounts.throttling):
per token or user, and per address.
"""

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from ninja.errors import AuthenticationError, HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from accounts import throttling
from accounts.models import ApiToken


def account_page(request):
    return request.build_absolute_uri(reverse("account"))


class BearerToken(HttpBearer):
    """A personal token, `Authorization: Bearer mgl_…`, made on the account page."""

    def authenticate(self, request, token):
        found = ApiToken.objects.find(token)
        throttling.check_api(request, ("token", found.pk) if found else None)
        if found is None:
            raise AuthenticationError(
                message="This token is not valid: it was revoked (changing the account's password revokes "
                f"every token) or mistyped. Create a new one on your account page, {account_page(request)}."
            )
        if found.expired:
            raise AuthenticationError(
                message=f"This token expired on {found.expires:%Y-%m-%d %H:%M} UTC. "
                f"Create a new one on your account page, {account_page(request)}."
            )
        found.touch()
        return found.user


class SessionCookie(APIKeyCookie):
    """The browser's session, as on the web pages; a write must carry the CSRF token too."""

    param_name = settings.SESSION_COOKIE_NAME

    def __call__(self, request):
        if not request.user.is_authenticated:
            return None
        throttling.check_api(request, ("user", request.user.pk))
        if check_csrf(request) is not None:  # safe methods always pass
            raise HttpError(403, "CSRF check failed: send the X-CSRFToken header, or use a personal token instead.")
        return request.user

    def authenticate(self, request, key):  # required by the base class; __call__ does the work
        return None


def anonymous(request):
    """Anyone may read: visible_to(AnonymousUser()) is the public notes."""
    throttling.check_api(request)
    return AnonymousUser()


def signed_in(request):
    """The user behind the request, or a 401 that says how to sign in."""
    if not request.auth.is_authenticated:
        raise AuthenticationError(
            message="Sign in to write: send a personal token as `Authorization: Bearer <token>`; "
            f"create one on your account page, {request.build_absolute_uri(reverse('account'))}."
        )
    return request.auth


class SignInLockout(AxesStandaloneBackend):
    """django-axes' lockout (first in AUTHENTICATION_BACKENDS), for sign-ins that come with a request.

    Every sign-in form passes its request. A call without one — the test client's `login()`, a
    shell — comes from no address and cannot be reached from the web, so it is left to the
    backends after this one instead of failing.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)
