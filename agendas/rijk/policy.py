"""Who may see and do what with the Rijk's commitments (``agendas.rijk.models``).

- the ministry (officers, signatories) and administrators see every commitment of an agenda they see, also
  those still being prepared with the decision;
- everyone else who sees the agenda (the alliance, the state representative, a supporter) sees the commitments
  once signed with the decision, read-only;
- only a ministry officer records or changes a commitment, while the decision is being prepared (the agenda is
  submitted, under review or awaiting a decision) and until the decision that carries it is signed;
- only a ministry officer reports yearly on a signed commitment (the ministry side, never the region).
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from accounts import roles
from accounts.models import User
from accounts.permissions import is_admin, is_ministry
from agendas.models import Agenda
from agendas.permissions import agenda_policy

S = Agenda.Status
PREPARING_DECISION = {S.SUBMITTED, S.UNDER_REVIEW, S.AWAITING_DECISION}


class RijkCommitmentPolicy:
    def sees_unsigned(self, user: User) -> bool:
        return is_ministry(user) or is_admin(user)

    def visible(self, user: User) -> QuerySet:
        from agendas.models import RijkCommitment

        qs = RijkCommitment.objects.filter(agenda__in=agenda_policy.visible(user).values("pk"))
        if not self.sees_unsigned(user):
            qs = qs.filter(signed_at__isnull=False)
        return qs

    def is_officer(self, user: User) -> bool:
        return bool(user and user.is_authenticated) and user.has_role(roles.MINISTRY_OFFICER)

    def can_record(self, user: User, agenda: Agenda) -> bool:
        """Add a commitment to this agenda (the decision is being prepared)."""
        return self.is_officer(user) and agenda.status in PREPARING_DECISION

    def can_change(self, user: User, commitment) -> bool:
        return self.can_record(user, commitment.agenda) and not commitment.is_signed

    def can_report(self, user: User, commitment) -> bool:
        return self.is_officer(user) and commitment.is_signed

    def record_refusal(self, user: User, agenda: Agenda, commitment=None) -> str:
        if not self.is_officer(user):
            return _("Alleen een medewerker van het ministerie legt de toezeggingen van het Rijk vast.")
        if commitment is not None and commitment.is_signed:
            return _("Deze toezegging is ondertekend met het besluit en kan niet meer worden gewijzigd.")
        return _(
            "Toezeggingen van het Rijk worden vastgelegd terwijl het besluit wordt voorbereid (status: %(status)s)."
        ) % {"status": agenda.get_status_display()}

    def report_refusal(self, user: User, commitment) -> str:
        if not self.is_officer(user):
            return _("Alleen het ministerie rapporteert over de toezeggingen van het Rijk, niet de regio.")
        return _("Over een toezegging wordt pas gerapporteerd nadat het besluit is ondertekend.")

    def overview_visible(self, user: User) -> bool:
        """The per-ministry overview of the portfolio: the ministry and administrators."""
        return is_ministry(user) or is_admin(user)


rijk_commitment_policy = RijkCommitmentPolicy()
