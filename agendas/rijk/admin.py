"""Beheer of the Rijk's commitments: the ministries are a reference list (editable: TOOI identifiers, order,
in use); commitments and their reports are written only through ``agendas.rijk.services`` (the pages and the
API), so they are read-only here, with their history."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from agendas.rijk.models import Ministry, RijkCommitment, RijkCommitmentReport
from kansenagenda.admin_readonly import ReadOnlyAdminMixin


@admin.register(Ministry)
class MinistryAdmin(SimpleHistoryAdmin):
    list_display = ["code", "abbreviation", "name", "tooi_identifier", "order", "active"]
    search_fields = ["code", "abbreviation", "name"]


@admin.register(RijkCommitment)
class RijkCommitmentAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ["agenda", "ministry", "programme", "due_year", "signed_at"]
    list_filter = ["ministry", "due_year"]
    list_select_related = ["agenda", "ministry", "programme"]
    search_fields = ["agenda__title", "text"]


@admin.register(RijkCommitmentReport)
class RijkCommitmentReportAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ["commitment", "year", "status", "reported_by", "reported_at"]
    list_filter = ["status", "year"]
    list_select_related = ["commitment__ministry", "reported_by"]
