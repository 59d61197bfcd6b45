"""Refuse requests whose address holds a NUL character, before any view sees them.

No page, slug, username, join code or filter value contains U+0000, and PostgreSQL cannot
even compare text with one: a `%00` in the path or the query string would reach the
database from every lookup that uses it and fail there with a 500. One check here answers
all of them with a 400 and a message, whichever view the address leads to.
"""

import json

from django.http import HttpResponse
from django.middleware.gzip import GZipMiddleware
from django.shortcuts import render

API_PREFIX = "/api/"  # where config.urls mounts the JSON API, whose errors are JSON
MESSAGE = "The address contains a NUL character (%00), which no page or filter takes; remove it from the link."


def has_nul(request):
    if "\x00" in request.path:
        return True
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists())


class RefuseNulMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if has_nul(request):
            return self.refuse(request)
        return self.get_response(request)

    @staticmethod
    def refuse(request):
        if request.path.startswith(API_PREFIX):
            return HttpResponse(json.dumps({"error": MESSAGE}), status=400, content_type="application/json")
        return render(request, "400.html", {"message": MESSAGE}, status=400)


class PageGZipMiddleware(GZipMiddleware):
    """Pages gzipped for clients that accept it, with Django's BREACH mitigation: random bytes in
    each gzip header ("Heal the BREACH"), and the CSRF token masked anew in every response.

    The API's answers are left as they are: gzip would make their ETags weak, and If-Match, which
    a PUT or DELETE must send, compares strong ones.
    """

    def process_response(self, request, response):
        if request.path.startswith(API_PREFIX):
            return response
        return super().process_response(request, response)
