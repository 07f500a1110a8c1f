"""The deadlines in a user's calendar: the dated tasks of "Mijn taken" (review, advice, assign, decision to
prepare or sign), plus the progress reports a coordinator must hand in and the change requests waiting for
this user's decision. Dates come from agendas/clocks.py only. A fixed number of queries, whatever the rows.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts import roles
from accounts.models import User
from accounts.permissions import represented_region_ids
from agendas import clocks
from agendas.decision.selectors import inbox_items
from agendas.models import ChangeRequest, ChangeRequestParticipant, ProgressReport
from agendas.workflow.roles import coordinated_alliance_ids

CR = ChangeRequest.Status
P = ChangeRequestParticipant.Role


@dataclass(frozen=True)
class Deadline:
    uid: str  # stable: the same task keeps its id when its date moves, so calendars update
    kind: str
    summary: str
    due: datetime.date
    path: str


def _uid(kind: str, ref: int, user: User) -> str:
    return f"kansenagenda-{kind}-{ref}-u{user.pk}@kansenagenda"


def _task_deadlines(user: User) -> list[Deadline]:
    return [
        Deadline(
            _uid(item.kind, item.agenda_id, user),
            item.kind,
            f"{item.label}: {item.agenda_title}",
            item.due_date,
            item.url,
        )
        for item in inbox_items(user)
        if item.due_date
    ]


def _report_deadlines(user: User) -> list[Deadline]:
    alliances = coordinated_alliance_ids(user) if user.has_role(roles.COORDINATOR) else set()
    if not alliances:
        return []
    reports = ProgressReport.objects.filter(
        agenda__alliance_id__in=alliances, status__in=list(ProgressReport.EDITABLE_STATUSES)
    ).select_related("agenda")
    return [
        Deadline(
            _uid("report", r.pk, user),
            "report",
            _("Voortgangsrapportage %(year)s inleveren: %(title)s") % {"year": r.year, "title": r.agenda.title},
            r.due_date,
            reverse("agendas:monitoring-report", args=[r.pk]),
        )
        for r in reports
    ]


def _change_request_deadlines(user: User) -> list[Deadline]:
    """Open change requests this user decides next (the ``who`` of the change request table): the region's
    state representative for a small change, an officer to prepare a large one, a signatory who did not
    prepare or revise it to sign it (four eyes)."""
    wanted = Q(pk__in=[])
    regions = represented_region_ids(user)
    if regions:
        wanted |= Q(
            route=ChangeRequest.Route.STATE_REPRESENTATIVE, status=CR.SUBMITTED, agenda__alliance__region_id__in=regions
        )
    if user.has_role(roles.MINISTRY_OFFICER):
        wanted |= Q(route=ChangeRequest.Route.MINISTRY, status=CR.SUBMITTED)
    if user.has_role(roles.MINISTRY_SIGNATORY):
        prepared_by_me = ChangeRequestParticipant.objects.filter(user=user, role__in=[P.PREPARER, P.REVISER])
        wanted |= (
            Q(route=ChangeRequest.Route.MINISTRY, status=CR.PREPARED)
            & ~Q(pk__in=prepared_by_me.values("change_request_id"))
            & ~Q(prepared_by=user)
        )
    if not regions and not user.has_role(roles.MINISTRY_OFFICER, roles.MINISTRY_SIGNATORY):
        return []
    requests = ChangeRequest.objects.filter(wanted).exclude(requested_by=user).select_related("agenda")
    return [
        Deadline(
            _uid("change", cr.pk, user),
            "change",
            _("Beslissen over wijzigingsverzoek %(pk)s: %(title)s") % {"pk": cr.pk, "title": cr.agenda.title},
            clocks.change_request_due_date(cr),
            reverse("agendas:monitoring-change-request", args=[cr.pk]),
        )
        for cr in requests
    ]


def deadlines(user: User) -> list[Deadline]:
    """All of the user's dated deadlines, earliest first."""
    if not user.is_authenticated or not user.is_active:
        return []
    items = _task_deadlines(user) + _report_deadlines(user) + _change_request_deadlines(user)
    return sorted(items, key=lambda d: (d.due, d.uid))
