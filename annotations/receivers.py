"""The annotations' side of a change of text: every note follows it, in the same transaction."""

from django.dispatch import receiver

from annotations.models import AnchorMove, Annotation, Notification
from annotations.reanchoring import ANCHORED, UNCHANGED, Engine, changed_fields, notes_to_check, spot
from reader.signals import text_changed

# What each outcome tells the note's author, in the inbox.
TOLD = {
    ("fuzzy", ANCHORED): Notification.Kind.MOVED,
    ("exact", Annotation.AnchorStatus.SUGGESTED): Notification.Kind.SUGGESTED,
    ("fuzzy", Annotation.AnchorStatus.SUGGESTED): Notification.Kind.SUGGESTED,
    ("none", Annotation.AnchorStatus.ORPHANED): Notification.Kind.ORPHANED,
}


PLACE = ("start_key", "start_offset", "end_key", "end_offset", "text")


@receiver(text_changed)
def reanchor_notes(sender, article, before, revision, **kwargs):
    """Re-find every note's passage in the new text; record each move and tell the authors."""
    engine = Engine(before, list(article.paragraphs.all()))
    outcomes = engine.run(notes_to_check(article, engine))
    apply(outcomes, revision)


def apply(outcomes, revision):
    """Write the outcomes: the notes' new places, a move for each, and the inbox items."""
    changed, moves, told = [], [], []
    fields = set()
    for outcome in outcomes:
        updates = changed_fields(outcome)
        if updates is None:
            continue
        note = outcome.note
        for name, value in updates.items():
            setattr(note, name, value)
        fields.update(updates)
        changed.append(note)
        if outcome.status == UNCHANGED:
            continue
        moves.append(
            AnchorMove(
                annotation=note,
                revision=revision.number,
                status=note.anchor_status,
                method=outcome.method,
                score=outcome.score,
                source={
                    key: outcome.source[key] for key in ("start_key", "start_offset", "end_key", "end_offset", "text")
                },
                target=spot(outcome.passage) if outcome.passage is not None else {},
            )
        )
        kind = TOLD.get((outcome.method, outcome.status))
        if kind is not None and not note.deleted:
            told.append((note, kind))
    if changed:
        Annotation.objects.bulk_update(changed, sorted(fields), batch_size=500)
    AnchorMove.objects.bulk_create(moves, batch_size=500)
    tell_authors(told, revision)


def tell_authors(told, revision):
    """One inbox item per note, its latest news: an older one about the same note's place goes."""
    if not told:
        return
    notes = [note for note, _ in told]
    Notification.objects.filter(annotation__in=notes, kind__in=Notification.ANCHORING).delete()
    Notification.objects.bulk_create(
        Notification(recipient_id=note.author_id, actor=revision.author, kind=kind, annotation=note)
        for note, kind in told
        if revision.author_id != note.author_id
    )
