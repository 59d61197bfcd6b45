"""Seminars: a group of readers, their roles, and the articles they read together."""

import secrets

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.text import slugify

from reader.database import Prepared
from reader.models import Article
from seminars.signals import seminar_deleting

RESERVED_SLUGS = {"new", "join"}  # /seminars/new/ and /seminars/join/… are pages of their own


class SeminarError(ValueError):
    """A seminar change that cannot be made as asked; the message says why."""


def new_join_code():
    return secrets.token_urlsafe(18)


class SeminarQuerySet(models.QuerySet):
    def of(self, user):
        """The seminars `user` belongs to."""
        if not user.is_authenticated:
            return self.none()
        return self._of(user.pk)

    def instructed_by(self, user):
        if not user.is_authenticated:
            return self.none()
        return self._instructed_by(user.pk)

    def _of(self, user_id):
        return self.filter(memberships__user=user_id)

    def _instructed_by(self, user_id):
        return self.filter(memberships__user=user_id, memberships__role=Membership.Role.INSTRUCTOR)

    @transaction.atomic
    def start(self, *, name, description="", instructor):
        """A new seminar under a slug of its own, with `instructor` as its first instructor."""
        seminar = self.create(slug=self.unique_slug(name), name=name, description=description)
        Membership.objects.create(seminar=seminar, user=instructor, role=Membership.Role.INSTRUCTOR)
        return seminar

    def unique_slug(self, name):
        base = slugify(name)[:60] or "seminar"
        slug, n = base, 1
        while slug in RESERVED_SLUGS or self.filter(slug=slug).exists():
            n += 1
            slug = f"{base}-{n}"
        return slug


class Seminar(models.Model):
    """A group reading articles together: instructors and participants, and a reading list."""

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    join_code = models.CharField(max_length=40, unique=True, default=new_join_code, editable=False)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, through="Membership", related_name="seminars")
    articles = models.ManyToManyField(Article, through="ReadingListEntry", related_name="seminars", blank=True)
    premoderated = models.BooleanField(
        default=False,
        help_text="Participants' new notes wait for an instructor's approval before the others see them.",
    )
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

    @transaction.atomic
    def close(self):
        """Delete the seminar, its memberships and reading list; everything it shared is let go of first
        (`seminar_deleting`): its notes become their authors' private notes, never deleted."""
        seminar_deleting.send(sender=Seminar, seminar=self)
        self.delete()

    def add_to_reading_list(self, article):
        """Put `article` last on the reading list (where it already is, it stays)."""
        last = self.reading_list.aggregate(last=models.Max("position"))["last"] or 0
        entry, _ = self.reading_list.get_or_create(article=article, defaults={"position": last + 1})
        return entry


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

    def leave(self):
        """End this membership; a seminar always keeps at least one instructor."""
        others = self.seminar.memberships.filter(role=self.Role.INSTRUCTOR).exclude(pk=self.pk)
        if self.is_instructor and not others.exists():
            raise SeminarError("You are this seminar's only instructor, so you cannot leave it.")
        self.delete()


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


def seminar_menu(user):
    """[(slug, name)] of the seminars `user` belongs to, by name: the audiences a note form offers."""
    return _menu(user.pk) if user.is_authenticated else []


def instructs_any(user):
    """Whether `user` instructs some seminar."""
    return user.is_authenticated and _instructs_any(user.pk)


# Asked on every signed-in page (the note dialog's menu, the header's moderation guard): prepared once.
_menu = Prepared(lambda user_id: Seminar.objects.all()._of(user_id).values_list("slug", "name"), "id")


def instructed_by(user_id):
    """The seminars the user with this id instructs: the guard of `instructs_any`."""
    return Seminar.objects.all()._instructed_by(user_id)


_instructs_any = Prepared(instructed_by, "id", exists=True)
