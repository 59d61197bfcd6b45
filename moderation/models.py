"""Flags readers raise on notes, and the audit log of every moderation act and change of text."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from annotations.models import Annotation
from annotations.signals import MODERATION_ACTIONS
from reader.models import Article
from seminars.models import Seminar

MAX_EXPLANATION = 300
AUDITED_ACTIONS = ("flag", "dismiss", *MODERATION_ACTIONS, "text")


class FlagQuerySet(models.QuerySet):
    def open(self):
        return self.filter(resolved_at=None)


class Flag(models.Model):
    """A reader's word to the moderators that a note they can see should not be there.

    One per reader per note, ever; its author is never told who flagged it.
    """

    class Reason(models.TextChoices):
        SPAM = "spam", "Spam"
        ABUSIVE = "abusive", "Abusive or harassing"
        OFF_TOPIC = "off_topic", "Off-topic"
        OTHER = "other", "Something else"

    class Resolution(models.TextChoices):
        DISMISSED = "dismissed", "Dismissed"
        HIDDEN = "hidden", "The note was hidden"

    annotation = models.ForeignKey(Annotation, on_delete=models.CASCADE, related_name="flags")
    flagger = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="flags")
    reason = models.CharField(max_length=10, choices=Reason)
    explanation = models.CharField(max_length=MAX_EXPLANATION, blank=True, help_text="Required for “other”.")
    created = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resolution = models.CharField(max_length=10, choices=Resolution, blank=True)

    objects = FlagQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]
        indexes = [models.Index(fields=["annotation", "created"], condition=Q(resolved_at=None), name="flag_open")]
        constraints = [
            models.UniqueConstraint(fields=["annotation", "flagger"], name="flag_once_per_reader"),
            models.CheckConstraint(
                condition=Q(reason__in=["spam", "abusive", "off_topic", "other"]), name="flag_reason_valid"
            ),
            models.CheckConstraint(condition=~Q(reason="other") | ~Q(explanation=""), name="flag_other_explained"),
            models.CheckConstraint(
                condition=Q(resolved_at=None, resolution="") | (Q(resolved_at__isnull=False) & ~Q(resolution="")),
                name="flag_resolution_complete",
            ),
        ]

    def __str__(self):
        return f"{self.get_reason_display()} on {self.annotation_id}"


class AuditEntryQuerySet(models.QuerySet):
    def readable_by(self, user):
        """The entries `user` may read: their seminars' part for instructors; for staff, everything
        that is not a seminar's (public notes, readers' suspensions, changes of text)."""
        if not user.is_authenticated:
            return self.none()
        instructed = Q(seminar__in=Seminar.objects.instructed_by(user).values("pk"))
        return self.filter(instructed | Q(visibility__in=["public", ""]) if user.is_staff else instructed)


class AuditEntry(models.Model):
    """One moderation act or change of an article's text: who, when, what, why. Never changed or deleted.

    What an entry points at may go (a note deleted, an account closed): the entry keeps its
    words (`actor_name`, `person_name`) and loses only the link.
    """

    class Action(models.TextChoices):
        FLAG = "flag", "flagged a note"
        DISMISS = "dismiss", "dismissed the flags on a note"
        HIDE = "hide", "hid a note"
        UNHIDE = "unhide", "showed a hidden note again"
        APPROVE = "approve", "approved a pending note"
        RESUBMIT = "resubmit", "asked for their hidden note to be shown"
        FEATURE = "feature", "featured a note"
        UNFEATURE = "unfeature", "stopped featuring a note"
        WITHDRAW = "withdraw", "withdrew their note from featuring"
        SUSPEND = "suspend", "suspended a reader's public writing"
        UNSUSPEND = "unsuspend", "gave a reader their public writing back"
        TEXT = "text", "changed an article's text"

    created = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_name = models.CharField(max_length=150, blank=True, help_text="Empty for a command (an import).")
    action = models.CharField(max_length=10, choices=Action)
    annotation = models.ForeignKey(Annotation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    article = models.ForeignKey(Article, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    seminar = models.ForeignKey(Seminar, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    visibility = models.CharField(
        max_length=10,
        blank=True,
        help_text="The note's audience then: public or seminar; empty for a text or a reader.",
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    person_name = models.CharField(max_length=150, blank=True, help_text="The note's author, or the reader acted upon.")
    reason = models.TextField(blank=True)
    revision = models.PositiveIntegerField(null=True, blank=True, help_text="For a change of text: its revision.")

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name_plural = "audit entries"
        indexes = [models.Index(fields=["seminar", "-created"]), models.Index(fields=["visibility", "-created"])]
        constraints = [
            models.CheckConstraint(condition=Q(action__in=AUDITED_ACTIONS), name="audit_action_valid"),
            models.CheckConstraint(
                condition=Q(visibility__in=["public", "seminar", ""]), name="audit_visibility_valid"
            ),
        ]

    def __str__(self):
        return f"{self.actor_name or 'A command'} {self.get_action_display()}"
