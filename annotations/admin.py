from django.contrib import admin, messages

from annotations.models import Annotation


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

    def save_model(self, request, obj, form, change):
        obj.hidden_by = request.user if obj.hidden else None
        super().save_model(request, obj, form, change)

    @admin.action(description="Hide the selected notes from readers")
    def hide(self, request, queryset):
        count = queryset.update(hidden=True, hidden_by=request.user)
        self.message_user(request, f"{count} note(s) hidden; their authors still see them.", messages.SUCCESS)

    @admin.action(description="Show the selected notes again")
    def unhide(self, request, queryset):
        count = queryset.update(hidden=False, hidden_by=None)
        self.message_user(request, f"{count} note(s) shown again.", messages.SUCCESS)
