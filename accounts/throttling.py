"""Rate limits: how often one caller may do one thing, counted in the cache.

A limit is "COUNT/PERIOD" (`settings.THROTTLES[scope]`, e.g. "20/hour"). Each caller is counted
under one or more keys — their account, their API token, their address — in fixed windows of
the period: the first `cache.add` starts a window's counter, `cache.incr` counts on (both
atomic in Redis and in the local memory cache). Past the limit under any key the caller is
refused with 429 and `Retry-After`, the seconds until that window ends.

The counters are only as shared as the cache: with REDIS_URL every server counts together;
without it each process counts alone (fine for one development server; `check --deploy` warns).
"""

import hashlib
import ipaddress
import math
import re
import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render

PERIODS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}
_RATE = re.compile(r"\s*([1-9][0-9]*)\s*/\s*(second|minute|hour|day)\s*")

# What each limit counts, in the words of the refusal.
ACTIONS = {
    "signup": "sign-ups",
    "password-reset": "password reset requests",
    "note": "new notes and replies",
    "flag": "flags",  # for the flag endpoint to come (issue 12): @throttle("flag")
    "api": "API requests",
}
CALLERS = {
    "address": "from your network address",
    "user": "from your account",
    "token": "with this token",
    "email": "for this email address",
}


def parse_rate(text):
    """A rate such as "20/hour" as (20, 3600); ValueError for anything else."""
    match = _RATE.fullmatch(str(text))
    if match is None:
        raise ValueError(f"{text!r} is not a rate: write COUNT/PERIOD, e.g. 20/hour (periods: {', '.join(PERIODS)}).")
    return int(match[1]), PERIODS[match[2]]


class Throttled(Exception):
    """One caller did one thing too often; `retry_after` is the number of seconds to wait."""

    def __init__(self, scope, caller, count, seconds, retry_after):
        self.retry_after = retry_after
        period = next(name for name, length in PERIODS.items() if length == seconds)
        self.message = (
            f"Too many {ACTIONS.get(scope, scope)} {CALLERS[caller]}: the limit is {count} per {period}. "
            f"Try again in {_duration(retry_after)}."
        )
        super().__init__(self.message)


def _duration(seconds):
    if seconds < 60:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = math.ceil(seconds / 60)
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


def client_address(request):
    """The caller's address: REMOTE_ADDR, or behind N trusted proxies (settings.TRUSTED_PROXY_COUNT)
    the Nth address from the right of X-Forwarded-For, the one the outermost proxy saw.

    Anything left of that was written by the client and proves nothing. django-axes asks this too.
    """
    address = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if len(forwarded) >= proxies and forwarded[-proxies]:
            address = forwarded[-proxies]
    return address


def _address_key(request):
    """An IPv6 caller usually holds a whole /64, so that is what one address counts as."""
    address = client_address(request)
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if parsed.version == 4:
        return str(parsed)
    if parsed.ipv4_mapped:
        return str(parsed.ipv4_mapped)
    return str(ipaddress.ip_network(f"{parsed}/64", strict=False))


def _count(scope, caller, identity, seconds):
    """Count one more action in the current window; return (count so far, seconds until the window ends)."""
    now = time.time()
    window = int(now // seconds)
    # Hashed: keys stay short whatever the identity, and Redis holds no addresses or emails.
    digest = hashlib.sha256(f"{caller}:{identity}".encode()).hexdigest()[:32]
    key = f"throttle:{scope}:{digest}:{window}"
    if cache.add(key, 1, timeout=seconds):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # the window's counter expired between add and incr
            cache.add(key, 1, timeout=seconds)
            count = 1
    return count, max(1, math.ceil((window + 1) * seconds - now))


def check(scope, callers):
    """Count one `scope` action for each (caller kind, identity); raise Throttled if any is past the limit."""
    limit, seconds = parse_rate(settings.THROTTLES[scope])
    refusal = None
    for caller, identity in callers:
        count, retry_after = _count(scope, caller, identity, seconds)
        if count > limit and (refusal is None or retry_after > refusal.retry_after):
            refusal = Throttled(scope, caller, limit, seconds, retry_after)
    if refusal is not None:
        raise refusal


def callers_of(request, per):
    """The keys a request is counted under: "user" (when signed in), "address", "email" (the posted one)."""
    callers = []
    if "user" in per and request.user.is_authenticated:
        callers.append(("user", request.user.pk))
    if "address" in per:
        callers.append(("address", _address_key(request)))
    if "email" in per and request.POST.get("email", "").strip():
        callers.append(("email", request.POST["email"].strip().casefold()))
    return callers


def refused(request, refusal):
    """The 429 for a web request: the page, or for htmx the message in the reading page's toast."""
    template = "429.html#toast" if request.htmx else "429.html"
    response = render(request, template, {"message": refusal.message}, status=429)
    response["Retry-After"] = str(refusal.retry_after)
    if request.htmx:
        response["HX-Retarget"] = "#toast"
        response["HX-Reswap"] = "innerHTML"
    return response


def throttle(scope, per=("user",)):
    """Limit a view's POSTs to settings.THROTTLES[scope], counted per signed-in user (or under the
    keys in `per`; see callers_of). Place it under @login_required and @require_POST: only what they
    let through is counted.

    Signed-in actions count per reader, not per address: a class behind one school router is
    many readers. Accounts themselves are limited per address, at sign-up.
    """

    def decorate(view):
        @wraps(view)
        def throttled(request, *args, **kwargs):
            if request.method == "POST":
                try:
                    check(scope, callers_of(request, per))
                except Throttled as refusal:
                    return refused(request, refusal)
            return view(request, *args, **kwargs)

        return throttled

    return decorate


def check_api(request, caller=None):
    """Count one API request per address and, when given, per ("token", pk) or ("user", pk)."""
    check("api", [("address", _address_key(request)), *([caller] if caller else [])])
