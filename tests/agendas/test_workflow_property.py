"""Property-based test: random sequences of workflow actions by random people never break the invariants.

Invariants (issue 4): an approved agenda always has ≥ 1 submitted review, an advice and a decision signed by
someone other than its preparer; approved amounts never exceed the requested amounts; a submitted version
never changes; every status change has exactly one transition record.
"""

import copy
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, Phase, event, given, settings
from hypothesis import strategies as st

from agendas.decision import reviews as review_services
from agendas.decision import services
from agendas.decision import signoff as signoff_services
from agendas.decision.versions import requested_rijk_extra_by_year
from agendas.models import Advice, Agenda, AgendaVersion, Decision, ResponsePoint, Review, ReviewAssignment, Transition
from kansenagenda.errors import ConflictError, TransitionRefused
from tests.agendas.workflow_fixtures import build_world, full_scores

PEOPLE = ["coordinator", "partner", "officer", "officer2", "signatory", "state_rep", "reviewer", "reviewer2", "admin"]


def _assignment(w, reviewer_name):
    return ReviewAssignment.objects.filter(agenda=w.agenda, reviewer=getattr(w, reviewer_name)).order_by("-pk").first()


def _pending_reviewer(w):
    a = (
        ReviewAssignment.objects.filter(agenda=w.agenda, status__in=["awaiting_declaration", "active"])
        .select_related("reviewer")
        .first()
    )
    if a is None:
        return None
    return "reviewer" if a.reviewer_id == w.reviewer.pk else "reviewer2" if a.reviewer_id == w.reviewer2.pk else None


def next_step(w) -> str:
    """The action that would move the agenda on from where it is now (keeps random runs going deep)."""
    agenda = Agenda.objects.get(pk=w.agenda.pk)
    if agenda.status in ("draft", "withdrawn", "returned"):
        open_points = ResponsePoint.objects.filter(review__assignment__agenda=agenda, answer="").exists()
        return "answer" if open_points else "submit"
    if agenda.status == "submitted":
        return "assign"
    if agenda.status == "under_review":
        current = ReviewAssignment.objects.filter(agenda=agenda, version__number=agenda.current_version)
        if not current.exclude(status__in=["recused", "cancelled"]).exists():
            return "assign"
        if current.filter(status="awaiting_declaration").exists():
            return "declare"
        if current.filter(status="active").exists():
            return "review"
        return "advice"
    if agenda.status == "awaiting_decision":
        has_decision = Decision.objects.filter(agenda=agenda, version__number=agenda.current_version).exists()
        return "sign" if has_decision else "prepare"
    return {"approved": "activate", "active": "close"}.get(agenda.status, "submit")


def do(w, action, actor_name, variant):
    actor = w.fresh(getattr(w, actor_name))
    agenda = w.agenda
    if action == "submit":
        services.agenda_submit(agenda=agenda, actor=actor)
    elif action == "withdraw":
        services.agenda_withdraw(agenda=agenda, actor=actor)
    elif action == "assign":
        reviewer = [w.reviewer, w.reviewer2, w.reviewer, w.reviewer2, w.conflicted_reviewer][variant % 5]
        services.reviewer_assign(agenda=agenda, actor=actor, reviewer=reviewer)
    elif action in ("declare", "conflict"):
        a = _assignment(w, actor_name if actor_name in ("reviewer", "reviewer2") else "reviewer")
        if a:
            services.assignment_declare(assignment=a, actor=actor, has_conflict=action == "conflict", text="Belang")
    elif action == "review":
        a = _assignment(w, actor_name if actor_name in ("reviewer", "reviewer2") else "reviewer")
        if a:
            review = Review.objects.filter(assignment=a).first()
            review_services.review_save(
                assignment=a,
                actor=actor,
                lock_version=review.lock_version if review else 1,
                distribution_effects="Kernen winnen",
                verdict=["positive", "conditional", "negative"][variant % 3],
                recommendations="Meetbaar maken",
                scores=full_scores(variant % 5 - 2),
                response_points=[review_services.PointInput("Punt")] if variant % 2 else [],
            )
            review_services.review_submit(assignment=a, actor=actor)
    elif action == "advice":
        services.advice_save(agenda=agenda, actor=actor, text="Advies", recommendation="approve", submit=True)
    elif action == "prepare":
        outcome = ["approve", "return", "approve", "reject", "approve", "return"][variant % 6]
        amount = ["50000", "100000", "100000.01", "999999"][variant % 4]
        signoff_services.decision_prepare(
            agenda=agenda,
            actor=actor,
            advised_decision=outcome,
            core="Kern",
            reasons="Redenen",
            year_amounts={agenda.start_year: amount, agenda.start_year + 1: "1"},
        )
    elif action == "sign":
        signoff_services.decision_sign(agenda=agenda, actor=actor, second_factor_verified=variant % 4 != 0)
    elif action == "answer":
        for point in ResponsePoint.objects.filter(review__assignment__agenda=agenda, answer=""):
            services.response_point_answer(point=point, actor=actor, answer="Antwoord")
    elif action == "activate":
        services.agenda_activate(agenda=agenda)
    elif action == "close":
        services.agenda_close(agenda=agenda, actor=actor)


