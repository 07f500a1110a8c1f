"""Who represents the state in a region (rijksvertegenwoordiger), and who may change that.

A region without a current state representative gets no advice, so its agendas can never be decided
(the Twente case). The ministry officer or an administrator assigns one here; assigning a successor ends
the current assignment the day before the successor starts, so the region's assignments are its history
(and every change has its history row, with the actor).
"""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import roles
from accounts.models import Region, StateRepresentativeAssignment, User
from accounts.permissions import is_admin


def may_assign(user: User) -> bool:
    """The one rule: a ministry officer or an administrator assigns state representatives to regions."""
    return is_admin(user) or (user.is_authenticated and user.has_role(roles.MINISTRY_OFFICER))


def candidates():
    return (
        User.objects.filter(groups__name=roles.STATE_REPRESENTATIVE, is_active=True)
        .distinct()
        .order_by("last_name", "first_name", "pk")
    )


def _current_q(on: date) -> Q:
    return Q(start_date__lte=on) & (Q(end_date__isnull=True) | Q(end_date__gte=on))


def regions_with_representatives(on: date | None = None):
    """Every region with its assignments prefetched (newest first): a flat number of queries."""
    return Region.objects.order_by("name").prefetch_related(
        Prefetch(
            "state_representatives",
            queryset=StateRepresentativeAssignment.objects.select_related("user").order_by("-start_date", "-pk"),
            to_attr="assignments",
        )
    )


def current_of(assignments, on: date | None = None) -> list[StateRepresentativeAssignment]:
    on = on or timezone.localdate()
    return [a for a in assignments if a.start_date <= on and (a.end_date is None or a.end_date >= on)]


@transaction.atomic
def assign(*, region: Region, user: User, start_date: date, actor: User) -> StateRepresentativeAssignment:
    """Make ``user`` the region's state representative from ``start_date``; a current (open) assignment of
    someone else ends the day before. Refused: a user without the role, an assignment that would overlap
    one starting later, or the person who already represents the region."""
    if not user.has_role(roles.STATE_REPRESENTATIVE):
        raise ValidationError({"user": _("Deze gebruiker heeft niet de rol rijksvertegenwoordiger.")})
    rows = list(StateRepresentativeAssignment.objects.select_for_update().filter(region=region))
    if any(a.start_date >= start_date and a.user_id != user.pk for a in rows):
        raise ValidationError(
            {"start_date": _("Er is al een toewijzing die op of na deze datum begint; kies een latere datum.")}
        )
    own = next((a for a in rows if a.user_id == user.pk), None)
    if own is not None and own.start_date <= start_date and (own.end_date is None or own.end_date >= start_date):
        raise ValidationError({"user": _("Deze persoon is op die datum al rijksvertegenwoordiger van deze regio.")})
    for other in rows:
        if other.user_id != user.pk and (other.end_date is None or other.end_date >= start_date):
            other.end_date = start_date - timedelta(days=1)
            other._history_user = actor
            other.save(update_fields=["end_date"])
    if own is None:
        own = StateRepresentativeAssignment(user=user, region=region)
    own.start_date, own.end_date = start_date, None
    own._history_user = actor
    own.full_clean(validate_unique=False)
    own.save()
    return own
