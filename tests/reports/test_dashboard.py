"""Portfolio dashboard: figures equal independent sums, permissions, query counts, pages and API."""

from decimal import ROUND_DOWN, Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import roles
from agendas.models import Agenda, NationalProgramme, Theme
from reports.permissions import dashboard_policy
from reports.selectors import DashboardFilters, portfolio, reference_lists
from tests.factories import UserFactory, make_coordinator, make_partner, make_state_representative
from tests.reports.portfolio_fixtures import build_portfolio, expected_figures

S = Agenda.Status


@pytest.fixture
def small_portfolio(db):
    return build_portfolio(regions=3, agendas_per_region=4)


def figures_for(user, **filters):
    region_ids = dashboard_policy.region_ids(user)
    return portfolio(
        dashboard_policy.agendas(user, region_ids), DashboardFilters(**filters), reference_lists(region_ids)
    )


def _filters(regions):
    zorg = Theme.objects.get(code="zorg").pk
    deal = NationalProgramme.objects.get(code="regio-deal").pk
    return [
        {},
        {"region": regions[1].pk},
        {"theme": zorg},
        {"year": 2028},
        {"status": S.APPROVED},
        {"programme": deal},
        {"region": regions[0].pk, "theme": zorg, "year": 2029},
    ]


def test_figures_equal_independent_sums(small_portfolio, officer):
    regions, agendas = small_portfolio
    for filters in _filters(regions):
        data = figures_for(officer, **filters)
        expected = expected_figures(agendas, **filters)
        assert data.agenda_count == expected["count"], filters
        assert {s["code"]: s["count"] for s in data.status_counts if s["count"]} == dict(expected["status"]), filters
        assert {r.key: r.requested for r in data.by_year if r.requested} == {
            y: v for y, v in expected["requested_by_year"].items() if v
        }, filters
        assert {r.key: r.approved for r in data.by_year if r.approved} == dict(expected["approved_by_year"]), filters
        assert {r.key: r.requested for r in data.by_region if r.requested} == dict(expected["requested_by_region"])
        assert {r.key: r.cofinancing for r in data.by_region if r.cofinancing} == dict(
            expected["cofinancing_by_region"]
        )
        assert {r.key: r.requested for r in data.by_theme if r.requested} == dict(expected["requested_by_theme"])
        assert {r.label: r.planned_total for r in data.by_source} == dict(expected["by_source"])
        assert data.totals.planned_total == expected["total"]
        assert data.totals.approved == sum(expected["approved_by_year"].values())
        if data.totals.requested:
            ratio = sum(expected["cofinancing_by_region"].values()) / sum(expected["requested_by_region"].values())
            # THE rounding rule (agendas.finance): rounded down, never up past the 1 : 1 bar.
            assert data.totals.cofinancing_ratio == ratio.quantize(Decimal("0.01"), rounding=ROUND_DOWN)


def test_unshared_drafts_are_not_counted_and_shared_ones_are(small_portfolio, officer):
    _regions, agendas = small_portfolio
    before = figures_for(officer).agenda_count
    draft = next(a for a in agendas if a.status == S.DRAFT)
    Agenda.objects.filter(pk=draft.pk).update(shared_with_ministry=True)
    assert figures_for(officer).agenda_count == before + 1


def test_clocks(small_portfolio, officer):
    data = figures_for(officer)
    regions, agendas = small_portfolio
    awaiting = [a for a in agendas if a.status == S.AWAITING_DECISION]
    under_review = [a for a in agendas if a.status == S.UNDER_REVIEW]
    assert data.clocks["decision_overdue"]["count"] == len(awaiting) > 0
    assert data.clocks["review_overdue"]["count"] == len(under_review) > 0
    assert {a.pk for a in data.clock_agendas} >= {a.pk for a in awaiting + under_review}


