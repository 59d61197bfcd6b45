from django.db import models
from django.db.models import Q

from annotations.models import Annotation


class Card(models.Model):
    """One of my notes in daily review: when it is next shown, and how long I now remember it.

    A note has no card until it is first answered or left out; until then it is due from the day
    after it was written. `half_life` is the number of days until the next showing; each success
    multiplies it (review.scheduling).
    """

    annotation = models.OneToOneField(Annotation, on_delete=models.CASCADE, related_name="review_card")
    half_life = models.PositiveIntegerField(default=1, help_text="Days until the next showing.")
    due = models.DateField(help_text="The day the note is next shown.")
    reviews = models.PositiveIntegerField(default=0)
    lapses = models.PositiveIntegerField(default=0, help_text="How often the answer was “again”.")
    last_reviewed = models.DateField(null=True, blank=True)
    left_out = models.BooleanField(default=False, help_text="Left out of review by its author.")

    class Meta:
        indexes = [models.Index(fields=["due"], condition=Q(left_out=False), name="review_card_due")]
        constraints = [models.CheckConstraint(condition=Q(half_life__gte=1), name="review_card_half_life_positive")]

    def __str__(self):
        return f"review card of {self.annotation_id}, due {self.due}"
