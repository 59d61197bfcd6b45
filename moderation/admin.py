from django.contrib import admin

from moderation.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """The audit log, for staff: read it, filter it, search it. Nobody adds, changes or deletes an entry.

    Staff read the entries the moderation app lets them read (`readable_by`): a seminar's acts stay
    with the seminar's instructors, as its notes do.
    """

    list_display = ["created", "actor_name", "action", "person_name", "article", "visibility", "reason"]
    list_filter = ["action", "visibility", "created"]
    search_fields = ["actor_name", "person_name", "reason"]
    date_hierarchy = "created"
    list_select_related = ["article"]

    def get_queryset(self, request):
        return AuditEntry.objects.readable_by(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
