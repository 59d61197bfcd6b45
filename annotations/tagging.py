"""Tags as readers type them: trimmed, case-insensitive, few and short."""

import re

MAX_TAGS = 10
MAX_TAG_LENGTH = 40
_FORBIDDEN = re.compile(r"[<>\"'`\x00-\x1f\x7f]")
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
        seen.add(name.casefold())
        names.append(name)
    if len(names) > MAX_TAGS:
        raise TagError(f"A note can have at most {MAX_TAGS} tags; this one has {len(names)}.")
    return names
