import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from reader.rendering import render_block


def base_key(text):
    """The key a paragraph with this text gets when no other paragraph of its article has it."""
    return "p-" + hashlib.sha1(text.encode()).hexdigest()[:8]


def new_key(text, taken):
    """A short key derived from the text, so one text gets the same key on every import.

    Repeated texts (two horizontal rules, say) get a numbered suffix. `taken` is the
    set of keys already used in the article; the new key is added to it.
    """
    base = base_key(text)
    key, n = base, 1
    while key in taken:
        n += 1
        key = f"{base}-{n}"
    taken.add(key)
    return key


# What str.splitlines() splits on: none of them belongs in a title, which is one line wherever
# it goes (a page's <title>, a link, an email's Subject header, where a newline is an error).
LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"


def first_line_break(text):
    return next((char for char in text if char in LINE_BREAKS), None)


def single_line(value):
    """Refuse text holding a line break (a title, say), naming the character."""
    found = first_line_break(value)
    if found is not None:
        raise ValidationError(f"This holds a line break (U+{ord(found):04X}); it must be one line.", code="line_break")


class ArticleQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Article.Status.PUBLISHED)

    def readable_by(self, user):
        return self.filter(Article.readable(user))


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    slug = models.SlugField(max_length=200, unique=True)
    title = models.CharField(max_length=300, validators=[single_line])
    author = models.CharField(max_length=200, blank=True)
    published_on = models.DateField("published date", null=True, blank=True)
    source_url = models.URLField("source URL", max_length=500, blank=True)
    status = models.CharField(max_length=10, choices=Status, default=Status.DRAFT)
    revision = models.PositiveIntegerField(default=1, help_text="Goes up each time the text changes.")
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_on", "title"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=["draft", "published"]), name="article_status_valid"),
            models.CheckConstraint(condition=~Q(slug=""), name="article_slug_not_empty"),
            models.CheckConstraint(condition=Q(revision__gte=1), name="article_revision_positive"),
            models.CheckConstraint(
                condition=Q(*(~Q(title__contains=char) for char in LINE_BREAKS)),
                name="article_title_one_line",
                violation_error_message="An article's title is one line.",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("article-detail", args=[self.slug])

    @staticmethod
    def readable(user, via=""):
        """The draft rule, as a filter: everyone reads published articles; staff also read drafts.

        `via` is the path from another model to its article ("article__" from a note).
        """
        return Q() if user.is_staff else Q(**{f"{via}status": Article.Status.PUBLISHED})

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED


class Paragraph(models.Model):
    """One top-level block of an article.

    `html` and `text` derive from `source` and are computed once, on save: `text` is
    exactly the text content of `html`, the string annotation offsets count into.
    """

    class Kind(models.TextChoices):
        HEADING = "heading", "Heading"
        PARAGRAPH = "paragraph", "Paragraph"
        LIST = "list", "List"
        QUOTE = "quote", "Quote"
        CODE = "code", "Code"
        TABLE = "table", "Table"
        RULE = "rule", "Rule"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="paragraphs")
    position = models.PositiveIntegerField()
    key = models.SlugField(max_length=40, help_text="Stable id: the HTML id and permalink fragment.")
    kind = models.CharField(max_length=10, choices=Kind, default=Kind.PARAGRAPH)
    level = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Heading level, 1 to 6.")
    source = models.TextField(help_text="Markdown.")
    html = models.TextField(editable=False)
    text = models.TextField(editable=False)

    class Meta:
        ordering = ["article", "position"]
        constraints = [
            models.UniqueConstraint(fields=["article", "position"], name="paragraph_position_unique"),
            models.UniqueConstraint(fields=["article", "key"], name="paragraph_key_unique"),
            models.CheckConstraint(condition=~Q(key=""), name="paragraph_key_not_empty"),
            models.CheckConstraint(
                condition=Q(kind="heading", level__gte=1, level__lte=6) | (~Q(kind="heading") & Q(level=None)),
                name="paragraph_heading_has_level",
            ),
        ]

    def __str__(self):
        return f"{self.article.slug}#{self.key}"

    def save(self, *args, **kwargs):
        self.render()
        if not self.key:
            taken = set(Paragraph.objects.filter(article_id=self.article_id).values_list("key", flat=True))
            self.key = new_key(self.text, taken)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return f"{self.article.get_absolute_url()}#{self.key}"

    @property
    def kind_label(self):
        """What the kind is called in a sentence ("Note on this heading"), the same for every block of it."""
        return _KIND_LABELS.get(self.kind, self.kind)

    def render(self):
        """Recompute kind, level, html and text from the Markdown source."""
        block = render_block(self.source)
        self.kind, self.level, self.html, self.text = block.kind, block.level, block.html, block.text


_KIND_LABELS = {kind.value: kind.label.lower() for kind in Paragraph.Kind}


def contents_of(paragraphs):
    """The headings among `paragraphs`, each with its `depth` below the highest level there."""
    headings = [paragraph for paragraph in paragraphs if paragraph.kind == Paragraph.Kind.HEADING]
    top_level = min((heading.level for heading in headings), default=1)
    for heading in headings:
        heading.depth = heading.level - top_level
    return headings


class Revision(models.Model):
    """One state of an article's text: who made it, when, why, and every paragraph as it then was.

    `paragraphs` holds [key, source] pairs in reading order; the rest of a paragraph (its kind,
    HTML and text) is rendered again from its source when an old revision is read.
    """

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    message = models.CharField(max_length=300, blank=True)
    created = models.DateTimeField(default=timezone.now)
    paragraphs = models.JSONField(default=list, help_text="[key, Markdown source] for each paragraph, in order.")

    class Meta:
        ordering = ["article", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="revision_number_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="revision_number_positive"),
        ]

    def __str__(self):
        return f"{self.article.slug} revision {self.number}"

    def get_absolute_url(self):
        return f"{self.article.get_absolute_url()}?revision={self.number}"

    @property
    def keys(self):
        return [key for key, _ in self.paragraphs]

    def rendered(self, cache=None):
        """The revision's paragraphs as unsaved Paragraph objects, rendered from their sources.

        `cache` ({source: rendered block}) renders a source once across revisions (a comparison).
        """
        cache = {} if cache is None else cache
        paragraphs = []
        for position, (key, source) in enumerate(self.paragraphs):
            if source not in cache:
                cache[source] = render_block(source)
            block = cache[source]
            paragraph = Paragraph(article=self.article, position=position, key=key, source=source, kind=block.kind)
            paragraph.level, paragraph.html, paragraph.text = block.level, block.html, block.text
            paragraphs.append(paragraph)
        return paragraphs
