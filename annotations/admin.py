from django import forms
from django.contrib import admin, messages
from django.db.models import Count, Q
from taggit.models import Tag

from annotations import discussion
from annotations.models import Annotation, TaggedAnnotation, can_moderate
from annotations.tagging import TagError, clean_tags


@admin.register(Annotation)
class AnnotationAdmin(admin.ModelAdmin):
    """Moderation of the notes staff may see: public ones, and their own.

    The admin reads through the same visibility rule as every other page, so readers'
    private and seminar notes stay theirs. Notes are the readers' words: staff hide them
    rather than edit or delete them.
    """

    list_display = ["__str__", "author", "article", "visibility", "anchor_status", "hidden", "created"]
    list_filter = ["visibility", "anchor_status", "hidden", "article"]
    list_select_related = ["author", "article"]
    search_fields = ["comment", "quote_exact", "author__username"]
    date_hierarchy = "created"
    actions = ["hide", "unhide"]
    readonly_fields = [field.name for field in Annotation._meta.fields if field.name not in ("hidden",)]
    exclude = ["hidden_by"]

    def get_queryset(self, request):
        return Annotation.objects.visible_to(request.user).select_related("author", "article")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and not can_moderate(request.user, obj):  # e.g. a seminar note staff only take part in
            return [*self.readonly_fields, "hidden"]
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        """Hiding here is hiding anywhere: through annotations.discussion, so the audit log keeps it."""
        if "hidden" in form.changed_data:
            (discussion.hide if obj.hidden else discussion.unhide)(request.user, obj)
            return
        super().save_model(request, obj, form, change)

    @admin.action(description="Hide the selected notes from readers")
    def hide(self, request, queryset):
        self._moderate(request, queryset, "hidden; their authors still see them", discussion.hide, hidden=False)

    @admin.action(description="Show the selected notes again")
    def unhide(self, request, queryset):
        self._moderate(request, queryset, "shown again", discussion.unhide, hidden=True)

    def _moderate(self, request, queryset, done, act, **state):
        """Act on the selected notes the user moderates, by the one moderation rule; leave the rest.

        Each note goes through `act` (annotations.discussion), which tells its author and the audit log.
        """
        moderated = queryset.moderated_by(request.user)
        count = moderated.count()
        for note in moderated.filter(**state).select_related("author", "article"):
            act(request.user, note)
        self.message_user(request, f"{count} note(s) {done}.", messages.SUCCESS)
        left = queryset.count() - count
        if left:
            message = f"{left} note(s) left as they were: you do not moderate them (a seminar's instructors do)."
            self.message_user(request, message, messages.WARNING)


class TagForm(forms.ModelForm):
    """A tag renamed in the admin obeys the rules of a tag typed on a note."""

    class Meta:
        model = Tag
        fields = ["name"]

    def clean_name(self):
        try:
            names = clean_tags([self.cleaned_data["name"]])
        except TagError as error:
            raise forms.ValidationError(str(error)) from None
        if not names:
            raise forms.ValidationError("Give the tag a name.")
        existing = Tag.objects.exclude(pk=self.instance.pk).filter(name__iexact=names[0]).first()
        if existing is not None:
            raise forms.ValidationError(f"There is already a tag “{existing.name}”.")
        return names[0]


# taggit's own admin lists every tag, those only on private and seminar notes included, and lets
# staff rename or merge them; this one stands in its place.
admin.site.unregister(Tag)


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    """The tags of the notes staff may read (through `visible_to`, like every read path).

    A tag that is also on notes the staff member cannot read is shown read-only: renaming or
    deleting it would change those notes too.
    """

    form = TagForm
    list_display = ["name", "slug", "note_count"]
    search_fields = ["name"]
    ordering = ["name"]
    readonly_fields = ["slug"]

    def get_queryset(self, request):
        visible = Annotation.objects.visible_to(request.user)
        items = TaggedAnnotation.objects.filter(content_object__in=visible)
        readable = Q(annotations_taggedannotation_items__content_object__in=visible)
        return Tag.objects.filter(pk__in=items.values("tag")).annotate(
            note_count=Count("annotations_taggedannotation_items", filter=readable)
        )

    @admin.display(ordering="note_count", description="notes you can read")
    def note_count(self, tag):
        return tag.note_count

    def also_on_unreadable_notes(self, request, tag):
        readable = Annotation.objects.visible_to(request.user)
        return TaggedAnnotation.objects.filter(tag=tag).exclude(content_object__in=readable).exists()

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and self.also_on_unreadable_notes(request, obj):
            return ["name", "slug"]
        return self.readonly_fields

    def has_add_permission(self, request):
        return False  # a tag is made by tagging a note

    def has_delete_permission(self, request, obj=None):
        # One at a time, and only a tag on nothing but notes this staff member can read.
        return obj is not None and not self.also_on_unreadable_notes(request, obj)
