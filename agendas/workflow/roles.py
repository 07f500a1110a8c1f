"""Who is who for a case: the role predicates the transition tables use as ``who`` (user, case, obj).

``case`` is an agenda or anything with an ``agenda`` (progress report, change request). The policies in
agendas/permissions.py use the same predicates, so a button and a service never disagree.
"""

from __future__ import annotations

from accounts import roles
from accounts.permissions import alliance_policy, is_ministry, represented_region_ids
from agendas.models import Agenda


def agenda_of(case) -> Agenda:
    """The agenda a case belongs to (the agenda itself, or a progress report's / change request's)."""
    return case if isinstance(case, Agenda) else case.agenda


def _load_alliance_ids(user) -> None:
    """Coordinated and partner alliances of this request's user: one query, kept on the user for the request."""
    from django.db.models import Exists, OuterRef, Q

    from accounts.models import Alliance

    coordinated, partner = alliance_policy.coordinated(user), alliance_policy.partner_of(user)
    user._coordinated_alliance_ids, user._partner_alliance_ids = set(), set()
    if not user.is_authenticated or not user.has_role(roles.COORDINATOR, roles.PARTNER):
        return  # both are empty by the alliance policy's own rule: no query
    rows = (
        Alliance.objects.filter(Q(pk__in=coordinated.values("pk")) | Q(pk__in=partner.values("pk")))
        .annotate(
            coordinates=Exists(coordinated.filter(pk=OuterRef("pk"))),
            partners=Exists(partner.filter(pk=OuterRef("pk"))),
        )
        .values_list("pk", "coordinates", "partners")
    )
    for pk, coordinates, partners in rows:
        if coordinates:
            user._coordinated_alliance_ids.add(pk)
        if partners:
            user._partner_alliance_ids.add(pk)


def coordinated_alliance_ids(user) -> set[int]:
    if getattr(user, "_coordinated_alliance_ids", None) is None:
        _load_alliance_ids(user)
    return user._coordinated_alliance_ids


def partner_alliance_ids(user) -> set[int]:
    if getattr(user, "_partner_alliance_ids", None) is None:
        _load_alliance_ids(user)
    return user._partner_alliance_ids


def is_coordinator(user, case, obj=None) -> bool:
    return bool(user and user.is_authenticated) and agenda_of(case).alliance_id in coordinated_alliance_ids(user)


def is_alliance_member(user, case, obj=None) -> bool:
    return bool(user and user.is_authenticated) and (
        is_coordinator(user, case) or agenda_of(case).alliance_id in partner_alliance_ids(user)
    )


def is_state_representative(user, case, obj=None) -> bool:
    return bool(user and user.is_authenticated) and agenda_of(case).alliance.region_id in represented_region_ids(user)


def is_officer(user, case=None, obj=None) -> bool:
    return bool(user and user.is_authenticated) and user.has_role(roles.MINISTRY_OFFICER)


def is_signatory(user, case=None, obj=None) -> bool:
    return bool(user and user.is_authenticated) and user.has_role(roles.MINISTRY_SIGNATORY)


def is_ministry_user(user, case=None, obj=None) -> bool:
    return bool(user and user.is_authenticated) and is_ministry(user)


def is_assigned_reviewer(user, case, obj=None) -> bool:
    return (
        bool(user and user.is_authenticated)
        and user.has_role(roles.REVIEWER)
        and obj is not None
        and getattr(obj, "reviewer_id", None) == user.pk
    )


def nobody(user, case, obj=None) -> bool:
    """Automatic steps: only the system performs them."""
    return False
