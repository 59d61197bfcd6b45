"""System checks for the throttles: every limit readable, and in production a cache all servers share."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

from accounts.throttling import ACTIONS, parse_rate


@register(Tags.security)
def throttle_settings(app_configs, **kwargs):
    problems = []
    for scope in ACTIONS:
        if scope not in settings.THROTTLES:
            problems.append(Error(f"settings.THROTTLES has no limit for {scope!r}.", id="accounts.E001"))
            continue
        try:
            parse_rate(settings.THROTTLES[scope])
        except ValueError as error:
            env = "MARGINALIA_THROTTLE_" + scope.upper().replace("-", "_")
            problems.append(Error(f"The {scope!r} limit: {error}", hint=f"Fix {env}.", id="accounts.E002"))
    return problems


@register(Tags.security, Tags.caches, deploy=True)
def throttles_need_a_shared_cache(app_configs, **kwargs):
    """Rate limits and the sign-in lockout count in the cache: per process, they do not hold across servers."""
    if settings.DEBUG or getattr(settings, "REDIS_URL", ""):
        return []
    return [
        Warning(
            "REDIS_URL is not set, so rate limits and the sign-in lockout count in each server process's own "
            "memory: every process (and every server) grants the full limit again, and a restart forgets it.",
            hint="Set REDIS_URL (e.g. redis://127.0.0.1:6379/0) to a Redis all servers share.",
            id="accounts.W001",
        )
    ]
