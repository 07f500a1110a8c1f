"""Who gets told: the audiences a transition table declares (``Action.notify``), resolved to people, and
THE one mail helper (``send``) – active users with an e-mail address, each at most once, never the actor.

Services call ``notify_action(machine_action, ctx, …)``; the e-mail is recorded in the outbox inside the
transaction and delivered after commit (accounts.services.queue_email).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db.models import Q
from django.utils import timezone

from accounts import roles
from accounts.models import Membership, StateRepresentativeAssignment, User
from accounts.services import queue_email
from agendas.models import ChangeRequest, Decision, DecisionParticipant
from agendas.workflow.engine import Action, Context
from agendas.workflow.roles import agenda_of


# --- audiences --------------------------------------------------------------------------------------
def officers() -> list[User]:
    return list(User.objects.filter(groups__name=roles.MINISTRY_OFFICER).order_by("pk"))


def signatories() -> list[User]:
    return list(User.objects.filter(groups__name=roles.MINISTRY_SIGNATORY).order_by("pk"))


def state_representatives(agenda) -> list[User]:
    today = timezone.localdate()
    ids = (
        StateRepresentativeAssignment.objects.filter(region_id=agenda.alliance.region_id, start_date__lte=today)
        .exclude(end_date__lt=today)
        .values("user_id")
    )
    return list(User.objects.filter(pk__in=ids, groups__name=roles.STATE_REPRESENTATIVE).order_by("pk"))


def coordinators(agenda) -> list[User]:
    return list(agenda.alliance.coordinators.order_by("pk"))


def alliance_people(agenda) -> list[User]:
    today = timezone.localdate()
    member_ids = (
        Membership.objects.filter(organisation__alliances=agenda.alliance, start_date__lte=today)
        .exclude(end_date__lt=today)
        .values("user_id")
    )
    return list(
        User.objects.filter(
            Q(pk__in=member_ids, groups__name__in=[roles.PARTNER, roles.COORDINATOR])
            | Q(pk__in=agenda.alliance.coordinators.values("pk"))
        )
        .distinct()
        .order_by("pk")
    )


def _decision(ctx: Context) -> Decision | None:
    return ctx.obj if isinstance(ctx.obj, Decision) else None


def _preparers(ctx: Context) -> list[User]:
    """Everyone who prepared or revised the decision."""
    decision = _decision(ctx)
    if decision is None:
        return []
    ids = decision.participants.exclude(role=DecisionParticipant.Role.SIGNER).values("user_id")
    return list(User.objects.filter(Q(pk__in=ids) | Q(pk=decision.prepared_by_id)).order_by("pk"))


def _reviewers_of_decision(ctx: Context) -> list[User]:
    decision = _decision(ctx)
    if decision is None:
        return []
    return [
        a.reviewer for a in decision.version.review_assignments.filter(status="submitted").select_related("reviewer")
    ]


def _assigning_officer(ctx: Context) -> list[User]:
    assigned_by = getattr(ctx.obj, "assigned_by", None)
    return [assigned_by] if assigned_by is not None and assigned_by.is_active else officers()


def _deciders(ctx: Context) -> list[User]:
    """Of a change request: the state representatives for a small change, the ministry officers for a large one."""
    cr = ctx.case
    if isinstance(cr, ChangeRequest) and cr.route == ChangeRequest.Route.MINISTRY:
        return officers()
    return state_representatives(agenda_of(cr))


AUDIENCES: dict[str, Callable[[Context], list[User]]] = {
    "officers": lambda ctx: officers(),
    "signatories": lambda ctx: signatories(),
    "state_representatives": lambda ctx: state_representatives(ctx.agenda),
    "coordinators": lambda ctx: coordinators(ctx.agenda),
    "alliance": lambda ctx: alliance_people(ctx.agenda),
    "preparer": _preparers,
    "reviewers": _reviewers_of_decision,
    "reviewer": lambda ctx: [r] if (r := ctx.params.get("reviewer")) is not None else [],
    "assigning_officer": _assigning_officer,
    "deciders": _deciders,
}


def recipients(action: Action, ctx: Context) -> list[User]:
    """The people the table's audiences of ``action`` stand for (actor and inactive users left out)."""
    people: list[User] = []
    for audience in action.notify:
        people += AUDIENCES[audience](ctx)
    return _deliverable(people, exclude=[ctx.actor])


# --- the one mail helper ----------------------------------------------------------------------------
def _deliverable(users: Iterable[User], exclude: Iterable[User | None] = ()) -> list[User]:
    excluded = {u.pk for u in exclude if u is not None}
    seen: set[int] = set()
    result = []
    for user in users:
        if user is None or user.pk in excluded or user.pk in seen or not user.is_active or not user.email:
            continue
        seen.add(user.pk)
        result.append(user)
    return result


def send(
    users: Iterable[User],
    *,
    subject: str,
    template: str,
    kind: str,
    context: dict | None = None,
    dedupe_key: str = "",
    exclude: Iterable[User | None] = (),
) -> int:
    """Queue one e-mail per active person with an address, each at most once (outbox row now, delivery after
    commit). ``template``: the full template path. Returns the number of messages recorded."""
    sent = 0
    for user in _deliverable(users, exclude):
        ctx = {"recipient": user, **(context or {})}
        if queue_email(
            recipient=user.email, subject=subject, template=template, context=ctx, kind=kind, dedupe_key=dedupe_key
        ):
            sent += 1
    return sent


def notify_action(
    action: Action,
    ctx: Context,
    *,
    subject: str,
    template: str,
    kind: str,
    context: dict | None = None,
    dedupe_key: str = "",
) -> int:
    """Tell the audiences the table declares for ``action``."""
    return send(
        recipients(action, ctx), subject=subject, template=template, kind=kind, context=context, dedupe_key=dedupe_key
    )
