"""Keeping what search reads in step with the notes: one NoteEntry per note, written on every change.

Notes change through annotations.writing, the admin, the API and the shell; all of them save the
model, so the receiver here sees every change of a quote or comment. Tags change row by row too
(a rename moves rows with one UPDATE), so the database follows them itself, by triggers
(migration 0003); and each engine follows the entries by triggers of its own (migration 0002).
Paragraphs need nothing here: SQLite's triggers on the paragraph table and PostgreSQL's
expression index follow the text however it is written.
`rebuild` writes every entry again (`manage.py rebuild_search_index`), for notes written in bulk.
"""

from django.db.models.signals import post_save
from django.dispatch import receiver

from annotations.models import Annotation, TaggedAnnotation
from search.models import NoteEntry

BATCH = 2000


@receiver(post_save, sender=Annotation, dispatch_uid="search-note-saved")
def note_saved(sender, instance, created, update_fields=None, raw=False, **kwargs):
    """The quote or comment as saved; a save of other fields (hiding, anchoring) leaves the entry be."""
    if raw:
        return
    if update_fields is not None and not {"quote_exact", "comment"} & set(update_fields):
        return
    text = {"quote": instance.quote_exact, "comment": instance.comment}
    if created:  # a new note has no tags yet: taggit adds them after the save, and 0003's triggers follow
        NoteEntry.objects.create(annotation_id=instance.pk, **text)
    elif not NoteEntry.objects.filter(annotation_id=instance.pk).update(**text):  # a note from before the index
        NoteEntry.objects.create(annotation_id=instance.pk, tags=tag_text(instance.pk), **text)


def tag_text(note_id):
    names = TaggedAnnotation.objects.filter(content_object_id=note_id).order_by("tag__name")
    return " ".join(names.values_list("tag__name", flat=True))


def rebuild(batch=BATCH):
    """Write every note's entry again, a batch at a time; return how many there are."""
    NoteEntry.objects.all().delete()
    tags = {}
    for note_id, name in TaggedAnnotation.objects.order_by("tag__name").values_list("content_object_id", "tag__name"):
        tags.setdefault(note_id, []).append(name)
    rows = Annotation.objects.order_by("pk").values_list("pk", "quote_exact", "comment")
    count, entries = 0, []
    for pk, quote, comment in rows.iterator(chunk_size=batch):
        entries.append(NoteEntry(annotation_id=pk, quote=quote, comment=comment, tags=" ".join(tags.get(pk, []))))
        if len(entries) == batch:
            count += len(NoteEntry.objects.bulk_create(entries))
            entries = []
    count += len(NoteEntry.objects.bulk_create(entries))
    return count
