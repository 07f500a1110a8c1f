"""Confirm before you commit (GOV.UK "check answers") for the state representative: the page before a
progress report is accepted and the page before a change request is decided. Each shows what is being
accepted or decided and what happens next, and posts with the ``lock_version`` the person read; the
same transitions as the one-step forms and the API decide (the workflow table refuses what is not allowed).

A post from the report or change-request page arrives here without ``confirmed`` and only shows the check
page (carrying what was typed); only the check page's own button (``confirmed=1``) commits.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from agendas.models import ChangeRequest
from agendas.monitoring import change_requests as cr_services
from agendas.monitoring import transitions as report_transitions
from agendas.monitoring.selectors import is_late
from agendas.permissions import progress_report_policy as policy
from agendas.workflow import CHANGE_REQUEST, PROGRESS_REPORT
from kansenagenda.errors import ConflictError, TransitionRefused


def _errors(exc: ValidationError) -> dict[str, str]:
    if hasattr(exc, "error_dict"):
        return {key: " ".join(value) for key, value in exc.message_dict.items()}
    return {"__all__": " ".join(exc.messages)}


def _confirmed(request) -> bool:
    return request.method == "POST" and request.POST.get("confirmed") == "1"


def _refusal(machine, name: str, user, case, **params):
    """As the decision check pages: wrong role / separation of duties → 403 with the reason; a refusal
    for another reason (state, guard) is shown on the page instead of the confirm button."""
    refused = machine.refusal(name, actor=user, case=case, **params)
    if refused is not None and refused.status == 403:
        raise PermissionDenied(refused.message)
    return refused


@login_required
def report_accept_check(request, pk: int):
    """The check page ("Controleer en accepteer"): the report's summary and the consequence
    (immutable; only BZK reopens)."""
    report = policy.get_for(request.user, pk, policy.DECIDE)
    refused = _refusal(PROGRESS_REPORT, "accept", request.user, report)
    data = request.POST if request.method == "POST" else request.GET
    remarks = data.get("remarks", "")
    lock_version = data.get("lock_version") or report.lock_version
    errors: dict[str, str] = {}
    status = 200
    if _confirmed(request) and refused is None:
        try:
            report_transitions.progress_report_accept(
                report=report, actor=request.user, remarks=remarks, lock_version=request.POST.get("lock_version")
            )
            messages.success(request, _("De rapportage is geaccepteerd."))
            return redirect("agendas:monitoring-report", pk=report.pk)
        except ValidationError as exc:
            errors, status = _errors(exc), 400
        except (ConflictError, TransitionRefused) as exc:
            messages.error(request, str(exc.message))
            return redirect("agendas:monitoring-report", pk=report.pk)
    milestones = list(report.milestone_progress.select_related("milestone").order_by("milestone__pk"))
    context = {
        "report": report,
        "agenda": report.agenda,
        "remarks": remarks,
        "lock_version": lock_version,
        "late": is_late(report),
        "refused": refused,
        "status_counts": _status_counts(milestones),
        "milestone_count": len(milestones),
        "errors": errors,
    }
    return render(request, "agendas/monitoring/report_accept_check.html", context, status=status)


def _status_counts(milestones) -> list[tuple[str, int]]:
    counts: dict[str, int] = {}
    for row in milestones:
        label = str(row.get_status_display())
        counts[label] = counts.get(label, 0) + 1
    return sorted(counts.items())


@login_required
def change_request_decide_check(request, pk: int):
    """The check page ("Controleer en besluit"): the requested changes, the chosen outcome and what
    follows from it."""
    change_request = policy.get_change_request_for(request.user, pk, policy.DECIDE_CHANGE)
    data = request.POST if request.method == "POST" else request.GET
    outcome = data.get("outcome", "")
    valid = outcome in ChangeRequest.Outcome.values
    refused = _refusal(
        CHANGE_REQUEST, "decide_change", request.user, change_request, **({"outcome": outcome} if valid else {})
    )
    remarks = data.get("remarks", "")
    lock_version = data.get("lock_version") or change_request.lock_version
    errors: dict[str, str] = {}
    status = 200
    if not valid:
        if request.method == "POST":
            errors["outcome"] = _("Besluit: kies accepteren of afwijzen.")
            status = 400
    elif (
        refused is None and request.method == "POST" and request.POST.get("confirmed") == outcome
    ):  # confirmed what was shown
        try:
            change_request = cr_services.change_request_decide(
                change_request=change_request,
                actor=request.user,
                outcome=outcome,
                remarks=remarks,
                lock_version=request.POST.get("lock_version"),
            )
            messages.success(
                request,
                _("Het wijzigingsverzoek heeft nu status: %(status)s.")
                % {"status": change_request.get_status_display()},
            )
            return redirect("agendas:monitoring-change-request", pk=pk)
        except ValidationError as exc:
            errors, status = _errors(exc), 400
        except (ConflictError, TransitionRefused) as exc:
            messages.error(request, str(exc.message))
            return redirect("agendas:monitoring-change-request", pk=pk)
    items = list(
        change_request.items.select_related(
            "from_line__priority", "from_line__source", "to_priority", "milestone"
        ).order_by("pk")
    )
    context = {
        "change_request": change_request,
        "cr": change_request,
        "agenda": change_request.agenda,
        "items": items,
        "outcome": outcome,
        "refused": refused,
        "outcome_label": dict(ChangeRequest.Outcome.choices).get(outcome, ""),
        "accept": outcome == ChangeRequest.Outcome.ACCEPT,
        "remarks": remarks,
        "lock_version": lock_version,
        "next_version": (change_request.agenda.current_version or 0) + 1,
        "outcomes": ChangeRequest.Outcome.choices,
        "errors": errors,
        "error_list": list(errors.items()),
    }
    return render(request, "agendas/monitoring/change_request_decide_check.html", context, status=status)


urlpatterns = [
    path("voortgang/rapportages/<int:pk>/accepteren/", report_accept_check, name="monitoring-report-accept-check"),
    path(
        "voortgang/wijzigingsverzoeken/<int:pk>/beslissen/",
        change_request_decide_check,
        name="monitoring-change-request-decide-check",
    ),
]
