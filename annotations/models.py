import uuid

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.db.models import F, Q
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils import timezone
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase

from annotations.comments import MENTION, Comment, link_mentions, render_comment
from reader.models import Article, Paragraph
from seminars.models import Membership, Seminar

QUOTE_CONTEXT = 32
MAX_MENTIONS = 20


def moderation(user):
    """Who moderates what: a seminar's instructors its notes, staff the public notes, nobody else.

    `can_moderate` asks the same of one note already in memory.
    """
    if not user.is_authenticated:
        return Q(pk=None)
    instructs = Seminar.objects.instructed_by(user).values("pk")
    public = Q(visibility=Annotation.Visibility.PUBLIC)
    return Q(visibility=Annotation.Visibility.SEMINAR, seminar__in=instructs) | (
        public if user.is_staff else Q(pk=None)
    )


def can_moderate(user, note, instructed=None):
    """Whether `user` moderates `note`, by the rule `moderation` writes as a query.

    `instructed`, the set of seminar ids the user instructs, saves a query per note.
    """
    if not user.is_authenticated:
        return False
    if note.visibility == Annotation.Visibility.PUBLIC:
        return user.is_staff
    if note.visibility != Annotation.Visibility.SEMINAR:
        return False
    if instructed is None:
        return Seminar.objects.instructed_by(user).filter(pk=note.seminar_id).exists()
    return note.seminar_id in instructed


def _below_hidden_replies():
    """The ids of the replies below a hidden or pending reply, however deep, in one query both databases run.

    A reply answers one note (`parent`), so only a walk down from each withheld reply finds them.
    Each start has a partial index of its own (hidden replies, pending replies): a few rows, no scan.
    """
    table = Annotation._meta.db_table
    return RawSQL(
        f"WITH RECURSIVE below(id) AS (SELECT id FROM {table} WHERE hidden AND parent_id IS NOT NULL "
        f"UNION SELECT id FROM {table} WHERE pending AND parent_id IS NOT NULL "
        f"UNION SELECT reply.id FROM {table} reply JOIN below ON reply.parent_id = below.id) SELECT id FROM below",
        [],
    )


class AnnotationQuerySet(models.QuerySet):
    """The one place that decides who sees which note. Every read path starts here."""

    def visible_to(self, user):
        """Private: the author. Seminar: its members. Public: everyone.

        A note hidden by a moderator, or pending (awaiting a moderator's approval), stays visible
        to its author and to its moderators (see `moderated_by`); so do the replies in its thread,
        and the replies below a hidden or pending reply. Notes on draft articles are read by those
        who read drafts (`Article.readable`).
        """
        if self._is_whole_table():
            # Building this filter costs more than the query it makes: build it once per user object
            # (a request's reader), from the whole table, and hand out copies. Nothing in it is read
            # until a copy runs, so a copy sees memberships as they are then.
            built = getattr(user, "_notes_visible", None)
            if built is None or built[0] != user.is_staff:
                built = (user.is_staff, type(self)(self.model)._visible_to(user))
                user._notes_visible = built
            return built[1]._chain()
        return self._visible_to(user)

    def _is_whole_table(self):
        """Whether this is every note exactly as `Annotation.objects` gives them: a queryset in the state
        of a new one, with nothing narrowed, ordered, locked, deferred, routed or added (any change of a
        queryset or of its query leaves its mark in their attributes)."""
        if type(self) is not AnnotationQuerySet or self.model is not Annotation:
            return False
        ours, new = dict(vars(self)), dict(vars(AnnotationQuerySet(Annotation)))
        return vars(ours.pop("_query")) == vars(new.pop("_query")) and ours == new

    def _visible_to(self, user):
        readable = Article.readable(user, via="article__")
        public = Q(visibility=Annotation.Visibility.PUBLIC)
        shown = (
            Q(hidden=False, pending=False)
            & (Q(thread=None) | Q(thread__hidden=False, thread__pending=False))
            & ~Q(pk__in=_below_hidden_replies())
        )
        if not user.is_authenticated:
            return self.filter(readable, public, shown)
        member_of = Membership.objects.filter(user=user).values("seminar")
        shared = public | Q(visibility=Annotation.Visibility.SEMINAR, seminar__in=member_of)
        return self.filter(readable).filter(Q(author=user) | (shared & (shown | moderation(user))))

    def moderated_by(self, user):
        """The notes `user` may hide, endorse and curate: the one moderation rule, as a query."""
        return self.filter(moderation(user))

    def top_level(self):
        return self.filter(parent=None)

    def editable_by(self, user):
        """The notes `user` may change: their own, as long as they can still see them."""
        if not user.is_authenticated:
            return self.none()
        return self.visible_to(user).filter(author=user, deleted=False)

    def for_article(self, article):
        return self.filter(article=article)

    def for_display(self):
        # taggit's own prefetch of `tags` loses UUID-keyed objects, so prefetch the through rows.
        tagged = TaggedAnnotation.objects.select_related("tag").order_by("tag__name")
        return self.select_related("author", "article", "start_paragraph").prefetch_related(
            models.Prefetch("tagged_items", queryset=tagged)
        )

    def count_per_article(self):
        """{article id: how many of these notes are on it}."""
        return dict(self.order_by().values_list("article").annotate(count=models.Count("pk")))

    def orphaned(self):
        return self.filter(anchor_status=Annotation.AnchorStatus.ORPHANED)

    def needing_attention(self):
        """Notes with a passage that the text no longer holds where they were: suggested or orphaned."""
        return self.exclude(start_key="").exclude(anchor_status=Annotation.AnchorStatus.ANCHORED)


