"""Who may see the portfolio dashboard, which documents, and what the public may see.

- Dashboard: ministry officers and signatories see the whole portfolio (every agenda the agenda policy
  lets them see); state representatives see only the regions they represent; everyone else nothing.
- Documents follow the agenda policy's view right; the internal decision note is for the ministry only,
  and the decision letter exists only once the decision is signed.
- Public (Woo) pages: only approved/active agendas whose signed approving decision is marked
  "actively published"; anonymous visitors may see them.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from accounts import roles
from accounts.models import User
from accounts.permissions import represented_region_ids
from agendas.models import Agenda, Decision
from agendas.permissions import agenda_policy
from reports.models import GeneratedDocument

Kind = GeneratedDocument.Kind


@dataclass(frozen=True)
class Audience:
    """The agendas a dashboard user counts (``DashboardPolicy.audience``): every agenda past its draft in
    ``region_ids`` (``None``: every region), plus the drafts of these alliances and supported regions."""

    region_ids: frozenset[int] | None
    alliance_ids: frozenset[int] = frozenset()
    supported_region_ids: frozenset[int] = frozenset()

    @property
    def sees_drafts(self) -> bool:
        return bool(self.alliance_ids or self.supported_region_ids)

    @property
    def key(self) -> str:
        """Two users share cached figures only when this is the same: they count the same agendas."""
        scope = "all" if self.region_ids is None else ",".join(str(i) for i in sorted(self.region_ids))
        return f"{scope}|a{sorted(self.alliance_ids)}|s{sorted(self.supported_region_ids)}"


class DashboardPolicy:
    def sees_all(self, user: User) -> bool:
        return user.is_authenticated and user.has_role(roles.MINISTRY_OFFICER, roles.MINISTRY_SIGNATORY)

    def region_ids(self, user: User) -> set[int] | None:
        """None: every region; otherwise the regions this user may see (possibly none)."""
        if self.sees_all(user):
            return None
        return represented_region_ids(user)

    def can_view(self, user: User) -> bool:
        return self.sees_all(user) or bool(self.region_ids(user))

    def check(self, user: User) -> set[int] | None:
        if not self.can_view(user):
            raise PermissionDenied(
                _(
                    "Het portefeuilleoverzicht is alleen voor BZK-medewerkers, ondertekenaars en rijksvertegenwoordigers."
                )
            )
        return self.region_ids(user)

    def audience(self, user: User, region_ids: set[int] | None) -> Audience:
        """Which agendas the user's figures count: ``agendas`` is everything past its draft in the user's
        regions plus the drafts of ``AgendaPolicy.draft_access``."""
        alliances, supported = agenda_policy.draft_access(user)
        regions = None if region_ids is None else frozenset(region_ids)
        return Audience(region_ids=regions, alliance_ids=alliances, supported_region_ids=supported)

    def agendas(self, user: User, region_ids: set[int] | None = None) -> QuerySet[Agenda]:
        """The agendas behind every dashboard figure: what the agenda policy shows, within the user's regions —
        always every agenda past its draft there (``reports.summary_source`` reads them per region), plus the
        drafts of ``AgendaPolicy.draft_access``."""
        if not self.can_view(user):
            return Agenda.objects.none()
        visible = agenda_policy.visible(user)
        regions = region_ids if region_ids is not None else self.region_ids(user)
        if regions is not None:
            visible = visible.filter(alliance__region_id__in=regions)
        return visible


dashboard_policy = DashboardPolicy()


class NeedPolicy:
    """Need beside money (reports/need.py): the ministry's national view — officers and signatories only."""

    def can_view(self, user: User) -> bool:
        return user.is_authenticated and user.has_role(roles.MINISTRY_OFFICER, roles.MINISTRY_SIGNATORY)

    def check(self, user: User) -> None:
        if not self.can_view(user):
            raise PermissionDenied(_("Opgave naast geld is alleen voor BZK-medewerkers en ondertekenaars."))


need_policy = NeedPolicy()


class DocumentPolicy:
    VIEW = "view"
    REQUEST = "request"

    INTERNAL_KINDS = {Kind.DECISION_NOTE}

    def can_kind(self, user: User, kind: str, agenda: Agenda) -> bool:
        """May this user see/request documents of this kind for this (visible) agenda?"""
        if kind == Kind.DECISION_NOTE:
            return self._is_ministry(user)
        return kind in Kind.values

    def kinds_for(self, user: User, agenda: Agenda) -> list[str]:
        return [k for k in Kind.values if k != Kind.PUBLIC_DOSSIER and self.can_kind(user, k, agenda)]

    def get_agenda(self, user: User, agenda_pk, kind: str | None = None) -> Agenda:
        """Agenda for a document page: 404 when the agenda is not visible, PermissionDenied for a refused kind."""
        agenda = agenda_policy.get_for(user, agenda_pk)
        if kind is not None and not self.can_kind(user, kind, agenda):
            raise PermissionDenied(_("Alleen het ministerie kan de nota ter besluitvorming inzien."))
        return agenda

    def get_for(self, user: User, pk) -> GeneratedDocument:
        """Fetch and authorise a document: 404 unless the user may see its agenda and its kind."""
        document = GeneratedDocument.objects.select_related("agenda__alliance__region").filter(pk=pk).first()
        if document is None:
            raise Http404
        if not agenda_policy.visible(user).filter(pk=document.agenda_id).exists():
            raise Http404
        if not self.can_kind(user, document.kind, document.agenda):
            raise Http404
        return document

    def _is_ministry(self, user: User) -> bool:
        return user.is_authenticated and user.has_role(roles.MINISTRY_OFFICER, roles.MINISTRY_SIGNATORY)


document_policy = DocumentPolicy()


class PublicationPolicy:
    """Active publication (Woo): visible without login, without personal data."""

    PUBLISHABLE_STATUSES = [Agenda.Status.APPROVED, Agenda.Status.ACTIVE]

    def published(self) -> QuerySet[Agenda]:
        published_decision = Decision.objects.filter(
            agenda=OuterRef("pk"),
            signed_at__isnull=False,
            outcome=Decision.Outcome.APPROVE,
            actively_published=True,
        )
        return Agenda.objects.filter(Exists(published_decision), status__in=self.PUBLISHABLE_STATUSES)

    def get_for(self, pk) -> Agenda:
        agenda = self.published().select_related("alliance__region").filter(pk=pk).first()
        if agenda is None:
            raise Http404
        return agenda


publication_policy = PublicationPolicy()
