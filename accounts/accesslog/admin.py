"""The access log in /beheer/: administrators search, filter and export (CSV); nobody adds, changes or deletes."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _

from accounts.accesslog.models import AccessLogEntry
from accounts.accesslog.services import Event, Purpose, record_access
from accounts.permissions import is_admin
from kansenagenda.admin_readonly import ReadOnlyAdminMixin
from kansenagenda.spreadsheet import csv_response

CSV_COLUMNS = [
    ("at", "tijdstip"),
    ("event", "gebeurtenis"),
    ("user_id", "gebruiker-id"),
    ("user_email", "gebruiker"),
    ("user_roles", "rollen"),
    ("object_type", "soort object"),
    ("object_id", "object-id"),
    ("object_label", "object"),
    ("agenda_id", "agenda"),
    ("purpose", "doel"),
    ("channel", "kanaal"),
    ("status_code", "statuscode"),
    ("route", "route"),
    ("request_id", "verzoek-id"),
    ("ip_address", "IP-adres"),
    ("detail", "toelichting"),
]


def export_csv(entries, emails: dict[int, str]) -> HttpResponse:
    rows = []
    for entry in entries:
        row = []
        for field, _label in CSV_COLUMNS:
            if field == "user_email":
                value = emails.get(entry.user_id, "")
            elif field == "at":
                value = entry.at.isoformat()
            else:
                value = getattr(entry, field)
            row.append("" if value is None else value)
        rows.append(row)
    return csv_response([label for _field, label in CSV_COLUMNS], rows, filename="toegangslogboek.csv", semicolon=True)


@admin.register(AccessLogEntry)
class AccessLogEntryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):  # append-only: no add, change or delete
    list_display = ["at", "event", "user_display", "user_roles", "object_type", "object_id", "object_label", "purpose"]
    list_filter = ["event", "purpose", "channel", "object_type", "status_code", ("at", admin.DateFieldListFilter)]
    search_fields = ["object_id", "object_label", "request_id", "route", "detail", "user_roles"]
    date_hierarchy = "at"
    list_per_page = 100
    list_select_related = ["user"]
    show_full_result_count = False
    actions = ["export_selected_csv"]
    readonly_fields = [f.name for f in AccessLogEntry._meta.fields]

    @admin.display(description=_("gebruiker"))
    def user_display(self, obj):
        if obj.user_id is None:
            return "—"
        user = obj.user  # selected with the row; None when the account no longer exists
        return f"{user.email} (#{obj.user_id})" if user is not None else f"#{obj.user_id}"

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        term = (search_term or "").strip()
        if "@" in term:
            # Search by e-mail address: the ids of the matching accounts (the FK has no join constraint).
            from accounts.models import User

            ids = list(User.objects.filter(email__icontains=term).values_list("pk", flat=True)[:50])
            queryset = self.model.objects.filter(user_id__in=ids)
        elif term.isdigit():
            queryset |= self.model.objects.filter(user_id=int(term))
        return queryset, may_have_duplicates

    @admin.action(description=_("Geselecteerde regels exporteren (CSV)"), permissions=["view"])
    def export_selected_csv(self, request, queryset):
        entries = list(queryset.order_by("-at", "-pk")[:100_000])
        record_access(
            request=request,
            event=Event.EXPORT,
            obj=("accounts.accesslogentry", "", f"{len(entries)} regels"),
            purpose=Purpose.SECURITY,
        )
        return export_csv(entries, _emails_for(entries))

    def has_view_permission(self, request, obj=None):
        return is_admin(request.user) and super().has_view_permission(request, obj)

    def has_module_permission(self, request):
        return is_admin(request.user) and super().has_module_permission(request)


def _emails_for(entries) -> dict[int, str]:
    from accounts.models import User

    ids = {e.user_id for e in entries if e.user_id is not None}
    return dict(User.objects.filter(pk__in=ids).values_list("pk", "email")) if ids else {}
