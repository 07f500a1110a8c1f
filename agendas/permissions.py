"""The agenda policy: who may see and do what with an agenda and everything inside it.

Rules (see DOMAIN.md):
- the coordinators of the alliance see and edit their agenda (edit only while it is a draft/returned);
- alliance partners (a current member of a participating organisation) read and comment;
- the ministry (officers, signatories) and administrators see an agenda once it has been submitted at
  least once, or earlier when the coordinator shared the draft;
- the state representative of the region sees it once submitted (or shared);
- reviewers never see the live agenda: they get one version through a guardian object permission;
- a supporter (``RegionSupport``) of the region reads and comments on its agenda, draft included, while the
  support runs; never edits, submits or sees other regions (``is_supporter``).
Everyone else: nothing (answer 404).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from accounts import roles
from accounts.models import User
from accounts.permissions import (
    current_organisation_ids,
    is_admin,
    is_ministry,
    represented_region_ids,
    supported_region_ids,
)
from agendas.models import Agenda, AgendaVersion
from agendas.workflow import CHANGE_REQUEST, PERMISSION, PROGRESS_REPORT
from agendas.workflow import roles as who


def beyond_draft(prefix: str = "") -> Q:
    """THE condition "past its draft": submitted at least once, or a draft the coordinator shared with the
    ministry. The ministry and the state representatives see these agendas (``AgendaPolicy.visible``); the
    region summary (``agendas.summary``) keeps their figures apart. ``prefix`` reaches an agenda from
    another model (``"agenda__"``)."""
    return Q(**{f"{prefix}current_version__gt": 0}) | Q(**{f"{prefix}shared_with_ministry": True})


class AgendaPolicy:
    VIEW = "view"
    EDIT = "edit"
    COMMENT = "comment"
    SHARE = "share"
    DELETE = "delete"  # drafting: delete a draft that was never submitted
    ATTACH = "attach"  # drafting: upload or remove attachments (same rule as edit)

    # --- who is who for this agenda -------------------------------------------------------------
    def coordinated_alliance_ids(self, user: User) -> set[int]:
        return who.coordinated_alliance_ids(user)

    def partner_alliance_ids(self, user: User) -> set[int]:
        return who.partner_alliance_ids(user)

    def is_coordinator(self, user: User, agenda: Agenda) -> bool:
        return who.is_coordinator(user, agenda)

    def is_alliance_member(self, user: User, agenda: Agenda) -> bool:
        return who.is_alliance_member(user, agenda)

    def is_state_representative(self, user: User, agenda: Agenda) -> bool:
        return who.is_state_representative(user, agenda)

    def is_supporter(self, user: User, agenda: Agenda) -> bool:
        return bool(user and user.is_authenticated) and agenda.alliance.region_id in supported_region_ids(user)

    def may_comment(self, user: User, agenda: Agenda) -> bool:
        return self.is_alliance_member(user, agenda) or self.is_supporter(user, agenda)

    # --- queries --------------------------------------------------------------------------------
    def can_search(self, user: User) -> bool:
        """Search across agendas (agendas/search.py): the ministry and state representatives (within what
        ``visible`` shows them)."""
        return bool(user and user.is_authenticated) and (is_ministry(user) or bool(represented_region_ids(user)))

    def draft_access(self, user: User) -> tuple[frozenset[int], frozenset[int]]:
        """The alliances and the supported regions whose agendas a user sees in every status, drafts included;
        everything else ``visible`` shows is past its draft (``beyond_draft``). The dashboard's cache key
        (``DashboardPolicy.audience``)."""
        if not user.is_authenticated:
            return frozenset(), frozenset()
        alliance_ids = self.coordinated_alliance_ids(user) | self.partner_alliance_ids(user)
        return frozenset(alliance_ids), frozenset(supported_region_ids(user))

    def visible(self, user: User) -> QuerySet[Agenda]:
        if not user.is_authenticated:
            return Agenda.objects.none()
        alliance_ids, supported = self.draft_access(user)
        condition = Q(alliance_id__in=alliance_ids)
        past_draft = beyond_draft()
        if is_ministry(user) or is_admin(user):
            condition |= past_draft
        regions = represented_region_ids(user)
        if regions:
            condition |= Q(alliance__region_id__in=regions) & past_draft
        if supported:
            condition |= Q(alliance__region_id__in=supported)
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
            return self.may_comment(user, agenda)
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
            return _("Alleen leden van de alliantie en de ondersteuners van de regio kunnen reageren.")
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
        return user.is_authenticated and comment.author_id == user.pk and self.may_comment(user, comment.agenda)

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


# === Monitoring (issue 5): progress reports, change requests, accountability figures ==========
class ProgressReportPolicy:
    """Who may see and do what with progress reports, change requests and accountability figures.

    - the coordinator of the alliance fills in and submits their agenda's reports and makes change requests;
    - alliance partners read and comment;
    - the state representative of the region accepts or returns reports (and decides small change
      requests) for their regions only;
    - the ministry reads everything; officers prepare large change requests, signatories decide them
      (never the preparer); officers and signatories may reopen an accepted report with a reason;
    - reviewers, everyone else and anonymous visitors: nothing (404).
    """

    VIEW = "view"
    EDIT = "edit"
    SUBMIT = "submit"
    COMMENT = "comment"
    DECIDE = "decide"  # accept / return a submitted report
    REOPEN = "reopen"
    REQUEST_CHANGE = "request_change"  # on an agenda
    WITHDRAW_CHANGE = "withdraw_change"
    DECIDE_CHANGE = "decide_change"  # state representative, small changes
    PREPARE_CHANGE = "prepare_change"  # ministry officer, large changes
    SIGN_CHANGE = "sign_change"  # ministry signatory, large changes, four eyes

    def visible_agendas(self, user: User) -> QuerySet[Agenda]:
        """Agendas whose monitoring a user may see: active/closed agendas visible through the agenda policy."""
        if not user.is_authenticated:
            return Agenda.objects.none()
        return agenda_policy.visible(user)

    def visible(self, user: User):
        from agendas.models import ProgressReport

        if not user.is_authenticated:
            return ProgressReport.objects.none()
        return ProgressReport.objects.filter(agenda__in=self.visible_agendas(user).values("pk"))

    def visible_change_requests(self, user: User):
        from agendas.models import ChangeRequest

        if not user.is_authenticated:
            return ChangeRequest.objects.none()
        return ChangeRequest.objects.filter(agenda__in=self.visible_agendas(user).values("pk"))

    def can_view_agenda(self, user: User, agenda: Agenda) -> bool:
        return user.is_authenticated and self.visible_agendas(user).filter(pk=agenda.pk).exists()

    def can(self, user: User, action: str, report) -> bool:
        """Actions on a progress report."""
        if not user.is_authenticated:
            return False
        agenda = report.agenda
        if action == self.VIEW:
            return self.can_view_agenda(user, agenda)
        if action == self.EDIT:
            return agenda_policy.is_coordinator(user, agenda) and report.is_editable
        if action == self.COMMENT:
            return agenda_policy.is_alliance_member(user, agenda)
        if action in self.REPORT_ACTIONS:
            return self._report_refusal(user, action, report) is None
        return False

    # the transition table decides role, state and the guards about who acts (separation of duties)
    REPORT_ACTIONS = {SUBMIT: "submit", DECIDE: "accept", REOPEN: "reopen"}

    def _report_refusal(self, user: User, action: str, report):
        return PROGRESS_REPORT.refusal(self.REPORT_ACTIONS[action], actor=user, case=report, guards=PERMISSION)

    def refusal_reason(self, user: User, action: str, report) -> str:
        from django.utils.translation import gettext as _

        agenda = report.agenda
        if action in self.REPORT_ACTIONS and action != self.SUBMIT:
            refused = self._report_refusal(user, action, report)
            if refused is not None and refused.code != "wrong_state":
                return " ".join([str(refused.message), *map(str, refused.reasons)])
        if action in (self.EDIT, self.SUBMIT):
            if not agenda_policy.is_coordinator(user, agenda):
                return _("Alleen de coördinator van deze alliantie kan de voortgangsrapportage invullen en indienen.")
            return _("De rapportage heeft status ‘%(status)s’ en kan nu niet worden gewijzigd.") % {
                "status": report.get_status_display()
            }
        if action == self.COMMENT:
            return _("Alleen leden van de alliantie kunnen reageren op de rapportage.")
        if action == self.DECIDE:
            if not agenda_policy.is_state_representative(user, agenda):
                return _("Alleen de rijksvertegenwoordiger van deze regio kan de rapportage accepteren of terugsturen.")
            return _("Alleen een ingediende rapportage kan worden geaccepteerd of teruggestuurd.")
        if action == self.REOPEN:
            if not is_ministry(user):
                return _("Alleen het ministerie kan een geaccepteerde rapportage heropenen.")
            return _("Alleen een geaccepteerde rapportage kan worden heropend.")
        return _("U heeft geen toegang tot deze rapportage.")

    def get_for(self, user: User, pk, action: str = VIEW):
        """Fetch and authorise in one call: not visible → 404, visible but refused → PermissionDenied(reason)."""
        from django.core.exceptions import PermissionDenied

        report = self.visible(user).select_related("agenda__alliance__region").filter(pk=pk).first()
        if report is None:
            raise Http404
        if action != self.VIEW and not self.can(user, action, report):
            raise PermissionDenied(self.refusal_reason(user, action, report))
        return report

    def get_agenda_for(self, user: User, pk, action: str = VIEW) -> Agenda:
        from django.core.exceptions import PermissionDenied

        agenda = self.visible_agendas(user).select_related("alliance__region").filter(pk=pk).first()
        if agenda is None:
            raise Http404
        if action == self.REQUEST_CHANGE and not self.can_request_change(user, agenda):
            raise PermissionDenied(self.request_change_refusal_reason(user, agenda))
        return agenda

    # --- change requests ------------------------------------------------------------------------
    def can_request_change(self, user: User, agenda: Agenda) -> bool:
        return agenda_policy.is_coordinator(user, agenda) and agenda.status == Agenda.Status.ACTIVE

    def request_change_refusal_reason(self, user: User, agenda: Agenda) -> str:
        from django.utils.translation import gettext as _

        if not agenda_policy.is_coordinator(user, agenda):
            return _("Alleen de coördinator van deze alliantie kan een wijziging aanvragen.")
        return _("Wijzigingen kunnen alleen worden aangevraagd voor een lopende agenda.")

    def can_change_request(self, user: User, action: str, change_request) -> bool:
        if not user.is_authenticated:
            return False
        if action == self.VIEW:
            return self.can_view_agenda(user, change_request.agenda)
        if action not in self.CHANGE_ACTIONS:
            return False
        return self._change_refusal(user, action, change_request) is None

    # the transition table decides role, route, state and the guards about who acts (four eyes, separation
    # of duties); the second factor is asked when signing
    CHANGE_ACTIONS = (WITHDRAW_CHANGE, DECIDE_CHANGE, PREPARE_CHANGE, SIGN_CHANGE)

    def _change_refusal(self, user: User, action: str, change_request):
        return CHANGE_REQUEST.refusal(action, actor=user, case=change_request, guards=PERMISSION)

    def change_refusal_reason(self, user: User, action: str, change_request) -> str:
        from django.utils.translation import gettext as _

        refused = self._change_refusal(user, action, change_request) if action in self.CHANGE_ACTIONS else None
        if refused is None:
            return _("U heeft geen toegang tot dit wijzigingsverzoek.")
        if refused.code == "wrong_state":  # said as before: what the step is for
            return str(CHANGE_REQUEST.actions[action].who_refusal)
        return " ".join([str(refused.message), *map(str, refused.reasons)])

    def get_change_request_for(self, user: User, pk, action: str = VIEW):
        from django.core.exceptions import PermissionDenied

        change_request = (
            self.visible_change_requests(user).select_related("agenda__alliance__region").filter(pk=pk).first()
        )
        if change_request is None:
            raise Http404
        if action != self.VIEW and not self.can_change_request(user, action, change_request):
            raise PermissionDenied(self.change_refusal_reason(user, action, change_request))
        return change_request


progress_report_policy = ProgressReportPolicy()
# === end monitoring ============================================================================


# --- workflow (issue 4): who may act in the route from submission to decision, and who sees what ---------
class WorkflowPolicy:
    """Role predicates used by the transition table (agendas/workflow/roles.py) and the visibility of
    assignments, reviews, advice and decisions.

    Blind review: a reviewer sees their own review, and the other submitted reviews of the same version
    only after submitting their own. The ministry and the state representative of the region see submitted
    reviews. The alliance sees reviews, the advice and the decision only once the decision is signed.
    """

    # --- role predicates (signature: user, agenda, obj=None): one home, agendas/workflow/roles.py ------
    is_coordinator = staticmethod(who.is_coordinator)
    is_officer = staticmethod(who.is_officer)
    is_signatory = staticmethod(who.is_signatory)
    is_state_representative = staticmethod(who.is_state_representative)
    is_assigned_reviewer = staticmethod(who.is_assigned_reviewer)
    nobody = staticmethod(who.nobody)

    # --- visibility ------------------------------------------------------------------------------
    def visible_assignments(self, user: User) -> QuerySet:
        from agendas.models import ReviewAssignment

        if not user.is_authenticated:
            return ReviewAssignment.objects.none()
        if is_ministry(user) or is_admin(user):
            return ReviewAssignment.objects.filter(agenda__in=agenda_policy.visible(user).values("pk"))
        return ReviewAssignment.objects.filter(reviewer=user)

    def get_assignment_for(self, user: User, pk):
        assignment = (
            self.visible_assignments(user)
            .select_related("agenda__alliance__region", "version", "reviewer", "assigned_by")
            .filter(pk=pk)
            .first()
        )
        if assignment is None:
            raise Http404
        return assignment

    def alliance_may_see_outcome(self, agenda: Agenda, version_id: int) -> bool:
        from agendas.models import Decision

        return Decision.objects.filter(agenda=agenda, version_id=version_id, signed_at__isnull=False).exists()

    def can_compare_reviews(self, user: User) -> bool:
        """The reviews side by side (agendas/decision/review_comparison.py): the ministry only."""
        return bool(user and user.is_authenticated) and (is_ministry(user) or is_admin(user))

    def visible_reviews(self, user: User, agenda: Agenda) -> QuerySet:
        """Reviews of this agenda the user may read (blind rules above)."""
        from agendas.models import Review

        reviews = Review.objects.filter(assignment__agenda=agenda)
        submitted = reviews.filter(submitted_at__isnull=False)
        if not user.is_authenticated:
            return reviews.none()
        condition = Q(pk__in=[])
        if is_ministry(user) or is_admin(user) or agenda_policy.is_state_representative(user, agenda):
            condition |= Q(submitted_at__isnull=False)
        if user.has_role(roles.REVIEWER):
            condition |= Q(assignment__reviewer=user)
            own_submitted_versions = submitted.filter(assignment__reviewer=user).values("assignment__version_id")
            condition |= Q(submitted_at__isnull=False, assignment__version_id__in=own_submitted_versions)
        if agenda_policy.is_alliance_member(user, agenda):
            from agendas.models import Decision

            decided = Decision.objects.filter(agenda=agenda, signed_at__isnull=False).values("version_id")
            condition |= Q(submitted_at__isnull=False, assignment__version_id__in=decided)
        return reviews.filter(condition)

    def can_see_advice(self, user: User, agenda: Agenda, advice) -> bool:
        if is_ministry(user) or is_admin(user):
            return advice.submitted_at is not None
        if agenda_policy.is_state_representative(user, agenda):
            return True
        if agenda_policy.is_alliance_member(user, agenda):
            return advice.submitted_at is not None and self.alliance_may_see_outcome(agenda, advice.version_id)
        return False

    def can_see_decision(self, user: User, agenda: Agenda, decision) -> bool:
        if is_ministry(user) or is_admin(user):
            return True
        if agenda_policy.is_state_representative(user, agenda) or agenda_policy.is_alliance_member(user, agenda):
            return decision.signed_at is not None
        return False


workflow_policy = WorkflowPolicy()


class PartnerCommitmentPolicy:
    """Partner commitments (co-financing confirmed by the partner organisation itself).

    - whoever may see the agenda sees its commitments (``agenda_policy.visible``);
    - a commitment is given or ended only by a current member, with the partner role, of the organisation
      it binds, and only for an organisation that is a partner of the agenda: never by the coordinator for
      another organisation, never by the ministry.
    """

    def visible(self, user: User):
        from agendas.models import PartnerCommitment

        return PartnerCommitment.objects.filter(agenda__in=agenda_policy.visible(user).values("pk"))

    def organisations_for(self, user: User, agenda: Agenda) -> set[int]:
        """The organisations of ``agenda`` for which ``user`` may sign a commitment."""
        if not user.is_authenticated or not user.has_role(roles.PARTNER):
            return set()
        partner_orgs = set(agenda.partners.values_list("organisation_id", flat=True))
        return current_organisation_ids(user) & partner_orgs

    def can_sign(self, user: User, agenda: Agenda, organisation_id: int | None) -> bool:
        return organisation_id is not None and organisation_id in self.organisations_for(user, agenda)

    def refusal_reason(self, user: User, agenda: Agenda) -> str:
        from django.utils.translation import gettext as _

        return _(
            "Alleen iemand met de rol alliantiepartner die werkt bij deze partnerorganisatie kan haar toezegging "
            "bevestigen of intrekken."
        )


partner_commitment_policy = PartnerCommitmentPolicy()
