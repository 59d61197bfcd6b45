"""Tags as readers type them: trimmed, case-insensitive, few and short."""

import re

from django.db.models import Q
from taggit.models import Tag

MAX_TAGS = 10
MAX_TAG_LENGTH = 40
_FORBIDDEN = re.compile(r"[<>\"'`\x00-\x1f\x7f-\x9f]")
_SPACES = re.compile(r"\s+")


class TagError(ValueError):
    pass


def clean_tags(raw):
    """Turn "Peace, history" or ["Peace", " history "] into a list of distinct tag names."""
    items = raw.split(",") if isinstance(raw, str) else list(raw)
    names, seen = [], set()
    for item in items:
        if not isinstance(item, str):
            raise TagError("Each tag must be a string.")
        name = _SPACES.sub(" ", item).strip()
        if not name or name.casefold() in seen:
            continue
        if len(name) > MAX_TAG_LENGTH:
            raise TagError(f"The tag “{name[:20]}…” is longer than {MAX_TAG_LENGTH} characters.")
        if _FORBIDDEN.search(name):
            raise TagError(
                f"The tag “{name}” contains a character tags cannot have (< > \" ' ` or a control character)."
            )
        if not any(character.isalnum() for character in name):
            raise TagError(f"The tag “{name}” needs at least one letter or digit.")
        seen.add(name.casefold())
        names.append(name)
    if len(names) > MAX_TAGS:
        raise TagError(f"A note can have at most {MAX_TAGS} tags; this one has {len(names)}.")
    return names


def stored_tags(names):
    """The names, each replaced by the tag already stored under it in another letter case.

    taggit matches case-insensitively with ``iexact``, which SQLite applies to ASCII only
    ("Ärger" and "ärger" would become two tags). Slugs are lowercase, so the candidates are
    found by slug and compared here, with Python's full case folding.
    """
    if not names:
        return []
    wanted = Q()
    for name in names:
        wanted |= Q(slug__startswith=Tag().slugify(name))
    stored = {}
    for tag in Tag.objects.filter(wanted).order_by("pk"):
        stored.setdefault(tag.name.casefold(), tag)
    return [stored.get(name.casefold(), name) for name in names]
