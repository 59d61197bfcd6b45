"""Every answer of the API that is not a success is JSON, `{"error": "what went wrong and what to fix"}`.

ninja answers its own errors in shapes of its own, and leaves to Django what falls outside an
operation: a path no operation has (Django's 404 page), a method an operation lacks (an empty
405), and, with DEBUG off, a crash (Django's 500 page). A script reading the API gets JSON for
each of these instead, in every mode.
"""

import json
import logging
from functools import wraps

from django.core.signals import got_request_exception
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.urls import Resolver404, resolve, reverse
from ninja.errors import HttpError, ValidationError

from accounts.throttling import Throttled

NOT_FOUND = "api-not-found"  # the URL name of the catch-all below

logger = logging.getLogger("django.request")


class ApiError(Exception):
    """Ends a request with a JSON `{"error": message}` that says what to fix."""

    def __init__(self, status, message, headers=None):
        super().__init__(message)
        self.status, self.message, self.headers = status, message, headers or {}


def error_response(status, message, headers=None):
    response = HttpResponse(json.dumps({"error": message}), status=status, content_type="application/json")
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def on_api_error(request, error):
    return error_response(error.status, error.message, error.headers)


def on_validation_error(request, error):
    problems = "; ".join(f"{'.'.join(map(str, e['loc'][1:]))}: {e['msg']}" for e in error.errors)
    return error_response(400, f"Bad parameter: {problems}.")


def on_http_error(request, error):
    headers = {}
    if error.status_code == 401:  # RFC 6750: say which scheme to use, and whether the token given was bad
        headers["WWW-Authenticate"] = 'Bearer realm="marginalia"' + (
            ', error="invalid_token"' if request.headers.get("Authorization", "").lower().startswith("bearer") else ""
        )
    return error_response(error.status_code, str(error), headers)


def on_not_found(request, error):
    return error_response(404, "Not found.")


def on_throttled(request, refusal):
    """Past a rate limit (accounts.throttling counts each caller as it is identified): when to try again."""
    return error_response(429, refusal.message, {"Retry-After": str(refusal.retry_after)})


def on_server_error(request, error):
    """A crash: reported as Django reports one (the signal, the `django.request` log), answered in JSON."""
    got_request_exception.send(sender=None, request=request)
    logger.error(
        "Internal Server Error: %s", request.path, exc_info=error, extra={"status_code": 500, "request": request}
    )
    return error_response(
        500, "Something went wrong on our side; it is logged. Try again later, and tell us if it keeps happening."
    )


def answer_errors_in_json(api):
    """Register the handlers above on a NinjaAPI; the most specific class of an error picks its handler."""
    api.add_exception_handler(ApiError, on_api_error)
    api.add_exception_handler(ValidationError, on_validation_error)
    api.add_exception_handler(HttpError, on_http_error)
    api.add_exception_handler(Http404, on_not_found)
    api.add_exception_handler(Throttled, on_throttled)
    api.add_exception_handler(Exception, on_server_error)


# Outside the operations ---------------------------------------------------------------------


def in_json(view):
    """`view`, with its 405 in JSON. (A NUL in the address never gets here: config.middleware refuses it.)"""

    @wraps(view)
    def answer(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if isinstance(response, HttpResponseNotAllowed):
            allowed = response["Allow"]
            return error_response(
                405, f"{request.method} is not allowed here; this address allows {allowed}.", {"Allow": allowed}
            )
        return response

    return answer


def not_found(request, rest):
    """Any path under /api/ that no operation has."""
    message = f"There is no {request.path} in the API: {reverse('api:openapi-view')} lists what there is."
    if not request.path.endswith("/"):
        try:
            if resolve(request.path + "/").url_name != NOT_FOUND:
                message = f"There is no {request.path} in the API; did you mean {request.path}/?"
        except Resolver404:
            pass
    return error_response(404, message)
