from django import forms
from django.contrib import admin

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
