"""Versions: snapshots are complete and immutable; the diff shows what changed per section, budget, milestone."""

from decimal import Decimal

from agendas.decision import services, versions
from agendas.models import AgendaVersion, BudgetLine, FundingSource, Milestone
from tests.agendas.workflow_fixtures import *  # noqa: F403
from tests.agendas.workflow_fixtures import World, advance
from tests.factories import MilestoneFactory, PriorityFactory, confirm_cofinancing


def test_snapshot_query_count_does_not_grow(world: World, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):  # + the partner commitments
        small = versions.build_snapshot(world.agenda)
    for _i in range(5):
        p = PriorityFactory(agenda=world.agenda)
        MilestoneFactory(priority=p)
    with django_assert_max_num_queries(10):  # + the partner commitments
        large = versions.build_snapshot(world.agenda)
    assert len(large["priorities"]) == len(small["priorities"]) + 5


def test_requested_per_year_comes_from_the_version_not_the_live_agenda(world: World):
    version = services.agenda_submit(agenda=world.agenda, actor=world.coordinator)
    BudgetLine.objects.filter(priority__agenda=world.agenda).update(amount=Decimal("1"))
    assert versions.requested_rijk_extra_by_year(version) == {2027: Decimal("100000.00"), 2028: Decimal("50000.00")}


def test_diff_per_section_budget_and_milestone(world: World):
    advance(world, "returned")
    agenda = world.refresh()
    agenda.vision = "Een nieuwe visie"
    agenda.save()
    priority = agenda.priorities.first()
    line = priority.budget_lines.get(year=2027, source__code="rijk-extra")
    line.amount = Decimal("80000.00")
    line.save()
    priority.budget_lines.create(year=2029, source=FundingSource.objects.get(code="gemeenten"), amount=Decimal("5"))
    Milestone.objects.filter(priority=priority).update(target_value=Decimal("200"))
    new_priority = PriorityFactory(agenda=agenda, title="Wonen voor jongeren")
    for point in __import__("agendas.models", fromlist=["ResponsePoint"]).ResponsePoint.objects.all():
        services.response_point_answer(point=point, actor=world.coordinator, answer="Zie nieuwe prioriteit")
    MilestoneFactory(priority=new_priority)
    new_priority.budget_lines.create(
        year=2030, source=FundingSource.objects.get(code="provincie"), amount=Decimal("10")
    )
    confirm_cofinancing(agenda)  # the partners confirm the new co-financing amounts
    services.agenda_submit(agenda=agenda, actor=world.fresh(world.coordinator))
    v1, v2 = AgendaVersion.objects.filter(agenda=agenda).order_by("number")
    diff = versions.diff_versions(v1, v2)
    assert diff.has_changes
    by_key = {s.key: s for s in diff.sections}
    assert [(c.label, c.old, c.new) for c in by_key["agenda"].changes] == [
        ("visie en ambitie", "Een vitale regio waar iedereen kan wonen, werken en leven.", "Een nieuwe visie")
    ]
    p_section = by_key[f"priority-{priority.pk}"]
    budget = p_section.children[0]
    assert ("2027 – Rijk – gevraagde extra bijdrage", "100000.00", "80000.00") in [
        (c.label, c.old, c.new) for c in budget.changes
    ]
    assert ("2029 – Gemeenten", "", "5.00") in [(c.label, c.old, c.new) for c in budget.changes]
    milestone = p_section.children[1]
    assert [(c.label, c.old, c.new) for c in milestone.changes] == [("streefwaarde", "150.0000", "200.0000")]
    assert by_key[f"priority-{new_priority.pk}"].status == "added"
    assert any(c.label.startswith("gevraagde extra rijksbijdrage") for c in by_key["budget"].changes)


def test_identical_versions_have_no_changes(world: World):
    snapshot = versions.build_snapshot(world.agenda)
    assert versions.diff_snapshots(snapshot, snapshot)
    assert not versions.VersionDiff(1, 2, versions.diff_snapshots(snapshot, snapshot)).has_changes
