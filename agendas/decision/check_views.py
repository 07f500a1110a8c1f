"""Confirm before you commit (GOV.UK "check answers"): the page before an agenda is submitted and the page
before a decision is signed or sent back. Each shows what will be sent and what happens next, and posts
with the ``lock_version`` the person read; the services and the workflow table decide.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.accesslog.services import Purpose, record_access
from agendas import clocks, finance, workflow
from agendas.decision import signoff as signoff_services
from agendas.decision.forms import CommentForm, SignForm
from agendas.decision.views import (
    _agenda,
    _apply_errors,
    _current_decision,
    _guard_page,
    _overview,
    _refused,
    _verified,
)
from agendas.permissions import workflow_policy
from kansenagenda.errors import ConflictError, TransitionRefused


@login_required
def submit_check(request, pk):
    """The check page before submitting ("Controleer en dien in"): what is submitted, and what follows."""
    agenda = _agenda(request, pk)
    _guard_page(request, "submit", agenda, guards=False)  # wrong role → 403 with the reason
    refused = workflow.refusal("submit", actor=request.user, agenda=agenda)
    priorities = list(agenda.priorities.select_related("theme").order_by("order", "pk"))
    context = {
        "agenda": agenda,
        "refused": refused,
        "priorities": priorities,
        "totals": finance.agenda_totals(agenda),
        "next_version": (agenda.current_version or 0) + 1,
        "decision_due": clocks.decision_due_from(timezone.now()),
        "form": CommentForm(initial={"lock_version": agenda.lock_version}),
    }
    return render(request, "agendas/workflow/submit_check.html", context)


@login_required
def sign(request, pk):
    """The signatory's check page ("Controleer en onderteken"): the nota, what each choice sets in motion,
    then sign the advised outcome, another one with a reason, or send the nota back to the officer."""
    agenda = _agenda(request, pk)
    current = _current_decision(agenda)
    if current is None or not workflow_policy.can_see_decision(request.user, agenda, current):
        raise Http404
    refused = _guard_page(request, "send_back_decision", agenda, obj=current, guards=False)
    form = SignForm(
        request.POST or None, initial={"lock_version": current.lock_version, "choice": current.advised_decision}
    )
    if request.method == "POST" and form.is_valid():
        choice = form.cleaned_data["choice"] or current.advised_decision
        reason = form.cleaned_data["reason"]
        lock_version = form.cleaned_data["lock_version"]
        try:
            if choice == SignForm.SEND_BACK:
                signoff_services.decision_send_back(
                    agenda=agenda, actor=request.user, remarks=reason, lock_version=lock_version
                )
                messages.success(
                    request,
                    _("De nota is teruggestuurd naar %(name)s; de agenda wacht op de herziene nota.")
                    % {"name": current.prepared_by},
                )
                return redirect(reverse("agendas:workflow-decision", args=[pk]))
            signed = signoff_services.decision_sign(
                agenda=agenda,
                actor=request.user,
                second_factor_verified=_verified(request),
                lock_version=lock_version,
                outcome=choice,
                reason=reason,
            )
            messages.success(
                request, _("Het besluit is ondertekend: %(outcome)s.") % {"outcome": signed.get_outcome_display()}
            )
            return redirect(_overview(pk))
        except ValidationError as exc:
            _apply_errors(form, exc)
        except TransitionRefused as exc:
            if exc.code in ("deviation_reason", "remarks_required"):  # the input: shown at the field
                form.add_error("reason", " ".join(map(str, exc.reasons)) or str(exc.message))
            else:
                _refused(request, exc)
        except ConflictError as exc:
            messages.error(request, str(exc.message))
    record_access(request=request, obj=current, purpose=Purpose.DECISION, agenda_id=agenda.pk)
    return render(
        request,
        "agendas/workflow/sign_check.html",
        {
            "agenda": agenda,
            "decision": current,
            "form": form,
            "refused": refused
            or workflow.refusal(
                current.advised_decision,
                actor=request.user,
                agenda=agenda,
                obj=current,
                second_factor_verified=_verified(request),
            ),
            "decision_due": workflow.decision_due_date(agenda),
        },
    )


urlpatterns = [
    path("<int:pk>/indienen/", submit_check, name="workflow-submit-check"),
    path("<int:pk>/besluit/ondertekenen/", sign, name="workflow-sign"),
]
