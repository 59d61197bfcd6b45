from django import forms
from django.contrib import admin, messages

from seminars.forms import SeminarForm
from seminars.models import Membership, ReadingListEntry, Seminar


class MembershipInline(admin.TabularInline):
    """Who is in the seminar, to look at: its instructors manage it on the seminar's own page.

    Editable here, it let staff make themselves instructors of any seminar, and so read its notes.
    """

    model = Membership
    extra = 0
    fields = readonly_fields = ["user", "role", "joined"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ReadingListInline(admin.TabularInline):
    model = ReadingListEntry
    extra = 0


class SeminarAdminForm(forms.ModelForm):
    """The name and description are checked as the seminar form checks them."""

    name = SeminarForm.base_fields["name"]
    description = SeminarForm.base_fields["description"]

    class Meta:
        model = Seminar
        fields = ["name", "slug", "description"]


@admin.register(Seminar)
class SeminarAdmin(admin.ModelAdmin):
    """Seminars are started by readers (/seminars/new/), who become their first instructors."""

    form = SeminarAdminForm
    list_display = ["name", "slug", "created"]
    search_fields = ["name", "slug"]
    inlines = [MembershipInline, ReadingListInline]

    def has_add_permission(self, request):
        return False  # a seminar made here would have no instructor, and nobody could run it

    # Deleting closes the seminar, as its instructor's page does: its notes are let go of first, to
    # their authors' private notes (`Seminar.close`), so they protect it from nothing. Anything
    # else that protects it still does: the page then lists all of it, and nothing is deleted.

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        if len(protected) == sum(seminar.annotations.count() for seminar in objs):
            # They are all its notes; listing them asked for the right to delete notes, which closing never does.
            protected, perms_needed = [], perms_needed - {str(Seminar.annotations.rel.related_model._meta.verbose_name)}
        return deleted, counts, perms_needed, protected

    def delete_model(self, request, obj):
        self.delete_queryset(request, [obj])

    def delete_queryset(self, request, queryset):
        notes = 0
        for seminar in queryset:
            notes += seminar.annotations.count()
            seminar.close()
        if notes:
            shared = f"The {notes} note{'s' if notes != 1 else ''} shared with it"
            self.message_user(request, f"{shared} stay with their authors, as private notes.", messages.INFO)
