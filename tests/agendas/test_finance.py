"""THE finance rules (agendas.finance) through every door.

One agenda whose co-financing is 0.995 per euro requested — plus a large amount of regular Rijk money,
which is never co-financing — must read 0,99 : 1 (never 1,00) in the checklist, the budget summary, the
version snapshot, the drafting API (session and token), the dashboard (page, API with session and token,
the agendas behind a figure), the CSV and XLSX exports and the PDF data; and what each role may see.
"""

from __future__ import annotations

import io
import random
from decimal import ROUND_DOWN, Decimal

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from agendas import finance
from agendas.decision.versions import build_snapshot
from agendas.drafting import checklist
from agendas.drafting.selectors import budget_summary
from agendas.models import Agenda, BudgetLine, FundingSource, PartnerCommitment, Priority
from agendas.summary.services import rebuild_summaries, refresh_summary
from reports import exports
from reports.documents import collect_accountability, collect_dossier
from reports.permissions import dashboard_policy
from reports.selectors import DashboardFilters, portfolio, portfolio_agenda_list, reference_lists
from tests.agendas.workflow_fixtures import make_complete_agenda
from tests.factories import (
    AllianceFactory,
    OrganisationFactory,
    RegionFactory,
    UserFactory,
    confirm_cofinancing,
    make_coordinator,
    make_partner,
    make_state_representative,
)

D = Decimal
Category = FundingSource.Category


# --- the rounding table ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("cofinancing", "requested", "expected"),
    [
        ("995.00", "1000.00", "0.99"),  # never 1.00: the ratio shown does not round up past the bar
        ("999.99", "1000.00", "0.99"),
        ("999999.99", "1000000.00", "0.99"),
        ("1000.00", "1000.00", "1.00"),  # exactly 1 : 1
        ("1000.01", "1000.00", "1.00"),
        ("2.00", "3.00", "0.66"),  # half-up would say 0.67
        ("1.00", "3.00", "0.33"),
        ("1999.99", "1000.00", "1.99"),
        ("0.00", "1000.00", "0.00"),
        ("0.01", "1000000.00", "0.00"),
        ("5000000.00", "0.01", "500000000.00"),
    ],
)
def test_rounding_table(cofinancing, requested, expected):
    ratio = finance.cofinancing_ratio(D(cofinancing), D(requested))
    assert ratio == D(expected) and str(ratio) == expected
    assert finance.meets_minimum(ratio) is (D(expected) >= 1)


@pytest.mark.parametrize("requested", [D("0"), D("0.00"), None])
def test_no_rijk_money_means_no_ratio(requested):
    assert finance.cofinancing_ratio(D("1000.00"), requested) is None
    assert finance.meets_minimum(None) is True  # nothing asked from the Rijk: nothing to co-finance


def test_ratio_never_exceeds_the_exact_quotient_and_is_within_a_cent():
    rng = random.Random(10)
    for _ in range(2000):
        cof = D(rng.randint(0, 10**9)) / 100
        req = D(rng.randint(1, 10**9)) / 100
        ratio = finance.cofinancing_ratio(cof, req)
        exact = cof / req
        assert ratio <= exact < ratio + D("0.01")
        assert (ratio >= 1) == (exact >= 1)  # the 1 : 1 bar is never passed by rounding


# --- what counts as co-financing ------------------------------------------------------------------------
def test_categories_derive_from_the_funding_source_properties():
    for category in Category.values:
        source = FundingSource(category=category)
        assert (category in finance.cofinancing_categories()) is source.counts_as_cofinancing
        assert (category in finance.requested_categories()) is source.is_rijk_extra
    assert Category.RIJK_REGULAR not in finance.cofinancing_categories() + finance.requested_categories()


@pytest.mark.django_db
def test_every_stored_source_is_classified_by_its_property():
    for source in FundingSource.objects.all():
        kind = finance.classify(source)
        assert (kind == finance.COFINANCING) is source.counts_as_cofinancing, source.code
        assert (kind == finance.REQUESTED) is source.is_rijk_extra, source.code
        in_sql = FundingSource.objects.filter(finance.cofinancing_q(), pk=source.pk).exists()
        assert in_sql is source.counts_as_cofinancing, source.code


