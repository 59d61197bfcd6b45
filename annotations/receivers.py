from django.conf import settings
from django.db.models import F, Q
from django.dispatch import receiver

from annotations.anchoring import AnchoringError, ArticleText
from annotations.models import Annotation
from reader.signals import paragraphs_replaced, text_changed


@receiver(paragraphs_replaced)
def orphan_notes_on_removed_paragraphs(sender, article, removed, **kwargs):
    """Keep every note whose passage lost its text, marked orphaned; never delete one."""
    ids = [paragraph.pk for paragraph in removed]
    Annotation.objects.filter(Q(start_paragraph__in=ids) | Q(end_paragraph__in=ids)).update(
        anchor_status=Annotation.AnchorStatus.ORPHANED
    )


@receiver(text_changed)
def orphan_notes_whose_passage_changed(sender, article, **kwargs):
    """A note across paragraphs keeps its ends when the text between them changes; check its quote.

    A note within one paragraph needs no check: a paragraph whose text changed is a new one.
    Past settings.REANCHOR_IN_REQUEST_MAX_NOTES notes, the task worker checks them instead,
    and they are orphaned until it has (annotations/tasks.py).
    """
    spanning = (
        Annotation.objects.filter(article=article, anchor_status=Annotation.AnchorStatus.ANCHORED)
        .exclude(start_key="")
        .exclude(start_paragraph=F("end_paragraph"))
        .only("pk", "start_key", "start_offset", "end_key", "end_offset", "quote_exact")
    )
    notes = list(spanning)
    if len(notes) > settings.REANCHOR_IN_REQUEST_MAX_NOTES:
        from annotations.tasks import recheck_later  # here, not above: annotations.tasks imports this module

        recheck_later(article, notes)
        return
    stale = notes_off_their_quote(article, notes)
    Annotation.objects.filter(pk__in=stale).update(anchor_status=Annotation.AnchorStatus.ORPHANED)


def notes_off_their_quote(article, notes):
    """The pks of those `notes` whose quote is no longer the article's text at their position."""
    if not notes:
        return []
    text = ArticleText(article.paragraphs.all())
    stale = []
    for note in notes:
        try:
            text.by_position(note.start_key, note.start_offset, note.end_key, note.end_offset, exact=note.quote_exact)
        except AnchoringError:
            stale.append(note.pk)
    return stale
