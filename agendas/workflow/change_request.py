"""THE transition table of a change request on an active agenda, and its routing rule
(machinery: agendas/workflow/engine.py).

submitted → accepted | rejected by the state representative (a small change, route ``state_representative``);
submitted → prepared (ministry officer) → accepted | rejected by a signatory who neither prepared nor revised
it (four eyes, route ``ministry``); submitted/prepared → withdrawn by the coordinator.

Routing counts the CUMULATIVE shift since the last ministry decision: the money moved by accepted
state-representative changes since then, plus every open request, plus this one — and the same for each
milestone's target value and year. Slices cannot add up past the 10 % (or one-year) threshold unseen: the
crossing one goes to the ministry, and the state representative cannot accept it either (``WITHIN_MANDATE``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agendas import finance
from agendas.models import BudgetLine, ChangeRequest, ChangeRequestItem, ChangeRequestTransition
from agendas.workflow import roles as who
from agendas.workflow.engine import PERMISSION, Action, Context, Guard, Machine
from agendas.workflow.guards import FOUR_EYES, SECOND_FACTOR, SEPARATION_OF_DUTIES

C = ChangeRequest.Status
Route = ChangeRequest.Route
SMALL_CHANGE_SHARE = Decimal("0.10")  # up to and including 10 % (cumulative) → state representative
SMALL_YEAR_SHIFT = 1  # a milestone's target year may move one year as a small change


# --- the routing rule ---------------------------------------------------------------------------------
def rijk_contribution_by_priority(agenda) -> dict[int, Decimal]:
    return dict(
        BudgetLine.objects.filter(finance.requested_q("source__"), priority__agenda=agenda)
        .values_list("priority_id")
        .annotate(total=Sum("amount"))
        .order_by()
    )


def moved_by_priority(shifts) -> dict[int, Decimal]:
    """Money moved out of or into each priority by these budget-shift items."""
    moved: dict[int, Decimal] = defaultdict(Decimal)
    for item in shifts:
        moved[item.from_line.priority_id] += item.amount
        if item.to_priority_id != item.from_line.priority_id:
            moved[item.to_priority_id] += item.amount
    return moved


def last_ministry_decision_at(agenda):
    """When the ministry last decided on the agenda's plan: its latest accepted large change (``None``: only
    the signed agenda decision, so everything since then counts)."""
    return (
        ChangeRequest.objects.filter(agenda=agenda, route=Route.MINISTRY, status=C.ACCEPTED)
        .order_by("-decided_at")
        .values_list("decided_at", flat=True)
        .first()
    )


def cumulative_moved(agenda, *, exclude_pk: int | None = None, include_open: bool = True) -> dict[int, Decimal]:
    """Per priority: the money moved by accepted state-representative changes since the last ministry
    decision, plus (``include_open``) by every open request of either route."""
    items = ChangeRequestItem.objects.filter(
        change_request__in=_counting_requests(agenda, exclude_pk=exclude_pk, include_open=include_open).values("pk"),
        kind=ChangeRequestItem.Kind.BUDGET_SHIFT,
    ).select_related("from_line")
    return moved_by_priority(items)


def _over_threshold(moved: dict[int, Decimal], rijk: dict[int, Decimal]) -> list[int]:
    return [
        pid
        for pid, amount in moved.items()
        if (rijk.get(pid) or Decimal("0")) <= 0 or amount > (rijk.get(pid) or Decimal("0")) * SMALL_CHANGE_SHARE
    ]


def _counting_requests(agenda, *, exclude_pk: int | None, include_open: bool):
    """The requests whose changes count toward the threshold: accepted small changes since the last ministry
    decision and (``include_open``) every open request of either route."""
    since = last_ministry_decision_at(agenda)
    accepted = ChangeRequest.objects.filter(agenda=agenda, route=Route.STATE_REPRESENTATIVE, status=C.ACCEPTED)
    if since is not None:
        accepted = accepted.filter(decided_at__gt=since)
    counting = accepted
    if include_open:
        counting = counting | ChangeRequest.objects.filter(agenda=agenda, status__in=list(ChangeRequest.OPEN_STATUSES))
    if exclude_pk is not None:
        counting = counting.exclude(pk=exclude_pk)
    return counting


@dataclass
class MilestoneMoves:
    """How far one milestone's target has moved through the counted changes (absolute steps, summed), and the
    target the first counted change started from (the target as the ministry last decided it)."""

    value: Decimal = Decimal("0")
    years: int = 0
    first_target: Decimal | None = None


def cumulative_milestone_moves(
    agenda, *, exclude_pk: int | None = None, include_open: bool = True
) -> dict[int, MilestoneMoves]:
    """Per milestone: the moves of its target value and year by the accepted small changes since the last
    ministry decision plus (``include_open``) every open request, so three small steps add up as one would."""
    moves: dict[int, MilestoneMoves] = defaultdict(MilestoneMoves)
    items = (
        ChangeRequestItem.objects.filter(
            change_request__in=_counting_requests(agenda, exclude_pk=exclude_pk, include_open=include_open).values(
                "pk"
            ),
            kind=ChangeRequestItem.Kind.MILESTONE,
        )
        .order_by("pk")
        .values_list("milestone_id", "old_target_value", "new_target_value", "old_target_year", "new_target_year")
    )
    for mid, old_value, new_value, old_year, new_year in items:
        m = moves[mid]
        if m.first_target is None:
            m.first_target = old_value
        if new_value is not None and old_value is not None:
            m.value += abs(new_value - old_value)
        if new_year is not None and old_year is not None:
            m.years += abs(new_year - old_year)
    return moves


def _milestones_over_threshold(milestone_changes, moves: dict[int, MilestoneMoves]) -> bool:
    """Small while, for every milestone, this change together with the counted earlier ones moves the target by
    at most 10 % of the planned change (target − baseline, as last decided) and the year by at most one."""
    for item in milestone_changes:
        m = item.milestone
        counted = moves.get(m.pk) or MilestoneMoves()
        value, years = counted.value, counted.years
        if item.new_target_value is not None:
            value += abs(item.new_target_value - m.target_value)
        if item.new_target_year is not None:
            years += abs(item.new_target_year - m.target_year)
        decided_target = counted.first_target if counted.first_target is not None else m.target_value
        # only what this change moves is judged: a year-only change is not routed on earlier value moves
        if item.new_target_value is not None and value > abs(decided_target - m.baseline_value) * SMALL_CHANGE_SHARE:
            return True
        if item.new_target_year is not None and years > SMALL_YEAR_SHIFT:
            return True
    return False


def change_request_route(*, agenda, shifts: list, milestone_changes: list, exclude_pk: int | None = None) -> str:
    """Who decides. A change is *small* (state representative) when, for every priority it touches, the money
    moved out of or into that priority – this request together with the accepted small changes since the last
    ministry decision and all open requests – is at most 10 % of the priority's extra Rijk contribution (all
    years), and every milestone change moves the target by at most 10 % of the planned change
    (target − baseline) and the target year by at most one year. Anything larger – or money moved in a priority
    without an extra Rijk contribution – goes to the ministry (four eyes)."""
    moved = moved_by_priority(shifts)
    if moved:
        total = cumulative_moved(agenda, exclude_pk=exclude_pk)
        for pid, amount in moved.items():
            total[pid] += amount
        if _over_threshold({pid: total[pid] for pid in moved}, rijk_contribution_by_priority(agenda)):
            return Route.MINISTRY
    if milestone_changes and _milestones_over_threshold(
        milestone_changes, cumulative_milestone_moves(agenda, exclude_pk=exclude_pk)
    ):
        return Route.MINISTRY
    return Route.STATE_REPRESENTATIVE


def _within_mandate(ctx: Context) -> list[str]:
    """Checked again when the state representative decides: accepting must not take the cumulative shift
    past the threshold (e.g. after the plan changed since the request was routed)."""
    cr: ChangeRequest = ctx.case
    if ctx.params.get("outcome") == ChangeRequest.Outcome.REJECT:
        return []
    shifts = list(cr.items.filter(kind=ChangeRequestItem.Kind.BUDGET_SHIFT).select_related("from_line"))
    changes = list(cr.items.filter(kind=ChangeRequestItem.Kind.MILESTONE).select_related("milestone"))
    over = False
    if shifts:
        moved = moved_by_priority(shifts)
        accepted_since = cumulative_moved(cr.agenda, exclude_pk=cr.pk, include_open=False)
        over = bool(
            _over_threshold(
                {pid: moved[pid] + accepted_since.get(pid, Decimal("0")) for pid in moved},
                rijk_contribution_by_priority(cr.agenda),
            )
        )
    if not over and changes:
        over = _milestones_over_threshold(
            changes, cumulative_milestone_moves(cr.agenda, exclude_pk=cr.pk, include_open=False)
        )
    if over:
        return [
            _(
                "Samen met de eerder geaccepteerde wijzigingen sinds het laatste besluit van het ministerie gaat "
                "meer dan %(share)s %% van de extra rijksbijdrage van een prioriteit over, of verschuift een "
                "mijlpaal meer dan %(share)s %% of meer dan een jaar; het ministerie beslist."
            )
            % {"share": int(SMALL_CHANGE_SHARE * 100)}
        ]
    return []


WITHIN_MANDATE = Guard(
    _within_mandate,
    gettext_lazy("Deze wijziging is samen met eerdere wijzigingen te groot voor de rijksvertegenwoordiger."),
    status=403,
    code="over_threshold",
    kind=PERMISSION,
)


# --- who ----------------------------------------------------------------------------------------------
def _small_and_state_rep(user, cr, obj=None) -> bool:
    return cr.route == Route.STATE_REPRESENTATIVE and who.is_state_representative(user, cr)


def _large_and_officer(user, cr, obj=None) -> bool:
    return cr.route == Route.MINISTRY and who.is_officer(user)


def _large_and_signatory(user, cr, obj=None) -> bool:
    return cr.route == Route.MINISTRY and who.is_signatory(user)


def _by_outcome(cr, params: dict) -> str:
    return C.ACCEPTED if params.get("outcome") == ChangeRequest.Outcome.ACCEPT else C.REJECTED


ACTIONS = [
    Action(  # creation: recorded as the first transition; never a button
        name="submit",
        label=gettext_lazy("Wijziging aanvragen"),
        sources=frozenset(),
        target=C.SUBMITTED,
        who=who.is_coordinator,
        who_refusal=gettext_lazy("Alleen de coördinator van deze alliantie kan een wijziging aanvragen."),
        notify=("deciders",),
    ),
    Action(
        name="decide_change",
        label=gettext_lazy("Beslissen (kleine wijziging)"),
        sources=frozenset({C.SUBMITTED}),
        target=_by_outcome,
        who=_small_and_state_rep,
        who_refusal=gettext_lazy(
            "Alleen de rijksvertegenwoordiger van deze regio beslist over een ingediende kleine wijziging."
        ),
        guards=(SEPARATION_OF_DUTIES, WITHIN_MANDATE),
        notify=("coordinators",),
        button=True,
    ),
    Action(
        name="prepare_change",
        label=gettext_lazy("Besluit voorbereiden (grote wijziging)"),
        sources=frozenset({C.SUBMITTED}),
        target=C.PREPARED,
        who=_large_and_officer,
        who_refusal=gettext_lazy("Alleen een BZK-medewerker kan een ingediende grote wijziging voorbereiden."),
        guards=(SEPARATION_OF_DUTIES,),
        notify=("signatories",),
        button=True,
    ),
    Action(
        name="sign_change",
        label=gettext_lazy("Ondertekenen (grote wijziging)"),
        sources=frozenset({C.PREPARED}),
        target=_by_outcome,
        who=_large_and_signatory,
        who_refusal=gettext_lazy("Alleen een BZK-ondertekenaar beslist over een voorbereide grote wijziging."),
        guards=(FOUR_EYES, SEPARATION_OF_DUTIES, SECOND_FACTOR),
        notify=("coordinators",),
        button=True,
    ),
    Action(
        name="withdraw_change",
        label=gettext_lazy("Wijzigingsverzoek intrekken"),
        sources=frozenset({C.SUBMITTED, C.PREPARED}),
        target=C.WITHDRAWN,
        who=who.is_coordinator,
        who_refusal=gettext_lazy("Alleen de coördinator kan een openstaand wijzigingsverzoek intrekken."),
        button=True,
    ),
]

CHANGE_REQUEST = Machine(
    name="change_request",
    actions=ACTIONS,
    status_choices=C.choices,
    record_model=lambda: ChangeRequestTransition,
    record_fk="change_request",
    noun=gettext_lazy("het wijzigingsverzoek"),
    case_model=lambda: ChangeRequest,
    lock_related=("agenda__alliance",),
    role_and_state_as_permission_denied=True,
)
