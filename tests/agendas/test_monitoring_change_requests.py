"""Change requests: validation, the 10 % routing rule, state representative and four-eyes ministry routes,
application as a new agenda version with history."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError

from agendas.models import AgendaVersion, BudgetLine, ChangeRequest, FundingSource, Milestone
from agendas.monitoring import change_requests as svc
from agendas.monitoring.services import progress_report_open
from kansenagenda.errors import ConflictError, TransitionRefused
from tests.agendas.monitoring_fixtures import *  # noqa: F403
from tests.agendas.monitoring_fixtures import fill_complete


def rijk_line(agenda, year=2028, priority_index=0):
    return BudgetLine.objects.filter(
        priority__agenda=agenda, year=year, source__code="rijk-extra", priority__order=priority_index
    ).get()


def shift(agenda, people, amount, *, to_year=2029, to_priority=None, line=None):
    line = line or rijk_line(agenda)
    return svc.change_request_create(
        agenda=agenda,
        actor=people.coordinator,
        reason="Project loopt een jaar uit.",
        budget_shifts=[
            {
                "from_line": line.pk,
                "to_priority": (to_priority or line.priority).pk,
                "to_year": to_year,
                "amount": amount,
            }
        ],
    )


# Each priority has € 200.000 extra Rijk contribution (2027 + 2028 lines of € 100.000).
@pytest.mark.parametrize(
    ("amount", "route"),
    [
        ("20000,00", "state_representative"),  # exactly 10 %
        ("20000,01", "ministry"),  # just over
        ("1", "state_representative"),
        ("100000", "ministry"),
    ],
)
def test_budget_shift_routing_boundary(active_agenda, people, amount, route):
    assert shift(active_agenda, people, amount).route == route


def test_shift_between_priorities_counts_for_both(active_agenda, people):
    second = active_agenda.priorities.get(order=1)
    # move € 20.000 (10 % of each priority's Rijk money) → still small
    assert shift(active_agenda, people, "20000", to_priority=second, to_year=2028).route == "state_representative"


def test_shift_in_priority_without_rijk_money_goes_to_ministry(active_agenda, people):
    line = BudgetLine.objects.filter(priority__agenda=active_agenda, source__code="provincie", year=2028).first()
    BudgetLine.objects.filter(priority=line.priority, source__code="rijk-extra").update(amount=0)
    assert shift(active_agenda, people, "1", line=line).route == "ministry"


@pytest.mark.parametrize(
    ("new_value", "new_year", "route"),
    [
        ("165", None, "state_representative"),  # target 150 from 0: 10 % = 15
        ("165.0001", None, "ministry"),
        ("135", None, "state_representative"),
        (None, 2031, "state_representative"),  # one year later
        (None, 2032, "ministry"),
        (None, 2029, "state_representative"),
    ],
)
def test_milestone_change_routing(active_agenda, people, new_value, new_year, route):
    ms = Milestone.objects.filter(priority__agenda=active_agenda).first()
    cr = svc.change_request_create(
        agenda=active_agenda,
        actor=people.coordinator,
        reason="Bijstellen",
        milestone_changes=[{"milestone": ms.pk, "new_target_value": new_value, "new_target_year": new_year}],
    )
    assert cr.route == route
    item = cr.items.get()
    assert item.old_target_value == Decimal("150") and item.old_target_year == 2030


def test_validation_messages_name_the_fields(active_agenda, people):
    line = rijk_line(active_agenda)
    ms = Milestone.objects.filter(priority__agenda=active_agenda).first()
    with pytest.raises(ValidationError) as exc:
        svc.change_request_create(
            agenda=active_agenda,
            actor=people.coordinator,
            reason=" ",
            budget_shifts=[
                {"from_line": line.pk, "to_priority": line.priority_id, "to_year": 2040, "amount": "5"},
                {"from_line": line.pk, "to_priority": line.priority_id, "to_year": 2029, "amount": "100000,01"},
                {"from_line": 999999, "to_priority": line.priority_id, "to_year": 2029, "amount": "-3"},
            ],
            milestone_changes=[
                {"milestone": ms.pk, "new_target_value": "0"},
                {"milestone": ms.pk, "new_target_value": "150", "new_target_year": "2030"},
                {"milestone": ms.pk, "new_target_value": "veel"},
            ],
        )
    e = exc.value.message_dict
    assert e["reason"][0].startswith("Reden")
    assert "binnen de looptijd 2027–2036" in e["budget_shifts-0-to_year"][0]
    assert "er staat maar € 100.000,00" in e["budget_shifts-1-amount"][0]
    assert e["budget_shifts-2-from_line"][0].startswith("Van begrotingsregel (verschuiving 3)")
    assert "is negatief" in e["budget_shifts-2-amount"][0]
    assert "verschillen van de nulmeting" in e["milestone_changes-0-new_target_value"][0]
    assert "verschilt van het huidige" in e["milestone_changes-1-new_target_value"][0]
    assert "in personen: ‘" in e["milestone_changes-2-new_target_value"][0]
    assert not ChangeRequest.objects.exists()


def test_needs_at_least_one_item(active_agenda, people):
    with pytest.raises(ValidationError) as exc:
        svc.change_request_create(agenda=active_agenda, actor=people.coordinator, reason="x", budget_shifts=[{}])
    assert "items" in exc.value.message_dict


def test_years_with_a_submitted_report_cannot_be_touched(active_agenda, people):
    report, _ = progress_report_open(agenda=active_agenda, year=2027)
    fill_complete(report, people.coordinator)
    from agendas.monitoring.transitions import progress_report_submit

    progress_report_submit(report=report, actor=people.coordinator)
    with pytest.raises(ValidationError) as exc:
        shift(active_agenda, people, "10", line=rijk_line(active_agenda, year=2027))
    assert "2027" in exc.value.message_dict["budget_shifts-0-to_year"][0]


@pytest.mark.parametrize("who", ["partner", "state_rep", "officer", "other_coordinator"])
def test_only_the_coordinator_requests(active_agenda, people, who):
    people.coordinator = people[who]
    with pytest.raises(PermissionDenied):
        shift(active_agenda, people, "10")


def test_not_for_an_agenda_that_is_not_active(active_agenda, people):
    active_agenda.status = "closed"
    active_agenda.save()
    with pytest.raises(PermissionDenied) as exc:
        shift(active_agenda, people, "10")
    assert "lopende agenda" in str(exc.value)


def test_small_change_accepted_by_state_rep_creates_version_and_keeps_history(active_agenda, people):
    line = rijk_line(active_agenda)
    cr = shift(active_agenda, people, "15000", to_year=2029)
    assert cr.route == "state_representative"
    with pytest.raises(PermissionDenied):
        svc.change_request_decide(change_request=cr, actor=people.other_state_rep, outcome="accept")
    with pytest.raises(PermissionDenied):
        svc.change_request_prepare(change_request=cr, actor=people.officer, advised_outcome="accept", note="x")
    cr = svc.change_request_decide(change_request=cr, actor=people.state_rep, outcome="accept", lock_version=1)
    assert cr.status == "accepted" and cr.decided_by == people.state_rep
    line.refresh_from_db()
    assert line.amount == Decimal("85000.00")
    new_line = BudgetLine.objects.get(priority=line.priority, year=2029, source=line.source)
    assert new_line.amount == Decimal("15000.00")
    active_agenda.refresh_from_db()
    assert active_agenda.current_version == 2
    version = AgendaVersion.objects.get(agenda=active_agenda, number=2)
    assert version.reason == "change_request" and cr.resulting_version == version
    amounts = {
        (bl["year"], bl["source_code"]): bl["amount"]
        for p in version.snapshot["priorities"]
        if p["id"] == line.priority_id
        for bl in p["budget_lines"]
    }
    assert amounts[(2028, "rijk-extra")] == "85000.00" and amounts[(2029, "rijk-extra")] == "15000.00"
    # history: who changed the line, old → new
    latest, previous = line.history.all()[:2]
    assert latest.history_user == people.state_rep
    assert previous.amount == Decimal("100000.00") and latest.amount == Decimal("85000.00")


def test_state_rep_rejects_only_with_remarks(active_agenda, people):
    cr = shift(active_agenda, people, "100")
    with pytest.raises(ValidationError):
        svc.change_request_decide(change_request=cr, actor=people.state_rep, outcome="reject")
    cr = svc.change_request_decide(change_request=cr, actor=people.state_rep, outcome="reject", remarks="Niet nodig")
    assert cr.status == "rejected" and cr.resulting_version is None
    assert rijk_line(active_agenda).amount == Decimal("100000.00")


def test_large_change_four_eyes(active_agenda, people):
    ms = Milestone.objects.filter(priority__agenda=active_agenda).first()
    cr = shift(active_agenda, people, "50000")
    assert cr.route == "ministry"
    with pytest.raises(PermissionDenied):
        svc.change_request_decide(change_request=cr, actor=people.state_rep, outcome="accept")
    with pytest.raises(PermissionDenied):  # nothing to sign before preparation
        svc.change_request_sign(change_request=cr, actor=people.signatory, outcome="accept")
    with pytest.raises(ValidationError) as exc:
        svc.change_request_prepare(change_request=cr, actor=people.officer, advised_outcome="", note="")
    assert set(exc.value.message_dict) == {"advised_outcome", "note"}
    cr = svc.change_request_prepare(
        change_request=cr, actor=people.officer, advised_outcome="accept", note="Past binnen de doelen."
    )
    assert cr.status == "prepared"
    # the preparer is refused, even when they also hold the signatory role
    people.officer.groups.add(Group.objects.get(name="ministry_signatory"))
    people.officer.__dict__.pop("role_codes", None)
    with pytest.raises(TransitionRefused) as exc:
        svc.change_request_sign(change_request=cr, actor=people.officer, outcome="accept")
    assert exc.value.code == "four_eyes"
    with pytest.raises(ValidationError):  # deviating from the advice needs a reason
        svc.change_request_sign(change_request=cr, actor=people.signatory, outcome="reject")
    with pytest.raises(ConflictError):
        svc.change_request_sign(change_request=cr, actor=people.signatory, outcome="accept", lock_version=1)
    cr = svc.change_request_sign(change_request=cr, actor=people.signatory, outcome="accept", lock_version=2)
    assert cr.status == "accepted" and cr.decided_by == people.signatory and cr.prepared_by == people.officer
    assert rijk_line(active_agenda).amount == Decimal("50000.00")
    assert ms.pk  # milestone untouched by a budget-only change
    assert AgendaVersion.objects.filter(agenda=active_agenda).count() == 1


def test_four_eyes_database_constraint(active_agenda, people):
    cr = shift(active_agenda, people, "50000")
    with pytest.raises(IntegrityError):
        ChangeRequest.objects.filter(pk=cr.pk).update(
            status="accepted", prepared_by=people.officer, decided_by=people.officer
        )


def test_milestone_change_applied(active_agenda, people):
    ms = Milestone.objects.filter(priority__agenda=active_agenda).first()
    cr = svc.change_request_create(
        agenda=active_agenda,
        actor=people.coordinator,
        reason="Later",
        milestone_changes=[{"milestone": ms.pk, "new_target_year": "2031"}],
    )
    svc.change_request_decide(change_request=cr, actor=people.state_rep, outcome="accept")
    ms.refresh_from_db()
    assert ms.target_year == 2031 and ms.target_value == Decimal("150")
    assert ms.history.first().history_user == people.state_rep


def test_withdraw(active_agenda, people):
    cr = shift(active_agenda, people, "100")
    with pytest.raises(PermissionDenied):
        svc.change_request_withdraw(change_request=cr, actor=people.partner)
    cr = svc.change_request_withdraw(change_request=cr, actor=people.coordinator)
    assert cr.status == "withdrawn"
    with pytest.raises(PermissionDenied):
        svc.change_request_decide(change_request=cr, actor=people.state_rep, outcome="accept")


def test_accepting_a_change_adds_rows_to_open_reports(active_agenda, people):
    report, _ = progress_report_open(agenda=active_agenda, year=2027)
    line = rijk_line(active_agenda, year=2028)
    eu = FundingSource.objects.get(code="eu")
    BudgetLine.objects.create(priority=line.priority, year=2028, source=eu, amount=Decimal("10"))
    eu_line = BudgetLine.objects.get(priority=line.priority, year=2028, source=eu)
    cr = shift(active_agenda, people, "5", line=eu_line, to_year=2027)
    svc.change_request_decide(change_request=cr, actor=people.state_rep, outcome="accept")
    assert report.realisations.filter(budget_line__source=eu).count() == 1


def test_stale_budget_is_refused_when_applying(active_agenda, people):
    # two small requests that together stay within 10 % (cumulative routing counts open requests too)
    first = shift(active_agenda, people, "5000")
    second = shift(active_agenda, people, "5000")
    assert first.route == second.route == "state_representative"
    BudgetLine.objects.filter(pk=rijk_line(active_agenda).pk).update(amount=Decimal("8000"))
    svc.change_request_decide(change_request=first, actor=people.state_rep, outcome="accept")
    with pytest.raises(TransitionRefused) as exc:
        svc.change_request_decide(change_request=second, actor=people.state_rep, outcome="accept")
    assert exc.value.code == "stale_change"
    second.refresh_from_db()
    assert second.status == "submitted"


def test_signing_a_large_change_needs_a_verified_second_factor(settings, active_agenda, people):
    settings.TWO_FACTOR_ENFORCED = True
    cr = shift(active_agenda, people, "50000")
    cr = svc.change_request_prepare(
        change_request=cr, actor=people.officer, advised_outcome="accept", note="Past binnen de doelen."
    )
    with pytest.raises(TransitionRefused) as exc:
        svc.change_request_sign(change_request=cr, actor=people.signatory, outcome="accept")
    assert exc.value.code == "second_factor_required" and exc.value.status == 403  # one guard, one code
    cr.refresh_from_db()
    done = svc.change_request_sign(
        change_request=cr, actor=people.signatory, outcome="accept", second_factor_verified=True
    )
    assert done.status == "accepted"
