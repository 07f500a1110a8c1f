"""Beheer of the support track: through the same service as the page (rules and rights in one place)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from accounts.models import RegionSupport
from agendas.support import services
from agendas.support.policy import region_support_policy


@admin.register(RegionSupport)
class RegionSupportAdmin(SimpleHistoryAdmin):
    list_display = ["region", "kind", "organisation_name", "start_date", "end_date"]
    list_filter = ["kind"]
    list_select_related = ["region"]
    filter_horizontal = ["supporters"]

    def has_change_permission(self, request, obj=None):
        return region_support_policy.can_manage(request.user)

    def has_add_permission(self, request):
        return region_support_policy.can_manage(request.user)

    def has_delete_permission(self, request, obj=None):
        return False  # ending support is an end date, kept in history

    def save_model(self, request, obj, form, change):
        """Through the service, supporters included; the admin's own M2M save is skipped (``save_related``)."""
        data = form.cleaned_data
        saved = services.region_support_save(
            actor=request.user,
            region=data["region"],
            kind=data["kind"],
            organisation_name=data["organisation_name"],
            start_date=data["start_date"],
            end_date=data.get("end_date"),
            supporters=data.get("supporters") or [],
            support=obj if change else None,
        )
        obj.pk, obj.lock_version = saved.pk, saved.lock_version

    def save_related(self, request, form, formsets, change):
        pass  # the supporters were set by the service