class TaggedAnnotation(TaggedItemBase):
    content_object = models.ForeignKey("Annotation", on_delete=models.CASCADE, related_name="tagged_items")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="tagged_annotation_unique"),
        ]


class Annotation(models.Model):
    """A reader's highlight or note on a passage (or, with no range, on the whole article).

    The range runs from (start paragraph, offset) to (end paragraph, offset); offsets are
    Unicode code points into Paragraph.text. The paragraph keys are kept beside the foreign
    keys so a note whose paragraph is gone still knows where it was.
    """

    class Visibility(models.TextChoices):
        PRIVATE = "private", "Only me"
        SEMINAR = "seminar", "A seminar"
        PUBLIC = "public", "Public"

    class AnchorStatus(models.TextChoices):
        ANCHORED = "anchored", "Anchored"
        SUGGESTED = "suggested", "Suggested: awaits its author's check"
        ORPHANED = "orphaned", "Orphaned"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="annotations")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="annotations")
    start_paragraph = models.ForeignKey(
        Paragraph, on_delete=models.SET_NULL, null=True, blank=True, related_name="annotations_starting"
    )
    start_key = models.CharField(max_length=40, blank=True)
    start_offset = models.PositiveIntegerField(null=True, blank=True)
    end_paragraph = models.ForeignKey(
        Paragraph, on_delete=models.SET_NULL, null=True, blank=True, related_name="annotations_ending"
    )
    end_key = models.CharField(max_length=40, blank=True)
    end_offset = models.PositiveIntegerField(null=True, blank=True)
    quote_exact = models.TextField(blank=True)
    quote_prefix = models.CharField(max_length=QUOTE_CONTEXT, blank=True)
    quote_suffix = models.CharField(max_length=QUOTE_CONTEXT, blank=True)
    comment = models.TextField(blank=True, help_text="Markdown.")
    comment_html = models.TextField(blank=True, editable=False)
    tags = TaggableManager(through=TaggedAnnotation, blank=True)
    visibility = models.CharField(max_length=10, choices=Visibility, default=Visibility.PRIVATE)
    article_revision = models.PositiveIntegerField(help_text="The article's revision when the note was made.")
    anchor_status = models.CharField(max_length=10, choices=AnchorStatus, default=AnchorStatus.ANCHORED)
    anchor_candidates = models.JSONField(
        default=list, blank=True, editable=False,
        help_text="For a suggested note: the places it may now be, best first, for its author to choose.",
    )  # fmt: skip
    seminar = models.ForeignKey(
        Seminar, on_delete=models.PROTECT, null=True, blank=True, related_name="annotations",
        help_text="With seminar visibility: the seminar whose members see the note.",
    )  # fmt: skip
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies",
        help_text="For a reply: the note it answers.",
    )  # fmt: skip
    thread = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="thread_replies",
        help_text="For a reply: the note that opened the thread.",
    )  # fmt: skip
    is_question = models.BooleanField(default=False)
    answer = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        help_text="For a question: the reply marked as its answer.",
    )  # fmt: skip
    endorsed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    hidden = models.BooleanField(
        default=False, help_text="Hidden by a moderator: only its author and moderators see it."
    )
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    hidden_reason = models.CharField(
        max_length=500, blank=True, help_text="Why a moderator hid the note; its author reads it."
    )
    pending = models.BooleanField(
        default=False, help_text="Awaiting a moderator's approval: only its author and moderators see it."
    )
    featured_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    featured_at = models.DateTimeField(null=True, blank=True, help_text="When a moderator featured the note.")
    featured_reason = models.CharField(max_length=200, blank=True, help_text="Why, shown with the note.")
    feature_declined = models.BooleanField(default=False, help_text="Its author withdrew the note from featuring.")
    deleted = models.BooleanField(default=False, help_text="Deleted by its author but kept for its replies.")
    canonical = models.CharField(max_length=500, blank=True, help_text="An IRI the client gave; kept as sent.")
    via = models.CharField(max_length=500, blank=True, help_text="An IRI the client gave; kept as sent.")
    created = models.DateTimeField(default=timezone.now, editable=False)
    modified = models.DateTimeField(auto_now=True)

    objects = AnnotationQuerySet.as_manager()

    class Meta:
        ordering = ["created"]
        indexes = [
            models.Index(fields=["article", "visibility"]),
            models.Index(fields=["author", "created"]),
            models.Index(fields=["thread", "created"]),
            # Where visible_to's walk below hidden replies starts: a few rows, found without a scan.
            models.Index(
                fields=["parent"], condition=Q(hidden=True, parent__isnull=False), name="annotation_hidden_reply"
            ),
            models.Index(
                fields=["parent"], condition=Q(pending=True, parent__isnull=False), name="annotation_pending_reply"
            ),
            # The moderation queue's pending notes, and the curator's picks: a few rows each.
            models.Index(fields=["created"], condition=Q(pending=True), name="annotation_pending"),
            models.Index(
                fields=["article", "featured_at"], condition=Q(featured_at__isnull=False), name="annotation_featured"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(visibility__in=["private", "seminar", "public"]), name="annotation_visibility_valid"
            ),
            # A seminar note names its seminar; no other note does.
            models.CheckConstraint(
                condition=Q(visibility="seminar", seminar__isnull=False) | (~Q(visibility="seminar") & Q(seminar=None)),
                name="annotation_seminar_given",
            ),
            # A reply belongs to a thread and targets its parent, not a passage.
            models.CheckConstraint(
                condition=Q(parent=None, thread=None)
                | Q(parent__isnull=False, thread__isnull=False, start_key="", quote_exact=""),
                name="annotation_reply_in_thread",
            ),
            models.CheckConstraint(
                condition=Q(anchor_status__in=["anchored", "suggested", "orphaned"]),
                name="annotation_anchor_status_valid",
            ),
            # A range is all there or not at all (a note on the whole article).
            models.CheckConstraint(
                condition=(
                    Q(start_key="", end_key="", start_offset=None, end_offset=None, quote_exact="")
                    | (~Q(start_key="") & ~Q(end_key="") & Q(start_offset__isnull=False, end_offset__isnull=False))
                ),
                name="annotation_range_complete",
            ),
            # Within one paragraph a range covers at least one character, start before end.
            models.CheckConstraint(
                condition=~Q(start_key=F("end_key")) | Q(start_offset__lt=F("end_offset")) | Q(start_key=""),
                name="annotation_range_ordered",
            ),
            models.CheckConstraint(condition=~Q(quote_exact="") | Q(start_key=""), name="annotation_quote_present"),
        ]

    def __str__(self):
        if self.parent_id:
            return f"{self.author} replying on {self.article.slug}"
        return f"{self.author} on {self.article.slug}: {self.quote_exact[:40] or '(whole article)'}"

    def save(self, *args, **kwargs):
        """Save; the @mentions in the comment's HTML are linked after, to the people who can read the saved note.

        annotations.writing hands the comment over rendered (`set_comment`), so nothing is parsed
        here while a transaction holds the database; a comment changed some other way (a shell,
        a test) is rendered here.
        """
        if self.article_revision is None:
            self.article_revision = self.article.revision
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "comment" not in update_fields:
            return super().save(*args, **kwargs)  # the comment is as it was, and so is its HTML
        if self.comment != getattr(self, "_html_of", None):
            self.set_comment(Comment(self.comment, render_comment(self.comment) if self.comment.strip() else ""))
        self.mentioned = []  # the people the comment mentions who may read the note, for notify_mentions
        if not MENTION.search(self.comment):
            return super().save(*args, **kwargs)
        with transaction.atomic():
            super().save(*args, **kwargs)  # first: who may be mentioned is asked of the note as saved
            self.mentioned = self.mentionable()
            self.comment_html = link_mentions(self.comment_html, {person.username for person in self.mentioned})
            Annotation.objects.filter(pk=self.pk).update(comment_html=self.comment_html)
        return None

    def get_absolute_url(self):
        if self.thread_id:
            return reverse("article-detail", args=[self.article.slug]) + f"#note-{self.pk}"
        anchor = self.start_key if self.is_anchored and self.start_key else f"note-{self.pk}"
        return reverse("article-detail", args=[self.article.slug]) + f"#{anchor}"

    @classmethod
    def from_db(cls, db, field_names, values):
        note = super().from_db(db, field_names, values)
        if "comment" in note.__dict__:
            note._html_of = note.comment  # what the stored comment_html was rendered from
        return note

    def set_comment(self, comment):
        """Take a comment checked and rendered by comments.read_comment, before any transaction opened."""
        self.comment, self.comment_html, self._html_of = comment.source, comment.html, comment.source

    def mentionable(self):
        """The people an @mention in this saved note may name: those `visible_to` lets read it.

        Only the first MAX_MENTIONS names are looked at, so a comment cannot ask for a query per word.
        """
        names = list(dict.fromkeys(MENTION.findall(self.comment)))[:MAX_MENTIONS]
        people = get_user_model().objects.filter(username__in=names, is_active=True)
        readers = Annotation.objects.filter(pk=self.pk)
        return [person for person in people if readers.visible_to(person).exists()]

    @property
    def is_featured(self):
        return self.featured_at is not None

    @property
    def is_on_whole_article(self):
        return not self.start_key

    @property
    def is_anchored(self):
        return self.anchor_status == self.AnchorStatus.ANCHORED

    @property
    def is_suggested(self):
        return self.anchor_status == self.AnchorStatus.SUGGESTED

    @property
    def needs_attention(self):
        return bool(self.start_key) and not self.is_anchored

    @property
    def tag_list(self):
        """The note's tags, from the rows `for_display()` prefetched."""
        return sorted((item.tag for item in self.tagged_items.all()), key=lambda tag: (tag.name.casefold(), tag.name))

    @property
    def is_private(self):
        return self.visibility == self.Visibility.PRIVATE

    @property
    def is_reply(self):
        return self.parent_id is not None

    @property
    def motivation(self):
        if self.parent_id:
            return "replying"
        if self.is_question:
            return "questioning"
        return "commenting" if self.comment.strip() else "highlighting"


