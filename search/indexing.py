"""What search reads of the notes: one NoteEntry per note, kept in step by the database itself.

Notes change through annotations.writing, the admin, the API, the shell and bulk loads; tags row
by row too (a rename moves rows with one UPDATE). So triggers follow them all: a new note gets its
entry and a change of its quote or comment is written to it (migration 0004), a change of its
tags too (0003), and each engine follows the entries by triggers of its own (0002). Paragraphs
need nothing here: SQLite's triggers on the paragraph table and PostgreSQL's expression index
follow the text however it is written.
`rebuild` writes every entry again (`manage.py rebuild_search_index`), should an index ever be in doubt.
"""

from django.db import transaction

from annotations.models import Annotation, TaggedAnnotation
from search.models import NoteEntry

BATCH = 2000


@transaction.atomic
def rebuild(batch=BATCH):
    """Write every note's entry again, a batch at a time, in one transaction; return how many there are.

    A note saved meanwhile has its entry from the trigger already, which the insert here leaves be.
    """
    NoteEntry.objects.all().delete()
    tags = {}
    for note_id, name in TaggedAnnotation.objects.order_by("tag__name").values_list("content_object_id", "tag__name"):
        tags.setdefault(note_id, []).append(name)
    rows = Annotation.objects.order_by("pk").values_list("pk", "quote_exact", "comment")
    count, entries = 0, []
    for pk, quote, comment in rows.iterator(chunk_size=batch):
        entries.append(NoteEntry(annotation_id=pk, quote=quote, comment=comment, tags=" ".join(tags.get(pk, []))))
        if len(entries) == batch:
            count += len(NoteEntry.objects.bulk_create(entries, ignore_conflicts=True))
            entries = []
    count += len(NoteEntry.objects.bulk_create(entries, ignore_conflicts=True))
    return count
