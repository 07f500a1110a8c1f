"""The shared guards every deciding action uses: four eyes, second factor, separation of duties, and the
independence of a reviewer. ONE home for each; the transition tables list them, the policies ask them.

Imports models and role predicates only – never services or the policy (no import cycles).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Membership
from agendas.models import (
    ChangeRequest,
    ChangeRequestParticipant,
    Decision,
    DecisionParticipant,
    DestructionList,
    ProgressReport,
)
from agendas.workflow.engine import INPUT, PERMISSION, Context, Guard
from agendas.workflow.roles import agenda_of, is_coordinator

INDEPENDENCE_YEARS = 3  # a reviewer may not have belonged to an alliance organisation in the last 3 years


def years_ago(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


# --- four eyes --------------------------------------------------------------------------------------
def _decided_thing(ctx: Context):
    """What is being signed: the agenda's decision (ctx.obj), the change request or the destruction list
    itself (ctx.case)."""
    if isinstance(ctx.obj, Decision):
        return ctx.obj
    if isinstance(ctx.case, ChangeRequest | DestructionList):
        return ctx.case
    return None


def preparers(thing) -> dict[int, str]:
    """Everyone who prepared or revised a decision, change request or destruction list: {user id: role}."""
    if isinstance(thing, DestructionList):
        return {thing.drawn_up_by_id: "preparer"}
    if isinstance(thing, Decision):
        rows = DecisionParticipant.objects.filter(
            decision=thing, role__in=[DecisionParticipant.Role.PREPARER, DecisionParticipant.Role.REVISER]
        )
    else:
        rows = ChangeRequestParticipant.objects.filter(
            change_request=thing,
            role__in=[ChangeRequestParticipant.Role.PREPARER, ChangeRequestParticipant.Role.REVISER],
        )
    people = dict(rows.values_list("user_id", "role"))
    if thing.prepared_by_id and thing.prepared_by_id not in people:  # records from before the participants table
        people[thing.prepared_by_id] = "preparer"
    return people


def four_eyes(ctx: Context) -> list[str]:
    """The signer is none of the people who prepared or revised the decision."""
    thing = _decided_thing(ctx)
    if thing is None or ctx.actor is None or not thing.pk:
        return []
    role = preparers(thing).get(ctx.actor.pk)
    if role is None:
        return []
    if isinstance(thing, DestructionList):
        return [_("U heeft deze vernietigingslijst zelf opgesteld; een ander moet hem goedkeuren (vier ogen).")]
    if role == "reviser":
        return [_("U heeft deze nota herzien; een andere ondertekenaar moet tekenen (vier ogen).")]
    return [_("U heeft deze nota zelf opgesteld; een andere ondertekenaar moet tekenen (vier ogen).")]


FOUR_EYES = Guard(
    four_eyes,
    gettext_lazy("Vier ogen: wie de nota heeft opgesteld of herzien, mag niet ondertekenen."),
    status=403,
    code="four_eyes",
    kind=PERMISSION,
)


# --- second factor ----------------------------------------------------------------------------------
def second_factor(ctx: Context) -> list[str]:
    if getattr(settings, "TWO_FACTOR_ENFORCED", True) and not ctx.params.get("second_factor_verified", False):
        return [_("Rond eerst de tweestapsverificatie af; daarna kunt u ondertekenen.")]
    return []


SECOND_FACTOR = Guard(
    second_factor,
    gettext_lazy("Ondertekenen vraagt om tweestapsverificatie."),
    status=403,
    code="second_factor_required",
    kind=INPUT,
)


# --- separation of duties ---------------------------------------------------------------------------
def separation_of_duties(ctx: Context) -> list[str]:
    """Nobody acts on the same case in two roles: no self-assignment as reviewer; nobody decides (accepts,
    returns, advises, signs) what they requested or submitted, or a case of an alliance they coordinate."""
    actor = ctx.actor
    if actor is None or not actor.is_authenticated:
        return []
    reasons = []
    reviewer = ctx.params.get("reviewer")
    if reviewer is not None:
        if reviewer.pk == actor.pk:
            reasons.append(_("U kunt uzelf niet als beoordelaar toewijzen; kies een andere beoordelaar."))
        return reasons
    case = ctx.case
    own = None
    if isinstance(case, ChangeRequest):
        own = case.requested_by_id
        what = _("Dit wijzigingsverzoek is door uzelf ingediend")
    elif isinstance(case, ProgressReport):
        own = case.submitted_by_id
        what = _("Deze rapportage is door uzelf ingediend")
    if own is not None and own == actor.pk:
        reasons.append(_("%(what)s; een ander moet erover beslissen (scheiding van functies).") % {"what": what})
    elif is_coordinator(actor, agenda_of(case)):
        reasons.append(
            _(
                "U bent coördinator van deze alliantie en kunt daarom niet ook namens het Rijk beslissen "
                "(scheiding van functies); een ander moet dit doen."
            )
        )
    return reasons


SEPARATION_OF_DUTIES = Guard(
    separation_of_duties,
    gettext_lazy("Scheiding van functies: u kunt in deze zaak niet in twee rollen optreden."),
    status=403,
    code="separation_of_duties",
    kind=PERMISSION,
)


# --- independence of a reviewer (separation of duties between the alliance and its review) ------------
def reviewer_conflicts(agenda, reviewer, on: datetime.date | None = None) -> list[str]:
    """Why ``reviewer`` is not independent of this agenda's alliance (empty list: independent)."""
    on = on or timezone.localdate()
    since = years_ago(on, INDEPENDENCE_YEARS)
    org_ids = set(agenda.alliance.organisations.values_list("pk", flat=True))
    org_ids |= set(agenda.partners.values_list("organisation_id", flat=True))
    memberships = (
        Membership.objects.filter(user=reviewer, organisation_id__in=org_ids, start_date__lte=on)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=since))
        .select_related("organisation")
    )
    reasons = []
    for m in memberships:
        if m.end_date is None or m.end_date >= on:
            reasons.append(
                _("%(name)s werkt bij %(org)s, een organisatie in deze alliantie.")
                % {"name": reviewer, "org": m.organisation}
            )
        else:
            reasons.append(
                _(
                    "%(name)s werkte tot %(end)s bij %(org)s, een organisatie in deze alliantie (minder dan %(years)s jaar geleden)."
                )
                % {
                    "name": reviewer,
                    "org": m.organisation,
                    "end": m.end_date.strftime("%d-%m-%Y"),
                    "years": INDEPENDENCE_YEARS,
                }
            )
    if agenda.alliance.coordinators.filter(pk=reviewer.pk).exists():
        reasons.append(_("%(name)s is coördinator van deze alliantie.") % {"name": reviewer})
    return reasons
