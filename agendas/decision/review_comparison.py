"""The reviews of one agenda side by side per broad-welfare dimension: only once every counting review of
the current version is in (before that, reading one review next to another would break the blind rule's
spirit and compare drafts). A fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _

from agendas.models import Agenda, BroadWelfareDimension, Review, ReviewAssignment, ReviewDimensionScore
from agendas.permissions import agenda_policy, workflow_policy

RA = ReviewAssignment.Status


@dataclass
class SideBySide:
    reviews: list[Review]
    rows: list[tuple[BroadWelfareDimension, list[ReviewDimensionScore | None]]]


def reviews_side_by_side(agenda: Agenda) -> SideBySide | None:
    """``None`` while a counting review of the current version is still open (or there is none)."""
    counting = ReviewAssignment.objects.filter(agenda=agenda, version__number=agenda.current_version).exclude(
        status__in=[RA.RECUSED, RA.CANCELLED]
    )
    statuses = list(counting.values_list("status", flat=True))
    if not statuses or any(s != RA.SUBMITTED for s in statuses):
        return None
    reviews = list(
        Review.objects.filter(assignment__in=counting, submitted_at__isnull=False)
        .select_related("assignment__reviewer")
        .order_by("submitted_at", "pk")
    )
    scores = {(s.review_id, s.dimension_id): s for s in ReviewDimensionScore.objects.filter(review__in=reviews)}
    rows = [
        (d, [scores.get((r.pk, d.pk)) for r in reviews])
        for d in BroadWelfareDimension.objects.filter(active=True).order_by("perspective", "order", "name")
    ]
    return SideBySide(reviews, rows)


@login_required
def compare_reviews(request, pk):
    agenda = agenda_policy.get_for(request.user, pk)
    if not workflow_policy.can_compare_reviews(request.user):
        raise PermissionDenied(_("De beoordelingen naast elkaar zijn alleen voor het ministerie."))
    return render(
        request, "agendas/workflow/reviews_compare.html", {"agenda": agenda, "data": reviews_side_by_side(agenda)}
    )


urlpatterns = [path("<int:pk>/beoordelingen-vergelijken/", compare_reviews, name="workflow-reviews-compare")]
