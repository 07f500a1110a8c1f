"""The independent broad-welfare review: draft-saving and submitting (which locks it)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import save_rows_with_history
from accounts.models import User
from agendas import workflow
from agendas.decision.services import lock_agenda, maybe_complete_review, tell
from agendas.models import (
    BroadWelfareDimension,
    ResponsePoint,
    Review,
    ReviewAssignment,
    ReviewDimensionScore,
    ReviewPriorityRemark,
)
from agendas.workflow.agenda_guards import review_missing_items  # noqa: F401 - the rule lives with its guard
from kansenagenda.locking import IN_PROCESS, check_lock


@dataclass(frozen=True)
class ScoreInput:
    dimension_id: int
    effect: int | None
    confidence: str
    explanation: str = ""
    not_applicable: bool = False  # "niet van toepassing": no effect, no certainty, the explanation is the reason


@dataclass(frozen=True)
class PointInput:
    text: str
    priority_id: int | None = None


def version_priority_ids(assignment: ReviewAssignment) -> set[int]:
    return {p["id"] for p in assignment.version.snapshot.get("priorities", [])}


def _lock_assignment(assignment: ReviewAssignment) -> tuple:
    agenda = lock_agenda(assignment.agenda_id)
    assignment = (
        ReviewAssignment.objects.select_for_update(of=("self",))
        .select_related("version", "reviewer", "assigned_by")
        .get(pk=assignment.pk)
    )
    return agenda, assignment


@transaction.atomic
def review_save(
    *,
    assignment: ReviewAssignment,
    actor: User,
    lock_version: Any,
    distribution_effects: str = "",
    verdict: str = "",
    recommendations: str = "",
    scores: list[ScoreInput] | None = None,
    remarks: dict[int, str] | None = None,
    response_points: list[PointInput] | None = None,
) -> Review:
    """Save the reviewer's draft (everything may still be incomplete). Lists given replace what was saved."""
    agenda, assignment = _lock_assignment(assignment)
    workflow.check("save_review", actor=actor, agenda=agenda, obj=assignment)
    review, _created = Review.objects.select_for_update().get_or_create(assignment=assignment)
    check_lock(
        review,
        lock_version,
        bump=False,  # bumped below, with the save
        message=_(
            "Deze beoordeling is in een ander venster opgeslagen. Herlaad de pagina; uw invoer hieronder is niet opgeslagen."
        ),
    )
    errors: dict[str, list[str]] = {}
    if verdict and verdict not in Review.Verdict.values:
        errors.setdefault("verdict", []).append(_("Kies een oordeel uit de lijst."))
    dims = {d.pk: d for d in BroadWelfareDimension.objects.filter(active=True)}
    clean_scores = []
    for s in scores or []:
        dim = dims.get(s.dimension_id)
        if dim is None:
            errors.setdefault("scores", []).append(
                _("Onbekende brede-welvaartsdimensie (%(id)s).") % {"id": s.dimension_id}
            )
            continue
        if s.effect is None and not s.confidence and not s.explanation.strip() and not s.not_applicable:
            continue  # not filled in yet
        field = f"score_{dim.code}"
        if s.not_applicable:
            if s.effect is not None:
                errors.setdefault(field, []).append(
                    _("‘%(dim)s’: kies een verwacht effect óf ‘niet van toepassing’, niet beide.") % {"dim": dim.label}
                )
            elif not s.explanation.strip():
                errors.setdefault(f"reason_{dim.code}", []).append(
                    _("‘%(dim)s’: schrijf in de toelichting waarom deze dimensie niet van toepassing is.")
                    % {"dim": dim.label}
                )
            else:
                clean_scores.append(ScoreInput(s.dimension_id, None, "", s.explanation, not_applicable=True))
            continue
        if s.effect is None or s.effect not in (-2, -1, 0, 1, 2):
            errors.setdefault(field, []).append(
                _("‘%(dim)s’: kies een verwacht effect van −2 tot +2.") % {"dim": dim.label}
            )
            continue
        if s.confidence not in ReviewDimensionScore.Confidence.values:
            errors.setdefault(field, []).append(
                _("‘%(dim)s’: kies de zekerheid (laag, gemiddeld of hoog).") % {"dim": dim.label}
            )
            continue
        clean_scores.append(s)
    allowed_priorities = version_priority_ids(assignment)
    for pid in list(remarks or {}) + [p.priority_id for p in response_points or [] if p.priority_id]:
        if pid not in allowed_priorities:
            errors.setdefault("remarks", []).append(
                _("Prioriteit %(id)s hoort niet bij de beoordeelde versie.") % {"id": pid}
            )
    if errors:
        raise ValidationError(errors)

    review.distribution_effects = distribution_effects.strip()
    review.verdict = verdict
    review.recommendations = recommendations.strip()
    review.lock_version += 1
    review._history_user = actor
    review.full_clean(exclude=["assignment"])
    review.save()
    # Only what differs is written, each row with its history row (accounts.audit, the one rule).
    if scores is not None:
        save_rows_with_history(
            model=ReviewDimensionScore,
            existing=review.scores.all(),
            wanted=[
                ReviewDimensionScore(
                    review=review,
                    dimension_id=s.dimension_id,
                    effect=s.effect,
                    confidence=s.confidence,
                    not_applicable=s.not_applicable,
                    explanation=s.explanation.strip(),
                )
                for s in clean_scores
            ],
            key=lambda row: row.dimension_id,
            fields=["effect", "confidence", "not_applicable", "explanation"],
            actor=actor,
        )
    if remarks is not None:
        save_rows_with_history(
            model=ReviewPriorityRemark,
            existing=review.priority_remarks.all(),
            wanted=[
                ReviewPriorityRemark(review=review, priority_id=pid, remarks=text.strip())
                for pid, text in remarks.items()
                if text and text.strip()
            ],
            key=lambda row: row.priority_id,
            fields=["remarks"],
            actor=actor,
        )
    if response_points is not None:
        save_rows_with_history(
            model=ResponsePoint,
            existing=review.response_points.all(),
            wanted=[
                ResponsePoint(review=review, priority_id=p.priority_id, text=p.text.strip())
                for p in response_points
                if p.text and p.text.strip()
            ],
            key=lambda row: (row.priority_id, row.text),
            fields=[],
            actor=actor,
        )
    return review


