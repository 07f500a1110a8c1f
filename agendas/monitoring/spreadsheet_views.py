"""Pages and API for the progress report as a spreadsheet (download, upload, preview, confirm). Thin: the policy
decides who may (view to download, edit to upload), ``agendas/monitoring/spreadsheet.py`` does the rest."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.accesslog.models import AccessLogEntry
from agendas.monitoring import spreadsheet
from agendas.permissions import progress_report_policy as policy
from kansenagenda.errors import ConflictError
from kansenagenda.files import protected_bytes_response

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SESSION_KEY = "ka-report-upload-%s"


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Ingevuld bestand (XLSX)"),
        help_text=gettext_lazy("Het bestand dat u eerder downloadde, hoogstens 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )


def _download(request, report):
    data = spreadsheet.build_workbook(report)
    return protected_bytes_response(
        data,
        filename=spreadsheet.file_name(report),
        content_type=XLSX,
        request=request,
        obj=report,
        purpose=AccessLogEntry.Purpose.MONITORING,
        agenda_id=report.agenda_id,
    )


@login_required
def download(request, pk: int):
    return _download(request, policy.get_for(request.user, pk))


def _page(request, report, **context):
    status = context.pop("status", 200)
    return render(
        request,
        "agendas/monitoring/spreadsheet.html",
        {"report": report, "agenda": report.agenda, **context},
        status=status,
    )


@login_required
def upload(request, pk: int):
    try:
        report = policy.get_for(request.user, pk, policy.EDIT)
    except PermissionDenied as exc:
        return render(request, "agendas/forbidden.html", {"reason": str(exc)}, status=403)
    key = SESSION_KEY % report.pk
    if request.method != "POST":
        return _page(request, report, form=UploadForm())
    if request.POST.get("action") == "confirm":
        stored = request.session.get(key)
        if not stored:
            messages.error(request, _("Er is geen bestand om te verwerken; upload het opnieuw."))
            return redirect("agendas:monitoring-report-spreadsheet", pk=report.pk)
        try:
            spreadsheet.apply_upload(report=report, actor=request.user, upload=spreadsheet.Upload.from_json(stored))
        except ConflictError as exc:
            request.session.pop(key, None)
            return _page(request, report, form=UploadForm(), conflict=exc, status=409)
        except ValidationError as exc:
            return _page(request, report, form=UploadForm(), service_errors=exc.messages, status=400)
        request.session.pop(key, None)
        messages.success(request, _("De gegevens uit het bestand zijn verwerkt in de rapportage."))
        return redirect("agendas:monitoring-report", pk=report.pk)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, report, form=form, status=400)
    parsed = spreadsheet.read_workbook(report, form.cleaned_data["file"])
    if parsed.errors:
        return _page(request, report, form=form, cell_errors=parsed.errors, status=400)
    try:
        spreadsheet.refuse_if_stale(report, parsed)
    except ConflictError as exc:
        return _page(request, report, form=UploadForm(), conflict=exc, status=409)
    request.session[key] = parsed.as_json()
    return _page(request, report, form=None, changes=spreadsheet.preview(report, parsed))


urlpatterns = [
    path("voortgang/rapportages/<int:pk>/spreadsheet.xlsx", download, name="monitoring-report-xlsx"),
    path("voortgang/rapportages/<int:pk>/spreadsheet/", upload, name="monitoring-report-spreadsheet"),
]


# --- API ---------------------------------------------------------------------------------------------------
class UploadSerializer(serializers.Serializer):
    file = serializers.FileField()
    confirm = serializers.BooleanField(required=False, default=False)


class ReportSpreadsheetView(APIView):
    parser_classes = [MultiPartParser]

    @extend_schema(
        tags=["voortgang"],
        summary="De rapportage als vooringevuld XLSX-bestand",
        responses={(200, XLSX): OpenApiTypes.BINARY},
    )
    def get(self, request, pk):
        return _download(request, policy.get_for(request.user, pk))

    @extend_schema(
        tags=["voortgang"],
        summary="Ingevuld XLSX-bestand controleren (voorbeeld) of, met confirm=true, verwerken",
        request={"multipart/form-data": UploadSerializer},
        responses={200: OpenApiTypes.OBJECT},
    )
    def post(self, request, pk):
        report = policy.get_for(request.user, pk, policy.EDIT)
        body = UploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        parsed = spreadsheet.read_workbook(report, body.validated_data["file"])
        if parsed.errors:
            return Response(
                {
                    "message": _("Het bestand bevat fouten; er is niets verwerkt."),
                    "code": "invalid",
                    "errors": {"file": [str(e) for e in parsed.errors]},
                    "cells": [e.__dict__ for e in parsed.errors],
                },
                status=400,
            )
        spreadsheet.refuse_if_stale(report, parsed)
        changes = [c.__dict__ for c in spreadsheet.preview(report, parsed)]
        if not body.validated_data["confirm"]:
            return Response({"applied": False, "changes": changes})
        report = spreadsheet.apply_upload(report=report, actor=request.user, upload=parsed)
        return Response({"applied": True, "changes": changes, "lock_version": report.lock_version})


api_urlpatterns = [
    path(
        "progress-reports/<int:pk>/spreadsheet", ReportSpreadsheetView.as_view(), name="api-progress-report-spreadsheet"
    ),
]
