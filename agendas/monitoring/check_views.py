"""Confirm before you commit (GOV.UK "check answers"): the page before a progress report is accepted, the page
before the state representative decides a change request and the page before the ministry signatory signs one. Each shows what is being
accepted or decided and what happens next, and posts with the ``lock_version`` the person read; the
same transitions as the one-step forms and the API decide (the workflow table refuses what is not allowed).

A post from the report or change-request page arrives here without ``confirmed`` and only shows the check
page (carrying what was typed); only the check page's own button (``confirmed=1``) commits.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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


@dataclass(frozen=True)
class _Step:
    """One deciding step on a change request: the state representative's decision on a small change, or the
    ministry signatory's signature on a prepared large one."""

    permission: str
    action: str  # the change-request table's action
    url_name: str
    remarks_label: str
    service: Callable[..., ChangeRequest]
    second_factor: bool


def _steps() -> dict[str, _Step]:
    return {
        "decide": _Step(
            policy.DECIDE_CHANGE,
            "decide_change",
            "agendas:monitoring-change-request-decide-check",
            gettext_lazy("Toelichting (verplicht bij afwijzen)"),
            cr_services.change_request_decide,
            False,
        ),
        "sign": _Step(
            policy.SIGN_CHANGE,
            "sign_change",
            "agendas:monitoring-change-request-sign-check",
            gettext_lazy("Toelichting (verplicht als u afwijkt van het advies)"),
            cr_services.change_request_sign,
            True,
        ),
    }


@login_required
def change_request_decide_check(request, pk: int):
    return _change_request_check(request, pk, _steps()["decide"])


@login_required
def change_request_sign_check(request, pk: int):
    return _change_request_check(request, pk, _steps()["sign"])


def _change_request_check(request, pk: int, step: _Step):
    """The check page ("Controleer en besluit"): the requested changes, the chosen outcome and what
    follows from it; the same page before the state representative decides and before the signatory signs."""
    change_request = policy.get_change_request_for(request.user, pk, step.permission)
    data = request.POST if request.method == "POST" else request.GET
    outcome = data.get("outcome", "")
    valid = outcome in ChangeRequest.Outcome.values
    params = {"outcome": outcome} if valid and not step.second_factor else {}
    if step.second_factor:
        params["second_factor_verified"] = request.user.is_verified()
    refused = _refusal(CHANGE_REQUEST, step.action, request.user, change_request, **params)
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
        kwargs = {"second_factor_verified": request.user.is_verified()} if step.second_factor else {}
        try:
            change_request = step.service(
                change_request=change_request,
                actor=request.user,
                outcome=outcome,
                remarks=remarks,
                lock_version=request.POST.get("lock_version"),
                **kwargs,
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
        "remarks_label": step.remarks_label,
        "check_url": reverse(step.url_name, args=[change_request.pk]),
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
    path(
        "voortgang/wijzigingsverzoeken/<int:pk>/ondertekenen/",
        change_request_sign_check,
        name="monitoring-change-request-sign-check",
    ),
]