# --- one agenda, every channel ------------------------------------------------------------------------------
def _lines(agenda, amounts: dict[str, str]):
    BudgetLine.objects.filter(priority__agenda=agenda).delete()
    priority = Priority.objects.filter(agenda=agenda).first()
    for code, amount in amounts.items():
        BudgetLine.objects.create(
            priority=priority, year=agenda.start_year, source=FundingSource.objects.get(code=code), amount=D(amount)
        )
    refresh_summary(agenda)  # rows made directly (not through the services): the dashboard summary follows


NEAR_MISS = {
    "rijk-extra": "100000.00",
    "provincie": "60000.00",
    "eu": "39500.00",  # co-financing 99.500,00 → 0.995 → 0,99
    "rijk-regulier": "500000.00",  # regular Rijk money: if it counted, the ratio would be 5,99
}


@pytest.fixture
def near_miss(db):
    region = RegionFactory()
    alliance = AllianceFactory(region=region, organisations=[OrganisationFactory()])
    agenda = make_complete_agenda(alliance=alliance, shared_with_ministry=True)
    _lines(agenda, NEAR_MISS)
    PartnerCommitment.objects.filter(agenda=agenda).delete()
    confirm_cofinancing(agenda)  # the partners confirmed the co-financing of these lines
    return agenda


@pytest.fixture
def cast(near_miss):
    alliance = near_miss.alliance
    other = AllianceFactory(organisations=[OrganisationFactory()])
    return {
        "coordinator": alliance.coordinators.first(),
        "partner": make_partner(alliance),
        "state_representative": make_state_representative(alliance.region),
        "ministry_officer": UserFactory(role="ministry_officer"),
        "ministry_signatory": UserFactory(role="ministry_signatory"),
        "other_coordinator": make_coordinator(other),
        "other_state_representative": make_state_representative(other.region),
        "reviewer": UserFactory(role="reviewer"),
    }


def _api(user, *, token: bool) -> APIClient:
    client = APIClient()
    if token:
        key, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {key.key}")
    else:
        client.force_login(user)
    return client


def _figures(user):
    region_ids = dashboard_policy.region_ids(user)
    agendas = dashboard_policy.agendas(user, region_ids)
    return portfolio(agendas, DashboardFilters(), reference_lists(region_ids)), agendas


def test_python_channels_agree(near_miss):
    summary = budget_summary(near_miss)
    assert summary.cofinancing == D("99500.00") and summary.rijk_extra == D("100000.00")
    assert summary.cofinancing_ratio == D("0.99") and summary.meets_minimum is False
    totals = finance.agenda_totals(near_miss)
    assert (totals.requested, totals.cofinancing, totals.ratio) == (D("100000.00"), D("99500.00"), D("0.99"))
    assert totals.total == D("699500.00")
    snapshot = build_snapshot(near_miss)["budget"]
    assert snapshot["cofinancing"] == "99500.00" and snapshot["cofinancing_ratio"] == "0.99"
    dossier = collect_dossier(near_miss)["budget"]
    assert dossier["cofinancing"] == "99500.00" and dossier["cofinancing_ratio"] == "0.99"
    assert dossier["rijk_extra"] == "100000.00"
    public = collect_dossier(near_miss, public=True)["budget"]
    assert public["cofinancing_ratio"] == "0.99"
    plan = collect_accountability(near_miss, near_miss.start_year)["plan"]
    assert plan["cofinancing_cumulative"] == "99500.00" and plan["rijk_extra_cumulative"] == "100000.00"


def test_checklist_refuses_a_near_miss_and_submit_is_refused_through_the_api(near_miss, cast):
    item = next(i for i in checklist.completeness_checklist(near_miss) if i.code == "cofinancing")
    assert item.ok is False and ("0.99" in item.message or "0,99" in item.message)
    assert "1.00 :" not in item.message and "1,00 :" not in item.message
    api = _api(cast["coordinator"], token=True)
    response = api.post(
        reverse("api-agenda-submit", kwargs={"pk": near_miss.pk}), {"lock_version": near_miss.lock_version}
    )
    assert response.status_code in (400, 409), response.content
    near_miss.refresh_from_db()
    assert near_miss.status == Agenda.Status.DRAFT
    # One cent more co-financing reaches exactly 1 : 1 and passes.
    BudgetLine.objects.filter(priority__agenda=near_miss, source__code="eu").update(amount=D("40000.00"))
    item = next(i for i in checklist.completeness_checklist(near_miss) if i.code == "cofinancing")
    assert item.ok is True
    confirm_cofinancing(near_miss)  # and the partner confirms the extra cent
    response = api.post(
        reverse("api-agenda-submit", kwargs={"pk": near_miss.pk}), {"lock_version": near_miss.lock_version}
    )
    assert response.status_code == 200, response.content