NATURAL = {
    "submit": "coordinator",
    "withdraw": "coordinator",
    "assign": "officer",
    "declare": None,
    "conflict": None,
    "review": None,
    "advice": "state_rep",
    "prepare": "officer2",
    "sign": "signatory",
    "answer": "coordinator",
    "activate": "officer",
    "close": "officer",
}
ACTIONS = list(NATURAL) + ["progress"] * 12  # "progress": the next step of the happy path

step = st.tuples(st.sampled_from(ACTIONS), st.integers(0, 9), st.sampled_from(PEOPLE), st.integers(0, 11))


def check_invariants(w, snapshots, seen_records, status_before):
    agenda = Agenda.objects.get(pk=w.agenda.pk)
    # a submitted version never changes
    for version in AgendaVersion.objects.filter(agenda=agenda):
        if version.pk in snapshots:
            assert version.snapshot == snapshots[version.pk]
        else:
            snapshots[version.pk] = copy.deepcopy(version.snapshot)
    # approved (and later) agendas: reviews, advice, four-eyes decision
    for decision in Decision.objects.filter(agenda=agenda, outcome="approve"):
        assert decision.signed_by_id and decision.signed_by_id != decision.prepared_by_id
        assert Review.objects.filter(assignment__version=decision.version, submitted_at__isnull=False).exists()
        assert Advice.objects.filter(version=decision.version, submitted_at__isnull=False).exists()
    if agenda.status in ("approved", "active", "closed"):
        assert Decision.objects.filter(agenda=agenda, outcome="approve").exists()
    # approved amounts never exceed requested
    for decision in Decision.objects.filter(agenda=agenda):
        requested = requested_rijk_extra_by_year(decision.version)
        for ya in decision.year_amounts.all():
            assert ya.approved_amount <= requested.get(ya.year, Decimal("0"))
    # exactly one record per status change, chained
    records = list(Transition.objects.filter(agenda=agenda).order_by("at", "pk"))
    new = records[seen_records:]
    if agenda.status == status_before:
        assert not new
    else:
        assert new and new[0].from_status == status_before and new[-1].to_status == agenda.status
        for a, b in zip(new, new[1:], strict=False):
            assert a.to_status == b.from_status
    return len(records), agenda.status


@settings(
    max_examples=30,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(step, min_size=20, max_size=45), started=st.booleans())
def test_random_action_sequences_keep_invariants(db, steps, started):
    year = timezone.localdate().year
    with transaction.atomic():
        # a started agenda (this year only) can become active and be closed within the run
        w = build_world(start_year=year - 3, end_year=year) if started else build_world()
        snapshots: dict[int, dict] = {}
        seen, status = 0, "draft"
        for action, naturalness, random_person, variant in steps:
            if action == "progress":
                action = next_step(w)
            actor_name = NATURAL[action] if naturalness < 8 else random_person
            if actor_name is None:
                actor_name = _pending_reviewer(w) or ["reviewer", "reviewer2"][variant % 2]
            try:
                with transaction.atomic():
                    do(w, action, actor_name, variant)
            except (TransitionRefused, ValidationError, ConflictError):
                pass
            seen, status = check_invariants(w, snapshots, seen, status)
        event(f"reached: {status}")
        transaction.set_rollback(True)
