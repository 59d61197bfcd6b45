"""Notes written out for other tools: Markdown (one file per article, or a zip of them) and CSV.

Each export reads the notes a few hundred at a time (`iterator(chunk_size=…)`) and yields its
text as it goes, so a large export streams with memory that does not grow with the notes. The
W3C JSON-LD export is the API's (api/notebook_export.py): JSON-LD is the API's language.
"""

import csv
import json
import re
import zipfile

from django.utils import timezone

from seminars.participation import csv_cell

CHUNK = 500  # notes read per query
MARKDOWN, CSV = "md", "csv"
CSV_COLUMNS = [
    "id", "article", "article_url", "place", "quote", "comment", "tags",
    "visibility", "seminar", "anchor_status", "author", "created", "modified",
]  # fmt: skip
_NOT_IN_TAG = re.compile(r"[^\w/-]+")


def stream(notes):
    """The notes, read CHUNK at a time (their prefetched tags too), each let go of once it is written."""
    for note in notes.iterator(chunk_size=CHUNK):
        yield note
        let_go(note)


def let_go(note):
    """Drop what was prefetched for a note once it is written.

    Prefetched rows point back at their note (Django caches the relation both ways): a cycle
    that only the garbage collector's rare full passes free, so a long export would hold on to
    most of its notes. Without the cycle each note goes as soon as its chunk does.
    """
    note.__dict__.pop("_prefetched_objects_cache", None)
    note.__dict__.pop("last_moves", None)


def place_url(site, note):
    """Where the note is: its paragraph on the reading page (`…/articles/<slug>/#<key>`), or the note's own place."""
    return site + note.get_absolute_url()


def tag_names(note):
    return [tag.name for tag in note.tag_list]


# Markdown --------------------------------------------------------------------------------


def _yaml(value):
    """A YAML scalar: JSON's double-quoted strings and numbers are YAML too."""
    return json.dumps(value, ensure_ascii=False)


def front_matter(article, site, count, exported):
    lines = [
        "---",
        f"title: {_yaml(article.title)}",
        f"author: {_yaml(article.author)}" if getattr(article, "author", "") else None,
        f"source: {_yaml(site + article.get_absolute_url())}",
        f"exported: {_yaml(exported)}",
        f"notes: {count}",
        "tags: [marginalia]",
        "---",
        "",
        f"# {article.title}",
        "",
    ]
    return "\n".join(line for line in lines if line is not None) + "\n"


def obsidian_tag(name):
    """A tag as Obsidian reads one: `#` then letters, digits, `_`, `-` or `/` (spaces become `-`)."""
    return "#" + (_NOT_IN_TAG.sub("-", name).strip("-") or "tag")


def quote_block(text):
    return "\n".join(f"> {line}".rstrip() for line in text.splitlines()) + "\n"


def note_markdown(note, site):
    """One note: its quote as a quote block, its comment, its tags, and a link back to its place."""
    parts = []
    if note.quote_exact:
        parts.append(quote_block(note.quote_exact))
        if not note.is_anchored:
            parts.append("*The text no longer holds these words where they were; the note awaits its place.*\n")
    else:
        parts.append("*On the whole article.*\n")
    if note.comment.strip():
        parts.append(note.comment.strip() + "\n")
    names = tag_names(note)
    if names:
        parts.append("Tags: " + " ".join(obsidian_tag(name) for name in names) + "\n")
    shared = note.seminar.name if note.seminar_id else note.get_visibility_display()
    parts.append(
        f"[Open in Marginalia]({place_url(site, note)}) · {note.author.get_username()} · {shared} · "
        f"{note.created:%Y-%m-%d}\n"
    )
    return "\n".join(parts) + "\n---\n\n"


def markdown_file(notes, site, article, count):
    """One article's notes as one Markdown file, a piece at a time."""
    yield front_matter(article, site, count, _now()).encode()
    for note in stream(notes):
        yield note_markdown(note, site).encode()


def markdown_name(article):
    return f"{article.slug}.md"


class _Pipe:
    """Where the zip writes: it keeps what was written until it is taken, so nothing piles up."""

    def __init__(self):
        self.chunks = []

    def write(self, data):
        self.chunks.append(bytes(data))
        return len(data)

    def flush(self):
        pass

    def take(self):
        data = b"".join(self.chunks)
        self.chunks.clear()
        return data


def markdown_zip(notes, site, counts):
    """A zip of one Markdown file per article, written as the notes are read.

    The notes come in article order (see listing.in_reading_order), so each file is opened,
    filled and closed in turn; the zip goes out as it is written (a non-seekable stream: zipfile
    then writes each entry's sizes after its data).
    """
    pipe, exported = _Pipe(), _now()
    with zipfile.ZipFile(pipe, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        entry, article_id = None, None
        for note in stream(notes):
            if note.article_id != article_id:
                if entry is not None:
                    entry.close()
                article_id = note.article_id
                entry = archive.open(markdown_name(note.article), "w", force_zip64=True)
                entry.write(front_matter(note.article, site, counts.get(article_id, 0), exported).encode())
            entry.write(note_markdown(note, site).encode())
            yield pipe.take()
        if entry is not None:
            entry.close()
    yield pipe.take()


# CSV ---------------------------------------------------------------------------------------


class _Line:
    """csv.writer's file: hands back each row it writes."""

    def write(self, value):
        return value


def cell(value):
    """A cell a spreadsheet shows as text: seminars.participation's guard, and a leading tab or
    carriage return (which some spreadsheets strip before reading a formula) is quoted as well."""
    text = csv_cell(value)
    return "'" + text if text[:1] in ("\t", "\r") else text


def csv_row(note, site):
    return [
        cell(value)
        for value in (
            note.pk,
            note.article.title,
            site + note.article.get_absolute_url(),
            place_url(site, note),
            note.quote_exact,
            note.comment,
            ", ".join(tag_names(note)),
            note.visibility,
            note.seminar.slug if note.seminar_id else "",
            note.anchor_status,
            note.author.get_username(),
            note.created,
            note.modified,
        )
    ]


def csv_lines(notes, site):
    writer = csv.writer(_Line())
    yield ("\ufeff" + writer.writerow(CSV_COLUMNS)).encode()  # the BOM tells spreadsheets it is UTF-8
    for note in stream(notes):
        yield writer.writerow(csv_row(note, site)).encode()


def _now():
    return timezone.now().isoformat(timespec="seconds").replace("+00:00", "Z")
