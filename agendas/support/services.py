"""The support track: marking a region as supported (by a province, the VNG or the ministry's programme office)
and naming its supporters. The one write, for the page, the API-less admin and the demo data alike.

Rules: the supporting organisation is named; the end date is not before the start; every supporter has the
``supporter`` role (the role is what lets ``agenda_policy`` give read-and-comment access, scoped to the
supported region while the support runs)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts import roles
from accounts.models import Region, RegionSupport, User
from agendas.support.policy import region_support_policy as policy
from kansenagenda.locking import IN_PROCESS, check_lock


def supporter_candidates():
    return User.objects.filter(groups__name=roles.SUPPORTER, is_active=True).order_by("last_name", "email")


@transaction.atomic
def region_support_save(
    *,
    actor: User | None,
    region: Region,
    kind: str,
    organisation_name: str,
    start_date: datetime.date,
    end_date: datetime.date | None = None,
    supporters: Any = (),
    support: RegionSupport | None = None,
    lock_version: Any = IN_PROCESS,
) -> RegionSupport:
    """Create (``support`` None) or change a region's support. ``actor`` None: the demo data (no person)."""
    if actor is not None and not policy.can_manage(actor):
        raise PermissionDenied(policy.manage_refusal())
    errors: dict[str, list] = {}
    if kind not in RegionSupport.Kind.values:
        errors["kind"] = [_("Ondersteuning door: kies provincie, VNG of het programmabureau van het ministerie.")]
    organisation_name = (organisation_name or "").strip()
    if not organisation_name:
        errors["organisation_name"] = [_("Ondersteunende organisatie: vul de naam in.")]
    if start_date is None:
        errors["start_date"] = [_("Vanaf: vul de begindatum in.")]
    elif end_date is not None and end_date < start_date:
        errors["end_date"] = [_("Tot en met: de einddatum ligt niet vóór de begindatum.")]
    supporter_ids = {getattr(s, "pk", s) for s in supporters}
    allowed = set(supporter_candidates().filter(pk__in=supporter_ids).values_list("pk", flat=True))
    if supporter_ids - allowed:
        errors["supporters"] = [_("Ondersteuners: kies alleen mensen met de rol ondersteuner van een regio.")]
    if errors:
        raise ValidationError(errors)
    if support is None:
        support = RegionSupport(region=region)
    else:
        support = RegionSupport.objects.select_for_update().get(pk=support.pk)
        check_lock(support, lock_version, what=_("De ondersteuning van %(region)s") % {"region": support.region})
    support.kind, support.organisation_name = kind, organisation_name
    support.start_date, support.end_date = start_date, end_date
    support._history_user = actor
    support.save()
    support.supporters.set(sorted(allowed))
    return support
