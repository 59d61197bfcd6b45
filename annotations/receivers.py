from django.db.models import Q
from django.dispatch import receiver

from annotations.models import Annotation
from reader.signals import paragraphs_replaced


@receiver(paragraphs_replaced)
def orphan_notes_on_removed_paragraphs(sender, article, removed, **kwargs):
    """Keep every note whose passage lost its text, marked orphaned; never delete one."""
    ids = [paragraph.pk for paragraph in removed]
    Annotation.objects.filter(Q(start_paragraph__in=ids) | Q(end_paragraph__in=ids)).update(
        anchor_status=Annotation.AnchorStatus.ORPHANED
    )
