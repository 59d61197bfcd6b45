from django.contrib import admin, messages

from annotations.models import Annotation, can_moderate


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
        obj.hidden_by = request.user if obj.hidden else None
        super().save_model(request, obj, form, change)

    @admin.action(description="Hide the selected notes from readers")
    def hide(self, request, queryset):
        self._moderate(request, queryset, "hidden; their authors still see them", hidden=True, hidden_by=request.user)

    @admin.action(description="Show the selected notes again")
    def unhide(self, request, queryset):
        self._moderate(request, queryset, "shown again", hidden=False, hidden_by=None)

    def _moderate(self, request, queryset, done, **change):
        """Change the selected notes the user moderates, by the one moderation rule; leave the rest."""
        count = queryset.moderated_by(request.user).update(**change)
        self.message_user(request, f"{count} note(s) {done}.", messages.SUCCESS)
        left = queryset.count() - count
        if left:
            message = f"{left} note(s) left as they were: you do not moderate them (a seminar's instructors do)."
            self.message_user(request, message, messages.WARNING)
