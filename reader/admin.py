from collections import defaultdict

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html

from reader.models import Article, Paragraph
from reader.revising import first_revision, record, snapshot


class TextChangedMeanwhile(Exception):
    """The article's text became a new revision after its admin page was opened: saving would undo it."""


def moved_on_message(revision):
    return (
        f"The text has changed since you opened this page (it is now revision {revision}): "
        "reload it and make your change again."
    )


def current_revision(article):
    """The article's revision as the database has it now, the row locked until the transaction ends.

    (The admin saves inside a transaction; outside one there is nothing to hold a lock for.)
    """
    rows = Article.objects.filter(pk=article.pk)
    if transaction.get_connection().in_atomic_block:
        rows = rows.select_for_update()
    return rows.values_list("revision", flat=True).first()


def https_by_default(field, **kwargs):
    """A model field's form field; a link typed without its scheme is taken as https, as in the admin."""
    if isinstance(field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return field.formfield(**kwargs)


class ArticleAdminForm(forms.ModelForm):
    """The article's admin form carries the revision it was opened at.

    The inline paragraphs write back every source the page was opened with: saved after the
    text became a new revision (the curator's editor, a re-import, a revert), they would undo
    it. So saving is refused, and nothing written, once the article's revision has moved on.
    """

    based_on_revision = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    class Meta:
        model = Article
        fields = ["slug", "title", "author", "published_on", "source_url", "status"]
        formfield_callback = https_by_default

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.initial.setdefault("based_on_revision", self.instance.revision)

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is not None:
            now = current_revision(self.instance)
            if now is not None and cleaned.get("based_on_revision") != now:
                raise ValidationError(moved_on_message(now), code="text_changed")
        return cleaned


class ParagraphInline(admin.StackedInline):
    model = Paragraph
    fields = ["position", "key", "source", "kind", "level"]
    readonly_fields = ["key", "kind", "level"]
    extra = 0
    show_change_link = True


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleAdminForm
    list_display = ["title", "slug", "author", "published_on", "status", "revision", "paragraph_count"]
    list_filter = ["status", "published_on"]
    search_fields = ["title", "slug", "author"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["revision", "history", "created", "modified"]
    date_hierarchy = "published_on"
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    inlines = [ParagraphInline]
    actions = ["publish", "unpublish"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(paragraph_count=Count("paragraphs"))

    @admin.display(ordering="paragraph_count", description="paragraphs")
    def paragraph_count(self, article):
        return article.paragraph_count

    @admin.display(description="history")
    def history(self, article):
        """A link to the article's revisions: who changed the text, when, word by word, and a revert."""
        if article.pk is None:
            return "—"
        return format_html('<a href="{}">Revisions of the text</a>', reverse("article-history", args=[article.slug]))

    @admin.action(description="Publish the selected articles")
    def publish(self, request, queryset):
        count = queryset.update(status=Article.Status.PUBLISHED)
        self.message_user(request, f"Published {count} article(s).", messages.SUCCESS)

    @admin.action(description="Unpublish the selected articles (back to draft)")
    def unpublish(self, request, queryset):
        count = queryset.update(status=Article.Status.DRAFT)
        self.message_user(request, f"Unpublished {count} article(s); only staff can read them now.", messages.SUCCESS)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except TextChangedMeanwhile as refused:  # raised inside the admin's transaction: all of it undone
            self.message_user(request, str(refused), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def save_related(self, request, form, formsets, change):
        """A corrected paragraph is a revision of the text, and every note on it follows the change.

        The form checked the revision it was opened at, and locked the article's row; checked
        again here, before the paragraphs are written, in case the database could not lock it.
        """
        if change:
            now = current_revision(form.instance)
            if form.cleaned_data.get("based_on_revision") != now:
                raise TextChangedMeanwhile(moved_on_message(now))
        before = snapshot(form.instance) if change else None
        super().save_related(request, form, formsets, change)
        if change:
            record(form.instance, before, author=request.user, message="Edited in the admin")
        else:
            first_revision(form.instance, author=request.user, message="Written in the admin")


@admin.register(Paragraph)
class ParagraphAdmin(admin.ModelAdmin):
    list_display = ["__str__", "position", "kind", "excerpt"]
    list_filter = ["kind", "article"]
    search_fields = ["text", "key", "article__title"]
    list_select_related = ["article"]
    fields = ["article", "position", "key", "source", "kind", "level", "html", "text"]
    readonly_fields = ["key", "kind", "level", "html", "text"]
    raw_id_fields = ["article"]

    def get_readonly_fields(self, request, obj=None):
        """A paragraph stays in its article: moving it would take its notes along unchecked."""
        if obj is None:
            return self.readonly_fields
        return [*self.readonly_fields, "article"]

    @admin.display(description="text")
    def excerpt(self, paragraph):
        return paragraph.text[:80]

    def save_model(self, request, obj, form, change):
        """A paragraph saved here is a revision of its article, as an edit on the article's page is."""
        with transaction.atomic():
            before = snapshot(obj.article)
            super().save_model(request, obj, form, change)
            record(obj.article, before, author=request.user, message="Paragraph edited in the admin")

    def delete_model(self, request, obj):
        with transaction.atomic():
            before = snapshot(obj.article)
            super().delete_model(request, obj)
            record(obj.article, before, author=request.user, message="Paragraph deleted in the admin")

    def delete_queryset(self, request, queryset):
        """Paragraphs deleted together are one revision of each article they were in."""
        chosen = defaultdict(list)
        for article_id, pk in queryset.values_list("article_id", "pk"):
            chosen[article_id].append(pk)
        with transaction.atomic():
            for article in Article.objects.filter(pk__in=chosen).order_by("pk").select_for_update():
                pks = chosen[article.pk]
                before = snapshot(article)
                Paragraph.objects.filter(pk__in=pks).delete()
                count = len(pks)
                message = f"{count} paragraph{'s' if count != 1 else ''} deleted in the admin"
                record(article, before, author=request.user, message=message)
