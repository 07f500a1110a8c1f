from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from accounts.models import (
    Alliance,
    Membership,
    Municipality,
    Organisation,
    OutboxMessage,
    Province,
    Region,
    StateRepresentativeAssignment,
    User,
)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["organisation"]


class StateRepresentativeInline(admin.TabularInline):
    model = StateRepresentativeAssignment
    extra = 0


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_active"]
    search_fields = ["email", "first_name", "last_name"]
    list_filter = ["groups", "is_active"]
    inlines = [MembershipInline, StateRepresentativeInline]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Persoonlijke gegevens"), {"fields": ("first_name", "last_name")}),
        (_("Rollen en rechten"), {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        (_("Belangrijke datums"), {"fields": ("last_login", "date_joined", "anonymised_at")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2", "groups")}),)
    readonly_fields = ["last_login", "date_joined", "anonymised_at"]
    actions = ["export_personal_data", "anonymise"]

    @admin.action(description=_("Persoonsgegevens exporteren (AVG, JSON)"))
    def export_personal_data(self, request, queryset):
        import json

        from django.http import HttpResponse

        from accounts.services import personal_data_export

        payload = [personal_data_export(user=user) for user in queryset]
        response = HttpResponse(json.dumps(payload, indent=2, ensure_ascii=False), content_type="application/json")
        response["Content-Disposition"] = 'attachment; filename="persoonsgegevens.json"'
        return response

    @admin.action(description=_("Geselecteerde vertrokken gebruikers anonimiseren (AVG)"))
    def anonymise(self, request, queryset):
        from django.contrib import messages
        from django.core.exceptions import ValidationError

        from accounts.services import user_anonymise

        done = 0
        for user in queryset:
            try:
                user_anonymise(user=user, actor=request.user)
                done += 1
            except ValidationError as exc:
                self.message_user(request, "; ".join(exc.messages), messages.ERROR)
        self.message_user(request, _("%(n)s gebruiker(s) geanonimiseerd.") % {"n": done}, messages.SUCCESS)


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "type", "identifier"]
    list_filter = ["type"]
    search_fields = ["name", "identifier"]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "organisation", "start_date", "end_date"]
    list_select_related = ["user", "organisation"]
    autocomplete_fields = ["user", "organisation"]


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name"]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "province"]
    list_select_related = ["province"]
    list_filter = ["province"]
    search_fields = ["name"]


@admin.register(Region)
class RegionAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "border_region", "population_decline", "ageing", "far_from_economic_core"]
    search_fields = ["name", "code"]
    filter_horizontal = ["provinces", "municipalities"]


@admin.register(Alliance)
class AllianceAdmin(SimpleHistoryAdmin):
    list_display = ["name", "region"]
    list_select_related = ["region"]
    search_fields = ["name"]
    filter_horizontal = ["organisations", "coordinators"]


@admin.register(StateRepresentativeAssignment)
class StateRepresentativeAssignmentAdmin(SimpleHistoryAdmin):
    list_display = ["user", "region", "start_date", "end_date"]
    list_select_related = ["user", "region"]


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    """Read-only: administrators see what was (not) delivered, including permanent failures."""

    list_display = ["created_at", "recipient", "subject", "delivered_at", "attempts", "failed_permanently"]
    list_filter = ["failed_permanently", "kind"]
    search_fields = ["recipient", "subject"]
    actions = ["retry_delivery"]

    @admin.action(description=_("Opnieuw versturen"), permissions=["view"])
    def retry_delivery(self, request, queryset):
        from accounts.services import outbox_retry

        count = outbox_retry(message_ids=queryset.values_list("pk", flat=True), actor=request.user)
        self.message_user(request, _("%(count)s bericht(en) opnieuw in de wachtrij gezet.") % {"count": count})

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
