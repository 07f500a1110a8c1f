"""Monitoring pages: who sees what, saving with Dutch errors, transitions, downloads, charts."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from agendas.models import ChangeRequest, MilestoneProgress, ProgressReport
from agendas.monitoring.transitions import progress_report_submit
from tests.agendas.monitoring_fixtures import *  # noqa: F403
from tests.agendas.monitoring_fixtures import fill_complete


def url(name, *args):
    return reverse(f"agendas:{name}", args=args)


def as_user(client, user):
    client.force_login(user)
    return client


# --- the report page: visibility matrix --------------------------------------------------------------
@pytest.mark.parametrize(
    ("role", "status", "editable", "decide", "reopen", "comment"),
    [
        ("coordinator", 200, True, False, False, True),
        ("partner", 200, False, False, False, True),
        ("state_rep", 200, False, False, False, False),
        ("officer", 200, False, False, False, False),
        ("signatory", 200, False, False, False, False),
        ("other_state_rep", 404, None, None, None, None),
        ("reviewer", 404, None, None, None, None),
        ("other_coordinator", 404, None, None, None, None),
    ],
)
def test_report_page_per_role(client, report, people, role, status, editable, decide, reopen, comment):
    response = as_user(client, people[role]).get(url("monitoring-report", report.pk))
    assert response.status_code == status
    if status != 200:
        return
    html = response.content.decode()
    assert ('name="lock_version"' in html and 'name="overall_narrative"' in html) is editable
    assert (url("monitoring-report-decide", report.pk) in html) is decide
    assert (url("monitoring-report-reopen", report.pk) in html) is reopen
    assert (url("monitoring-report-comment", report.pk) in html) is comment


def test_anonymous_is_sent_to_login(client, report):
    response = client.get(url("monitoring-report", report.pk))
    assert response.status_code == 302 and "inloggen" in response["Location"]


@pytest.mark.parametrize("role", ["partner", "state_rep", "officer"])
def test_only_coordinator_can_post_the_report(client, report, people, role):
    response = as_user(client, people[role]).post(
        url("monitoring-report", report.pk), {"lock_version": 1, "risks": "x"}
    )
    assert response.status_code == 403
    report.refresh_from_db()
    assert report.risks == ""


def test_health_is_shown_as_text(client, report, people):
    MilestoneProgress.objects.filter(report=report).update(value_reached=Decimal("200"))
    html = as_user(client, people.coordinator).get(url("monitoring-report", report.pk)).content.decode()
    assert '<span class="status status-ok">Behaald</span>' in html


# --- saving through the page -------------------------------------------------------------------------
def _form(report):
    data = {"lock_version": report.lock_version, "overall_narrative": "Goed op weg", "risks": "", "mitigations": ""}
    for row in report.milestone_progress.all():
        data[f"milestone-{row.pk}-status"] = "on_track"
        data[f"milestone-{row.pk}-value_reached"] = "40"
        data[f"milestone-{row.pk}-evidence"] = "Gestart"
    for row in report.realisations.all():
        data[f"spending-{row.pk}-realised"] = "1.000,50"
        data[f"spending-{row.pk}-committed"] = ""
        data[f"spending-{row.pk}-note"] = ""
    for row in report.narratives.all():
        data[f"narrative-{row.priority_id}"] = "Prioriteit loopt"
    return data


def test_save_and_submit_through_the_page(client, report, people):
    c = as_user(client, people.coordinator)
    response = c.post(url("monitoring-report", report.pk), _form(report))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.lock_version == 2 and report.status == "open"
    assert set(report.realisations.values_list("realised", flat=True)) == {Decimal("1000.50")}
    data = _form(report) | {"action": "submit"}
    response = c.post(url("monitoring-report", report.pk), data, follow=True)
    report.refresh_from_db()
    assert report.status == "submitted"
    assert "ingediend bij de rijksvertegenwoordiger" in response.content.decode()


def test_errors_are_dutch_name_the_field_and_keep_the_input(client, report, people):
    data = _form(report)
    line = report.realisations.first()
    ms = report.milestone_progress.first()
    data[f"spending-{line.pk}-realised"] = "-12"
    data[f"milestone-{ms.pk}-value_reached"] = "veertig"
    response = as_user(client, people.coordinator).post(url("monitoring-report", report.pk), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Er is iets niet goed ingevuld" in html
    assert "Gerealiseerde besteding (" in html and "is negatief; vul een bedrag van 0 of meer in" in html
    assert f'href="#id_spending-{line.pk}-realised"' in html
    assert "in personen: ‘" in html and "is geen getal" in html
    assert 'value="veertig"' in html and 'value="-12"' in html
    assert 'aria-invalid="true"' in html
    report.refresh_from_db()
    assert report.lock_version == 1


def test_stale_form_gives_a_conflict_page(client, report, people):
    c = as_user(client, people.coordinator)
    stale = _form(report)
    c.post(url("monitoring-report", report.pk), _form(report))
    stale["risks"] = "Mijn versie"
    response = c.post(url("monitoring-report", report.pk), stale)
    assert response.status_code == 409
    html = response.content.decode()
    assert "Uw wijzigingen zijn niet opgeslagen" in html and "Intussen gewijzigd" in html
    report.refresh_from_db()
    assert report.risks == ""


def test_return_revise_accept_and_reopen_through_pages(client, report, people):
    fill_complete(report, people.coordinator)
    progress_report_submit(report=report, actor=people.coordinator)
    c = as_user(client, people.state_rep)
    report.refresh_from_db()  # the page's forms carry the report's lock_version
    lock = {"lock_version": report.lock_version}
    response = c.post(
        url("monitoring-report-decide", report.pk), {"decision": "return", "remarks": ""} | lock, follow=True
    )
    assert "Opmerkingen: geef aan wat de coördinator moet aanpassen" in response.content.decode()
    c.post(url("monitoring-report-decide", report.pk), {"decision": "return", "remarks": "Meer onderbouwing"} | lock)
    report.refresh_from_db()
    assert report.status == "returned"
    html = as_user(client, people.coordinator).get(url("monitoring-report", report.pk)).content.decode()
    assert "Meer onderbouwing" in html
    client.post(url("monitoring-report", report.pk), _form(report) | {"action": "submit"})
    report.refresh_from_db()
    assert report.status == "submitted"
    # "Accepteren" is never one click: it shows the check page; only its confirm button accepts
    response = as_user(client, people.state_rep).post(
        url("monitoring-report-decide", report.pk), {"decision": "accept", "lock_version": report.lock_version}
    )
    assert response.status_code == 200 and "Controleer en accepteer" in response.content.decode()
    report.refresh_from_db()
    assert report.status == "submitted"
    client.post(
        url("monitoring-report-accept-check", report.pk), {"confirmed": "1", "lock_version": report.lock_version}
    )
    report.refresh_from_db()
    assert report.status == "accepted"
    # accepted: the coordinator sees no form any more and a POST is refused
    html = as_user(client, people.coordinator).get(url("monitoring-report", report.pk)).content.decode()
    assert 'name="overall_narrative"' not in html
    assert client.post(url("monitoring-report", report.pk), _form(report)).status_code == 403
    assert (
        as_user(client, people.state_rep).post(url("monitoring-report-reopen", report.pk), {"reason": "x"}).status_code
        == 403
    )
    as_user(client, people.officer).post(
        url("monitoring-report-reopen", report.pk), {"reason": "Correctie", "lock_version": report.lock_version}
    )
    report.refresh_from_db()
    assert report.status == "returned"


def test_comment_through_page(client, report, people):
    as_user(client, people.partner).post(url("monitoring-report-comment", report.pk), {"body": "Mooi resultaat"})
    assert report.comments.get().body == "Mooi resultaat"
    assert (
        as_user(client, people.state_rep).post(url("monitoring-report-comment", report.pk), {"body": "x"}).status_code
        == 403
    )


# --- agenda monitoring page, downloads --------------------------------------------------------------
@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("coordinator", 200),
        ("partner", 200),
        ("state_rep", 200),
        ("officer", 200),
        ("reviewer", 404),
        ("other_state_rep", 404),
    ],
)
@pytest.mark.parametrize("name", ["monitoring-agenda", "monitoring-figures-csv", "monitoring-figures-xlsx"])
def test_agenda_pages_per_role(client, report, people, role, status, name):
    assert as_user(client, people[role]).get(url(name, report.agenda_id)).status_code == status


def test_agenda_page_has_chart_with_table_and_figures(client, report, people):
    fill_complete(report, people.coordinator)
    html = as_user(client, people.partner).get(url("monitoring-agenda", report.agenda_id)).content.decode()
    assert html.count('<svg class="timeline-chart"') == 4
    assert 'role="img"' in html and "<desc id=" in html
    assert "Gegevens van de tijdlijn" in html and '<th scope="col">Jaar</th>' in html
    assert "Verantwoordingscijfers per jaar" in html
    assert "Wijziging aanvragen" not in html  # partner may not request changes


def _csv(client, report, **params):
    response = client.get(url("monitoring-figures-csv", report.agenda_id), params)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    raw = response.content
    assert raw.startswith("\ufeff".encode())
    return raw.decode("utf-8-sig")


def test_csv_comma_and_semicolon(client, report, people):
    fill_complete(report, people.coordinator)
    c = as_user(client, people.officer)
    rows = list(csv.reader(io.StringIO(_csv(c, report))))
    assert rows[0][0] == "Jaar" and rows[0][2] == "Besteding rijksbijdrage (EUR)"
    assert rows[1][:3] == ["2027", "Open", "160000.00"]
    text = _csv(c, report, scheiding="puntkomma")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[1][:3] == ["2027", "Open", "160000,00"]


def test_xlsx_typed_cells_and_neutralised_text(client, report, people):
    from openpyxl import load_workbook

    report.agenda.title = '=HYPERLINK("http://evil")'
    report.agenda.save()
    fill_complete(report, people.coordinator)
    response = as_user(client, people.state_rep).get(url("monitoring-figures-xlsx", report.agenda_id))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["B1"].value.startswith("'=")  # formula neutralised
    assert sheet["A3"].value == 2027 and sheet["A3"].data_type == "n"
    assert sheet["C3"].value == 160000 and sheet["C3"].data_type == "n"
    assert sheet["C3"].number_format == "#,##0.00"
    assert sheet["B3"].value == "Open"


def test_neutralise():
    from agendas.monitoring.views import neutralise

    assert [neutralise(v) for v in ["=1+1", "+31", "-2", "@SUM", "Gewoon", 5]] == [
        "'=1+1",
        "'+31",
        "'-2",
        "'@SUM",
        "Gewoon",
        5,
    ]


def test_overview_lists_late_reports_for_ministry(client, report, people):
    ProgressReport.objects.filter(pk=report.pk).update(due_date="2020-04-01")
    html = as_user(client, people.officer).get(url("monitoring-overview") + "?te_laat=1").content.decode()
    assert report.agenda.title in html and "Te laat" in html
    html = as_user(client, people.reviewer).get(url("monitoring-overview")).content.decode()
    assert report.agenda.title not in html


# --- change requests through pages -------------------------------------------------------------------
def test_change_request_pages(client, active_agenda, people):
    line = active_agenda.priorities.first().budget_lines.get(year=2028, source__code="rijk-extra")
    c = as_user(client, people.coordinator)
    assert c.get(url("monitoring-change-request-new", active_agenda.pk)).status_code == 200
    response = c.post(
        url("monitoring-change-request-new", active_agenda.pk),
        {
            "reason": "",
            "budget_shifts-1-from_line": line.pk,
            "budget_shifts-1-to_priority": line.priority_id,
            "budget_shifts-1-to_year": "2029",
            "budget_shifts-1-amount": "-5",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Reden: leg uit waarom" in html and "is negatief" in html
    assert 'href="#id_budget_shifts-1-amount"' in html  # errors point at the row the user filled in
    response = c.post(
        url("monitoring-change-request-new", active_agenda.pk),
        {
            "reason": "Vertraging",
            "budget_shifts-0-from_line": line.pk,
            "budget_shifts-0-to_priority": line.priority_id,
            "budget_shifts-0-to_year": "2029",
            "budget_shifts-0-amount": "50000",
        },
    )
    cr = ChangeRequest.objects.get()
    assert response.status_code == 302 and cr.route == "ministry"
    page = url("monitoring-change-request", cr.pk)
    assert (
        as_user(client, people.partner).get(url("monitoring-change-request-new", active_agenda.pk)).status_code == 403
    )
    assert as_user(client, people.reviewer).get(page).status_code == 404
    as_user(client, people.officer).post(
        page, {"action": "prepare", "advised_outcome": "accept", "note": "Akkoord", "lock_version": 1}
    )
    cr.refresh_from_db()
    assert cr.status == "prepared"
    # the officer cannot sign; a signatory can
    assert client.post(page, {"action": "sign", "outcome": "accept", "lock_version": 2}).status_code == 403
    html = as_user(client, people.signatory).get(page).content.decode()
    assert "Ondertekenen (controleren)" in html
    # never in one click: the post shows the check page, and only its confirmation signs
    check = client.post(page, {"action": "sign", "outcome": "accept", "lock_version": 2})
    assert check.status_code == 200 and "Controleer en besluit" in check.content.decode()
    cr.refresh_from_db()
    assert cr.status == "prepared"
    sign_check = url("monitoring-change-request-sign-check", cr.pk)
    assert 'name="confirmed" value="accept"' in check.content.decode()
    client.post(sign_check, {"outcome": "accept", "confirmed": "accept", "lock_version": 2})
    cr.refresh_from_db()
    assert cr.status == "accepted" and cr.resulting_version.number == 2
    html = client.get(page).content.decode()
    assert "Versie 2" in html and "Geschiedenis" in html
