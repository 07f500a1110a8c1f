"""Beheer of the monitor's reference data: indicators (per monitor theme) and areas (with the region they belong to).
Values are only written by the import (``agendas.welfare.services``), so they are read-only here."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from agendas.welfare.models import MonitorArea, MonitorImport, MonitorIndicator, MonitorValue
from kansenagenda.admin_readonly import ReadOnlyAdminMixin


@admin.register(MonitorIndicator)
class MonitorIndicatorAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "dimension", "unit", "higher_is_better", "active"]
    list_filter = ["dimension", "active"]
    search_fields = ["code", "name"]


@admin.register(MonitorArea)
class MonitorAreaAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "kind", "region"]
    list_filter = ["kind"]
    list_select_related = ["region"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["region"]


@admin.register(MonitorValue)
class MonitorValueAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ["area", "indicator", "year", "value"]
    list_filter = ["year", "indicator"]
    list_select_related = ["area", "indicator"]
    search_fields = ["area__code", "area__name"]


@admin.register(MonitorImport)
class MonitorImportAdmin(admin.ModelAdmin):
    list_display = ["original_name", "status", "uploaded_by", "created_at", "created_count", "updated_count"]
    readonly_fields = [f.name for f in MonitorImport._meta.fields]

    def has_add_permission(self, request):
        return False
