"""Reporting without retyping (issue 16, item 6): download the progress report as XLSX, fill it offline, upload,
preview, confirm – through the page and the API (session and token); every bad cell named by sheet, row and
column; a stale file refused with what changed; nothing written before confirmation; who may NOT."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from agendas.models import BudgetLineRealisation, MilestoneProgress
from agendas.monitoring import spreadsheet
from agendas.monitoring.services import progress_report_open, progress_report_save
from tests.agendas.monitoring_fixtures import *  # noqa: F403
from tests.agendas.monitoring_fixtures import fill_complete


def _download(client, report) -> bytes:
    response = client.get(reverse("agendas:monitoring-report-xlsx", args=[report.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return b"".join(response.streaming_content)


def _fill(data: bytes, *, ms_value="45", ms_status="Op schema", realised="75.000,50", extra=None) -> bytes:
    wb = load_workbook(io.BytesIO(data))
    ms = wb[spreadsheet.MILESTONES]
    for r in range(2, ms.max_row + 1):
        ms.cell(r, 7, ms_status)
        ms.cell(r, 8, ms_value)
        ms.cell(r, 9, "Opleidingen lopen.")
    sp = wb[spreadsheet.SPENDING]
    for r in range(2, sp.max_row + 1):
        sp.cell(r, 6, realised)
        sp.cell(r, 7, 1000)  # a typed number
    wb[spreadsheet.INFO].cell(spreadsheet.INFO_ROWS["overall_narrative"], 2, "Offline ingevuld met partners.")
    if extra:
        extra(wb)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _file(data: bytes):
    return SimpleUploadedFile("rapportage.xlsx", data, content_type="application/octet-stream")


def _login(user):
    client = APIClient()
    client.force_login(user)
    return client


def test_download_is_prefilled_with_milestones_lines_and_last_years_values(active_agenda, people):
    previous, _ = progress_report_open(agenda=active_agenda, year=2027)
    fill_complete(previous, people.coordinator)
    report, _ = progress_report_open(agenda=active_agenda, year=2028)
    wb = load_workbook(io.BytesIO(_download(_login(people.coordinator), report)))
    info = wb[spreadsheet.INFO]
    assert info.cell(spreadsheet.INFO_ROWS["report"], 2).value == report.pk
    assert info.cell(spreadsheet.INFO_ROWS["lock_version"], 2).value == report.lock_version
    assert info.cell(spreadsheet.INFO_ROWS["fingerprint"], 2).value == spreadsheet.fingerprint(report)
    ms_rows = list(wb[spreadsheet.MILESTONES].iter_rows(min_row=2, values_only=True))
    assert len(ms_rows) == MilestoneProgress.objects.filter(report=report).count() == 4
    assert {row[5] for row in ms_rows} == {40}  # last year's value reached, a number
    sp_rows = list(wb[spreadsheet.SPENDING].iter_rows(min_row=2, values_only=True))
    assert len(sp_rows) == BudgetLineRealisation.objects.filter(report=report).count() == 4
    assert {row[3] for row in sp_rows} == {100000} and {row[4] for row in sp_rows} == {80000}


def test_round_trip_preview_then_apply_only_after_confirmation(report, people):
    client = _login(people.coordinator)
    filled = _fill(_download(client, report))
    url = reverse("agendas:monitoring-report-spreadsheet", args=[report.pk])
    preview = client.post(url, {"file": _file(filled)})
    assert preview.status_code == 200
    body = preview.content.decode()
    assert "Voorbeeld: dit verandert er" in body and "Offline ingevuld met partners." in body
    assert "€ 75.000,50" in body
    report.refresh_from_db()
    assert report.overall_narrative == ""  # nothing written yet
    assert not MilestoneProgress.objects.filter(report=report, value_reached__isnull=False).exists()
    before = report.lock_version
    done = client.post(url, {"action": "confirm"})
    assert done.status_code == 302
    report.refresh_from_db()
    assert report.overall_narrative == "Offline ingevuld met partners." and report.lock_version == before + 1
    assert set(MilestoneProgress.objects.filter(report=report).values_list("value_reached", flat=True)) == {
        Decimal("45")
    }
    assert set(BudgetLineRealisation.objects.filter(report=report).values_list("realised", "committed")) == {
        (Decimal("75000.50"), Decimal("1000.00"))
    }
    row = BudgetLineRealisation.objects.filter(report=report).first()
    assert row.history.first().history_user == people.coordinator  # audited as the person's write


def test_every_bad_cell_is_named_by_sheet_row_and_column(report, people):
    client = _login(people.coordinator)

    def damage(wb):
        wb[spreadsheet.MILESTONES].cell(3, 7, "Half klaar")
        wb[spreadsheet.SPENDING].cell(2, 6, "0,105")  # ambiguous: refused by the money rule
        wb[spreadsheet.SPENDING].cell(3, 6, "-5")
        wb[spreadsheet.SPENDING].cell(4, 1, 999999)  # an id that is not in this report

    filled = _fill(_download(client, report), ms_value="veel", extra=damage)
    response = client.post(reverse("agendas:monitoring-report-spreadsheet", args=[report.pk]), {"file": _file(filled)})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Blad ‘Mijlpalen’, rij 2, kolom ‘Bereikte waarde’" in body
    assert "Blad ‘Mijlpalen’, rij 3, kolom ‘Status’" in body
    assert "Blad ‘Besteding’, rij 2, kolom ‘Besteed’" in body
    assert "Blad ‘Besteding’, rij 3, kolom ‘Besteed’" in body
    assert "Blad ‘Besteding’, rij 4, kolom ‘id’" in body
    report.refresh_from_db()
    assert report.overall_narrative == ""


def test_not_a_spreadsheet_and_a_missing_sheet_are_refused(report, people):
    client = _login(people.coordinator)
    url = reverse("agendas:monitoring-report-spreadsheet", args=[report.pk])
    assert client.post(url, {"file": _file(b"not a zip")}).status_code == 400
    filled = _fill(_download(client, report), extra=lambda wb: wb.remove(wb[spreadsheet.SPENDING]))
    response = client.post(url, {"file": _file(filled)})
    assert response.status_code == 400 and "Besteding" in response.content.decode()


def test_a_stale_file_is_refused_with_what_changed(report, people):
    client = _login(people.coordinator)
    downloaded = _download(client, report)
    # someone changes the report after the download
    report.refresh_from_db()
    progress_report_save(
        report=report,
        actor=people.coordinator,
        lock_version=report.lock_version,
        report_fields={"overall_narrative": "Intussen op de pagina ingevuld."},
    )
    url = reverse("agendas:monitoring-report-spreadsheet", args=[report.pk])
    response = client.post(url, {"file": _file(_fill(downloaded))})
    assert response.status_code == 409
    body = response.content.decode()
    assert "Het bestand is verouderd" in body and "toelichting op het geheel" in body.lower()
    report.refresh_from_db()
    assert report.overall_narrative == "Intussen op de pagina ingevuld."


def test_change_between_preview_and_confirmation_is_refused(report, people):
    client = _login(people.coordinator)
    url = reverse("agendas:monitoring-report-spreadsheet", args=[report.pk])
    assert client.post(url, {"file": _file(_fill(_download(client, report)))}).status_code == 200
    report.refresh_from_db()
    progress_report_save(
        report=report, actor=people.coordinator, lock_version=report.lock_version, report_fields={"risks": "Nieuw"}
    )
    response = client.post(url, {"action": "confirm"})
    assert response.status_code == 409
    report.refresh_from_db()
    assert report.overall_narrative == ""


@pytest.mark.parametrize("who", ["partner", "state_rep", "officer", "other_coordinator"])
def test_who_may_not_upload(report, people, who):
    client = _login(people[who])
    data = _fill(spreadsheet.build_workbook(report))
    response = client.post(reverse("agendas:monitoring-report-spreadsheet", args=[report.pk]), {"file": _file(data)})
    assert response.status_code in (403, 404)
    api = client.post(
        reverse("api-progress-report-spreadsheet", args=[report.pk]), {"file": _file(data)}, format="multipart"
    )
    assert api.status_code in (403, 404)
    report.refresh_from_db()
    assert report.overall_narrative == ""
    if who == "other_coordinator":
        assert response.status_code == 404 and api.status_code == 404


def test_partner_and_state_rep_may_download(report, people):
    for who in ("partner", "state_rep"):
        _download(_login(people[who]), report)
    assert (
        _login(people.other_coordinator).get(reverse("agendas:monitoring-report-xlsx", args=[report.pk])).status_code
        == 404
    )


@pytest.mark.parametrize("door", ["session", "token"])
def test_api_preview_apply_and_stale(report, people, door):
    client = APIClient()
    if door == "session":
        client.force_login(people.coordinator)
    else:
        client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=people.coordinator)[0].key}")
    url = reverse("api-progress-report-spreadsheet", args=[report.pk])
    download = client.get(url)
    assert download.status_code == 200
    filled = _fill(b"".join(download.streaming_content))
    bad = client.post(url, {"file": _file(_fill(filled, ms_value="x"))}, format="multipart")
    assert bad.status_code == 400 and bad.json()["cells"][0]["sheet"] == "Mijlpalen"
    preview = client.post(url, {"file": _file(filled)}, format="multipart")
    assert preview.status_code == 200 and preview.json()["applied"] is False and preview.json()["changes"]
    report.refresh_from_db()
    assert report.overall_narrative == ""
    applied = client.post(url, {"file": _file(filled), "confirm": "true"}, format="multipart")
    assert applied.status_code == 200 and applied.json()["applied"] is True
    report.refresh_from_db()
    assert report.overall_narrative == "Offline ingevuld met partners."
    stale = client.post(url, {"file": _file(filled), "confirm": "true"}, format="multipart")
    assert stale.status_code == 409 and "gewijzigd" in stale.json()["message"]
    # the one 409 shape (kansenagenda.errors.ConflictError): {key: {label, old, new}}
    assert "toelichting op het geheel" in [c["label"].lower() for c in stale.json()["changes"].values()]
