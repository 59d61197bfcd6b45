"""Seminars: a group of readers, their roles, and the articles they read together."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from reader.models import Article


def new_join_code():
    return secrets.token_urlsafe(18)


class SeminarQuerySet(models.QuerySet):
    def of(self, user):
        """The seminars `user` belongs to."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(memberships__user=user)

    def instructed_by(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(memberships__user=user, memberships__role=Membership.Role.INSTRUCTOR)


class Seminar(models.Model):
    """A group reading articles together: instructors and participants, and a reading list."""

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    join_code = models.CharField(max_length=40, unique=True, default=new_join_code, editable=False)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, through="Membership", related_name="seminars")
    articles = models.ManyToManyField(Article, through="ReadingListEntry", related_name="seminars", blank=True)
    created = models.DateTimeField(auto_now_add=True)

    objects = SeminarQuerySet.as_manager()

    class Meta:
        db_table = "annotations_seminar"  # the tables keep the names they had before the app was split out
        ordering = ["name"]
        constraints = [models.CheckConstraint(condition=~Q(slug=""), name="seminar_slug_not_empty")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("seminar-detail", args=[self.slug])

    def renew_join_code(self):
        self.join_code = new_join_code()
        self.save(update_fields=["join_code"])


class Membership(models.Model):
    class Role(models.TextChoices):
        INSTRUCTOR = "instructor", "Instructor"
        PARTICIPANT = "participant", "Participant"

    seminar = models.ForeignKey(Seminar, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=12, choices=Role, default=Role.PARTICIPANT)
    joined = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "annotations_membership"
        ordering = ["role", "joined"]
        constraints = [
            models.UniqueConstraint(fields=["seminar", "user"], name="membership_unique"),
            models.CheckConstraint(condition=Q(role__in=["instructor", "participant"]), name="membership_role_valid"),
        ]

    def __str__(self):
        return f"{self.user} in {self.seminar} ({self.role})"

    @property
    def is_instructor(self):
        return self.role == self.Role.INSTRUCTOR


class ReadingListEntry(models.Model):
    seminar = models.ForeignKey(Seminar, on_delete=models.CASCADE, related_name="reading_list")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="reading_list_entries")
    position = models.PositiveIntegerField(default=0)
    added = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "annotations_readinglistentry"
        ordering = ["position", "added"]
        verbose_name_plural = "reading list entries"
        constraints = [models.UniqueConstraint(fields=["seminar", "article"], name="reading_list_entry_unique")]

    def __str__(self):
        return f"{self.article} in {self.seminar}"
