from django.contrib import admin, messages
from django.db import models, transaction
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html

from reader.models import Article, Paragraph
from reader.revising import first_revision, record, snapshot


class ParagraphInline(admin.StackedInline):
    model = Paragraph
    fields = ["position", "key", "source", "kind", "level"]
    readonly_fields = ["key", "kind", "level"]
    extra = 0
    show_change_link = True


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
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

    def save_related(self, request, form, formsets, change):
        """A corrected paragraph is a revision of the text, and every note on it follows the change."""
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
        with transaction.atomic():
            for paragraph in queryset.select_related("article"):
                self.delete_model(request, paragraph)
