"""The reviewer's pages: the declaration, then the review form beside the reviewer's copy of the agenda, its
automatic draft save, and the read-only review once submitted.

Thin views: the policy fetches and authorises, ``agendas.decision.reviews`` saves and submits, and what is
still missing before submitting comes from the workflow's own rule (``review_missing_fields``), shown as a
GOV.UK error summary that links to each field.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.accesslog.services import Purpose, record_access
from agendas import workflow
from agendas.decision import reviews as review_services
from agendas.decision import services
from agendas.decision.forms import DeclarationForm, ReviewForm
from agendas.decision.views import _apply_errors, _refused
from agendas.models import Review, ReviewAssignment
from agendas.permissions import agenda_version_policy, workflow_policy
from kansenagenda.errors import ConflictError, TransitionRefused


def _active_review(request, pk):
    """(assignment, version, review) for the reviewer's own active assignment; 404 otherwise."""
    assignment = workflow_policy.get_assignment_for(request.user, pk)
    if assignment.reviewer_id != request.user.pk or assignment.status != ReviewAssignment.Status.ACTIVE:
        raise Http404
    version, review = _version_and_review(request, assignment)
    return assignment, version, review


def _version_and_review(request, assignment):
    """The version under review (as the policy allows) and the review with its rows; 404 without a review."""
    version = agenda_version_policy.get_for(request.user, assignment.version_id)
    review = (
        Review.objects.filter(assignment=assignment)
        .prefetch_related("scores__dimension", "priority_remarks", "response_points")
        .first()
    )
    if review is None:
        raise Http404
    return version, review


@login_required
def assignment_page(request, pk):
    """For the reviewer: the declaration first, then the version and the review form; read-only once submitted."""
    assignment = workflow_policy.get_assignment_for(request.user, pk)
    agenda = assignment.agenda
    if assignment.reviewer_id != request.user.pk:
        return render(request, "agendas/workflow/assignment_summary.html", {"assignment": assignment, "agenda": agenda})
    if assignment.status == ReviewAssignment.Status.AWAITING_DECLARATION:
        return _declaration(request, assignment)
    if assignment.status != ReviewAssignment.Status.ACTIVE:
        return _review_done(request, assignment)
    assignment, version, review = _active_review(request, pk)
    priorities = version.snapshot.get("priorities", [])
    form = ReviewForm(request.POST or None, review=review, priorities=priorities)
    if request.method == "POST" and form.is_valid():
        try:
            review = review_services.review_save(assignment=assignment, actor=request.user, **form.service_kwargs())
            if "submit" not in request.POST:
                messages.success(request, _("Concept opgeslagen."))
                return redirect(reverse("agendas:workflow-assignment", args=[pk]))
            missing = workflow.review_missing_fields(review)
            if not missing:
                review_services.review_submit(
                    assignment=assignment, actor=request.user, lock_version=review.lock_version
                )
                messages.success(request, _("Uw beoordeling is ingediend. Dank u wel."))
                return redirect(reverse("agendas:workflow-assignment", args=[pk]))
            # The draft is saved; show what is still missing beside each field (a fresh form: new lock_version).
            data = request.POST.copy()
            data["lock_version"] = str(review.lock_version)
            form = ReviewForm(data, review=review, priorities=priorities)
            form.is_valid()
            _apply_errors(form, ValidationError(missing), form.service_error_field)
            messages.info(request, _("Uw concept is opgeslagen, maar nog niet ingediend: vul eerst alles in."))
        except ValidationError as exc:
            _apply_errors(form, exc, form.service_error_field)
        except ConflictError as exc:
            messages.error(request, str(exc.message))
        except TransitionRefused as exc:
            _refused(request, exc)
            return redirect(reverse("agendas:workflow-assignment", args=[pk]))
    return render(
        request,
        "agendas/workflow/review_form.html",
        {
            "assignment": assignment,
            "agenda": agenda,
            "version": version,
            "snapshot": version.snapshot,
            "form": form,
            "review": review,
        },
    )


@login_required
@require_POST
def assignment_autosave(request, pk):
    """The draft, saved in the background while the reviewer types (site.js). JSON: the new lock_version and
    a sentence for the status line, or the reasons it could not be saved yet (nothing is lost: the page keeps
    the input, and the next change tries again)."""
    assignment, version, review = _active_review(request, pk)
    form = ReviewForm(request.POST, review=review, priorities=version.snapshot.get("priorities", []))
    if not form.is_valid():
        return JsonResponse({"saved": False, "message": _("Nog niet automatisch opgeslagen: controleer de invoer.")})
    try:
        review = review_services.review_save(assignment=assignment, actor=request.user, **form.service_kwargs())
    except ValidationError as exc:
        reasons = [str(m) for m in exc.messages]
        return JsonResponse(
            {"saved": False, "message": _("Nog niet automatisch opgeslagen: %(why)s") % {"why": " ".join(reasons)}}
        )
    except ConflictError as exc:
        return JsonResponse({"saved": False, "conflict": True, "message": str(exc.message)}, status=409)
    except TransitionRefused as exc:
        return JsonResponse({"saved": False, "message": str(exc.message)}, status=403)
    at = formats.time_format(timezone.localtime(), "H:i")
    return JsonResponse(
        {
            "saved": True,
            "lock_version": review.lock_version,
            "message": _("Concept automatisch opgeslagen om %(time)s.") % {"time": at},
        }
    )


def _review_done(request, assignment):
    version, review = _version_and_review(request, assignment)
    agenda = assignment.agenda
    others = list(
        workflow_policy.visible_reviews(request.user, agenda)
        .exclude(pk=review.pk)
        .select_related("assignment__reviewer")
    )
    record_access(request=request, objects=[review, *others], purpose=Purpose.REVIEW, agenda_id=agenda.pk)
    return render(
        request,
        "agendas/workflow/review_done.html",
        {"assignment": assignment, "agenda": agenda, "review": review, "others": others, "version": version},
    )


def _declaration(request, assignment):
    form = DeclarationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.assignment_declare(
                assignment=assignment,
                actor=request.user,
                has_conflict=form.cleaned_data["has_conflict"],
                text=form.cleaned_data["text"],
            )
            if form.cleaned_data["has_conflict"]:
                messages.success(
                    request, _("U bent teruggetrokken als beoordelaar. Het ministerie wijst iemand anders toe.")
                )
                return redirect(reverse("agendas:workflow-inbox"))
            messages.success(request, _("Dank u. De agenda is nu voor u geopend."))
            return redirect(reverse("agendas:workflow-assignment", args=[assignment.pk]))
        except ValidationError as exc:
            _apply_errors(form, exc, lambda key: "text" if key == "declaration_text" else key)
        except TransitionRefused as exc:
            _refused(request, exc)
    return render(
        request,
        "agendas/workflow/declaration.html",
        {"assignment": assignment, "agenda": assignment.agenda, "form": form},
    )


urlpatterns = [
    path("toetsen/<int:pk>/", assignment_page, name="workflow-assignment"),
    path("toetsen/<int:pk>/concept/", assignment_autosave, name="workflow-assignment-autosave"),
]
