"""Beheer of the Rijk's commitments: the ministries are a reference list (editable: TOOI identifiers, order,
in use); commitments and their reports are written only through ``agendas.rijk.services`` (the pages and the
API), so they are read-only here, with their history."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from agendas.rijk.models import Ministry, RijkCommitment, RijkCommitmentReport


@admin.register(Ministry)
class MinistryAdmin(SimpleHistoryAdmin):
    list_display = ["code", "abbreviation", "name", "tooi_identifier", "order", "active"]
    search_fields = ["code", "abbreviation", "name"]


class _ReadOnly(SimpleHistoryAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RijkCommitment)
class RijkCommitmentAdmin(_ReadOnly):
    list_display = ["agenda", "ministry", "programme", "due_year", "signed_at"]
    list_filter = ["ministry", "due_year"]
    list_select_related = ["agenda", "ministry", "programme"]
    search_fields = ["agenda__title", "text"]


@admin.register(RijkCommitmentReport)
class RijkCommitmentReportAdmin(_ReadOnly):
    list_display = ["commitment", "year", "status", "reported_by", "reported_at"]
    list_filter = ["status", "year"]
    list_select_related = ["commitment__ministry", "reported_by"]
