"""Computed figures: report page totals and cumulative spending, health per milestone, accountability
figures (in the database), milestone timelines – all with a fixed number of queries."""

from decimal import Decimal

import pytest

from agendas.health import Health
from agendas.models import BudgetLineRealisation, MilestoneProgress
from agendas.monitoring.selectors import accountability_figures, milestone_timelines, report_page
from agendas.monitoring.services import progress_report_open
from agendas.monitoring.transitions import progress_report_accept, progress_report_submit
from tests.agendas.monitoring_fixtures import *  # noqa: F403
from tests.agendas.monitoring_fixtures import People, fill_complete, make_active_agenda


def _two_years(agenda, people):
    r27, _ = progress_report_open(agenda=agenda, year=2027)
    fill_complete(r27, people.coordinator)  # 80.000 realised on each of the 4 lines; milestones at 40
    progress_report_submit(report=r27, actor=people.coordinator)
    progress_report_accept(report=r27, actor=people.state_rep)
    r28, _ = progress_report_open(agenda=agenda, year=2028)
    BudgetLineRealisation.objects.filter(report=r28).update(realised=Decimal("10000.00"))
    MilestoneProgress.objects.filter(report=r28, milestone__title="Mijlpaal 0.0").update(
        status="achieved", value_reached=Decimal("150")
    )
    return r27, r28


def test_report_page_totals_and_cumulative(active_agenda, people):
    r27, r28 = _two_years(active_agenda, people)
    page = report_page(r28)
    assert page.milestone_count == 4
    block = page.priorities[0]
    assert block.planned_year == Decimal("200000.00")  # rijk-extra + provincie for 2028
    assert block.realised_year == Decimal("20000.00")
    assert block.realised_to_date == Decimal("180000.00")  # 2 x 80.000 (2027) + 2 x 10.000 (2028)
    assert block.planned_to_date == Decimal("400000.00")
    assert page.realised_to_date == Decimal("360000.00")
    by_code = {s.source.code: s for s in page.sources}
    assert by_code["provincie"].realised_to_date == Decimal("180000.00")
    assert page.cofinancing_to_date == Decimal("180000.00")  # provincie is co-financing, rijk-extra is not
    assert page.cofinancing_year == Decimal("20000.00")
    # previous year's value is shown next to this year's
    assert all(row.previous_value == Decimal("40") for b in page.priorities for row in b.milestones)


def test_report_page_health(active_agenda, people):
    _, r28 = _two_years(active_agenda, people)
    page = report_page(r28)
    health = {row.milestone.title: row.health for b in page.priorities for row in b.milestones}
    assert health["Mijlpaal 0.0"].code == Health.ACHIEVED
    # 40 of 150 (26.7 %) in 2028 vs plan (2028-2026)/(2030-2026) = 50 % → at risk
    assert health["Mijlpaal 0.1"].code == Health.AT_RISK
    assert page.health_counts == {Health.ACHIEVED: 1, Health.AT_RISK: 3}


def test_health_uses_spending_share(db):
    agenda = make_active_agenda(priorities=1, milestones_per_priority=1, years=[2027, 2028, 2029, 2030])
    People(agenda)
    report, _ = progress_report_open(agenda=agenda, year=2027)
    MilestoneProgress.objects.filter(report=report).update(value_reached=Decimal("45"))  # 30 %, plan 25 %
    BudgetLineRealisation.objects.filter(report=report).update(realised=Decimal("40000"))
    (row,) = report_page(report).priorities[0].milestones
    assert row.health.code == Health.ON_TRACK  # spending 80.000 of 800.000 planned until 2030 = 10 %
    BudgetLineRealisation.objects.filter(report=report).update(realised=Decimal("100000"))
    (row,) = report_page(report).priorities[0].milestones
    assert row.health.spending_pct == Decimal("25.0")
    assert row.health.code == Health.ON_TRACK  # 25 % spent vs 30 % progress
    report2, _ = progress_report_open(agenda=agenda, year=2028)
    MilestoneProgress.objects.filter(report=report2).update(value_reached=Decimal("75"))  # 50 %, plan 50 %
    BudgetLineRealisation.objects.filter(report=report2).update(realised=Decimal("100000"))
    (row,) = report_page(report2).priorities[0].milestones
    assert row.health.spending_pct == Decimal("50.0") and row.health.code == Health.ON_TRACK
    BudgetLineRealisation.objects.filter(report=report2).update(realised=Decimal("140000.01"))
    (row,) = report_page(report2).priorities[0].milestones
    assert row.health.spending_pct == Decimal("60.0")  # 480.000,02 / 800.000 rounded for display
    assert row.health.code == Health.AT_RISK  # 60.000001 % spent vs 50 % progress


def test_accountability_figures(active_agenda, people):
    _two_years(active_agenda, people)
    rows = accountability_figures(active_agenda)
    assert [r["year"] for r in rows] == [2027, 2028]
    r27, r28 = rows
    assert r27["report_status"] == "Geaccepteerd" and r28["report_status"] == "Open"
    assert r27["rijk_spending"] == Decimal("160000.00")
    assert r27["total_spending"] == Decimal("320000.00")
    assert r27["cofinancing"] == Decimal("160000.00")
    assert r28["rijk_spending"] == Decimal("20000.00")
    assert r28["cumulative_rijk_spending"] == Decimal("180000.00")
    assert r28["cumulative_spending"] == Decimal("360000.00")
    assert r28["cumulative_cofinancing"] == Decimal("180000.00")
    assert r27["measures_completed"] == 0 and r28["measures_completed"] == 1
    assert r27["units_delivered"] == Decimal("160")  # 4 output milestones x 40 over baseline 0
    assert r28["units_delivered"] == Decimal("270")  # 150 + 3 x 40


def test_accountability_figures_one_query(active_agenda, people, django_assert_num_queries):
    _two_years(active_agenda, people)
    with django_assert_num_queries(1):
        accountability_figures(active_agenda)


def test_timelines(active_agenda, people):
    _two_years(active_agenda, people)
    timelines = milestone_timelines(active_agenda)
    assert len(timelines) == 4
    t = next(t for t in timelines if t.milestone.title == "Mijlpaal 0.0")
    assert [(p.year, p.value, p.kind) for p in t.points] == [
        (2026, Decimal("0"), "baseline"),
        (2027, Decimal("40"), "reported"),
        (2028, Decimal("150"), "reported"),
        (2030, Decimal("150"), "target"),
    ]
    assert t.plan_path.startswith("M") and t.actual_path.count("L") == 2
    xs = [p.x for p in t.points]
    assert xs == sorted(xs)


@pytest.mark.parametrize("size", [1, 12])
def test_selectors_run_a_fixed_number_of_queries(db, size, django_assert_max_num_queries):
    agenda = make_active_agenda(priorities=size, milestones_per_priority=2)
    people = People(agenda)
    report, _ = progress_report_open(agenda=agenda, year=2027)
    fill_complete(report, people.coordinator)
    with django_assert_max_num_queries(9):
        report_page(report)
    with django_assert_max_num_queries(2):
        milestone_timelines(agenda)