def test_monitoring_figures_from_progress_reports(small_portfolio, officer):
    import datetime
    from decimal import Decimal

    from agendas.models import BudgetLine, BudgetLineRealisation, MilestoneProgress, ProgressReport

    _regions, agendas = small_portfolio
    active = [a for a in agendas if a.status in (S.ACTIVE, S.CLOSED)]
    assert active
    planned = realised = Decimal("0")
    health = {}
    for index, agenda in enumerate(active):
        for year in (agenda.start_year, agenda.start_year + 1):
            report = ProgressReport.objects.create(
                agenda=agenda,
                year=year,
                due_date=datetime.date(2020, 4, 1) if index == 0 else datetime.date(2999, 1, 1),
            )
            for line in BudgetLine.objects.filter(priority__agenda=agenda, year=year):
                amount = (line.amount * Decimal("0.75")).quantize(Decimal("0.01"))
                BudgetLineRealisation.objects.create(report=report, budget_line=line, realised=amount)
                planned += line.amount
                realised += amount
            status = "on_track" if year == agenda.start_year else "at_risk"
            for milestone in agenda.priorities.first().milestones.all():
                MilestoneProgress.objects.create(report=report, milestone=milestone, status=status)
    # The services store THE health rule's outcome; here the rows were made directly, so refresh them.
    from agendas.monitoring.selectors import report_page
    from agendas.monitoring.services import refresh_health
    from agendas.summary.services import refresh_summary

    for agenda in active:
        refresh_health(agenda_id=agenda.pk)
        refresh_summary(agenda)
        latest = ProgressReport.objects.filter(agenda=agenda).order_by("-year").first()
        for code, n in report_page(latest).health_counts.items():  # the rule evaluated live
            health[code] = health.get(code, 0) + n
    data = figures_for(officer)
    monitoring = data.monitoring
    assert monitoring.available
    assert monitoring.planned == planned and monitoring.realised == realised
    assert monitoring.overdue_reports == 2  # the first agenda's two open reports are past due
    totals = {}
    for row in monitoring.health_by_region:
        for code, n in row["counts"].items():
            totals[code] = totals.get(code, 0) + n
    assert totals == health
    assert sum(health.values()) > 0
    assert all(code in dict(monitoring.health_statuses) for code in health)


# --- who sees what ------------------------------------------------------------------------------
def test_state_representative_sees_only_their_regions(small_portfolio):
    regions, agendas = small_portfolio
    rep = make_state_representative(regions[0])
    data = figures_for(rep)
    expected = expected_figures(agendas, region=regions[0].pk)
    assert data.agenda_count == expected["count"] > 0
    assert {r.key for r in data.by_region} == {regions[0].pk}
    # Asking for another region's figures gives nothing of that region.
    assert figures_for(rep, region=regions[1].pk).agenda_count == 0


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("officer", 200),
        ("signatory", 200),
        ("state_rep", 200),
        ("state_rep_elsewhere", 200),
        ("coordinator", 403),
        ("partner", 403),
        ("reviewer", 403),
        ("administrator", 403),
        ("state_rep_without_region", 403),
    ],
)
def test_dashboard_permission_matrix(client, small_portfolio, who, status):
    regions, agendas = small_portfolio
    users = {
        "officer": lambda: UserFactory(role=roles.MINISTRY_OFFICER),
        "signatory": lambda: UserFactory(role=roles.MINISTRY_SIGNATORY),
        "state_rep": lambda: make_state_representative(regions[0]),
        "state_rep_elsewhere": lambda: make_state_representative(regions[2]),
        "coordinator": lambda: make_coordinator(agendas[1].alliance),
        "partner": lambda: make_partner(agendas[1].alliance),
        "reviewer": lambda: UserFactory(role=roles.REVIEWER),
        "administrator": lambda: UserFactory(role=roles.ADMINISTRATOR),
        "state_rep_without_region": lambda: UserFactory(role=roles.STATE_REPRESENTATIVE),
    }
    client.force_login(users[who]())
    for name in ("reports:dashboard", "reports:agenda_list", "reports:export_csv", "reports:export_xlsx"):
        response = client.get(reverse(name))
        assert response.status_code == status, (name, response.status_code)
    api = client.get(reverse("api-reports-dashboard"))
    assert api.status_code == status
    if who.startswith("state_rep") and status == 200:
        region = regions[0] if who == "state_rep" else regions[2]
        page = client.get(reverse("reports:agenda_list")).content.decode()
        for agenda in agendas:
            if agenda.current_version:
                assert (agenda.title in page) == (agenda.alliance.region_id == region.pk), agenda.title


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(reverse("reports:dashboard"))
    assert response.status_code == 302 and "/inloggen/" in response["Location"]
    assert client.get(reverse("api-reports-dashboard")).status_code in (401, 403)


