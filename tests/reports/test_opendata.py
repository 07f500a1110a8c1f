"""Issue 14 item 5: the open-data feed – public figures only, equal to the finance rules, no personal data."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

import pytest
from django.core.files.storage import storages
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agendas import finance
from agendas.models import Agenda, BudgetLine, BudgetLineRealisation, MilestoneProgress
from agendas.monitoring.services import progress_report_open
from reports import opendata, tasks
from reports.selectors import DashboardFilters, portfolio_agenda_list
from tests.factories import UserFactory
from tests.factories_reports import add_personal_data, build_agenda, make_decision

S = Agenda.Status


@pytest.fixture
def portfolio(db):
    published = build_agenda(status=S.ACTIVE, title="Toekomst Oost-Groningen")
    make_decision(published, amounts={2027: Decimal("250000.00"), 2028: Decimal("125000.50")})
    author = add_personal_data(published)
    report, _created = progress_report_open(agenda=published, year=2027)
    rijk = BudgetLineRealisation.objects.filter(report=report, budget_line__source__code="rijk-extra")
    rijk.update(realised=Decimal("40000.10"))
    BudgetLineRealisation.objects.filter(report=report, budget_line__source__code="provincie").update(
        realised=Decimal("30000.00")
    )
    MilestoneProgress.objects.filter(report=report).update(health="at_risk")
    MilestoneProgress.objects.filter(pk=MilestoneProgress.objects.filter(report=report).first().pk).update(
        health="on_track"
    )
    hidden = build_agenda(status=S.APPROVED, title="Niet actief openbaar")
    make_decision(hidden, amounts={2027: Decimal("1.00")}, actively_published=False)
    build_agenda(status=S.DRAFT, title="Concept agenda")
    return published, author


def _csv_rows(content: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def test_only_published_agendas_with_the_finance_figures(portfolio):
    published, _author = portfolio
    rows = opendata.portfolio_rows()
    assert {r["agenda_id"] for r in rows} == {published.pk}
    assert [r["year"] for r in rows] == [2027, 2028, 2029]
    for row in rows:
        lines = BudgetLine.objects.filter(priority__agenda=published, year=row["year"])
        planned = finance.totals(lines.values_list("source__category", "amount"))
        assert row["requested_rijk"] == planned.requested > 0
        assert row["planned_cofinancing"] == planned.cofinancing > 0
    approved = finance.approved_year_amounts(Agenda.objects.filter(pk=published.pk))
    assert {r["year"]: r["approved_rijk"] for r in rows} == {
        2027: sum(a.approved_amount for a in approved.filter(year=2027)),
        2028: Decimal("125000.50"),
        2029: Decimal("0.00"),
    }
    # the dashboard's list (an independent SQL path through the same finance rules) agrees on the totals
    [listed] = portfolio_agenda_list(Agenda.objects.filter(pk=published.pk), DashboardFilters())
    assert sum(r["requested_rijk"] for r in rows) == listed.requested
    assert sum(r["planned_cofinancing"] for r in rows) == listed.cofinancing
    assert sum(r["approved_rijk"] for r in rows) == listed.approved
    first = rows[0]
    rijk_lines = BudgetLine.objects.filter(priority__agenda=published, year=2027, source__code="rijk-extra").count()
    assert first["spent_rijk"] == Decimal("40000.10") * rijk_lines
    assert first["spent_cofinancing"] == Decimal("30000.00") * rijk_lines
    total_milestones = MilestoneProgress.objects.filter(report__agenda=published).count()
    assert first["milestones_on_track"] == 1 and first["milestones_at_risk"] == total_milestones - 1
    assert first["region_code"] == published.alliance.region.code
    assert first["themes"] == "huisvesting;zorg"


def test_files_hold_no_personal_data(portfolio, client):
    published, author = portfolio
    opendata.export_open_data()
    decision = published.decisions.first()
    names = {author.first_name, author.last_name, author.email, decision.prepared_by.last_name}
    names |= {decision.prepared_by.email, decision.signed_by.last_name, decision.signed_by.email}
    names |= {u.email for u in type(author).objects.all()} | {"@"}
    for kind in opendata.FILES:
        body = client.get(reverse(f"public:open-data-{kind}")).content.decode("utf-8-sig")
        for secret in names:
            assert secret not in body, (kind, secret)


def test_stable_public_urls_from_the_storage_and_json_equals_csv(portfolio, client):
    opendata.export_open_data()
    storage = storages["default"]
    for kind, name in opendata.FILES.items():
        url = reverse(f"public:open-data-{kind}")
        assert not url.endswith("/") and url.endswith(name)
        response = client.get(url)
        assert response.status_code == 200 and response["Access-Control-Allow-Origin"] == "*"
        with storage.open(opendata.storage_name(kind), "rb") as handle:
            assert response.content == handle.read()
    csv_rows = _csv_rows(client.get(reverse("public:open-data-csv")).content)
    document = json.loads(client.get(reverse("public:open-data-json")).content)
    assert [r["requested_rijk"] for r in csv_rows] == [r["requested_rijk"] for r in document["rows"]]
    assert list(csv_rows[0]) == [f[0] for f in opendata.FIELDS]
    dictionary = json.loads(client.get(reverse("public:open-data-dictionary")).content)
    assert [f["name"] for f in dictionary["fields"]] == list(csv_rows[0])
    assert all(f["description"] and "%(" not in f["description"] for f in dictionary["fields"])


def test_command_and_task_write_the_files_and_a_rerun_overwrites(portfolio, capsys):
    storage = storages["default"]
    call_command("export_open_data")
    assert storage.exists(opendata.storage_name("csv"))
    first = json.loads(storage.open(opendata.storage_name("json")).read())
    Agenda.objects.filter(pk=portfolio[0].pk).update(title="Nieuwe titel")
    assert tasks.export_open_data.delay().get() == 3
    again = json.loads(storage.open(opendata.storage_name("json")).read())
    assert first["rows"][0]["agenda_title"] != again["rows"][0]["agenda_title"] == "Nieuwe titel"
    _dirs, files = storage.listdir(opendata.DIRECTORY)
    assert sorted(files) == sorted(opendata.FILES.values())  # overwritten, never renamed copies


def test_missing_file_is_written_on_first_request(portfolio, client):
    assert not storages["default"].exists(opendata.storage_name("csv"))
    assert len(_csv_rows(client.get(reverse("public:open-data-csv")).content)) == 3


def test_query_count_does_not_grow_with_agendas(db):
    for _i in range(2):
        make_decision(build_agenda(status=S.ACTIVE), amounts={2027: Decimal("1.00")})
    with CaptureQueriesContext(connection) as few:
        assert len(opendata.portfolio_rows()) == 6
    for _i in range(4):
        make_decision(build_agenda(status=S.ACTIVE), amounts={2027: Decimal("1.00")})
    UserFactory()
    with CaptureQueriesContext(connection) as many:
        assert len(opendata.portfolio_rows()) == 18
    assert len(many.captured_queries) == len(few.captured_queries)
