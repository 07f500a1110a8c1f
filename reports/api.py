"""API of the reports app (/api/v1/rapportages/): dashboard figures, exports and documents.
The same policies, selectors and services as the pages."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from kansenagenda import money
from reports import exports, services
from reports.forms import DashboardFilterForm
from reports.models import GeneratedDocument
from reports.permissions import dashboard_policy, document_policy
from reports.selectors import portfolio, portfolio_agenda_list, reference_lists
from reports.views import file_response, record_export

FILTER_PARAMETERS = [
    OpenApiParameter(name, OpenApiTypes.STR if name == "status" else OpenApiTypes.INT, required=False)
    for name in ("region", "province", "theme", "status", "year", "programme")
]


def _portfolio(request):
    region_ids = dashboard_policy.check(request.user)
    refs = reference_lists(region_ids)
    form = DashboardFilterForm(request.query_params or None, refs)
    filters = form.filters()
    if form.is_bound and form.errors:
        raise ValidationError({field: list(errors) for field, errors in form.errors.items()})
    agendas = dashboard_policy.agendas(request.user, region_ids)
    return (
        refs,
        filters,
        agendas,
        portfolio(agendas, filters, refs, audience=dashboard_policy.audience(request.user, region_ids)),
    )


def _money(value):
    return money.format_api_amount(value)


def _ratio(value):
    return None if value is None else str(value)


def _money_rows(rows):
    return [
        {
            "key": row.key,
            "label": row.label,
            "requested": _money(row.requested),
            "approved": _money(row.approved),
            "cofinancing": _money(row.cofinancing),
            "cofinancing_ratio": _ratio(row.cofinancing_ratio),
            "planned_total": _money(row.planned_total),
        }
        for row in rows
    ]


class DashboardView(APIView):
    """Portfolio figures for the current filters (amounts as decimal strings)."""

    @extend_schema(parameters=FILTER_PARAMETERS, responses=OpenApiTypes.OBJECT)
    def get(self, request):
        _refs, filters, _agendas, data = _portfolio(request)
        monitoring = data.monitoring
        return Response(
            {
                "filters": filters.as_params(),
                "agenda_count": data.agenda_count,
                "status_counts": [{k: s[k] for k in ("code", "label", "count")} for s in data.status_counts],
                "totals": _money_rows([data.totals])[0],
                "by_year": _money_rows(data.by_year),
                "by_region": _money_rows(data.by_region),
                "by_theme": _money_rows(data.by_theme),
                "by_source": _money_rows(data.by_source),
                "milestones": {
                    "total": data.milestone_total,
                    "by_region": [{"label": m["label"], "count": m["count"]} for m in data.milestones_by_region],
                    "by_theme": [{"label": m["label"], "count": m["count"]} for m in data.milestones_by_theme],
                },
                "clocks": {code: clock["count"] for code, clock in data.clocks.items()},
                "monitoring": {
                    "available": monitoring.available,
                    "planned": _money(monitoring.planned),
                    "realised": _money(monitoring.realised),
                    "overdue_reports": monitoring.overdue_reports,
                    "health_by_region": monitoring.health_by_region,
                    "health_by_theme": monitoring.health_by_theme,
                },
            }
        )


class ExportView(APIView):
    """The filtered view as XLSX (all tables) or CSV (one table; ``separator=semicolon`` for Dutch Excel)."""

    file_format = "xlsx"

    @extend_schema(
        parameters=[
            *FILTER_PARAMETERS,
            OpenApiParameter(
                "table",
                OpenApiTypes.STR,
                required=False,
                description="CSV: agendas, statuses, years, regions, themes, sources",
            ),
            OpenApiParameter(
                "separator", OpenApiTypes.STR, required=False, description="CSV: comma (default) or semicolon"
            ),
        ],
        responses={
            (200, "text/csv"): OpenApiTypes.BINARY,
            (200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"): OpenApiTypes.BINARY,
        },
    )
    def get(self, request):
        _refs, filters, agendas, data = _portfolio(request)
        tables = exports.portfolio_tables(data, portfolio_agenda_list(agendas, filters))
        if self.file_format == "csv":
            table = {t.code: t for t in tables}.get(request.query_params.get("table", "agendas"))
            if table is None:
                raise ValidationError(
                    {"table": [_("Onbekende tabel. Kies uit: agendas, statuses, years, regions, themes, sources.")]}
                )
            record_export(request, file_format=f"csv:{table.code}", filters=filters.as_params())
            content = exports.to_csv(table, semicolon=request.query_params.get("separator") == "semicolon")
            response = HttpResponse(content, content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="portefeuille-{table.code}.csv"'
            return response
        record_export(request, file_format="xlsx", filters=filters.as_params())
        response = HttpResponse(
            exports.to_xlsx(tables), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = 'attachment; filename="portefeuille.xlsx"'
        return response


class DocumentSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = GeneratedDocument
        fields = [
            "id",
            "kind",
            "agenda",
            "year",
            "version_number",
            "status",
            "status_label",
            "error_message",
            "attempts",
            "sha256",
            "size",
            "page_count",
            "created_at",
            "finished_at",
            "download_url",
        ]
        read_only_fields = fields

    def get_download_url(self, obj) -> str | None:
        return reverse("reports:document_download", args=[obj.pk]) if obj.is_ready else None


class DocumentRequestSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=[k for k in GeneratedDocument.Kind.values if k != "public_dossier"])
    year = serializers.IntegerField(required=False, allow_null=True)


class AgendaDocumentsView(APIView):
    """GET: the agenda's documents. POST: ask for one (rendered in the background; 202 until ready)."""

    @extend_schema(responses=DocumentSerializer(many=True))
    def get(self, request, pk):
        agenda = document_policy.get_agenda(request.user, pk)
        kinds = document_policy.kinds_for(request.user, agenda)
        documents = GeneratedDocument.objects.filter(agenda=agenda, kind__in=kinds)[:50]
        return Response(DocumentSerializer(documents, many=True).data)

    @extend_schema(request=DocumentRequestSerializer, responses={200: DocumentSerializer, 202: DocumentSerializer})
    def post(self, request, pk):
        serializer = DocumentRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        kind = serializer.validated_data["kind"]
        agenda = document_policy.get_agenda(request.user, pk)
        if not document_policy.can_kind(request.user, kind, agenda):
            raise PermissionDenied(_("Alleen het ministerie kan de nota ter besluitvorming inzien."))
        document = services.request_document(
            kind=kind, agenda=agenda, actor=request.user, year=serializer.validated_data.get("year")
        )
        document.refresh_from_db()
        code = status.HTTP_200_OK if document.is_ready else status.HTTP_202_ACCEPTED
        return Response(DocumentSerializer(document).data, status=code)


class DocumentView(APIView):
    @extend_schema(responses=DocumentSerializer)
    def get(self, request, pk):
        return Response(DocumentSerializer(document_policy.get_for(request.user, pk)).data)


class DocumentDownloadView(APIView):
    """The PDF itself (session or token), through the same policy and the same logged file response."""

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    def get(self, request, pk):
        return file_response(request, document_policy.get_for(request.user, pk))


urlpatterns = [
    path("dashboard", DashboardView.as_view(), name="api-reports-dashboard"),
    path("export/xlsx", ExportView.as_view(file_format="xlsx"), name="api-reports-export-xlsx"),
    path("export/csv", ExportView.as_view(file_format="csv"), name="api-reports-export-csv"),
    path("agendas/<int:pk>/documenten", AgendaDocumentsView.as_view(), name="api-reports-agenda-documents"),
    path("documenten/<int:pk>", DocumentView.as_view(), name="api-reports-document"),
    path("documenten/<int:pk>/download", DocumentDownloadView.as_view(), name="api-reports-document-download"),
]