class AnchorMove(models.Model):
    """What a change of the text did to one note: where it was, where it went, how, and how sure.

    `source` and `target` are {"start_key", "start_offset", "end_key", "end_offset", "text"}:
    the passage before and after (`target` is empty for a note left suggested or orphaned).
    """

    class Method(models.TextChoices):
        POSITION = "position", "same place"
        EXACT = "exact", "the same words, found again"
        FUZZY = "fuzzy", "similar words"
        NONE = "none", "not found"
        AUTHOR = "author", "placed by its author"

    annotation = models.ForeignKey(Annotation, on_delete=models.CASCADE, related_name="moves")
    revision = models.PositiveIntegerField(help_text="The article's revision the move was made for.")
    status = models.CharField(max_length=10, choices=Annotation.AnchorStatus)
    method = models.CharField(max_length=10, choices=Method)
    score = models.FloatField(null=True, blank=True, help_text="How well the new place matches, 0 to 1.")
    source = models.JSONField(default=dict)
    target = models.JSONField(default=dict, blank=True)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created", "-pk"]
        indexes = [models.Index(fields=["annotation", "-created"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["anchored", "suggested", "orphaned"]), name="anchor_move_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(method__in=["position", "exact", "fuzzy", "none", "author"]),
                name="anchor_move_method_valid",
            ),
        ]

    def __str__(self):
        return f"{self.annotation_id} {self.status} by {self.method} at revision {self.revision}"


