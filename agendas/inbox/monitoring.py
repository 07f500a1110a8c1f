"""'Mijn taken' for monitoring: progress reports to write and submit (coordinator) or to accept or return
(state representative), change requests to decide (state representative, small change), prepare (officer)
or sign (signatory, never one who prepared or revised it: four eyes). A fixed number of queries."""

from __future__ import annotations

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts import roles
from accounts.models import User
from accounts.permissions import represented_region_ids
from agendas import clocks
from agendas.inbox.items import InboxItem
from agendas.models import ChangeRequest, ChangeRequestParticipant, ProgressReport
from agendas.workflow.roles import coordinated_alliance_ids

R = ProgressReport.Status
C = ChangeRequest.Status
Route = ChangeRequest.Route


def _report_item(kind: str, label: str, report: ProgressReport, due=None) -> InboxItem:
    url = reverse("agendas:monitoring-report", args=[report.pk])
    return InboxItem(kind, label, report.agenda_id, report.agenda.title, url, due, ref=report.pk)


def _change_item(kind: str, label: str, cr: ChangeRequest) -> InboxItem:
    url = reverse("agendas:monitoring-change-request", args=[cr.pk])
    return InboxItem(kind, label, cr.agenda_id, cr.agenda.title, url, clocks.change_request_due_date(cr), ref=cr.pk)


def report_items(user: User) -> list[InboxItem]:
    items: list[InboxItem] = []
    coordinated = coordinated_alliance_ids(user) if user.has_role(roles.COORDINATOR) else set()
    if coordinated:
        for report in ProgressReport.objects.filter(
            agenda__alliance_id__in=coordinated, status__in=list(ProgressReport.EDITABLE_STATUSES)
        ).select_related("agenda"):
            label = (
                _("Voortgangsrapportage %(year)s aanpassen en opnieuw indienen")
                if report.status == R.RETURNED
                else _("Voortgangsrapportage %(year)s invullen en indienen")
            ) % {"year": report.year}
            items.append(_report_item("report_write", label, report, report.due_date))
    regions = represented_region_ids(user)
    if regions:
        for report in (
            ProgressReport.objects.filter(agenda__alliance__region_id__in=regions, status=R.SUBMITTED)
            .exclude(submitted_by=user)
            .select_related("agenda")
        ):
            label = _("Voortgangsrapportage %(year)s accepteren of terugsturen") % {"year": report.year}
            items.append(_report_item("report_accept", label, report))
    return items


def change_request_items(user: User) -> list[InboxItem]:
    items: list[InboxItem] = []
    regions = represented_region_ids(user)
    if regions:
        for cr in (
            ChangeRequest.objects.filter(
                agenda__alliance__region_id__in=regions, status=C.SUBMITTED, route=Route.STATE_REPRESENTATIVE
            )
            .exclude(requested_by=user)
            .select_related("agenda")
        ):
            items.append(_change_item("change_decide", _("Beslissen over wijzigingsverzoek"), cr))
    if user.has_role(roles.MINISTRY_OFFICER):
        for cr in (
            ChangeRequest.objects.filter(status=C.SUBMITTED, route=Route.MINISTRY)
            .exclude(requested_by=user)
            .select_related("agenda")
        ):
            items.append(_change_item("change_prepare", _("Wijzigingsverzoek voorbereiden"), cr))
    if user.has_role(roles.MINISTRY_SIGNATORY):
        took_part = ChangeRequestParticipant.objects.filter(change_request=OuterRef("pk"), user=user)
        for cr in (
            ChangeRequest.objects.filter(status=C.PREPARED, route=Route.MINISTRY)
            .exclude(Exists(took_part))
            .select_related("agenda")
        ):
            items.append(_change_item("change_sign", _("Wijzigingsverzoek ondertekenen"), cr))
    return items
