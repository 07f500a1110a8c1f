"""The workflow services: each transition, its guards, its records and its notifications."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from guardian.shortcuts import get_perms

from accounts.models import OutboxMessage
from agendas.decision import reminders as reminder_services
from agendas.decision import reviews as review_services
from agendas.decision import services
from agendas.decision import signoff as signoff_services
from agendas.models import (
    Advice,
    Agenda,
    AgendaVersion,
    Decision,
    ResponsePoint,
    Review,
    ReviewAssignment,
    Transition,
)
from agendas.permissions import agenda_version_policy, workflow_policy
from kansenagenda.errors import ConflictError, TransitionRefused
from tests.agendas.workflow_fixtures import *  # noqa: F403
from tests.agendas.workflow_fixtures import World, advance, full_scores
from tests.factories import BudgetLineFactory, PriorityFactory, member_of

S = Agenda.Status


def transitions(agenda):
    return list(Transition.objects.filter(agenda=agenda).values_list("action", "from_status", "to_status"))


# --- submit ---------------------------------------------------------------------------------------
def test_submit_freezes_numbered_version_and_records_transition(world: World):
    version = services.agenda_submit(agenda=world.agenda, actor=world.coordinator, comment="Graag beoordelen")
    agenda = world.refresh()
    assert agenda.status == S.SUBMITTED and agenda.current_version == 1 and agenda.submitted_at
    assert not agenda.is_editable
    assert version.number == 1
    assert version.snapshot["agenda"]["title"] == agenda.title
    assert version.snapshot["budget"]["rijk_extra_by_year"] == {"2027": "100000.00", "2028": "50000.00"}
    assert transitions(agenda) == [("submit", "draft", "submitted")]
    record = Transition.objects.get(agenda=agenda)
    assert record.actor == world.coordinator and record.comment == "Graag beoordelen" and record.version_number == 1
    with pytest.raises(ValueError):
        version.save()


def test_submit_notifies_officers_state_rep_and_coordinator(world: World):
    services.agenda_submit(agenda=world.agenda, actor=world.coordinator)
    recipients = set(OutboxMessage.objects.values_list("recipient", flat=True))
    assert {world.officer.email, world.officer2.email, world.state_rep.email} == recipients
    assert world.other_state_rep.email not in recipients
    assert world.partner.email not in recipients
    body = OutboxMessage.objects.filter(recipient=world.officer.email).first().body
    assert world.agenda.title in body and "&quot;" not in body


def test_submit_refused_with_missing_items(world: World):
    world.agenda.priorities.all().delete()
    with pytest.raises(TransitionRefused) as exc:
        services.agenda_submit(agenda=world.agenda, actor=world.coordinator)
    assert exc.value.status == 409 and exc.value.code == "incomplete"
    assert any("prioriteit" in r for r in exc.value.reasons)
    assert world.refresh().status == S.DRAFT
    assert not AgendaVersion.objects.exists() and not Transition.objects.exists()
    assert not OutboxMessage.objects.exists()


@pytest.mark.parametrize("who", ["partner", "other_coordinator", "officer", "state_rep", "reviewer", "admin"])
def test_only_the_coordinator_submits(world: World, who):
    with pytest.raises(TransitionRefused) as exc:
        services.agenda_submit(agenda=world.agenda, actor=getattr(world, who))
    assert exc.value.status == 403 and "coördinator" in exc.value.message


def test_submit_twice_is_wrong_state(world: World):
    services.agenda_submit(agenda=world.agenda, actor=world.coordinator)
    with pytest.raises(TransitionRefused) as exc:
        services.agenda_submit(agenda=world.agenda, actor=world.fresh(world.coordinator))
    assert exc.value.status == 409 and exc.value.code == "wrong_state"
    assert "Ingediend" in exc.value.message


def test_submit_with_stale_lock_version_conflicts(world: World):
    with pytest.raises(ConflictError):
        services.agenda_submit(agenda=world.agenda, actor=world.coordinator, lock_version=world.agenda.lock_version + 5)


# --- withdraw -------------------------------------------------------------------------------------
def test_withdraw_before_reviewers_then_resubmit_makes_version_two(world: World):
    advance(world, "submitted")
    services.agenda_withdraw(agenda=world.agenda, actor=world.coordinator, comment="Nog een partner toevoegen")
    agenda = world.refresh()
    assert agenda.status == S.WITHDRAWN and agenda.is_editable
    services.agenda_submit(agenda=agenda, actor=world.fresh(world.coordinator))
    assert world.refresh().current_version == 2
    assert [t[0] for t in transitions(agenda)] == ["submit", "withdraw", "submit"]


def test_withdraw_refused_once_a_reviewer_is_assigned(world: World):
    advance(world, "submitted")
    services.reviewer_assign(agenda=world.agenda, actor=world.officer, reviewer=world.reviewer)
    with pytest.raises(TransitionRefused) as exc:
        services.agenda_withdraw(agenda=world.agenda, actor=world.coordinator)
    # under_review now: wrong state
    assert exc.value.status == 409


# --- assign reviewers -------------------------------------------------------------------------------
def test_first_assignment_starts_review_later_ones_do_not_add_transitions(world: World):
    advance(world, "submitted")
    a1 = services.reviewer_assign(agenda=world.agenda, actor=world.officer, reviewer=world.reviewer)
    a2 = services.reviewer_assign(agenda=world.agenda, actor=world.fresh(world.officer), reviewer=world.reviewer2)
    assert world.refresh().status == S.UNDER_REVIEW
    assert [t[0] for t in transitions(world.agenda)] == ["submit", "assign_reviewer"]
    assert a1.due_date == timezone.localdate() + datetime.timedelta(days=42)
    assert a2.version.number == 1
    assert OutboxMessage.objects.filter(recipient=world.reviewer.email, kind="workflow.reviewer_assigned").exists()


def test_reviewer_who_is_member_of_alliance_org_is_refused(world: World):
    advance(world, "submitted")
    with pytest.raises(TransitionRefused) as exc:
        services.reviewer_assign(agenda=world.agenda, actor=world.officer, reviewer=world.conflicted_reviewer)
    assert exc.value.code == "reviewer_not_independent" and exc.value.status == 409
    assert any("werkt bij" in r for r in exc.value.reasons)
    assert not ReviewAssignment.objects.exists()
    assert world.refresh().status == S.SUBMITTED


@pytest.mark.parametrize(
    "ended_days_ago, refused",
    [(30, True), (3 * 365 - 5, True), (3 * 366 + 5, False)],
)
def test_reviewer_former_member_within_three_years_is_refused(world: World, ended_days_ago, refused):
    advance(world, "submitted")
    end = timezone.localdate() - datetime.timedelta(days=ended_days_ago)
    partner_org = world.agenda.partners.first().organisation  # an agenda partner counts too
    member_of(world.free_reviewer, partner_org, start_date=end - datetime.timedelta(days=400), end_date=end)
    if refused:
        with pytest.raises(TransitionRefused) as exc:
            services.reviewer_assign(agenda=world.agenda, actor=world.officer, reviewer=world.free_reviewer)
        assert any("werkte tot" in r for r in exc.value.reasons)
    else:
        assert services.reviewer_assign(agenda=world.agenda, actor=world.officer, reviewer=world.free_reviewer)


def test_assign_refuses_non_reviewer_and_duplicate(world: World):
    advance(world, "submitted")
    with pytest.raises(TransitionRefused) as exc:
        services.reviewer_assign(agenda=world.agenda, actor=world.officer, reviewer=world.signatory)
    assert any("rol" in r for r in exc.value.reasons)
    services.reviewer_assign(agenda=world.agenda, actor=world.officer, reviewer=world.reviewer)
    with pytest.raises(TransitionRefused) as exc:
        services.reviewer_assign(agenda=world.agenda, actor=world.officer, reviewer=world.reviewer)
    assert any("al beoordelaar" in r for r in exc.value.reasons)


def test_assign_refuses_past_due_date(world: World):
    advance(world, "submitted")
    with pytest.raises(TransitionRefused):
        services.reviewer_assign(
            agenda=world.agenda, actor=world.officer, reviewer=world.reviewer, due_date=timezone.localdate()
        )


@pytest.mark.parametrize("who", ["coordinator", "signatory", "state_rep", "reviewer", "admin"])
def test_only_an_officer_assigns(world: World, who):
    advance(world, "submitted")
    with pytest.raises(TransitionRefused) as exc:
        services.reviewer_assign(agenda=world.agenda, actor=getattr(world, who), reviewer=world.reviewer2)
    assert exc.value.status == 403


# --- declaration and object permission ------------------------------------------------------------
def test_declaring_no_conflict_opens_exactly_that_version(world: World):
    advance(world, "submitted")
    a = services.reviewer_assign(agenda=world.agenda, actor=world.officer, reviewer=world.reviewer)
    reviewer = world.fresh(world.reviewer)
    assert not agenda_version_policy.visible(reviewer).exists()
    services.assignment_declare(assignment=a, actor=reviewer, has_conflict=False)
    reviewer = world.fresh(world.reviewer)
    assert list(agenda_version_policy.visible(reviewer)) == [a.version]
    assert get_perms(reviewer, a.version) == ["view_agendaversion"]
    # the live agenda stays invisible to the reviewer
    from agendas.permissions import agenda_policy

    assert not agenda_policy.visible(reviewer).exists()
    a.refresh_from_db()
    assert a.status == ReviewAssignment.Status.ACTIVE and a.declaration_at


def test_declaring_conflict_recuses_and_tells_officer(world: World):
    advance(world, "submitted")
    a = services.reviewer_assign(agenda=world.agenda, actor=world.officer, reviewer=world.reviewer)
    with pytest.raises(ValidationError):
        services.assignment_declare(assignment=a, actor=world.reviewer, has_conflict=True, text="  ")
    services.assignment_declare(assignment=a, actor=world.reviewer, has_conflict=True, text="Mijn partner werkt er.")
    a.refresh_from_db()
    assert a.status == ReviewAssignment.Status.RECUSED
    assert not agenda_version_policy.visible(world.fresh(world.reviewer)).exists()
    msg = OutboxMessage.objects.get(kind="workflow.conflict_declared")
    assert msg.recipient == world.officer.email and "andere beoordelaar" in msg.body
    # the recused reviewer cannot be assigned again to this version; another one can
    with pytest.raises(TransitionRefused):
        services.reviewer_assign(agenda=world.agenda, actor=world.officer, reviewer=world.reviewer)
    services.reviewer_assign(agenda=world.agenda, actor=world.officer, reviewer=world.reviewer2)


def test_only_the_assigned_reviewer_declares_and_only_once(world: World):
    advance(world, "submitted")
    a = services.reviewer_assign(agenda=world.agenda, actor=world.officer, reviewer=world.reviewer)
    with pytest.raises(TransitionRefused) as exc:
        services.assignment_declare(assignment=a, actor=world.reviewer2, has_conflict=False)
    assert exc.value.status == 403
    services.assignment_declare(assignment=a, actor=world.reviewer, has_conflict=False)
    with pytest.raises(TransitionRefused) as exc:
        services.assignment_declare(assignment=a, actor=world.reviewer, has_conflict=True, text="x")
    assert exc.value.status == 409


# --- reviews --------------------------------------------------------------------------------------
def _active_assignment(world, reviewer=None):
    reviewer = reviewer or world.reviewer
    a = services.reviewer_assign(agenda=world.agenda, actor=world.officer, reviewer=reviewer)
    return services.assignment_declare(assignment=a, actor=reviewer, has_conflict=False)


def test_review_draft_saving_and_submission_locks(world: World):
    advance(world, "submitted")
    a = _active_assignment(world)
    review = review_services.review_save(
        assignment=a,
        actor=world.reviewer,
        lock_version=1,
        distribution_effects="Kernen winnen",
        scores=full_scores()[:3],
    )
    assert review.lock_version == 2 and review.scores.count() == 3
    with pytest.raises(TransitionRefused) as exc:
        review_services.review_submit(assignment=a, actor=world.reviewer)
    assert exc.value.code == "incomplete" and any("oordeel" in r for r in exc.value.reasons)
    with pytest.raises(ConflictError):
        review_services.review_save(assignment=a, actor=world.reviewer, lock_version=1, verdict="positive")
    review_services.review_save(
        assignment=a,
        actor=world.reviewer,
        lock_version=2,
        distribution_effects="Kernen winnen",
        verdict="positive",
        scores=full_scores(),
        response_points=[review_services.PointInput("Wat is het bereik?")],
    )
    review = review_services.review_submit(assignment=a, actor=world.reviewer)
    assert review.is_submitted
    a.refresh_from_db()
    assert a.status == ReviewAssignment.Status.SUBMITTED
    with pytest.raises(TransitionRefused) as exc:
        review_services.review_save(
            assignment=a, actor=world.reviewer, lock_version=review.lock_version, verdict="negative"
        )
    assert "al ingediend" in exc.value.reasons[0]
    assert OutboxMessage.objects.filter(kind="workflow.review_submitted", recipient=world.officer.email).exists()


def test_review_validation_names_fields(world: World):
    advance(world, "submitted")
    a = _active_assignment(world)
    dim = full_scores()[0]
    with pytest.raises(ValidationError) as exc:
        review_services.review_save(
            assignment=a,
            actor=world.reviewer,
            lock_version=1,
            scores=[review_services.ScoreInput(dim.dimension_id, 3, "medium")],
            remarks={999999: "x"},
        )
    assert any(k.startswith("score_") for k in exc.value.message_dict) and "remarks" in exc.value.message_dict


def test_review_refused_before_declaration(world: World):
    advance(world, "submitted")
    a = services.reviewer_assign(agenda=world.agenda, actor=world.officer, reviewer=world.reviewer)
    with pytest.raises(TransitionRefused) as exc:
        review_services.review_save(assignment=a, actor=world.reviewer, lock_version=1)
    assert "verklaring" in exc.value.reasons[0]


def test_blind_reviews(world: World):
    advance(world, "submitted")
    a1 = _active_assignment(world, world.reviewer)
    a2 = _active_assignment(world, world.reviewer2)
    from tests.agendas.workflow_fixtures import _write_review

    _write_review(world, a1)
    agenda = Agenda.objects.select_related("alliance__region").get(pk=world.agenda.pk)
    r1 = Review.objects.get(assignment=a1)
    # reviewer 2 has not submitted: sees only their own draft
    assert set(workflow_policy.visible_reviews(world.fresh(world.reviewer2), agenda)) == {a2.review}
    # reviewer 1 submitted: sees own; reviewer 2's draft stays hidden
    assert set(workflow_policy.visible_reviews(world.fresh(world.reviewer), agenda)) == {r1}
    # ministry and state representative see submitted reviews; the alliance nothing yet
    assert set(workflow_policy.visible_reviews(world.fresh(world.officer), agenda)) == {r1}
    assert set(workflow_policy.visible_reviews(world.fresh(world.state_rep), agenda)) == {r1}
    assert not workflow_policy.visible_reviews(world.fresh(world.coordinator), agenda).exists()
    assert not workflow_policy.visible_reviews(world.fresh(world.other_state_rep), agenda).exists()
    a2.refresh_from_db()
    _write_review(world, a2)
    assert workflow_policy.visible_reviews(world.fresh(world.reviewer2), agenda).count() == 2


# --- advice and automatic move to awaiting_decision ----------------------------------------------
def test_awaiting_decision_when_all_reviews_and_advice_are_in(world: World):
    from tests.agendas.workflow_fixtures import _write_review

    advance(world, "submitted")
    a1 = _active_assignment(world, world.reviewer)
    recused = services.reviewer_assign(agenda=world.agenda, actor=world.officer, reviewer=world.reviewer2)
    services.assignment_declare(assignment=recused, actor=world.reviewer2, has_conflict=True, text="Familie")
    services.advice_save(
        agenda=world.agenda, actor=world.state_rep, text="Concept", recommendation="approve", submit=False
    )
    assert world.refresh().status == S.UNDER_REVIEW
    _write_review(world, a1)
    assert world.refresh().status == S.UNDER_REVIEW  # advice not submitted yet
    services.advice_save(
        agenda=world.agenda, actor=world.state_rep, text="Steun", recommendation="approve", submit=True
    )
    assert world.refresh().status == S.AWAITING_DECISION
    last = Transition.objects.filter(agenda=world.agenda).last()
    assert (last.action, last.actor) == ("complete_review", world.state_rep)
    assert OutboxMessage.objects.filter(kind="workflow.awaiting_decision").count() == 2  # two officers


@pytest.mark.parametrize("who", ["other_state_rep", "coordinator", "officer", "reviewer"])
def test_only_the_regions_state_rep_advises(world: World, who):
    advance(world, "submitted")
    with pytest.raises(TransitionRefused) as exc:
        services.advice_save(
            agenda=world.agenda, actor=getattr(world, who), text="x", recommendation="approve", submit=True
        )
    assert exc.value.status == 403


def test_advice_is_locked_once_given(world: World):
    advance(world, "submitted")
    services.advice_save(
        agenda=world.agenda, actor=world.state_rep, text="Steun", recommendation="approve", submit=True
    )
    with pytest.raises(TransitionRefused):
        services.advice_save(
            agenda=world.agenda, actor=world.state_rep, text="Toch niet", recommendation="reject", submit=True
        )
    assert Advice.objects.get().recommendation == "approve"


# --- decision -------------------------------------------------------------------------------------
def test_prepare_decision_summarises_reviews_and_caps_amounts(world: World):
    advance(world, "awaiting_decision")
    with pytest.raises(ValidationError) as exc:
        signoff_services.decision_prepare(
            agenda=world.agenda,
            actor=world.officer,
            advised_decision="approve",
            core="Kern",
            year_amounts={2027: "100000.01", 2028: "10", 2040: "5"},
        )
    errors = exc.value.message_dict
    assert "amount_2027" in errors and "hoger dan gevraagd" in errors["amount_2027"][0]
    assert "amount_2040" in errors and "amount_2028" not in errors
    decision = signoff_services.decision_prepare(
        agenda=world.agenda,
        actor=world.officer,
        advised_decision="approve",
        core="Kern",
        year_amounts={2027: "100000", 2028: "50000.00"},
        actively_published=True,
    )
    assert [(y.year, y.approved_amount) for y in decision.year_amounts.all()] == [
        (2027, Decimal("100000.00")),
        (2028, Decimal("50000.00")),
    ]
    assert "Positief onder voorwaarden" in decision.review_summary
    assert "Advies rijksvertegenwoordiger" in decision.review_summary
    assert decision.reference.startswith("KA-") and decision.addressed_to
    assert OutboxMessage.objects.filter(kind="workflow.decision_prepared", recipient=world.signatory.email).exists()


def test_return_or_reject_needs_reasons(world: World):
    advance(world, "awaiting_decision")
    with pytest.raises(ValidationError) as exc:
        signoff_services.decision_prepare(
            agenda=world.agenda, actor=world.officer, advised_decision="reject", core="Kern"
        )
    assert "reasons" in exc.value.message_dict


def test_preparer_cannot_sign_four_eyes(world: World):
    advance(world, "awaiting_decision")
    signoff_services.decision_prepare(
        agenda=world.agenda, actor=world.officer2, advised_decision="approve", core="Kern", year_amounts={}
    )
    with pytest.raises(TransitionRefused) as exc:
        signoff_services.decision_sign(agenda=world.agenda, actor=world.officer2, second_factor_verified=True)
    assert exc.value.status == 403 and exc.value.code == "four_eyes"
    assert world.refresh().status == S.AWAITING_DECISION


def test_four_eyes_is_also_a_database_constraint(world: World):
    advance(world, "prepared")
    decision = Decision.objects.get()
    decision.signed_by = decision.prepared_by
    decision.signed_at = timezone.now()
    with pytest.raises(IntegrityError), transaction.atomic():
        decision.save()


def test_signing_requires_second_factor_when_enforced(world: World, settings):
    settings.TWO_FACTOR_ENFORCED = True
    advance(world, "prepared")
    with pytest.raises(TransitionRefused) as exc:
        signoff_services.decision_sign(agenda=world.agenda, actor=world.signatory, second_factor_verified=False)
    assert exc.value.code == "second_factor_required" and exc.value.status == 403
    signoff_services.decision_sign(agenda=world.agenda, actor=world.signatory, second_factor_verified=True)


def test_sign_without_prepared_nota_is_refused(world: World):
    advance(world, "awaiting_decision")
    with pytest.raises(TransitionRefused) as exc:
        signoff_services.decision_sign(agenda=world.agenda, actor=world.signatory, second_factor_verified=True)
    assert exc.value.code == "no_decision"


def test_approve_before_start_year_stays_approved_then_activates(world: World):
    advance(world, "approved")
    agenda = world.refresh()
    assert agenda.status == S.APPROVED  # start year 2027 is in the future
    decision = Decision.objects.get()
    assert decision.outcome == "approve" and decision.signed_by == world.signatory
    assert OutboxMessage.objects.filter(kind="workflow.decided", recipient=world.partner.email).exists()
    assert reminder_services.activate_started_agendas() == 0
    Agenda.objects.filter(pk=agenda.pk).update(start_year=timezone.localdate().year)
    assert reminder_services.activate_started_agendas() == 1
    assert world.refresh().status == S.ACTIVE
    assert reminder_services.activate_started_agendas() == 0  # idempotent
    assert [t[0] for t in transitions(agenda)][-2:] == ["approve", "activate"]


def test_approve_after_start_year_begun_activates_immediately(db):
    from tests.agendas.workflow_fixtures import build_world

    year = timezone.localdate().year
    w = build_world(start_year=year, end_year=year + 9)
    advance(w, "approved")
    assert w.refresh().status == S.ACTIVE
    assert [t[0] for t in transitions(w.agenda)][-2:] == ["approve", "activate"]


def test_return_shows_points_and_blocks_resubmission_until_answered(world: World):
    advance(world, "returned", points=("Hoe bereikt u de kleine kernen?", "Wie betaalt na 2030?"))
    agenda = world.refresh()
    assert agenda.status == S.RETURNED and agenda.is_editable
    decided = OutboxMessage.objects.get(kind="workflow.decided", recipient=world.coordinator.email)
    assert "Wie betaalt na 2030?" in decided.body
    # the alliance now sees the reviews
    fresh = Agenda.objects.select_related("alliance__region").get(pk=agenda.pk)
    assert workflow_policy.visible_reviews(world.fresh(world.coordinator), fresh).count() == 1
    with pytest.raises(TransitionRefused) as exc:
        services.agenda_submit(agenda=agenda, actor=world.coordinator)
    assert exc.value.code == "response_points_open" and len(exc.value.reasons) == 2
    points = list(ResponsePoint.objects.order_by("pk"))
    services.response_point_answer(point=points[0], actor=world.coordinator, answer="Met een bus op afroep.")
    with pytest.raises(TransitionRefused) as exc:
        services.agenda_submit(agenda=agenda, actor=world.fresh(world.coordinator))
    assert len(exc.value.reasons) == 1
    with pytest.raises(TransitionRefused) as exc:
        services.response_point_answer(point=points[1], actor=world.partner, answer="x")
    assert exc.value.status == 403
    services.response_point_answer(point=points[1], actor=world.coordinator, answer="De provincie.")
    # the returned version is kept; the agenda can be changed and resubmitted as version 2
    PriorityFactory(agenda=agenda)
    from agendas.models import FundingSource

    BudgetLineFactory(priority=agenda.priorities.last(), year=2029, source=FundingSource.objects.get(code="provincie"))
    from tests.factories import MilestoneFactory, confirm_cofinancing

    MilestoneFactory(priority=agenda.priorities.last())
    confirm_cofinancing(agenda)  # the new co-financing amount is confirmed by its partner
    v2 = services.agenda_submit(agenda=agenda, actor=world.fresh(world.coordinator))
    assert v2.number == 2 and AgendaVersion.objects.get(number=1).snapshot["priorities"].__len__() == 1


def test_reject_is_terminal(world: World):
    advance(world, "rejected")
    agenda = world.refresh()
    assert agenda.status == S.REJECTED and not agenda.is_editable
    with pytest.raises(TransitionRefused) as exc:
        services.agenda_submit(agenda=agenda, actor=world.coordinator)
    assert exc.value.status == 409


def test_close_only_at_end_of_period(world: World):
    advance(world, "approved")
    Agenda.objects.filter(pk=world.agenda.pk).update(status=S.ACTIVE)
    with pytest.raises(TransitionRefused) as exc:
        services.agenda_close(agenda=world.agenda, actor=world.officer)
    assert "looptijd" in exc.value.reasons[0]
    year = timezone.localdate().year
    Agenda.objects.filter(pk=world.agenda.pk).update(start_year=year - 5, end_year=year)
    with pytest.raises(TransitionRefused) as exc:
        services.agenda_close(agenda=world.agenda, actor=world.coordinator)
    assert exc.value.status == 403
    services.agenda_close(agenda=world.agenda, actor=world.officer, comment="Eindevaluatie gedaan")
    assert world.refresh().status == S.CLOSED


def test_every_status_change_has_exactly_one_record(world: World):
    advance(world, "approved")
    records = list(Transition.objects.filter(agenda=world.agenda).order_by("at", "pk"))
    assert [r.to_status for r in records] == ["submitted", "under_review", "awaiting_decision", "approved"]
    for before, after in zip(records, records[1:], strict=False):
        assert before.to_status == after.from_status
    with pytest.raises(ValueError):
        records[0].save()
    with pytest.raises(ValueError):
        records[0].delete()
