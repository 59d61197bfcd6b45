"""Tags as readers type them: trimmed, case-insensitive, few and short, and only what they look like.

A tag is a name told apart at a glance, so it is NFKC-normalised (a composed and a decomposed
"é", or full-width and ordinary letters, are one tag) and refused if it holds a character that
shows nothing (a zero-width space, a byte-order mark, a bidi control), which would make a
lookalike of another tag.
"""

import re
import unicodedata

from django.db import connection
from django.db.models.signals import m2m_changed
from taggit.models import Tag

from annotations.sql import quoted
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
    stored = {}
    for tag in _tags_whose_slug_starts_with([Tag().slugify(name) for name in names]):
        stored.setdefault(tag.name.casefold(), tag)
    return [stored.get(name.casefold(), name) for name in names]


# Each note's tags are looked up and written in one statement each, written out here: every create
# with tags runs both, and the ORM took longer to build them than the database to run them.


def _tags_whose_slug_starts_with(slugs):
    """The stored tags whose slug begins with one of `slugs` (taggit's "name_1" and so on too), oldest first."""
    slug, starts_with = quoted(Tag, "slug"), connection.operators["startswith"]
    columns = ["id", "name", "slug"]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(quoted(Tag, column) for column in columns)} "
            f"FROM {quoted(Tag)} "
            f"WHERE {' OR '.join([f'{slug} {starts_with}'] * len(slugs))} ORDER BY {quoted(Tag, 'id')}",
            [connection.ops.prep_for_like_query(prefix) + "%" for prefix in slugs],
        )
        return [Tag.from_db(connection.alias, columns, row) for row in cursor.fetchall()]


def _insert_tagged(note, tags):
    """Insert the rows giving `note` its `tags`; return them as TaggedAnnotation objects."""
    from annotations.models import TaggedAnnotation

    if not connection.features.can_return_rows_from_bulk_insert:  # RETURNING: SQLite before 3.35
        return TaggedAnnotation.objects.bulk_create([TaggedAnnotation(content_object=note, tag=tag) for tag in tags])
    note_id = TaggedAnnotation._meta.get_field("content_object").get_db_prep_value(note.pk, connection)
    tag, content_object = quoted(TaggedAnnotation, "tag"), quoted(TaggedAnnotation, "content_object")
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quoted(TaggedAnnotation)} ({tag}, {content_object}) "
            f"VALUES {', '.join(['(%s, %s)'] * len(tags))} RETURNING {quoted(TaggedAnnotation, 'id')}, {tag}",
            [value for each in tags for value in (each.pk, note_id)],
        )
        ids = {tag_id: row_id for row_id, tag_id in cursor.fetchall()}  # RETURNING promises no order
    rows = []
    for each in tags:
        row = TaggedAnnotation.from_db(
            connection.alias, ["id", "tag_id", "content_object_id"], (ids[each.pk], each.pk, note.pk)
        )
        row._state.fields_cache.update(tag=each, content_object=note)
        rows.append(row)
    return rows


def tags_named(names):
    """A Tag for each name: the one stored under it (in any letter case), else a new one.

    One query when every tag exists already, as they mostly do; a new name costs its own
    `get_or_create` (taggit's Tag makes its slug unique, and a tag made at the same moment by
    another request is found instead of made twice).
    """
    return [Tag.objects.get_or_create(name=tag)[0] if isinstance(tag, str) else tag for tag in stored_tags(names)]


def tag_new_note(note, names):
    """Give a note saved just now its tags in one insert, and keep them on it for whoever shows it next.

    What taggit's `tags.set` does in ~8 queries and savepoints, for a note that has no tags yet.
    Receivers of m2m_changed hear of it as from taggit (the search index follows the rows by trigger).
    """
    from annotations.models import TaggedAnnotation

    tags = tags_named(names)
    rows = _insert_tagged(note, tags)
    pk_set = {tag.pk for tag in tags}
    m2m_changed.send(
        sender=TaggedAnnotation,
        instance=note,
        action="post_add",
        reverse=False,
        model=Tag,
        pk_set=pk_set,
        using=note._state.db,
    )
    shown = note.tagged_items.all()
    shown._result_cache, shown._prefetch_done = rows, True
    note._prefetched_objects_cache = {**getattr(note, "_prefetched_objects_cache", {}), "tagged_items": shown}
    return tags
