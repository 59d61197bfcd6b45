"""Tags as readers type them: trimmed, case-insensitive, few and short, and only what they look like.

A tag is a name told apart at a glance, so it is NFKC-normalised (a composed and a decomposed
"é", or full-width and ordinary letters, are one tag) and refused if it holds a character that
shows nothing (a zero-width space, a byte-order mark, a bidi control), which would make a
lookalike of another tag.
"""

import re
import unicodedata

from django.db.models import Q
from taggit.models import Tag

from reader.characters import describe, invisible_character

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
        name = _SPACES.sub(" ", unicodedata.normalize("NFKC", item)).strip()
        if not name or name.casefold() in seen:
            continue
        if len(name) > MAX_TAG_LENGTH:
            raise TagError(_too_long(item, name))
        if _FORBIDDEN.search(name):
            raise TagError(
                f"The tag “{name}” contains a character tags cannot have (< > \" ' ` or a control character)."
            )
        if hidden := invisible_character(name):
            raise TagError(
                f"The tag “{name}” contains an invisible character ({describe(hidden)}), "
                "which would make it look like another tag; remove it."
            )
        if not any(character.isalnum() for character in name):
            raise TagError(f"The tag “{name}” needs at least one letter or digit.")
        seen.add(name.casefold())
        names.append(name)
    if len(names) > MAX_TAGS:
        raise TagError(f"A note can have at most {MAX_TAGS} tags; this one has {len(names)}.")
    return names


def _too_long(typed, name):
    """The refusal of a tag over MAX_TAG_LENGTH: the limit, the length, and why, if the typed text was shorter."""
    message = f"The tag “{name[:20]}…” is longer than {MAX_TAG_LENGTH} characters (it has {len(name)}): shorten it."
    if len(typed.strip()) <= MAX_TAG_LENGTH:  # NFKC wrote a ligature or a wide character out in full
        message += " (Ligatures such as “ﬁ” and full-width characters count as the letters they stand for.)"
    return message


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
