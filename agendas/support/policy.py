"""The support track (VNG: agendas for all regions): who may see the portfolio of regions and mark a region as
supported. What a supporter may do with the supported region's agenda is ``agendas.permissions.agenda_policy``
(``is_supporter``: read and comment, nothing else)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from accounts import roles
from accounts.models import User
from accounts.permissions import is_admin, is_ministry


class RegionSupportPolicy:
    def can_view_overview(self, user: User) -> bool:
        """The portfolio "agendas for all regions": the ministry and administrators."""
        return is_ministry(user) or is_admin(user)

    def can_manage(self, user: User) -> bool:
        """Mark a region as supported, change or end the support: a ministry officer or an administrator."""
        return bool(user and user.is_authenticated) and (user.has_role(roles.MINISTRY_OFFICER) or is_admin(user))

    def manage_refusal(self) -> str:
        return _("Alleen een ministeriemedewerker of functioneel beheerder legt ondersteuning van een regio vast.")


region_support_policy = RegionSupportPolicy()
