"""Change-request pages: the coordinator's request form and the request's page (prepare, sign, withdraw;
deciding goes through the check page in ``check_views``). Thin views: the services decide."""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from agendas.models import BudgetLine, ChangeRequest, Milestone, Priority
from agendas.monitoring import change_requests as cr_services
from agendas.monitoring import check_views
from agendas.monitoring.views import _messages_of
from agendas.permissions import progress_report_policy as policy
from agendas.workflow import CHANGE_REQUEST
from kansenagenda.errors import ConflictError, TransitionRefused

# --- change requests ------------------------------------------------------------------------------------
SHIFT_ROWS = 3
MILESTONE_ROWS = 3
SHIFT_FIELDS = ("from_line", "to_priority", "to_year", "amount")
MS_FIELDS = ("milestone", "new_target_value", "new_target_year")


def _rows_from_post(post, prefix: str, fields, count: int) -> list[dict]:
    return [{name: post.get(f"{prefix}-{n}-{name}", "") for name in fields} for n in range(count)]


@login_required
def change_request_new(request, agenda_pk: int):
    agenda = policy.get_agenda_for(request.user, agenda_pk, policy.REQUEST_CHANGE)
    errors: dict[str, str] = {}
    shifts = [dict.fromkeys(SHIFT_FIELDS, "") for _n in range(SHIFT_ROWS)]
    changes = [dict.fromkeys(MS_FIELDS, "") for _n in range(MILESTONE_ROWS)]
    reason = ""
    status = 200
    if request.method == "POST":
        reason = request.POST.get("reason", "")
        shifts = _rows_from_post(request.POST, "budget_shifts", SHIFT_FIELDS, SHIFT_ROWS)
        changes = _rows_from_post(request.POST, "milestone_changes", MS_FIELDS, MILESTONE_ROWS)
        # the service numbers the rows it receives; send only filled rows but keep the page's numbering
        filled_shifts = [(n, s) for n, s in enumerate(shifts) if any(s.values())]
        filled_changes = [(n, c) for n, c in enumerate(changes) if any(c.values())]
        try:
            change_request = cr_services.change_request_create(
                agenda=agenda,
                actor=request.user,
                reason=reason,
                budget_shifts=[s for _n, s in filled_shifts],
                milestone_changes=[c for _n, c in filled_changes],
            )
            messages.success(request, _("Het wijzigingsverzoek is ingediend."))
            return redirect("agendas:monitoring-change-request", pk=change_request.pk)
        except ValidationError as exc:
            raw = _messages_of(exc)
            for key, message in raw.items():
                match = re.match(r"^(budget_shifts|milestone_changes)-(\d+)-(.+)$", key)
                if match:
                    rows = filled_shifts if match.group(1) == "budget_shifts" else filled_changes
                    key = f"{match.group(1)}-{rows[int(match.group(2))][0]}-{match.group(3)}"
                errors[key] = message
            status = 400
    lines = list(
        BudgetLine.objects.filter(priority__agenda=agenda)
        .select_related("priority", "source")
        .order_by("priority__order", "priority_id", "year", "source__order")
    )
    shift_rows = [
        {"n": n, "values": row, "errors": {f: errors.get(f"budget_shifts-{n}-{f}") for f in SHIFT_FIELDS}}
        for n, row in enumerate(shifts)
    ]
    ms_rows = [
        {"n": n, "values": row, "errors": {f: errors.get(f"milestone_changes-{n}-{f}") for f in MS_FIELDS}}
        for n, row in enumerate(changes)
    ]
    context = {
        "agenda": agenda,
        "lines": lines,
        "priorities": list(Priority.objects.filter(agenda=agenda).order_by("order", "pk")),
        "milestones": list(
            Milestone.objects.filter(priority__agenda=agenda)
            .select_related("priority")
            .order_by("priority__order", "pk")
        ),
        "years": agenda.years,
        "shift_rows": shift_rows,
        "ms_rows": ms_rows,
        "reason": reason,
        "errors": errors,
        "error_list": list(errors.items()),
    }
    return render(request, "agendas/monitoring/change_request_form.html", context, status=status)


@login_required
def change_request_detail(request, pk: int):
    change_request = policy.get_change_request_for(request.user, pk)
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "decide":  # never in one click: the check page shows the consequences and confirms
            return check_views.change_request_decide_check(request, pk)
        if action == "sign":  # the same for the signatory
            return check_views.change_request_sign_check(request, pk)
        lock_version = request.POST.get("lock_version")
        actions = {
            "prepare": (policy.PREPARE_CHANGE, cr_services.change_request_prepare),
            "withdraw": (policy.WITHDRAW_CHANGE, cr_services.change_request_withdraw),
        }
        if action not in actions:
            messages.error(request, _("Onbekende actie."))
            return redirect("agendas:monitoring-change-request", pk=pk)
        permission, service = actions[action]
        change_request = policy.get_change_request_for(request.user, pk, permission)
        kwargs = {"change_request": change_request, "actor": request.user, "lock_version": lock_version}
        if action == "prepare":
            kwargs.update(advised_outcome=request.POST.get("advised_outcome", ""), note=request.POST.get("note", ""))
        try:
            change_request = service(**kwargs)
            messages.success(
                request,
                _("Het wijzigingsverzoek heeft nu status: %(status)s.")
                % {"status": change_request.get_status_display()},
            )
        except ValidationError as exc:
            messages.error(request, " ".join(_messages_of(exc).values()))
        except (ConflictError, TransitionRefused) as exc:
            messages.error(request, str(exc.message))
        return redirect("agendas:monitoring-change-request", pk=pk)

    user = request.user
    items = list(
        change_request.items.select_related(
            "from_line__priority", "from_line__source", "to_priority", "milestone"
        ).order_by("pk")
    )
    history = list(change_request.history.select_related("history_user").order_by("history_date"))
    buttons = CHANGE_REQUEST.buttons(user, change_request)  # the table's action panel (as /actions/)

    def allowed(name: str) -> bool:
        return name in buttons and buttons[name].allowed

    context = {
        "change_request": change_request,
        "agenda": change_request.agenda,
        "items": items,
        "history": history,
        "buttons": buttons,
        "can_decide": allowed("decide_change"),
        "can_prepare": allowed("prepare_change"),
        "can_sign": allowed("sign_change"),
        "can_withdraw": allowed("withdraw_change"),
        # offered to this role in this state but refused (four eyes, second factor …): say why
        "sign_refusal": " ".join(
            [str(buttons["sign_change"].refused.message), *map(str, buttons["sign_change"].refused.reasons)]
        )
        if "sign_change" in buttons and not buttons["sign_change"].allowed
        else "",
        "outcomes": ChangeRequest.Outcome.choices,
    }
    return render(request, "agendas/monitoring/change_request.html", context)


urlpatterns = [
    path("<int:agenda_pk>/wijzigingsverzoeken/nieuw/", change_request_new, name="monitoring-change-request-new"),
    path("voortgang/wijzigingsverzoeken/<int:pk>/", change_request_detail, name="monitoring-change-request"),
]
