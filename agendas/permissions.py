"""The agenda policy: who may see and do what with an agenda and everything inside it.

Rules (see DOMAIN.md):
- the coordinators of the alliance see and edit their agenda (edit only while it is a draft/returned);
- alliance partners (a current member of a participating organisation) read and comment;
- the ministry (officers, signatories) and administrators see an agenda once it has been submitted at
  least once, or earlier when the coordinator shared the draft;
- the state representative of the region sees it once submitted (or shared);
- reviewers never see the live agenda: they get one version through a guardian object permission.
Everyone else: nothing (answer 404).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from accounts import roles
from accounts.models import User
from accounts.permissions import (
    alliance_policy,
    current_organisation_ids,
    is_admin,
    is_ministry,
    represented_region_ids,
)
from agendas.models import Agenda, AgendaVersion


class AgendaPolicy:
    VIEW = "view"
    EDIT = "edit"
    COMMENT = "comment"
    SHARE = "share"
    DELETE = "delete"  # drafting: delete a draft that was never submitted
    ATTACH = "attach"  # drafting: upload or remove attachments (same rule as edit)

    # --- who is who for this agenda -------------------------------------------------------------
    def coordinated_alliance_ids(self, user: User) -> set[int]:
        cache = getattr(user, "_coordinated_alliance_ids", None)
        if cache is None:
            cache = set(alliance_policy.coordinated(user).values_list("pk", flat=True))
            user._coordinated_alliance_ids = cache
        return cache

    def partner_alliance_ids(self, user: User) -> set[int]:
        cache = getattr(user, "_partner_alliance_ids", None)
        if cache is None:
            cache = set(alliance_policy.partner_of(user).values_list("pk", flat=True))
            user._partner_alliance_ids = cache
        return cache

    def is_coordinator(self, user: User, agenda: Agenda) -> bool:
        return user.is_authenticated and agenda.alliance_id in self.coordinated_alliance_ids(user)

    def is_alliance_member(self, user: User, agenda: Agenda) -> bool:
        return user.is_authenticated and (
            self.is_coordinator(user, agenda) or agenda.alliance_id in self.partner_alliance_ids(user)
        )

    def is_state_representative(self, user: User, agenda: Agenda) -> bool:
        return user.is_authenticated and agenda.alliance.region_id in represented_region_ids(user)

    # --- queries --------------------------------------------------------------------------------
    def visible(self, user: User) -> QuerySet[Agenda]:
        if not user.is_authenticated:
            return Agenda.objects.none()
        alliance_ids = self.coordinated_alliance_ids(user) | self.partner_alliance_ids(user)
        condition = Q(alliance_id__in=alliance_ids)
        beyond_draft = Q(current_version__gt=0) | Q(shared_with_ministry=True)
        if is_ministry(user) or is_admin(user):
            condition |= beyond_draft
        regions = represented_region_ids(user)
        if regions:
            condition |= Q(alliance__region_id__in=regions) & beyond_draft
        return Agenda.objects.filter(condition)

    def can(self, user: User, action: str, agenda: Agenda) -> bool:
        if not user.is_authenticated:
            return False
        if action == self.VIEW:
            return self.visible(user).filter(pk=agenda.pk).exists()
        if action in (self.EDIT, self.SHARE, self.ATTACH):
            return self.is_coordinator(user, agenda) and agenda.is_editable
        if action == self.DELETE:
            return self.is_coordinator(user, agenda) and agenda.is_editable and agenda.current_version == 0
        if action == self.COMMENT:
            return self.is_alliance_member(user, agenda)
        return False

    def refusal_reason(self, user: User, action: str, agenda: Agenda) -> str:
        from django.utils.translation import gettext as _

        if action in (self.EDIT, self.SHARE, self.ATTACH, self.DELETE):
            if not self.is_coordinator(user, agenda):
                return _("Alleen de coördinator van deze alliantie kan de agenda wijzigen.")
            if action == self.DELETE and agenda.is_editable:
                return _(
                    "Deze agenda is al eens ingediend en blijft bewaard als overheidsdocument; "
                    "u kunt hem niet verwijderen."
                )
            return _("De agenda is ingediend (status: %(status)s) en kan nu niet worden gewijzigd.") % {
                "status": agenda.get_status_display()
            }
        if action == self.COMMENT:
            return _("Alleen leden van de alliantie kunnen reageren.")
        return _("U heeft geen toegang tot deze agenda.")

    def get_for(self, user: User, pk, action: str = VIEW, queryset: QuerySet[Agenda] | None = None) -> Agenda:
        """Fetch and authorise in one call. Not visible → 404; visible but action refused → PermissionDenied."""
        from django.core.exceptions import PermissionDenied

        qs = queryset if queryset is not None else Agenda.objects.select_related("alliance__region")
        agenda = qs.filter(pk__in=self.visible(user).values("pk")).filter(pk=pk).first()
        if agenda is None:
            raise Http404
        if action != self.VIEW and not self.can(user, action, agenda):
            raise PermissionDenied(self.refusal_reason(user, action, agenda))
        return agenda

    def can_change_comment(self, user: User, comment) -> bool:
        """Drafting: a comment may be edited or removed only by its author, while still an alliance member."""
        return user.is_authenticated and comment.author_id == user.pk and self.is_alliance_member(user, comment.agenda)

    def can_create_for_alliance(self, user: User, alliance_id: int) -> bool:
        return (
            user.is_authenticated
            and user.has_role(roles.COORDINATOR)
            and alliance_id in self.coordinated_alliance_ids(user)
        )


agenda_policy = AgendaPolicy()


class AgendaVersionPolicy:
    """Versions: whoever may see the agenda sees its versions; a reviewer sees only the version
    they were granted (guardian ``view_agendaversion``), after declaring no conflict of interest."""

    def visible(self, user: User) -> QuerySet[AgendaVersion]:
        if not user.is_authenticated:
            return AgendaVersion.objects.none()
        from guardian.shortcuts import get_objects_for_user

        granted = get_objects_for_user(user, "agendas.view_agendaversion", AgendaVersion, accept_global_perms=False)
        return AgendaVersion.objects.filter(
            Q(agenda__in=agenda_policy.visible(user).values("pk")) | Q(pk__in=granted.values("pk"))
        )

    def get_for(self, user: User, pk) -> AgendaVersion:
        version = self.visible(user).select_related("agenda__alliance__region").filter(pk=pk).first()
        if version is None:
            raise Http404
        return version


agenda_version_policy = AgendaVersionPolicy()


def organisation_ids_of(user: User) -> set[int]:
    return current_organisation_ids(user)
