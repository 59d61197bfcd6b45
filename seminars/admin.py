from django.contrib import admin

from seminars.models import Membership, ReadingListEntry, Seminar


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["user"]


class ReadingListInline(admin.TabularInline):
    model = ReadingListEntry
    extra = 0


@admin.register(Seminar)
class SeminarAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "created"]
    search_fields = ["name", "slug"]
    inlines = [MembershipInline, ReadingListInline]
