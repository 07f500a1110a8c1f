"""Workflow pages: inbox, the route of an agenda, reviewer assignment, declaration and review, advice,
decision nota and signing, versions and comparison, answering response points.

Thin views: the policies fetch and authorise (404 when not visible), the services decide. A refusal
(``TransitionRefused``) is shown as a message with its reasons; invalid input as form errors.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import region_representatives
from accounts.accesslog.services import Purpose, purpose_for, record_access
from agendas import notifications, workflow
from agendas.decision import services
from agendas.decision import signoff as signoff_services
from agendas.decision import versions as version_services
from agendas.decision.forms import (
    AdviceForm,
    AnswerForm,
    AssignReviewerForm,
    CommentForm,
    CompareForm,
    DecisionForm,
)
from agendas.inbox.selectors import inbox_items
from agendas.inbox.views import inbox_count
from agendas.models import Advice, AgendaVersion, Decision, ResponsePoint, ReviewAssignment
from agendas.permissions import agenda_policy, workflow_policy
from agendas.rijk import selectors as rijk_selectors
from kansenagenda.errors import ConflictError, TransitionRefused


def _refused(request, exc: TransitionRefused) -> None:
    text = str(exc.message)
    if exc.reasons:
        text += " " + " ".join(str(r) for r in exc.reasons)
    messages.error(request, text)


def _apply_errors(form, exc: ValidationError, field_for=None) -> None:
    errors = exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages}
    for key, msgs in errors.items():
        field = field_for(key) if field_for and key else key
        form.add_error(field if field in form.fields else None, msgs)


def _agenda(request, pk):
    return agenda_policy.get_for(request.user, pk)


def _overview(pk) -> str:
    return reverse("agendas:workflow-overview", args=[pk])


def _guard_page(request, name: str, agenda, obj=None, guards: bool = True):
    """A page that exists only for those who may do ``name``: wrong role → 403 with the reason;
    wrong state / guard → the refusal, shown on the page instead of the form."""
    refused = workflow.refusal(name, actor=request.user, agenda=agenda, obj=obj, guards=guards)
    if refused is not None and refused.status == 403:
        raise PermissionDenied(refused.message)
    return refused


def _current_decision(agenda):
    return (
        Decision.objects.filter(agenda=agenda, version__number=agenda.current_version)
        .select_related("prepared_by", "signed_by", "version")
        .prefetch_related("year_amounts", "participants__user")
        .first()
    )


# --- inbox and overview ----------------------------------------------------------------------------
@login_required
def inbox(request):
    return render(
        request,
        "agendas/workflow/inbox.html",
        {"items": inbox_items(request.user), "may_bulk_assign": workflow_policy.is_officer(request.user)},
    )


@login_required
def overview(request, pk):
    agenda = _agenda(request, pk)
    user = request.user
    decisions = [
        d
        for d in Decision.objects.filter(agenda=agenda).select_related("prepared_by", "signed_by", "version")
        if workflow_policy.can_see_decision(user, agenda, d)
    ]
    advices = [
        a
        for a in Advice.objects.filter(agenda=agenda).select_related("author", "version")
        if workflow_policy.can_see_advice(user, agenda, a)
    ]
    reviews = list(
        workflow_policy.visible_reviews(user, agenda).select_related("assignment__reviewer", "assignment__version")
    )
    record_access(request=request, objects=[*reviews, *decisions], purpose=purpose_for(user), agenda_id=agenda.pk)
    context = {
        "agenda": agenda,
        "assignments": workflow_policy.visible_assignments(user)
        .filter(agenda=agenda)
        .select_related("reviewer", "version"),
        "reviews": reviews,
        "advices": advices,
        "decisions": decisions,
        "versions": AgendaVersion.objects.filter(agenda=agenda).defer("snapshot").order_by("number"),
        "decision_due": workflow.decision_due_date(agenda),
        "is_officer": workflow_policy.is_officer(user),
        "is_state_rep": workflow_policy.is_state_representative(user, agenda),
        "is_coordinator": workflow_policy.is_coordinator(user, agenda),
        "has_state_representative": bool(notifications.state_representatives(agenda)),
        "may_assign_state_representative": region_representatives.may_assign(user),
    }
    return render(request, "agendas/workflow/overview.html", context)


@login_required
@require_POST
def transition(request, pk, action):
    """The simple agenda transitions with an optional comment: submit, withdraw, close."""
    agenda = _agenda(request, pk)
    if action not in ("submit", "withdraw", "close"):
        raise Http404
    form = CommentForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(_overview(pk))
    comment = form.cleaned_data["comment"]
    lock_version = form.cleaned_data["lock_version"]
    try:
        if action == "submit":
            version = services.agenda_submit(
                agenda=agenda, actor=request.user, comment=comment, lock_version=lock_version
            )
            messages.success(request, _("De agenda is ingediend als versie %(n)s.") % {"n": version.number})
        elif action == "withdraw":
            services.agenda_withdraw(agenda=agenda, actor=request.user, comment=comment, lock_version=lock_version)
            messages.success(request, _("De indiening is ingetrokken. U kunt de agenda weer bewerken."))
        elif action == "close":
            services.agenda_close(agenda=agenda, actor=request.user, comment=comment, lock_version=lock_version)
            messages.success(request, _("De agenda is afgesloten."))
        else:
            raise Http404
    except TransitionRefused as exc:
        _refused(request, exc)
    except ConflictError as exc:
        messages.error(request, str(exc.message))
    return redirect(_overview(pk))


# --- reviewers -------------------------------------------------------------------------------------
@login_required
def reviewers(request, pk):
    agenda = _agenda(request, pk)
    refused = _guard_page(request, "assign_reviewer", agenda, guards=False)  # the guards need the chosen reviewer
    form = AssignReviewerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            assignment = services.reviewer_assign(
                agenda=agenda,
                actor=request.user,
                reviewer=form.cleaned_data["reviewer"],
                due_date=form.cleaned_data["due_date"],
            )
            messages.success(
                request,
                _("%(name)s is gevraagd als beoordelaar en krijgt bericht.") % {"name": assignment.reviewer},
            )
            return redirect(reverse("agendas:workflow-reviewers", args=[pk]))
        except TransitionRefused as exc:
            _refused(request, exc)
    assignments = (
        ReviewAssignment.objects.filter(agenda=agenda)
        .select_related("reviewer", "version")
        .order_by("-version__number", "assigned_at")
    )
    return render(
        request,
        "agendas/workflow/reviewers.html",
        {"agenda": agenda, "form": form, "refused": refused, "assignments": assignments},
    )


# --- advice ----------------------------------------------------------------------------------------
@login_required
def advice(request, pk):
    agenda = _agenda(request, pk)
    refused = _guard_page(request, "give_advice", agenda)
    existing = Advice.objects.filter(agenda=agenda, version__number=agenda.current_version).first()
    form = AdviceForm(request.POST or None, instance=existing)
    if request.method == "POST" and form.is_valid() and refused is None:
        try:
            services.advice_save(
                agenda=agenda,
                actor=request.user,
                text=form.cleaned_data["text"],
                recommendation=form.cleaned_data["recommendation"],
                submit="submit" in request.POST,
            )
            messages.success(
                request, _("Uw advies is uitgebracht.") if "submit" in request.POST else _("Concept opgeslagen.")
            )
            return redirect(
                _overview(pk) if "submit" in request.POST else reverse("agendas:workflow-advice", args=[pk])
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        except TransitionRefused as exc:
            _refused(request, exc)
    reviews = list(workflow_policy.visible_reviews(request.user, agenda).select_related("assignment__reviewer"))
    record_access(request=request, objects=reviews, purpose=purpose_for(request.user), agenda_id=agenda.pk)
    return render(
        request,
        "agendas/workflow/advice.html",
        {"agenda": agenda, "form": form, "refused": refused, "reviews": reviews, "advice": existing},
    )


# --- decision --------------------------------------------------------------------------------------
@login_required
def decision(request, pk):
    agenda = _agenda(request, pk)
    current = _current_decision(agenda)
    if current is not None and not workflow_policy.can_see_decision(request.user, agenda, current):
        current = None
    may_prepare = workflow.refusal("prepare_decision", actor=request.user, agenda=agenda, obj=current) is None
    if not may_prepare and current is None:
        refused = _guard_page(request, "prepare_decision", agenda)
        return render(request, "agendas/workflow/decision.html", {"agenda": agenda, "refused": refused})
    form = None
    if may_prepare:
        version = services.current_version(agenda)
        requested = version_services.requested_rijk_extra_by_year(version)
        form = DecisionForm(request.POST or None, requested=requested, years=agenda.years, decision=current)
        if request.method == "POST" and form.is_valid():
            try:
                signoff_services.decision_prepare(agenda=agenda, actor=request.user, **form.service_kwargs())
                messages.success(request, _("De nota is opgeslagen en ligt klaar voor ondertekening."))
                return redirect(reverse("agendas:workflow-decision", args=[pk]))
            except ValidationError as exc:
                _apply_errors(form, exc)
            except ConflictError as exc:
                messages.error(request, str(exc.message))
            except TransitionRefused as exc:
                _refused(request, exc)
    if current is not None and request.method == "GET":
        record_access(request=request, obj=current, purpose=Purpose.DECISION, agenda_id=agenda.pk)
    sign_action = None
    if current is not None and current.signed_at is None:
        name = current.advised_decision
        if workflow_policy.is_signatory(request.user):
            sign_action = {
                "label": workflow.ACTIONS[name].label,
                "refused": workflow.refusal(
                    name,
                    actor=request.user,
                    agenda=agenda,
                    obj=current,
                    second_factor_verified=_verified(request),
                ),
            }
    return render(
        request,
        "agendas/workflow/decision.html",
        {
            "agenda": agenda,
            "decision": current,
            "form": form,
            "sign_action": sign_action,
            "rijk_commitments": rijk_selectors.for_decision(current) if current else [],
            # the version the nota is (to be) about: its co-financing, never the live figures
            "version_snapshot": (current.version.snapshot if current else services.current_version(agenda).snapshot)
            if agenda.current_version
            else None,
        },
    )


def _verified(request) -> bool:
    return bool(getattr(request.user, "is_verified", lambda: False)())


# --- versions --------------------------------------------------------------------------------------
@login_required
def versions(request, pk):
    agenda = _agenda(request, pk)
    all_versions = list(AgendaVersion.objects.filter(agenda=agenda).select_related("created_by").defer("snapshot"))
    numbers = [v.number for v in all_versions]
    diff = None
    form = CompareForm(request.GET or None, numbers=numbers)
    if request.GET and form.is_valid():
        by_number = {
            v.number: v
            for v in AgendaVersion.objects.filter(
                agenda=agenda, number__in=[form.cleaned_data["a"], form.cleaned_data["b"]]
            )
        }
        diff = version_services.diff_versions(by_number[form.cleaned_data["a"]], by_number[form.cleaned_data["b"]])
    elif not request.GET and len(numbers) >= 2:
        form = CompareForm(initial={"a": numbers[-2], "b": numbers[-1]}, numbers=numbers)
    return render(
        request,
        "agendas/workflow/versions.html",
        {"agenda": agenda, "versions": all_versions, "form": form, "diff": diff},
    )


@login_required
def version_detail(request, pk, number):
    agenda = _agenda(request, pk)
    version = get_object_or_404(AgendaVersion.objects.select_related("created_by"), agenda=agenda, number=number)
    return render(
        request,
        "agendas/workflow/version_detail.html",
        {"agenda": agenda, "version": version, "snapshot": version.snapshot},
    )


# --- response points -------------------------------------------------------------------------------
@login_required
def points(request, pk):
    agenda = _agenda(request, pk)
    visible = workflow_policy.visible_reviews(request.user, agenda).filter(submitted_at__isnull=False)
    all_points = list(
        ResponsePoint.objects.filter(review__in=visible).select_related("priority", "answered_by").order_by("pk")
    )
    may_answer = workflow.refusal("answer_response_point", actor=request.user, agenda=agenda, obj=None) is None
    errors_for: dict[int, AnswerForm] = {}
    if request.method == "POST":
        try:
            point_id = int(request.POST.get("point_id", ""))
        except ValueError:
            raise Http404
        point = next((p for p in all_points if p.pk == point_id), None)
        if point is None:
            raise Http404
        form = AnswerForm(request.POST, prefix=f"p{point.pk}")
        if form.is_valid():
            try:
                services.response_point_answer(point=point, actor=request.user, answer=form.cleaned_data["answer"])
                messages.success(request, _("Uw reactie is opgeslagen."))
                return redirect(reverse("agendas:workflow-points", args=[pk]) + f"#punt-{point.pk}")
            except ValidationError as exc:
                _apply_errors(form, exc)
            except TransitionRefused as exc:
                _refused(request, exc)
        errors_for[point.pk] = form
    decision_reasons = (
        Decision.objects.filter(agenda=agenda, outcome=Decision.Outcome.RETURN, signed_at__isnull=False)
        .order_by("-signed_at")
        .first()
    )
    rows = [
        {"point": p, "form": errors_for.get(p.pk) or AnswerForm(initial={"answer": p.answer}, prefix=f"p{p.pk}")}
        for p in all_points
    ]
    return render(
        request,
        "agendas/workflow/points.html",
        {"agenda": agenda, "rows": rows, "may_answer": may_answer, "returned_decision": decision_reasons},
    )


urlpatterns = [
    path("mijn-taken/", inbox, name="workflow-inbox"),
    path("mijn-taken/aantal/", inbox_count, name="workflow-inbox-count"),
    path("<int:pk>/procedure/", overview, name="workflow-overview"),
    path("<int:pk>/procedure/<slug:action>/", transition, name="workflow-transition"),
    path("<int:pk>/beoordelaars/", reviewers, name="workflow-reviewers"),
    path("<int:pk>/advies/", advice, name="workflow-advice"),
    path("<int:pk>/besluit/", decision, name="workflow-decision"),
    path("<int:pk>/versies/", versions, name="workflow-versions"),
    path("<int:pk>/versies/<int:number>/", version_detail, name="workflow-version"),
    path("<int:pk>/reactiepunten/", points, name="workflow-points"),
]
