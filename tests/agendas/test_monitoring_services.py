"""Progress reports: opening (pre-filled, idempotent), saving with validation, locking, transitions."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import OutboxMessage
from agendas.models import (
    Agenda,
    BudgetLineRealisation,
    FundingSource,
    MilestoneProgress,
    ProgressReport,
    ProgressReportTransition,
)
from agendas.monitoring import services as svc
from agendas.monitoring import transitions as report_transitions
from kansenagenda.errors import ConflictError
from tests.agendas.monitoring_fixtures import *  # noqa: F403
from tests.agendas.monitoring_fixtures import People, fill_complete, make_active_agenda
from tests.factories import BudgetLineFactory, MilestoneFactory


# --- opening ---------------------------------------------------------------------------------------
def test_open_creates_prefilled_rows_and_notifies_coordinator(active_agenda, people):
    report, created = svc.progress_report_open(agenda=active_agenda, year=2027)
    assert created
    assert report.status == ProgressReport.Status.OPEN
    assert report.due_date == dt.date(2028, 4, 1)
    assert report.milestone_progress.count() == 4  # 2 priorities x 2 milestones
    assert report.realisations.count() == 4  # 2 priorities x 2 sources for 2027 (2028 lines are not in it)
    assert report.narratives.count() == 2
    mail = OutboxMessage.objects.get(kind="monitoring_report_opened")
    assert mail.recipient == people.coordinator.email
    assert "2027" in mail.subject and "1 april 2028" in mail.body


def test_open_is_idempotent(active_agenda, people):
    first, created1 = svc.progress_report_open(agenda=active_agenda, year=2027)
    second, created2 = svc.progress_report_open(agenda=active_agenda, year=2027)
    assert created1 and not created2 and first.pk == second.pk
    assert ProgressReport.objects.count() == 1
    assert MilestoneProgress.objects.count() == 4
    assert OutboxMessage.objects.filter(kind="monitoring_report_opened").count() == 1


@pytest.mark.parametrize("status", [Agenda.Status.DRAFT, Agenda.Status.APPROVED, Agenda.Status.CLOSED])
def test_open_refused_for_agendas_that_are_not_active(active_agenda, status):
    Agenda.objects.filter(pk=active_agenda.pk).update(status=status)
    active_agenda.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        svc.progress_report_open(agenda=active_agenda, year=2027)
    assert "lopende agenda" in str(exc.value)


@pytest.mark.parametrize("year", [2026, 2037])
def test_open_refused_outside_the_period(active_agenda, year):
    with pytest.raises(ValidationError) as exc:
        svc.progress_report_open(agenda=active_agenda, year=year)
    assert "buiten de looptijd 2027–2036" in str(exc.value.message_dict["year"])


def test_prefilled_from_last_years_report(active_agenda, people, report):
    fill_complete(report, people.coordinator)
    narrative = report.narratives.first()
    report.refresh_from_db()
    svc.progress_report_save(
        report=report,
        actor=people.coordinator,
        lock_version=report.lock_version,
        narratives={narrative.priority_id: "Vorig jaar gestart met werving."},
    )
    report2028, _ = svc.progress_report_open(agenda=active_agenda, year=2028)
    assert report2028.overall_narrative == "Het loopt goed."
    assert report2028.risks == "Krapte"
    for row in report2028.milestone_progress.all():
        assert row.value_reached == Decimal("40")
        assert row.status == "on_track"
        assert row.evidence == "Cursussen gestart."
    assert report2028.narratives.get(priority_id=narrative.priority_id).text == "Vorig jaar gestart met werving."
    # spending is new information each year: not copied, only the lines of 2028
    assert list(report2028.realisations.values_list("realised", flat=True)) == [None] * 4
    assert set(report2028.realisations.values_list("budget_line__year", flat=True)) == {2028}


def test_rows_added_for_milestones_and_lines_created_later(report, active_agenda):
    priority = active_agenda.priorities.first()
    MilestoneFactory(priority=priority, title="Nieuw")
    BudgetLineFactory(priority=priority, year=2027, source=FundingSource.objects.get(code="eu"))
    svc.ensure_report_rows(report=report)
    svc.ensure_report_rows(report=report)
    assert report.milestone_progress.count() == 5
    assert report.realisations.count() == 5


# --- saving ----------------------------------------------------------------------------------------
def _save(report, actor, **kwargs):
    report.refresh_from_db()
    return svc.progress_report_save(report=report, actor=actor, lock_version=report.lock_version, **kwargs)


def test_save_writes_values_and_records_history(report, people):
    ms = report.milestone_progress.first()
    line = report.realisations.first()
    saved = _save(
        report,
        people.coordinator,
        milestones={ms.pk: {"status": "at_risk", "value_reached": "12,5"}},
        spending={line.pk: {"realised": "1.234,56", "committed": "€ 100"}},
        report_fields={"overall_narrative": "  Tekst  "},
    )
    ms.refresh_from_db()
    line.refresh_from_db()
    assert ms.value_reached == Decimal("12.5") and ms.status == "at_risk"
    assert line.realised == Decimal("1234.56") and line.committed == Decimal("100.00")
    assert saved.overall_narrative == "Tekst"
    assert saved.lock_version == 2
    assert ms.history.first().history_user == people.coordinator
    assert line.history.first().history_user == people.coordinator
    assert saved.history.first().history_user == people.coordinator


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("realised", "-1", "is negatief; vul een bedrag van 0 of meer in"),
        # "10.001" is ten thousand and one in Dutch; three decimals need the decimal comma (one parser: money)
        ("realised", "10,001", "meer dan twee decimalen"),
        ("realised", "tien euro", "is geen bedrag"),
        ("committed", "-0,01", "is negatief; vul een bedrag van 0 of meer in"),
    ],
)
def test_amount_validation_names_the_field(report, people, field, value, message):
    line = report.realisations.select_related("budget_line__priority").first()
    with pytest.raises(ValidationError) as exc:
        _save(report, people.coordinator, spending={line.pk: {field: value}})
    errors = exc.value.message_dict
    key = f"spending-{line.pk}-{field}"
    assert message in errors[key][0]
    assert line.budget_line.priority.title in errors[key][0]  # names which line
    label = "Gerealiseerde besteding" if field == "realised" else "Verplichte bedragen"
    assert errors[key][0].startswith(label)


def test_value_reached_must_be_a_number_in_its_unit(report, people):
    ms = report.milestone_progress.select_related("milestone").first()
    with pytest.raises(ValidationError) as exc:
        _save(report, people.coordinator, milestones={ms.pk: {"value_reached": "veel"}})
    msg = exc.value.message_dict[f"milestone-{ms.pk}-value_reached"][0]
    assert "Bereikte waarde bij mijlpaal" in msg and "personen" in msg and ms.milestone.title in msg


def test_cancelled_needs_a_reason(report, people):
    ms = report.milestone_progress.first()
    with pytest.raises(ValidationError) as exc:
        _save(report, people.coordinator, milestones={ms.pk: {"status": "cancelled"}})
    assert "Reden vervallen" in exc.value.message_dict[f"milestone-{ms.pk}-cancellation_reason"][0]
    _save(report, people.coordinator, milestones={ms.pk: {"status": "cancelled", "cancellation_reason": "Geen vraag"}})
    ms.refresh_from_db()
    assert ms.status == "cancelled"


def test_achieved_requires_target_met_or_justification(report, people):
    ms = report.milestone_progress.first()  # target 150
    with pytest.raises(ValidationError) as exc:
        _save(report, people.coordinator, milestones={ms.pk: {"status": "achieved", "value_reached": "149"}})
    assert "streefwaarde (150 personen)" in exc.value.message_dict[f"milestone-{ms.pk}-achievement_justification"][0]
    _save(report, people.coordinator, milestones={ms.pk: {"status": "achieved", "value_reached": "150"}})
    other = report.milestone_progress.exclude(pk=ms.pk).first()
    _save(
        report,
        people.coordinator,
        milestones={
            other.pk: {"status": "achieved", "value_reached": "120", "achievement_justification": "Doel bijgesteld"}
        },
    )
    assert MilestoneProgress.objects.filter(status="achieved").count() == 2


def test_invalid_save_changes_nothing(report, people):
    ms = report.milestone_progress.first()
    line = report.realisations.first()
    with pytest.raises(ValidationError):
        _save(
            report,
            people.coordinator,
            milestones={ms.pk: {"value_reached": "10"}},
            spending={line.pk: {"realised": "-5"}},
        )
    ms.refresh_from_db()
    report.refresh_from_db()
    assert ms.value_reached is None and report.lock_version == 1


def test_rows_of_another_report_are_refused(report, people):
    other = make_active_agenda()
    People(other)
    other_report, _ = svc.progress_report_open(agenda=other, year=2027)
    foreign = other_report.realisations.first()
    with pytest.raises(ValidationError) as exc:
        _save(report, people.coordinator, spending={foreign.pk: {"realised": "1"}})
    assert f"spending-{foreign.pk}" in exc.value.message_dict
    assert BudgetLineRealisation.objects.get(pk=foreign.pk).realised is None


def test_stale_lock_version_is_a_conflict_that_says_what_changed(report, people):
    ms = report.milestone_progress.select_related("milestone").first()
    _save(report, people.coordinator, milestones={ms.pk: {"value_reached": "5"}}, report_fields={"risks": "Nieuw"})
    with pytest.raises(ConflictError) as exc:
        svc.progress_report_save(
            report=report, actor=people.coordinator, lock_version=1, milestones={ms.pk: {"value_reached": "6"}}
        )
    changes = exc.value.changes
    assert exc.value.current_lock_version == 2
    assert str(people.coordinator) in exc.value.message
    assert changes["risks"]["label"] == "risico's" and changes["risks"]["new"] == "Nieuw"
    reached = changes[f"milestone:{ms.pk}:value_reached"]
    assert ms.milestone.title in reached["label"] and reached["new"] == "5,0000"
    ms.refresh_from_db()
    assert ms.value_reached == Decimal("5")


@pytest.mark.parametrize("who", ["partner", "state_rep", "officer", "other_coordinator"])
def test_only_the_coordinator_saves(report, people, who):
    with pytest.raises(PermissionDenied):
        _save(report, people[who], report_fields={"risks": "x"})


# --- transitions -----------------------------------------------------------------------------------
def test_submit_lists_everything_missing(report, people):
    ms = report.milestone_progress.first()
    _save(report, people.coordinator, milestones={ms.pk: {"status": "on_track"}})
    with pytest.raises(ValidationError) as exc:
        report_transitions.progress_report_submit(report=report, actor=people.coordinator)
    errors = exc.value.message_dict
    assert "overall_narrative" in errors
    assert f"milestone-{ms.pk}-value_reached" in errors  # on track needs a value; not started does not
    assert len([k for k in errors if k.endswith("-value_reached")]) == 1
    assert len([k for k in errors if k.endswith("-realised")]) == 4
    assert "0 als er niets is uitgegeven" in next(v[0] for k, v in errors.items() if k.endswith("-realised"))


def test_full_cycle_submit_return_resubmit_accept_reopen(report, people):
    fill_complete(report, people.coordinator)
    report = report_transitions.progress_report_submit(report=report, actor=people.coordinator)
    assert report.status == "submitted" and report.submitted_by == people.coordinator
    assert OutboxMessage.objects.filter(kind="monitoring_report_submitted", recipient=people.state_rep.email).exists()
    assert not OutboxMessage.objects.filter(recipient=people.other_state_rep.email).exists()

    with pytest.raises(PermissionDenied):  # submitted: no more edits
        _save(report, people.coordinator, report_fields={"risks": "x"})
    with pytest.raises(ValidationError) as exc:
        report_transitions.progress_report_return(report=report, actor=people.state_rep, remarks=" ")
    assert "Opmerkingen" in exc.value.message_dict["remarks"][0]
    with pytest.raises(PermissionDenied):
        report_transitions.progress_report_return(report=report, actor=people.other_state_rep, remarks="Nee")

    report = report_transitions.progress_report_return(
        report=report, actor=people.state_rep, remarks="Onderbouw de uitgaven."
    )
    assert report.status == "returned" and report.decision_remarks == "Onderbouw de uitgaven."
    assert "Onderbouw de uitgaven." in OutboxMessage.objects.get(kind="monitoring_report_returned").body

    _save(report, people.coordinator, report_fields={"overall_narrative": "Uitgaven onderbouwd."})
    report = report_transitions.progress_report_submit(report=report, actor=people.coordinator)
    report = report_transitions.progress_report_accept(report=report, actor=people.state_rep)
    assert report.status == "accepted" and report.decided_by == people.state_rep

    with pytest.raises(PermissionDenied) as exc:  # accepted is immutable
        _save(report, people.coordinator, report_fields={"risks": "x"})
    assert "Geaccepteerd" in str(exc.value)
    with pytest.raises(PermissionDenied):
        report_transitions.progress_report_reopen(report=report, actor=people.state_rep, reason="x")
    with pytest.raises(ValidationError):
        report_transitions.progress_report_reopen(report=report, actor=people.officer, reason="")
    report = report_transitions.progress_report_reopen(
        report=report, actor=people.officer, reason="Fout in bedragen ontdekt."
    )
    assert report.status == "returned"
    actions = list(ProgressReportTransition.objects.filter(report=report).values_list("action", "actor", "comment"))
    assert actions == [
        ("submit", people.coordinator.pk, ""),
        ("return", people.state_rep.pk, "Onderbouw de uitgaven."),
        ("submit", people.coordinator.pk, ""),
        ("accept", people.state_rep.pk, ""),
        ("reopen", people.officer.pk, "Fout in bedragen ontdekt."),
    ]
    _save(report, people.coordinator, report_fields={"risks": "weer bewerkbaar"})


def test_stale_transition_is_a_conflict(report, people):
    fill_complete(report, people.coordinator)
    with pytest.raises(ConflictError):
        report_transitions.progress_report_submit(report=report, actor=people.coordinator, lock_version=1)


def test_transition_log_is_append_only(report, people):
    fill_complete(report, people.coordinator)
    report_transitions.progress_report_submit(report=report, actor=people.coordinator)
    t = ProgressReportTransition.objects.get()
    with pytest.raises(ValueError):
        t.save()
    with pytest.raises(ValueError):
        t.delete()


def test_comment_by_partner_and_not_by_state_rep(report, people):
    comment = report_transitions.progress_report_comment(report=report, actor=people.partner, body="Goed bezig")
    assert comment.author == people.partner
    with pytest.raises(PermissionDenied):
        report_transitions.progress_report_comment(report=report, actor=people.state_rep, body="x")
    with pytest.raises(ValidationError):
        report_transitions.progress_report_comment(report=report, actor=people.partner, body="  ")