# --- speed: a fixed number of queries, whatever the size ----------------------------------------
def _count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url_name", ["reports:dashboard", "reports:agenda_list", "reports:export_xlsx"])
def test_query_count_does_not_grow_with_the_portfolio(client, db, url_name, django_assert_max_num_queries):
    user = UserFactory(role=roles.MINISTRY_OFFICER)
    client.force_login(user)
    build_portfolio(regions=1, agendas_per_region=2, priorities=1, years=1)
    url = reverse(url_name) + "?year=2027"
    with django_assert_max_num_queries(20):
        small = _count_queries(client, url)
    build_portfolio(regions=6, agendas_per_region=8, priorities=3, years=4)
    with django_assert_max_num_queries(20):
        large = _count_queries(client, url)
    print(url_name, small, large)  # noqa: T201
    assert small == large, (small, large)


def test_api_dashboard_query_count_and_figures(client, small_portfolio, officer, django_assert_max_num_queries):
    regions, agendas = small_portfolio
    client.force_login(officer)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("api-reports-dashboard") + f"?region={regions[1].pk}")
    assert response.status_code == 200
    body = response.json()
    expected = expected_figures(agendas, region=regions[1].pk)
    assert body["agenda_count"] == expected["count"]
    assert body["totals"]["requested"] == str(sum(expected["requested_by_region"].values()))
    assert body["monitoring"]["available"] is True and body["monitoring"]["overdue_reports"] == 0


def test_api_rejects_invalid_filters_with_the_error_format(client, small_portfolio, officer):
    client.force_login(officer)
    response = client.get(reverse("api-reports-dashboard") + "?year=1999&status=nonsense")
    assert response.status_code == 400
    body = response.json()
    assert set(body["errors"]) == {"year", "status"}


# --- the pages ----------------------------------------------------------------------------------
def test_dashboard_page_shows_figures_charts_and_links(client, small_portfolio, officer):
    regions, agendas = small_portfolio
    client.force_login(officer)
    response = client.get(reverse("reports:dashboard"), {"region": regions[1].pk})
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('role="img"') == 4 and "<title id=" in html and "<desc id=" in html
    assert f"/rapportages/agendas/?region={regions[1].pk}" in html  # figures link to their agendas
    assert f"region={regions[1].pk}&amp;status=approved" in html
    assert "<caption>" in html and 'scope="col"' in html
    assert 'style="' not in html  # CSP: no inline styles
    expected = expected_figures(agendas, region=regions[1].pk)
    from kansenagenda.money import format_amount

    assert format_amount(sum(expected["requested_by_region"].values())) in html


def test_invalid_filter_is_reported_and_ignored(client, small_portfolio, officer):
    client.force_login(officer)
    response = client.get(reverse("reports:dashboard"), {"year": "twintig"})
    assert response.status_code == 200
    assert "Vul het jaar in als vier cijfers" in response.content.decode()
    assert response.context["filters"] == DashboardFilters()


def test_agenda_list_behind_a_clock(client, small_portfolio, officer):
    _regions, agendas = small_portfolio
    client.force_login(officer)
    html = client.get(reverse("reports:agenda_list"), {"clock": "decision_overdue"}).content.decode()
    for agenda in agendas:
        if agenda.current_version:
            assert (agenda.title in html) == (agenda.status == S.AWAITING_DECISION), agenda.title
