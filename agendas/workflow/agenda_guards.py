"""The agenda table's guards: each a check with reasons a person can act on (what is missing, what to do).

The table itself (which action, from where, who, which of these guards) is agendas/workflow/agenda.py;
guards shared by every machine (four eyes, second factor, separation of duties) are agendas/workflow/guards.py.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import roles
from accounts.models import User
from agendas import finance
from agendas.decision.versions import requested_rijk_extra_by_year
from agendas.drafting.checklist import missing_items
from agendas.models import Advice, Agenda, BroadWelfareDimension, ResponsePoint, Review, ReviewAssignment
from agendas.workflow.engine import Context, Guard
from agendas.workflow.guards import (
    reviewer_conflicts,
)

S = Agenda.Status


def _checklist_complete(ctx: Context) -> list[str]:
    return [item.message for item in missing_items(ctx.agenda)]


def _response_points_answered(ctx: Context) -> list[str]:
    if not ctx.agenda.current_version:  # never submitted: no version, so no review and no point to answer
        return []
    open_points = ResponsePoint.objects.filter(
        review__assignment__agenda=ctx.agenda, review__submitted_at__isnull=False, answer=""
    ).order_by("pk")
    return [_("Beantwoord het punt: ‘%(text)s’.") % {"text": _short(p.text)} for p in open_points]


def _no_reviewers_assigned(ctx: Context) -> list[str]:
    exists = ReviewAssignment.objects.filter(agenda=ctx.agenda, version__number=ctx.agenda.current_version).exclude(
        status__in=[ReviewAssignment.Status.CANCELLED]
    )
    if exists.exists():
        return [_("Er zijn al beoordelaars toegewezen; neem contact op met het ministerie.")]
    return []


def _reviewer_eligible(ctx: Context) -> list[str]:
    reviewer: User | None = ctx.params.get("reviewer")
    if reviewer is None:
        return [_("Kies een beoordelaar.")]
    reasons = []
    if not reviewer.is_active or not reviewer.has_role(roles.REVIEWER):
        reasons.append(_("%(name)s heeft niet de rol ‘onafhankelijk beoordelaar brede welvaart’.") % {"name": reviewer})
    reasons += reviewer_conflicts(ctx.agenda, reviewer)
    already = ReviewAssignment.objects.filter(
        agenda=ctx.agenda, version__number=ctx.agenda.current_version, reviewer=reviewer
    ).exclude(status=ReviewAssignment.Status.CANCELLED)
    if already.filter(status=ReviewAssignment.Status.RECUSED).exists():
        reasons.append(_("%(name)s heeft voor deze versie een belangenconflict gemeld.") % {"name": reviewer})
    elif already.exists():
        reasons.append(_("%(name)s is al beoordelaar van deze versie.") % {"name": reviewer})
    if reasons:
        reasons.append(_("Kies een andere beoordelaar."))
    return reasons


def _due_date_in_future(ctx: Context) -> list[str]:
    due = ctx.params.get("due_date")
    if due is not None and due <= timezone.localdate():
        return [_("De uiterste datum moet na vandaag liggen.")]
    return []


def _assignment_awaiting_declaration(ctx: Context) -> list[str]:
    a: ReviewAssignment = ctx.obj
    if a.status != ReviewAssignment.Status.AWAITING_DECLARATION:
        return [_("U heeft de verklaring over belangenconflicten voor deze toewijzing al afgelegd.")]
    return []


def _assignment_active(ctx: Context) -> list[str]:
    a: ReviewAssignment = ctx.obj
    if a.status == ReviewAssignment.Status.AWAITING_DECLARATION:
        return [_("Leg eerst de verklaring over belangenconflicten af; daarna opent de agenda.")]
    if a.status == ReviewAssignment.Status.SUBMITTED:
        return [_("Uw beoordeling is al ingediend en kan niet meer worden gewijzigd.")]
    if a.status != ReviewAssignment.Status.ACTIVE:
        return [_("Deze toewijzing is niet meer actief (%(status)s).") % {"status": a.get_status_display()}]
    return []


def review_missing_fields(review: Review) -> dict[str, str]:
    """What must still be filled in before the review can be submitted, per part of the review (Dutch,
    actionable): ``score_<dimension code>``, ``distribution_effects``, ``verdict``, ``recommendations``.
    A dimension counts as filled in with an effect and its certainty, or as "niet van toepassing" with a reason."""
    missing: dict[str, str] = {}
    scored = {s.dimension_id for s in review.scores.all()}
    for dim in BroadWelfareDimension.objects.filter(active=True).order_by("order", "name"):
        if dim.pk not in scored:
            missing[f"score_{dim.code}"] = _(
                "Geef het verwachte effect en de zekerheid voor ‘%(dim)s’ (%(perspective)s), "
                "of kies ‘niet van toepassing’ met een toelichting."
            ) % {"dim": dim.label, "perspective": dim.get_perspective_display()}
    if not review.distribution_effects.strip():
        missing["distribution_effects"] = _(
            "Beschrijf de verdelingseffecten: welke groepen en gebieden winnen of verliezen?"
        )
    if not review.verdict:
        missing["verdict"] = _("Kies een oordeel: positief, positief onder voorwaarden of negatief.")
    if review.verdict in (Review.Verdict.CONDITIONAL, Review.Verdict.NEGATIVE) and not review.recommendations.strip():
        missing["recommendations"] = _("Geef aanbevelingen: bij dit oordeel zijn ze verplicht.")
    return missing


def review_missing_items(review: Review) -> list[str]:
    """What must still be filled in before the review can be submitted (the messages of review_missing_fields)."""
    return list(review_missing_fields(review).values())


def _review_complete(ctx: Context) -> list[str]:
    return review_missing_items(ctx.obj.review) if hasattr(ctx.obj, "review") else [_("Sla eerst een concept op.")]


def _advice_open(ctx: Context) -> list[str]:
    advice = Advice.objects.filter(version__agenda=ctx.agenda, version__number=ctx.agenda.current_version)
    if advice.filter(submitted_at__isnull=False).exists():
        return [_("Het advies voor deze versie is al uitgebracht.")]
    return []


def _reviews_and_advice_in(ctx: Context) -> list[str]:
    current = ReviewAssignment.objects.filter(agenda=ctx.agenda, version__number=ctx.agenda.current_version)
    counting = current.exclude(status__in=[ReviewAssignment.Status.RECUSED, ReviewAssignment.Status.CANCELLED])
    reasons = []
    if not counting.filter(status=ReviewAssignment.Status.SUBMITTED).exists():
        reasons.append(_("Er is nog geen ingediende beoordeling."))
    open_count = counting.exclude(status=ReviewAssignment.Status.SUBMITTED).count()
    if open_count:
        reasons.append(_("%(n)s beoordeling(en) nog niet ingediend.") % {"n": open_count})
    advice_in = Advice.objects.filter(
        version__agenda=ctx.agenda, version__number=ctx.agenda.current_version, submitted_at__isnull=False
    ).exists()
    if not advice_in:
        reasons.append(_("Het advies van de rijksvertegenwoordiger ontbreekt nog."))
    return reasons


def _decision_not_signed(ctx: Context) -> list[str]:
    decision = ctx.obj
    if decision is not None and decision.signed_at is not None:
        return [_("Het besluit is al ondertekend en kan niet meer worden gewijzigd.")]
    return []


def _decision_ready(ctx: Context) -> list[str]:
    decision = ctx.obj
    if decision is None:
        return [_("Er is nog geen besluit voorbereid. Een BZK-medewerker stelt eerst de nota op.")]
    if decision.signed_at is not None:
        return [
            _("Het besluit is al ondertekend door %(name)s op %(at)s.")
            % {"name": decision.signed_by, "at": timezone.localtime(decision.signed_at).strftime("%d-%m-%Y %H:%M")}
        ]
    return []


def _amounts_within_request(ctx: Context) -> list[str]:
    decision = ctx.obj
    if decision is None:
        return []
    requested = requested_rijk_extra_by_year(decision.version)
    reasons = []
    for ya in decision.year_amounts.all():
        problem = finance.over_request_problem(ya.year, ya.approved_amount, requested.get(ya.year))
        if problem:
            reasons.append(problem)
    return reasons


def _start_year_begun(ctx: Context) -> list[str]:
    if timezone.localdate().year < ctx.agenda.start_year:
        return [_("De looptijd begint pas in %(year)s.") % {"year": ctx.agenda.start_year}]
    return []


def _period_ended(ctx: Context) -> list[str]:
    if timezone.localdate().year < ctx.agenda.end_year:
        return [
            _("De looptijd loopt tot en met %(year)s; afsluiten kan vanaf dat laatste jaar.")
            % {"year": ctx.agenda.end_year}
        ]
    return []


def _point_open(ctx: Context) -> list[str]:
    point: ResponsePoint | None = ctx.obj
    if point is None:  # asked for the page, not for one point
        return []
    if point.review.assignment.agenda_id != ctx.agenda.pk or point.review.submitted_at is None:
        return [_("Dit punt hoort niet bij deze agenda.")]
    return []


def _short(text: str, n: int = 80) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _decision_matches(outcome: str) -> Guard:
    """The signatory signs the advised outcome, or another one with a reason (``params["reason"]``); approving
    against the advice needs approved amounts in the nota (send it back to have them filled in)."""

    def check(ctx: Context) -> list[str]:
        decision = ctx.obj
        if decision is None or decision.advised_decision == outcome:
            return []
        reasons = []
        if not (ctx.params.get("reason") or "").strip():
            reasons.append(
                _("De nota adviseert ‘%(advised)s’; geeft u een reden als u een ander besluit neemt.")
                % {"advised": decision.get_advised_decision_display()}
            )
        if outcome == "approve" and not decision.year_amounts.exists():
            reasons.append(
                _("De nota bevat geen toegekende bedragen; stuur de nota terug naar de opsteller om ze in te vullen.")
            )
        return reasons

    return Guard(check, gettext_lazy("U neemt een ander besluit dan de nota adviseert."), code="deviation_reason")


def _not_sent_back(ctx: Context) -> list[str]:
    decision = ctx.obj
    if decision is not None and decision.sent_back_at is not None:
        return [
            _("%(name)s heeft de nota teruggestuurd naar de opsteller; wacht op de herziene nota.")
            % {"name": decision.sent_back_by}
        ]
    return []


def _send_back_remarks(ctx: Context) -> list[str]:
    if not (ctx.params.get("remarks") or "").strip():
        return [_("Schrijf op wat de opsteller aan de nota moet veranderen.")]
    return []


CHECKLIST = Guard(_checklist_complete, gettext_lazy("De agenda is nog niet compleet."), code="incomplete")
POINTS_ANSWERED = Guard(
    _response_points_answered,
    gettext_lazy("Opnieuw indienen kan pas als elk punt uit de beoordeling is beantwoord."),
    code="response_points_open",
)
DECISION_READY = Guard(_decision_ready, gettext_lazy("Er is geen besluit om te ondertekenen."), code="no_decision")
NOT_SENT_BACK = Guard(_not_sent_back, gettext_lazy("De nota ligt bij de opsteller."), code="sent_back")
AMOUNTS = Guard(
    _amounts_within_request,
    gettext_lazy("De toegekende bedragen zijn hoger dan de gevraagde rijksbijdrage."),
    code="amount_exceeds_request",
)
ASSIGNMENT_ACTIVE = Guard(_assignment_active, gettext_lazy("Deze beoordeling kan nu niet worden bewerkt."))