def test_checklist_page_shows_the_rounded_down_ratio(client, near_miss, cast):
    client.force_login(cast["coordinator"])
    html = client.get(reverse("agendas:agenda_checklist", args=[near_miss.pk])).content.decode()
    assert "0.99 : 1" in html or "0,99 : 1" in html
    assert "1.00 : 1" not in html and "1,00 : 1" not in html


@pytest.mark.parametrize("token", [False, True])
@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("coordinator", True),
        ("partner", True),
        ("ministry_officer", True),
        ("other_coordinator", False),
        ("reviewer", False),
    ],
)
def test_drafting_api_budget_per_role(near_miss, cast, who, sees, token):
    response = _api(cast[who], token=token).get(reverse("agenda-detail", kwargs={"pk": near_miss.pk}))
    if not sees:
        assert response.status_code == 404
        return
    assert response.status_code == 200, response.content
    budget = response.json()["budget"]
    assert budget["cofinancing_ratio"] == "0.99" and D(budget["cofinancing"]) == D("99500.00")


@pytest.mark.parametrize("token", [False, True])
@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("ministry_officer", True),
        ("ministry_signatory", True),
        ("state_representative", True),
        ("other_state_representative", False),  # sees the dashboard, but not this agenda's region
        ("coordinator", None),  # no dashboard at all
        ("partner", None),
        ("reviewer", None),
    ],
)
def test_dashboard_api_per_role(near_miss, cast, who, sees, token):
    response = _api(cast[who], token=token).get(reverse("api-reports-dashboard"))
    if sees is None:
        assert response.status_code == 403
        return
    assert response.status_code == 200, response.content
    by_region = {row["key"]: row for row in response.json()["by_region"]}
    if not sees:
        assert near_miss.alliance.region_id not in by_region
        return
    row = by_region[near_miss.alliance.region_id]
    assert row["cofinancing_ratio"] == "0.99" and D(row["cofinancing"]) == D("99500.00")
    assert D(row["requested"]) == D("100000.00")


def test_dashboard_page_agenda_list_and_exports(client, near_miss, cast):
    officer = cast["ministry_officer"]
    data, agendas = _figures(officer)
    row = next(r for r in data.by_region if r.key == near_miss.alliance.region_id)
    assert (row.requested, row.cofinancing, row.cofinancing_ratio) == (D("100000.00"), D("99500.00"), D("0.99"))
    listed = next(a for a in portfolio_agenda_list(agendas, DashboardFilters()) if a.pk == near_miss.pk)
    assert (listed.requested, listed.cofinancing) == (D("100000.00"), D("99500.00"))
    tables = {t.code: t for t in exports.portfolio_tables(data, portfolio_agenda_list(agendas, DashboardFilters()))}
    agenda_row = next(r for r in tables["agendas"].rows if r[0] == near_miss.pk)
    assert agenda_row[9] == D("99500.00") and agenda_row[10] == D("0.99")
    client.force_login(officer)
    page = client.get(reverse("reports:dashboard"), {"region": near_miss.alliance.region_id}).content.decode()
    assert "0,99" in page
    csv_text = client.get(reverse("reports:export_csv")).content.decode("utf-8-sig")
    line = next(li for li in csv_text.splitlines() if li.startswith(f"{near_miss.pk},"))
    assert line.endswith(",99500.00,0.99"), line
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(client.get(reverse("reports:export_xlsx")).content))
    sheet = workbook.worksheets[0]
    values = next(r for r in sheet.iter_rows(min_row=2, values_only=True) if r[0] == near_miss.pk)
    assert D(str(values[10])) == D("0.99") and D(str(values[9])) == D("99500.00")
    api_csv = (
        _api(officer, token=True).get(reverse("api-reports-export-csv") + "?table=regions").content.decode("utf-8-sig")
    )
    assert ",99500.00,0.99," in api_csv