class Upvote(models.Model):
    annotation = models.ForeignKey(Annotation, on_delete=models.CASCADE, related_name="upvotes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="upvotes")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["annotation", "user"], name="upvote_once")]

    def __str__(self):
        return f"{self.user} upvoted {self.annotation_id}"


class NotificationQuerySet(models.QuerySet):
    def about_notes_visible_to(self, user):
        """Notifications about notes `user` can still read (a note hidden or made private since drops out)."""
        return self.filter(annotation__in=Annotation.objects.visible_to(user))


class Notification(models.Model):
    """Something in a reader's inbox: a reply to their note, a mention, an answer to their question."""

    class Kind(models.TextChoices):
        REPLY = "reply", "replied to your note"
        MENTION = "mention", "mentioned you"
        ANSWER = "answer", "answered your question"
        MOVED = "moved", "edited the text: your note moved to similar words"
        SUGGESTED = "suggested", "edited the text: your note needs your check"
        ORPHANED = "orphaned", "edited the text: your note lost its passage"
        HIDDEN = "hidden", "hid your note"
        FEATURED = "featured", "featured your note"
        APPROVED = "approved", "approved your note"

    ANCHORING = (Kind.MOVED, Kind.SUGGESTED, Kind.ORPHANED)

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        help_text="Who did it; empty for a change made by a command (an import).",
    )  # fmt: skip
    kind = models.CharField(max_length=10, choices=Kind)
    annotation = models.ForeignKey(Annotation, on_delete=models.CASCADE, related_name="notifications")
    created = models.DateTimeField(auto_now_add=True)
    read = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]
        indexes = [models.Index(fields=["recipient", "read"])]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "kind", "annotation"], name="notification_once"),
            models.CheckConstraint(
                condition=Q(
                    kind__in=[
                        "reply",
                        "mention",
                        "answer",
                        "moved",
                        "suggested",
                        "orphaned",
                        "hidden",
                        "featured",
                        "approved",
                    ]
                ),
                name="notification_kind_valid",
            ),
        ]

    def __str__(self):
        return f"{self.actor} {self.get_kind_display()} ({self.recipient})"


class Suspension(models.Model):
    """A reader whose public writing staff suspended: their private and seminar notes go on as before."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="suspension")
    suspended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(max_length=500)
    created = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"{self.user}'s public writing is suspended"
