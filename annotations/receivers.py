"""The annotations' side of a change of text: every note follows it, in the same transaction."""

from django.dispatch import receiver

from annotations.models import AnchorMove, Annotation, Notification
from annotations.reanchoring import ANCHORED, UNCHANGED, Engine, changed_fields, notes_to_check, spot, summarise
from reader.models import Article
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
    apply(outcomes, revision, {key: paragraph.pk for key, paragraph in engine.after.by_key.items()})


def apply(outcomes, revision, paragraph_ids):
    """Write the outcomes: the notes' new places, a move for each, and the inbox items.

    `paragraph_ids` maps each key of the new text to its row: a note whose words stayed put keeps
    its links to the rows that hold them (a row removed and written again under its key is new).
    """
    changed, moves, told, placed_again = [], [], [], []
    fields = set()
    for outcome in outcomes:
        note = outcome.note
        updates = changed_fields(outcome) or {}
        if outcome.status == UNCHANGED:
            for name, key in (("start_paragraph_id", note.start_key), ("end_paragraph_id", note.end_key)):
                if getattr(note, name) != paragraph_ids.get(key):
                    updates[name] = paragraph_ids.get(key)
        if not updates:
            continue
        was_placed = note.anchor_status == ANCHORED
        for name, value in updates.items():
            setattr(note, name, value)
        fields.update(name.removesuffix("_id") for name in updates)  # bulk_update names fields, not columns
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
        elif kind is None and not was_placed:
            placed_again.append(note)  # its author was asked to look; there is nothing to look at now
    if changed:
        Annotation.objects.bulk_update(changed, sorted(fields), batch_size=500)
    AnchorMove.objects.bulk_create(moves, batch_size=500)
    Notification.objects.filter(annotation__in=placed_again, kind__in=Notification.ANCHORING).delete()
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


def reanchor_unplaced(article, *, dry_run=False):
    """Look again for the article's suggested and orphaned notes in the whole of its text; return the counts.

    A change of text looks for an old orphan only in what the change wrote; this looks
    everywhere, with the same rules. Call it inside a transaction.
    """
    article = Article.objects.select_for_update().get(pk=article.pk)
    paragraphs = list(article.paragraphs.all())
    # Nothing counts as text that was there before: the whole article is searched, as new text is.
    outcomes = Engine([], paragraphs).run(Annotation.objects.filter(article=article).needing_attention())
    if not dry_run:
        revision = article.revisions.get(number=article.revision)
        apply(outcomes, revision, {paragraph.key: paragraph.pk for paragraph in paragraphs})
    return summarise(outcomes)


from seminars.signals import seminar_deleting  # noqa: E402  (kept beside the one receiver that needs it)


@receiver(seminar_deleting)
def keep_notes_of_a_closing_seminar(sender, seminar, **kwargs):
    """A seminar's notes outlive it as their authors' private notes; replies go with their thread."""
    Annotation.objects.filter(seminar=seminar).update(visibility=Annotation.Visibility.PRIVATE, seminar=None)