def test_a_source_that_does_not_count_is_never_counted_anywhere(near_miss, cast, monkeypatch):
    """Narrow the definition (EU money no longer counts): every channel follows the one property."""
    monkeypatch.setattr(FundingSource, "counts_as_cofinancing", property(lambda s: s.category == Category.REGIONAL))
    # now only the province's 60.000,00 counts → 0,60
    assert budget_summary(near_miss).cofinancing_ratio == D("0.60")
    assert finance.agenda_totals(near_miss).cofinancing == D("60000.00")
    item = next(i for i in checklist.completeness_checklist(near_miss) if i.code == "cofinancing")
    assert "0.60" in item.message or "0,60" in item.message
    assert build_snapshot(near_miss)["budget"]["cofinancing"] == "60000.00"
    assert collect_dossier(near_miss)["budget"]["cofinancing_ratio"] == "0.60"
    assert collect_accountability(near_miss, near_miss.start_year)["plan"]["cofinancing_cumulative"] == "60000.00"
    data, agendas = _figures(cast["ministry_officer"])
    row = next(r for r in data.by_region if r.key == near_miss.alliance.region_id)
    assert row.cofinancing == D("60000.00") and row.cofinancing_ratio == D("0.60")
    listed = next(a for a in portfolio_agenda_list(agendas, DashboardFilters()) if a.pk == near_miss.pk)
    assert listed.cofinancing == D("60000.00")
    response = _api(cast["ministry_officer"], token=True).get(reverse("api-reports-dashboard"))
    api_row = next(r for r in response.json()["by_region"] if r["key"] == near_miss.alliance.region_id)
    assert api_row["cofinancing_ratio"] == "0.60"
    detail = _api(cast["coordinator"], token=False).get(reverse("agenda-detail", kwargs={"pk": near_miss.pk})).json()
    assert detail["budget"]["cofinancing_ratio"] == "0.60"


def test_regular_rijk_money_alone_is_neither_requested_nor_cofinancing(near_miss):
    _lines(near_miss, {"rijk-regulier": "250000.00"})
    summary = budget_summary(near_miss)
    assert (summary.rijk_extra, summary.cofinancing, summary.cofinancing_ratio) == (D("0"), D("0"), None)
    assert collect_dossier(near_miss)["budget"]["cofinancing_ratio"] is None
    item = next(i for i in checklist.completeness_checklist(near_miss) if i.code == "cofinancing")
    assert item.ok is True  # nothing asked from the Rijk's extra money


# --- the dashboard's SQL equals finance's Python, for random agendas --------------------------------------
@pytest.mark.django_db
def test_dashboard_figures_equal_finance_for_random_agendas():
    rng = random.Random(2026)
    sources = list(FundingSource.objects.all())
    regions = [RegionFactory() for _ in range(3)]
    agendas = []
    for index in range(12):
        alliance = AllianceFactory(region=regions[index % 3], organisations=[OrganisationFactory()])
        agenda = make_complete_agenda(alliance=alliance, shared_with_ministry=True)
        BudgetLine.objects.filter(priority__agenda=agenda).delete()
        priority = Priority.objects.filter(agenda=agenda).first()
        for year in range(agenda.start_year, agenda.start_year + 3):
            for source in rng.sample(sources, rng.randint(1, len(sources))):
                cents = rng.choice([rng.randint(0, 10**8), rng.randint(0, 999), 10**7 - rng.randint(0, 3)])
                BudgetLine.objects.create(priority=priority, year=year, source=source, amount=D(cents) / 100)
        agendas.append(agenda)
    rebuild_summaries()
    officer = UserFactory(role="ministry_officer")
    data, visible = _figures(officer)
    listed = {a.pk: a for a in portfolio_agenda_list(visible, DashboardFilters())}
    expected_by_region: dict[int, finance.Totals] = {}
    for agenda in agendas:
        mine = finance.agenda_totals(agenda)
        row = listed[agenda.pk]
        assert (row.requested, row.cofinancing) == (mine.requested, mine.cofinancing)
        assert finance.cofinancing_ratio(row.cofinancing, row.requested) == mine.ratio
        assert budget_summary(agenda).cofinancing_ratio == mine.ratio
        assert collect_dossier(agenda)["budget"]["cofinancing_ratio"] == (
            None if mine.ratio is None else str(mine.ratio)
        )
        region = expected_by_region.setdefault(agenda.alliance.region_id, finance.Totals())
        region.requested += mine.requested
        region.cofinancing += mine.cofinancing
        region.total += mine.total
    for row in data.by_region:
        expected = expected_by_region[row.key]
        assert (row.requested, row.cofinancing, row.planned_total) == (
            expected.requested,
            expected.cofinancing,
            expected.total,
        )
        assert row.cofinancing_ratio == expected.ratio
        if row.requested:
            assert row.cofinancing_ratio == (row.cofinancing / row.requested).quantize(D("0.01"), rounding=ROUND_DOWN)
    tables = {t.code: t for t in exports.portfolio_tables(data, portfolio_agenda_list(visible, DashboardFilters()))}
    for export_row in tables["agendas"].rows:
        assert export_row[10] == finance.agenda_totals(Agenda(pk=export_row[0])).ratio


