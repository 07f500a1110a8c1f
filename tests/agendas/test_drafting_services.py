"""Drafting services: the valid case and each invalid case, permissions, optimistic locking, history."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from agendas.drafting import budget as budget_services
from agendas.drafting import comments as comment_services
from agendas.drafting import milestones as milestone_services
from agendas.drafting import services as svc
from agendas.drafting.budget import BudgetCell, cell_key
from agendas.models import Agenda, AgendaPartner, BudgetLine, Comment, Milestone, Priority
from kansenagenda.errors import ConflictError
from tests.agendas.fixtures_drafting import *  # noqa: F403 (fixtures)
from tests.agendas.fixtures_drafting import agenda_data, milestone_data
from tests.factories import (
    AgendaFactory,
    AgendaPartnerFactory,
    BudgetLineFactory,
    MilestoneFactory,
    OrganisationFactory,
    PriorityFactory,
)

pytestmark = pytest.mark.django_db


def errors_of(excinfo) -> dict:
    return excinfo.value.message_dict


# --- agenda ------------------------------------------------------------------------------------


def test_agenda_create_valid_records_creator_and_history(alliance, coordinator):
    agenda = svc.agenda_create(alliance=alliance, actor=coordinator, data=agenda_data())
    assert agenda.pk and agenda.status == Agenda.Status.DRAFT and agenda.lock_version == 1
    assert agenda.created_by == coordinator
    assert agenda.history.first().history_user == coordinator


@pytest.mark.parametrize(
    "overrides, field, fragment",
    [
        ({"title": ""}, "title", ""),
        ({"title": "x" * 201}, "title", "200"),
        ({"end_year": 2026}, "end_year", "vóór het beginjaar"),
        ({"start_year": 2027, "end_year": 2057}, "end_year", "maximum is 30 jaar"),
        ({"start_year": 2019}, "start_year", "tussen 2020 en 2080"),
        ({"end_year": 2081}, "end_year", "tussen 2020 en 2080"),
        ({"start_year": "twintig"}, "start_year", "jaartal"),
        ({"start_year": None}, "start_year", "Vul het beginjaar in"),
        ({"vision": "x" * 20001}, "vision", "20000"),
    ],
)
def test_agenda_create_invalid(alliance, coordinator, overrides, field, fragment):
    with pytest.raises(ValidationError) as excinfo:
        svc.agenda_create(alliance=alliance, actor=coordinator, data=agenda_data(**overrides))
    assert field in errors_of(excinfo)
    assert fragment in " ".join(errors_of(excinfo)[field])
    assert not Agenda.objects.exists()


def test_agenda_period_of_30_years_is_allowed(alliance, coordinator):
    agenda = svc.agenda_create(alliance=alliance, actor=coordinator, data=agenda_data(start_year=2027, end_year=2056))
    assert len(agenda.years) == 30


@pytest.mark.parametrize("who", ["other_coordinator", "partner", "ministry_officer", "state_representative"])
def test_agenda_create_refused_for_non_coordinators_of_the_alliance(alliance, people, who):
    with pytest.raises(PermissionDenied) as excinfo:
        svc.agenda_create(alliance=alliance, actor=people[who], data=agenda_data())
    assert "coördinator" in str(excinfo.value)


def test_agenda_update_bumps_lock_and_records_old_and_new(agenda, coordinator):
    svc.agenda_update(agenda=agenda, actor=coordinator, data={"title": "Nieuw"}, lock_version=1)
    agenda.refresh_from_db()
    assert agenda.title == "Nieuw" and agenda.lock_version == 2
    new, old = agenda.history.all()[:2]
    assert new.history_user == coordinator and old.title != "Nieuw"


def test_agenda_update_stale_lock_is_a_conflict_listing_changes(agenda, coordinator):
    svc.agenda_update(agenda=agenda, actor=coordinator, data={"title": "Eerste"}, lock_version=1)
    stale = Agenda.objects.get(pk=agenda.pk)
    with pytest.raises(ConflictError) as excinfo:
        svc.agenda_update(agenda=stale, actor=coordinator, data={"vision": "Tweede"}, lock_version=1)
    assert excinfo.value.changes["title"]["new"] == "Eerste"
    assert "Eerste" not in excinfo.value.changes["title"]["old"]
    assert str(coordinator) in str(excinfo.value.message)
    assert Agenda.objects.get(pk=agenda.pk).vision != "Tweede"


def test_agenda_update_without_lock_version_is_refused(agenda, coordinator):
    with pytest.raises(ValidationError) as excinfo:
        svc.agenda_update(agenda=agenda, actor=coordinator, data={"title": "X"}, lock_version=None)
    assert "lock_version" in errors_of(excinfo)


def test_agenda_update_refused_when_submitted(agenda, coordinator):
    Agenda.objects.filter(pk=agenda.pk).update(status=Agenda.Status.SUBMITTED)
    agenda.refresh_from_db()
    with pytest.raises(PermissionDenied) as excinfo:
        svc.agenda_update(agenda=agenda, actor=coordinator, data={"title": "X"}, lock_version=1)
    assert "Ingediend" in str(excinfo.value)


@pytest.mark.parametrize(
    "who", ["other_coordinator", "partner", "ministry_officer", "state_representative", "reviewer"]
)
def test_agenda_update_refused_for_others(agenda, people, who):
    with pytest.raises(PermissionDenied):
        svc.agenda_update(agenda=agenda, actor=people[who], data={"title": "X"}, lock_version=1)


def test_shortening_period_refused_while_lines_fall_outside(agenda, coordinator, priority):
    BudgetLineFactory(priority=priority, year=2036)
    with pytest.raises(ValidationError) as excinfo:
        svc.agenda_update(agenda=agenda, actor=coordinator, data={"end_year": 2030}, lock_version=1)
    assert "2036" in errors_of(excinfo)["end_year"][0]


def test_share_toggle_only_by_coordinator_and_idempotent(agenda, coordinator, people):
    svc.agenda_set_shared(agenda=agenda, actor=coordinator, shared=True)
    svc.agenda_set_shared(agenda=agenda, actor=coordinator, shared=True)
    agenda.refresh_from_db()
    assert agenda.shared_with_ministry and agenda.lock_version == 2
    with pytest.raises(PermissionDenied):
        svc.agenda_set_shared(agenda=agenda, actor=people["partner"], shared=False)


def test_agenda_delete_only_never_submitted(agenda, coordinator):
    Agenda.objects.filter(pk=agenda.pk).update(current_version=1)
    agenda.refresh_from_db()
    with pytest.raises(PermissionDenied):
        svc.agenda_delete(agenda=agenda, actor=coordinator, lock_version=1)
    Agenda.objects.filter(pk=agenda.pk).update(current_version=0)
    agenda.refresh_from_db()
    svc.agenda_delete(agenda=agenda, actor=coordinator, lock_version=1)
    assert not Agenda.objects.filter(pk=agenda.pk).exists()


# --- priorities --------------------------------------------------------------------------------


def priority_data(themes, **overrides):
    data = {"theme": themes["zorg"], "title": "Zorg dichtbij", "goals": "Meer zorgmedewerkers."}
    data.update(overrides)
    return data


def test_priority_create_with_dimensions_programmes_and_lead(agenda, coordinator, themes, alliance):
    from agendas.models import BroadWelfareDimension, NationalProgramme

    lead = alliance.organisations.first()
    p = svc.priority_create(
        agenda=agenda,
        actor=coordinator,
        data=priority_data(
            themes,
            lead_partner=lead,
            dimensions=list(BroadWelfareDimension.objects.filter(code="gezondheid")),
            programmes=list(NationalProgramme.objects.filter(code="iza")),
            theory_cause="Tekort aan personeel",
            theory_action="Opleiden",
            theory_expected_change="Meer zorg dichtbij",
        ),
    )
    assert p.order == 1 and p.lead_partner == lead
    assert [d.code for d in p.dimensions.all()] == ["gezondheid"]
    assert [x.code for x in p.programmes.all()] == ["iza"]


@pytest.mark.parametrize(
    "overrides, field",
    [({"title": ""}, "title"), ({"goals": ""}, "goals"), ({"theme": None}, "theme"), ({"title": "x" * 201}, "title")],
)
def test_priority_create_invalid(agenda, coordinator, themes, overrides, field):
    with pytest.raises(ValidationError) as excinfo:
        svc.priority_create(agenda=agenda, actor=coordinator, data=priority_data(themes, **overrides))
    assert field in errors_of(excinfo)


def test_priority_lead_partner_must_belong_to_alliance(agenda, coordinator, themes):
    with pytest.raises(ValidationError) as excinfo:
        svc.priority_create(
            agenda=agenda, actor=coordinator, data=priority_data(themes, lead_partner=OrganisationFactory())
        )
    assert "alliantie" in errors_of(excinfo)["lead_partner"][0]


def test_priority_inactive_theme_refused(agenda, coordinator, themes):
    themes["zorg"].active = False
    themes["zorg"].save()
    with pytest.raises(ValidationError) as excinfo:
        svc.priority_create(agenda=agenda, actor=coordinator, data=priority_data(themes))
    assert "niet meer in gebruik" in errors_of(excinfo)["theme"][0]


def test_priority_update_conflict_and_delete(priority, coordinator):
    svc.priority_update(priority=priority, actor=coordinator, data={"title": "A"}, lock_version=1)
    stale = Priority.objects.get(pk=priority.pk)
    stale.lock_version = 1
    with pytest.raises(ConflictError) as excinfo:
        svc.priority_update(
            priority=Priority.objects.get(pk=priority.pk), actor=coordinator, data={"title": "B"}, lock_version=1
        )
    assert excinfo.value.changes["title"]["new"] == "A"
    with pytest.raises(ConflictError):
        svc.priority_delete(priority=priority, actor=coordinator, lock_version=1)
    MilestoneFactory(priority=priority)
    BudgetLineFactory(priority=priority)
    svc.priority_delete(priority=priority, actor=coordinator, lock_version=2)
    assert not Priority.objects.exists() and not Milestone.objects.exists() and not BudgetLine.objects.exists()


def test_priority_write_refused_for_partner(agenda, people, themes):
    with pytest.raises(PermissionDenied):
        svc.priority_create(agenda=agenda, actor=people["partner"], data=priority_data(themes))


# --- budget grid -------------------------------------------------------------------------------


def cells(priority, sources, amounts):
    return [BudgetCell(priority.pk, year, sources[code].pk, amount) for (year, code), amount in amounts.items()]


def test_grid_save_creates_updates_deletes_in_one_go(agenda, priority, coordinator, sources):
    result = budget_services.budget_grid_save(
        agenda=agenda,
        actor=coordinator,
        cells=cells(priority, sources, {(2027, "rijk-extra"): Decimal("100.50"), (2028, "provincie"): Decimal("7")}),
        lock_versions={priority.pk: 1},
    )
    assert (result.created, result.updated, result.deleted) == (2, 0, 0)
    assert result.lock_versions[priority.pk] == 2
    result = budget_services.budget_grid_save(
        agenda=agenda,
        actor=coordinator,
        cells=cells(priority, sources, {(2027, "rijk-extra"): Decimal("200"), (2028, "provincie"): None}),
        lock_versions={priority.pk: 2},
    )
    assert (result.created, result.updated, result.deleted) == (0, 1, 1)
    line = BudgetLine.objects.get()
    assert line.amount == Decimal("200.00")
    assert line.history.first().history_user == coordinator
    assert BudgetLine.history.filter(history_type="-").count() == 1


def test_grid_unchanged_cells_need_no_lock(agenda, priority, coordinator, sources):
    BudgetLineFactory(priority=priority, year=2027, source=sources["rijk-extra"], amount=Decimal("5"))
    result = budget_services.budget_grid_save(
        agenda=agenda,
        actor=coordinator,
        cells=cells(priority, sources, {(2027, "rijk-extra"): Decimal("5.00")}),
        lock_versions={},
    )
    assert (result.created, result.updated, result.deleted) == (0, 0, 0)


@pytest.mark.parametrize(
    "year, amount, fragment",
    [
        (2027, Decimal("-1"), "negatief"),
        (2027, Decimal("1.005"), "twee decimalen"),
        (2027, Decimal("10000000000.01"), "10 miljard"),
        (2026, Decimal("1"), "buiten de looptijd"),
        (2037, Decimal("1"), "buiten de looptijd"),
        (2027, Decimal("NaN"), "geen geldig bedrag"),
    ],
)
def test_grid_invalid_cell_saves_nothing(agenda, priority, coordinator, sources, year, amount, fragment):
    good = BudgetCell(priority.pk, 2028, sources["provincie"].pk, Decimal("1"))
    bad = BudgetCell(priority.pk, year, sources["rijk-extra"].pk, amount)
    with pytest.raises(ValidationError) as excinfo:
        budget_services.budget_grid_save(
            agenda=agenda, actor=coordinator, cells=[good, bad], lock_versions={priority.pk: 1}
        )
    key = cell_key(priority.pk, year, sources["rijk-extra"].pk)
    assert fragment in errors_of(excinfo)[key][0]
    assert not BudgetLine.objects.exists()


def test_grid_exactly_ten_billion_is_allowed(agenda, priority, coordinator, sources):
    budget_services.budget_grid_save(
        agenda=agenda,
        actor=coordinator,
        cells=cells(priority, sources, {(2027, "eu"): Decimal("10000000000.00")}),
        lock_versions={priority.pk: 1},
    )
    assert BudgetLine.objects.get().amount == Decimal("10000000000.00")


def test_grid_duplicate_cell_refused(agenda, priority, coordinator, sources):
    cell = BudgetCell(priority.pk, 2027, sources["eu"].pk, Decimal("1"))
    with pytest.raises(ValidationError) as excinfo:
        budget_services.budget_grid_save(
            agenda=agenda, actor=coordinator, cells=[cell, cell], lock_versions={priority.pk: 1}
        )
    assert "twee keer" in errors_of(excinfo)[cell_key(priority.pk, 2027, sources["eu"].pk)][0]


def test_grid_priority_of_other_agenda_refused(agenda, coordinator, sources):
    foreign = PriorityFactory()
    cell = BudgetCell(foreign.pk, 2027, sources["eu"].pk, Decimal("1"))
    with pytest.raises(ValidationError):
        budget_services.budget_grid_save(agenda=agenda, actor=coordinator, cells=[cell], lock_versions={foreign.pk: 1})
    assert not BudgetLine.objects.exists()


def test_grid_stale_lock_conflict_shows_changed_cells(agenda, priority, coordinator, sources):
    budget_services.budget_grid_save(
        agenda=agenda,
        actor=coordinator,
        cells=cells(priority, sources, {(2027, "eu"): Decimal("10")}),
        lock_versions={priority.pk: 1},
    )
    with pytest.raises(ConflictError) as excinfo:
        budget_services.budget_grid_save(
            agenda=agenda,
            actor=coordinator,
            cells=cells(priority, sources, {(2027, "eu"): Decimal("20")}),
            lock_versions={priority.pk: 1},
        )
    change = excinfo.value.changes["budget:2027:eu"]
    assert change["old"] == "–" and "10,00" in change["new"]
    assert BudgetLine.objects.get().amount == Decimal("10")


def test_grid_refused_for_partner(agenda, priority, people, sources):
    with pytest.raises(PermissionDenied):
        budget_services.budget_grid_save(
            agenda=agenda,
            actor=people["partner"],
            cells=cells(priority, sources, {(2027, "eu"): Decimal("10")}),
            lock_versions={priority.pk: 1},
        )


def test_budget_line_create_refuses_duplicate(priority, coordinator, sources):
    budget_services.budget_line_create(
        priority=priority, actor=coordinator, year=2027, source=sources["eu"], amount=Decimal("3"), lock_version=1
    )
    with pytest.raises(ValidationError) as excinfo:
        budget_services.budget_line_create(
            priority=priority, actor=coordinator, year=2027, source=sources["eu"], amount=Decimal("4"), lock_version=2
        )
    assert "al een begrotingsregel" in errors_of(excinfo)["source"][0]


def test_budget_line_update_and_delete(priority, coordinator, sources):
    line = budget_services.budget_line_create(
        priority=priority, actor=coordinator, year=2027, source=sources["eu"], amount=Decimal("3"), lock_version=1
    )
    line = budget_services.budget_line_update(line=line, actor=coordinator, amount=Decimal("4"), lock_version=2)
    assert line.amount == Decimal("4")
    with pytest.raises(ValidationError) as excinfo:
        budget_services.budget_line_update(line=line, actor=coordinator, amount=Decimal("-4"), lock_version=3)
    assert "negatief" in errors_of(excinfo)["amount"][0]
    budget_services.budget_line_delete(line=line, actor=coordinator, lock_version=3)
    assert not BudgetLine.objects.exists()


# --- milestones --------------------------------------------------------------------------------


def test_milestone_create_valid(priority, coordinator):
    m = milestone_services.milestone_create(priority=priority, actor=coordinator, data=milestone_data())
    assert m.pk and m.lock_version == 1


@pytest.mark.parametrize(
    "overrides, field, fragment",
    [
        ({"target_value": Decimal("0")}, "target_value", "gelijk aan de nulmeting"),
        ({"target_year": 2040}, "target_year", "buiten de looptijd"),
        ({"target_year": 2026}, "target_year", "buiten de looptijd"),
        ({"baseline_year": 2031}, "baseline_year", "na het streefjaar"),
        ({"baseline_year": 2010}, "baseline_year", "tussen 2020 en 2080"),
        ({"title": ""}, "title", ""),
        ({"unit": "x" * 51}, "unit", "50"),
        ({"type": "impact"}, "type", ""),
        ({"indicator_name": ""}, "indicator_name", ""),
    ],
)
def test_milestone_invalid(priority, coordinator, overrides, field, fragment):
    with pytest.raises(ValidationError) as excinfo:
        milestone_services.milestone_create(priority=priority, actor=coordinator, data=milestone_data(**overrides))
    assert fragment in " ".join(errors_of(excinfo)[field])
    assert not Milestone.objects.exists()


def test_milestone_update_conflict_and_delete(priority, coordinator):
    m = milestone_services.milestone_create(priority=priority, actor=coordinator, data=milestone_data())
    milestone_services.milestone_update(
        milestone=m, actor=coordinator, data={"target_value": Decimal("200")}, lock_version=1
    )
    with pytest.raises(ConflictError) as excinfo:
        milestone_services.milestone_update(
            milestone=Milestone.objects.get(pk=m.pk), actor=coordinator, data={"unit": "fte"}, lock_version=1
        )
    assert "200" in excinfo.value.changes["target_value"]["new"]
    milestone_services.milestone_delete(milestone=m, actor=coordinator, lock_version=2)
    assert not Milestone.objects.exists()


# --- partners ----------------------------------------------------------------------------------


def partner_data(org, **overrides):
    data = {"organisation": org, "role": "Uitvoerder", "commitment_type": "money", "commitment_amount": Decimal("10")}
    data.update(overrides)
    return data


def test_partner_create_valid_and_duplicate_refused(agenda, alliance, coordinator):
    org = OrganisationFactory()
    alliance.organisations.add(org)
    svc.partner_create(agenda=agenda, actor=coordinator, data=partner_data(org))
    with pytest.raises(ValidationError) as excinfo:
        svc.partner_create(agenda=agenda, actor=coordinator, data=partner_data(org))
    assert "al bij de partners" in errors_of(excinfo)["organisation"][0]


@pytest.mark.parametrize(
    "overrides, field, fragment",
    [
        ({"commitment_amount": None}, "commitment_amount", "toegezegde bedrag"),
        ({"commitment_amount": Decimal("-1")}, "commitment_amount", "negatief"),
        ({"commitment_amount": Decimal("0.001")}, "commitment_amount", "twee decimalen"),
        ({"role": ""}, "role", ""),
        ({"commitment_type": "nonsense"}, "commitment_type", ""),
    ],
)
def test_partner_invalid(agenda, alliance, coordinator, overrides, field, fragment):
    org = OrganisationFactory()
    alliance.organisations.add(org)
    with pytest.raises(ValidationError) as excinfo:
        svc.partner_create(agenda=agenda, actor=coordinator, data=partner_data(org, **overrides))
    assert fragment in " ".join(errors_of(excinfo)[field])


def test_partner_outside_alliance_refused(agenda, coordinator):
    with pytest.raises(ValidationError) as excinfo:
        svc.partner_create(agenda=agenda, actor=coordinator, data=partner_data(OrganisationFactory()))
    assert "niet mee in de alliantie" in errors_of(excinfo)["organisation"][0]


def test_partner_in_kind_needs_no_amount_update_and_delete(agenda, alliance, coordinator):
    org = OrganisationFactory()
    alliance.organisations.add(org)
    partner = svc.partner_create(
        agenda=agenda, actor=coordinator, data=partner_data(org, commitment_type="in_kind", commitment_amount=None)
    )
    svc.partner_update(partner=partner, actor=coordinator, data={"role": "Kassier"}, lock_version=1)
    with pytest.raises(ConflictError):
        svc.partner_update(partner=AgendaPartner.objects.get(), actor=coordinator, data={"role": "X"}, lock_version=1)
    svc.partner_delete(partner=partner, actor=coordinator, lock_version=2)
    assert not AgendaPartner.objects.exists()


def test_partner_that_leads_a_priority_cannot_be_removed(agenda, alliance, coordinator):
    org = alliance.organisations.first()
    partner = AgendaPartnerFactory(agenda=agenda, organisation=org)
    PriorityFactory(agenda=agenda, lead_partner=org)
    with pytest.raises(ValidationError):
        svc.partner_delete(partner=partner, actor=coordinator, lock_version=1)


# --- comments ----------------------------------------------------------------------------------


def test_partner_comments_and_replies_are_threaded(agenda, people, priority):
    first = comment_services.comment_add(
        agenda=agenda, actor=people["partner"], section="priority", priority=priority, body="Goed!"
    )
    reply = comment_services.comment_add(
        agenda=agenda, actor=people["coordinator"], section="general", parent=first, body="Dank"
    )
    reply2 = comment_services.comment_add(
        agenda=agenda, actor=people["partner"], section="general", parent=reply, body="Graag"
    )
    assert reply.parent == first and reply.section == "priority" and reply.priority == priority
    assert reply2.parent == first


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"section": "nonsense", "body": "x"}, "section"),
        ({"section": "vision", "body": "   "}, "body"),
        ({"section": "vision", "body": "x" * 5001}, "body"),
        ({"section": "priority", "body": "x"}, "priority"),
    ],
)
def test_comment_invalid(agenda, people, kwargs, field):
    with pytest.raises(ValidationError) as excinfo:
        comment_services.comment_add(agenda=agenda, actor=people["partner"], **kwargs)
    assert field in errors_of(excinfo)


@pytest.mark.parametrize(
    "who", ["other_coordinator", "other_partner", "ministry_officer", "state_representative", "reviewer"]
)
def test_comment_refused_outside_alliance(agenda, people, who):
    Agenda.objects.filter(pk=agenda.pk).update(shared_with_ministry=True)
    agenda.refresh_from_db()
    with pytest.raises(PermissionDenied):
        comment_services.comment_add(agenda=agenda, actor=people[who], section="vision", body="Hallo")


def test_comment_edit_and_delete_only_by_author(agenda, people):
    comment = comment_services.comment_add(agenda=agenda, actor=people["partner"], section="vision", body="Hallo")
    with pytest.raises(PermissionDenied):
        comment_services.comment_update(comment=comment, actor=people["coordinator"], body="Anders")
    comment_services.comment_update(comment=comment, actor=people["partner"], body="Anders")
    comment_services.comment_delete(comment=comment, actor=people["partner"])
    assert not Comment.objects.exists()


# --- history -----------------------------------------------------------------------------------


def test_history_shows_who_when_old_and_new(agenda, coordinator, priority, sources):
    from agendas.drafting.selectors import agenda_history

    svc.agenda_update(agenda=agenda, actor=coordinator, data={"title": "Nieuwe titel"}, lock_version=1)
    budget_services.budget_grid_save(
        agenda=agenda,
        actor=coordinator,
        cells=[BudgetCell(priority.pk, 2027, sources["eu"].pk, Decimal("12.5"))],
        lock_versions={priority.pk: 1},
    )
    entries = agenda_history(agenda)
    title_change = next(e for e in entries if any(c.label == "titel" and c.new == "Nieuwe titel" for c in e.changes))
    assert title_change.user == coordinator
    budget = next(e for e in entries if e.subject.startswith("Begroting"))
    assert budget.changes[0].new == "€ 12,50"
    assert not any(e.subject.startswith("Begroting") for e in agenda_history(agenda, include_budget=False))


def test_other_agenda_unaffected(coordinator, alliance):
    other = AgendaFactory()
    with pytest.raises(PermissionDenied):
        svc.agenda_update(agenda=other, actor=coordinator, data={"title": "X"}, lock_version=1)


def test_history_shows_dimension_changes_of_a_priority(priority, coordinator):
    from agendas.drafting.selectors import agenda_history
    from agendas.models import BroadWelfareDimension

    dims = list(BroadWelfareDimension.objects.filter(code__in=["wonen", "milieu"]))
    svc.priority_update(priority=priority, actor=coordinator, data={"dimensions": dims}, lock_version=1)
    entries = agenda_history(priority.agenda)
    change = next(c for e in entries for c in e.changes if c.label == "brede-welvaartsdimensies")
    assert change.old == "–" and change.new == "Milieu, Wonen"