@transaction.atomic
def review_submit(*, assignment: ReviewAssignment, actor: User, lock_version: Any = IN_PROCESS) -> Review:
    """Submit the review: it is locked from now on. The last missing piece moves the agenda on."""
    agenda, assignment = _lock_assignment(assignment)
    workflow.check("save_review", actor=actor, agenda=agenda, obj=assignment)
    review = Review.objects.select_for_update().filter(assignment=assignment).first()
    if review is not None:
        check_lock(
            review,
            lock_version,
            bump=False,  # bumped below, with the save
            message=_(
                "Deze beoordeling is in een ander venster gewijzigd. Controleer de laatste versie en dien dan in."
            ),
        )
    workflow.check("submit_review", actor=actor, agenda=agenda, obj=assignment)
    review.submitted_at = timezone.now()
    review.lock_version += 1
    review._history_user = actor
    review.save()
    assignment.status = ReviewAssignment.Status.SUBMITTED
    assignment._history_user = actor
    assignment.save()
    tell(
        "submit_review",
        agenda=agenda,
        actor=actor,
        obj=assignment,
        subject=_("Brede-welvaartstoets ingediend: %(title)s") % {"title": agenda.title},
        template="review_submitted",
        kind="workflow.review_submitted",
        context={"assignment": assignment, "review": review},
    )
    maybe_complete_review(agenda=agenda, actor=actor)
    return review
