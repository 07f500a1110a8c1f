"""Workflow reads: the inbox ("Mijn taken") and what a page needs to show the state of the route.

Every function runs a fixed number of queries, whatever the number of agendas.
"""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import roles
from accounts.models import User
from accounts.permissions import represented_region_ids
from agendas import workflow
from agendas.inbox.items import InboxItem
from agendas.models import Advice, Agenda, Decision, ResponsePoint, ReviewAssignment, Transition
from agendas.permissions import agenda_policy

S = Agenda.Status
RA = ReviewAssignment.Status


def _overview(agenda_id: int, name: str = "agendas:workflow-overview") -> str:
    return reverse(name, args=[agenda_id])


def decision_inbox_items(user: User) -> list[InboxItem]:
    """What waits for this user on the decision route (unsorted; agendas/inbox/selectors.py sorts)."""
    if not user.is_authenticated:
        return []
    items: list[InboxItem] = []
    if user.has_role(roles.REVIEWER):
        for a in (
            ReviewAssignment.objects.filter(
                reviewer=user, status__in=[RA.AWAITING_DECLARATION, RA.ACTIVE], agenda__status=S.UNDER_REVIEW
            )
            .select_related("agenda")
            .order_by("due_date")
        ):
            label = (
                _("Verklaring belangenconflict afleggen")
                if a.status == RA.AWAITING_DECLARATION
                else _("Brede-welvaartstoets schrijven")
            )
            items.append(
                InboxItem(
                    "review",
                    str(label),
                    a.agenda_id,
                    a.agenda.title,
                    reverse("agendas:workflow-assignment", args=[a.pk]),
                    a.due_date,
                )
            )
    coordinated = agenda_policy.coordinated_alliance_ids(user) if user.has_role(roles.COORDINATOR) else set()
    if coordinated:
        open_points = Count(
            "review_assignments__review__response_points",
            filter=Q(
                review_assignments__review__response_points__answer="",
                review_assignments__review__submitted_at__isnull=False,
            ),
        )
        for agenda in Agenda.objects.filter(alliance_id__in=coordinated, status=S.RETURNED).annotate(n=open_points):
            label = (
                _("Beantwoord %(n)s punt(en) uit de beoordeling en dien opnieuw in") % {"n": agenda.n}
                if agenda.n
                else _("Pas de agenda aan en dien opnieuw in")
            )
            items.append(
                InboxItem(
                    "return", str(label), agenda.pk, agenda.title, _overview(agenda.pk, "agendas:workflow-points")
                )
            )
    regions = represented_region_ids(user)
    if regions:
        advice_in = Advice.objects.filter(
            agenda=OuterRef("pk"), version__number=OuterRef("current_version"), submitted_at__isnull=False
        )
        for agenda in Agenda.objects.filter(
            alliance__region_id__in=regions, status__in=[S.SUBMITTED, S.UNDER_REVIEW]
        ).exclude(Exists(advice_in)):
            items.append(
                InboxItem(
                    "advice",
                    str(_("Advies uitbrengen")),
                    agenda.pk,
                    agenda.title,
                    _overview(agenda.pk, "agendas:workflow-advice"),
                    workflow.decision_due_date(agenda),
                )
            )
    if user.has_role(roles.MINISTRY_OFFICER):
        counting = ReviewAssignment.objects.filter(
            agenda=OuterRef("pk"), version__number=OuterRef("current_version")
        ).exclude(status__in=[RA.RECUSED, RA.CANCELLED])
        decision = Decision.objects.filter(agenda=OuterRef("pk"), version__number=OuterRef("current_version"))
        sent_back = decision.filter(sent_back_at__isnull=False, signed_at__isnull=True)
        this_year = timezone.localdate().year
        for agenda in Agenda.objects.annotate(
            has_reviewer=Exists(counting), has_decision=Exists(decision), sent_back=Exists(sent_back)
        ).filter(
            Q(status__in=[S.SUBMITTED, S.UNDER_REVIEW], has_reviewer=False)
            | Q(status=S.AWAITING_DECISION, has_decision=False)
            | Q(status=S.AWAITING_DECISION, sent_back=True)
            | Q(status=S.ACTIVE, end_year__lte=this_year)
        ):
            if agenda.status == S.AWAITING_DECISION and agenda.sent_back:
                kind, label, url = (
                    "revise",
                    _("Nota herzien (teruggestuurd door de ondertekenaar)"),
                    "agendas:workflow-decision",
                )
            elif agenda.status == S.AWAITING_DECISION:
                kind, label, url = "prepare", _("Besluit voorbereiden"), "agendas:workflow-decision"
            elif agenda.status == S.ACTIVE:
                kind, label, url = "close", _("Agenda afsluiten (looptijd voorbij)"), "agendas:workflow-overview"
            else:
                kind, label, url = "assign", _("Beoordelaar toewijzen"), "agendas:workflow-reviewers"
            due = workflow.decision_due_date(agenda) if agenda.status != S.ACTIVE else None
            items.append(InboxItem(kind, str(label), agenda.pk, agenda.title, _overview(agenda.pk, url), due))
    if user.has_role(roles.MINISTRY_SIGNATORY):
        for d in (
            Decision.objects.filter(
                signed_at__isnull=True, sent_back_at__isnull=True, agenda__status=S.AWAITING_DECISION
            )
            .exclude(prepared_by=user)
            .select_related("agenda", "version")
        ):
            if d.version.number != d.agenda.current_version:
                continue
            items.append(
                InboxItem(
                    "sign",
                    str(_("Besluit ondertekenen")),
                    d.agenda_id,
                    d.agenda.title,
                    _overview(d.agenda_id, "agendas:workflow-decision"),
                    workflow.decision_due_date(d.agenda),
                )
            )
    return items


def transition_history(agenda: Agenda) -> list[Transition]:
    return list(Transition.objects.filter(agenda=agenda).select_related("actor").order_by("at", "pk"))


def open_response_points(agenda: Agenda):
    return ResponsePoint.objects.filter(
        review__assignment__agenda=agenda, review__submitted_at__isnull=False, answer=""
    )