@pytest.mark.django_db
def test_approved_amounts_are_the_latest_signed_approving_decision():
    from tests.factories_reports import build_agenda, make_decision, make_version

    agenda = build_agenda(status=Agenda.Status.ACTIVE)
    make_decision(agenda, amounts={2027: D("100.00")}, with_review=False)
    make_version(agenda)  # one decision per version
    make_decision(agenda, amounts={2027: D("70.00"), 2028: D("5.00")}, with_review=False)
    make_version(agenda)
    make_decision(agenda, amounts={2027: D("999.00")}, signed=False, with_review=False)  # not signed: not approved
    amounts = finance.approved_year_amounts(Agenda.objects.filter(pk=agenda.pk))
    assert sorted(amounts.values_list("year", "approved_amount")) == [(2027, D("70.00")), (2028, D("5.00"))]
    assert collect_accountability(agenda, 2027)["plan"]["approved_year"] == "70.00"
    officer = UserFactory(role="ministry_officer")
    data, visible = _figures(officer)
    assert data.totals.approved == D("75.00")
    listed = next(a for a in portfolio_agenda_list(visible, DashboardFilters()) if a.pk == agenda.pk)
    assert listed.approved == D("75.00")


@pytest.mark.parametrize(("language", "shown"), [("nl", "0,99 : 1"), ("en", "0.99 : 1")])
def test_budget_pages_show_the_rounded_down_ratio_in_both_languages(client, near_miss, cast, language, shown):
    client.force_login(cast["coordinator"])
    for name in ("agendas:agenda_detail", "agendas:budget_grid"):
        html = client.get(reverse(name, args=[near_miss.pk]), HTTP_ACCEPT_LANGUAGE=language).content.decode()
        assert shown in html, name
        assert "1,00 : 1" not in html and "1.00 : 1" not in html, name
    grid = client.get(reverse("agendas:budget_grid", args=[near_miss.pk]), HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "status-bad" in grid and "minstens 1 : 1" not in grid  # the bar from finance.meets_minimum
    BudgetLine.objects.filter(priority__agenda=near_miss, source__code="eu").update(amount=D("40000.00"))
    grid = client.get(reverse("agendas:budget_grid", args=[near_miss.pk]), HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "minstens 1 : 1" in grid and "1,00 : 1" in grid


def test_one_person_with_two_roles_reads_one_ratio(near_miss):
    """The coordinator of the alliance who is also the region's state representative: drafting API and
    dashboard give the same figure."""
    from django.contrib.auth.models import Group

    from tests.factories import member_of

    person = make_state_representative(near_miss.alliance.region)
    person.groups.add(Group.objects.get(name="coordinator"))
    near_miss.alliance.coordinators.add(person)
    member_of(person, near_miss.alliance.organisations.first())
    for token in (False, True):
        api = _api(person, token=token)
        detail = api.get(reverse("agenda-detail", kwargs={"pk": near_miss.pk}))
        assert detail.status_code == 200, detail.content
        dashboard = api.get(reverse("api-reports-dashboard"))
        assert dashboard.status_code == 200, dashboard.content
        row = next(r for r in dashboard.json()["by_region"] if r["key"] == near_miss.alliance.region_id)
        assert detail.json()["budget"]["cofinancing_ratio"] == row["cofinancing_ratio"] == "0.99"


def test_reports_imports_the_monitoring_models_and_guesses_nothing():
    import inspect

    import reports.selectors as selectors
    from agendas.models import BudgetLineRealisation, MilestoneProgress, ProgressReport

    assert not hasattr(selectors, "monitoring_models")
    source = inspect.getsource(selectors)
    assert (
        'get_model("agendas"' not in source
        and "_meta.related_objects" not in source
        and "FieldDoesNotExist" not in source
    )
    assert selectors.ProgressReport is ProgressReport
    assert selectors.BudgetLineRealisation is BudgetLineRealisation and selectors.MilestoneProgress is MilestoneProgress
