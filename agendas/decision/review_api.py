"""Review API: reviewer assignments, declarations of independence, the review form and its submission."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.accesslog.services import Purpose, purpose_for, record_access
from agendas.decision import reviews as review_services
from agendas.decision import services
from agendas.decision.api import TAG, _agenda
from agendas.decision.serializers import (
    AssignInputSerializer,
    AssignmentSerializer,
    DeclarationInputSerializer,
    ReviewSerializer,
    SignInputSerializer,
    VersionDetailSerializer,
)
from agendas.models import (
    Review,
)
from agendas.permissions import agenda_version_policy, workflow_policy


def _review_qs():
    return Review.objects.select_related("assignment__reviewer", "assignment__version").prefetch_related(
        "scores__dimension", "priority_remarks", "response_points"
    )


# --- reviewers ---------------------------------------------------------------------------------------
class AgendaAssignmentsView(APIView):
    @extend_schema(tags=TAG, summary="Beoordelaars van een agenda", responses=AssignmentSerializer(many=True))
    def get(self, request, pk):
        agenda = _agenda(request, pk)
        qs = workflow_policy.visible_assignments(request.user).filter(agenda=agenda)
        return Response(AssignmentSerializer(qs.select_related("reviewer", "version"), many=True).data)

    @extend_schema(
        tags=TAG,
        summary="Beoordelaar toewijzen",
        description="BZK-medewerker. Weigert (409) een beoordelaar die nu of in de laatste 3 jaar bij een "
        "organisatie van de alliantie werkte.",
        request=AssignInputSerializer,
        responses={201: AssignmentSerializer},
    )
    def post(self, request, pk):
        agenda = _agenda(request, pk)
        data = AssignInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        assignment = services.reviewer_assign(agenda=agenda, actor=request.user, **data.validated_data)
        return Response(AssignmentSerializer(assignment).data, status=status.HTTP_201_CREATED)


class MyAssignmentsView(APIView):
    @extend_schema(tags=TAG, summary="Toewijzingen die ik mag zien", responses=AssignmentSerializer(many=True))
    def get(self, request):
        qs = workflow_policy.visible_assignments(request.user).select_related("reviewer", "version")
        return Response(AssignmentSerializer(qs.order_by("due_date")[:200], many=True).data)


class AssignmentDetailView(APIView):
    @extend_schema(tags=TAG, summary="Toewijzing", responses=AssignmentSerializer)
    def get(self, request, assignment_pk):
        return Response(AssignmentSerializer(workflow_policy.get_assignment_for(request.user, assignment_pk)).data)


class DeclarationView(APIView):
    @extend_schema(
        tags=TAG,
        summary="Verklaring belangenconflict",
        description="De toegewezen beoordelaar. Geen conflict: de versie opent voor de beoordelaar. Conflict: "
        "teruggetrokken; de BZK-medewerker krijgt bericht.",
        request=DeclarationInputSerializer,
        responses=AssignmentSerializer,
    )
    def post(self, request, assignment_pk):
        assignment = workflow_policy.get_assignment_for(request.user, assignment_pk)
        data = DeclarationInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        assignment = services.assignment_declare(assignment=assignment, actor=request.user, **data.validated_data)
        return Response(AssignmentSerializer(assignment).data)


class AssignmentVersionView(APIView):
    @extend_schema(tags=TAG, summary="De te beoordelen versie (na de verklaring)", responses=VersionDetailSerializer)
    def get(self, request, assignment_pk):
        assignment = workflow_policy.get_assignment_for(request.user, assignment_pk)
        version = agenda_version_policy.get_for(request.user, assignment.version_id)
        return Response(VersionDetailSerializer(version).data)


class AssignmentReviewView(APIView):
    def _assignment(self, request, assignment_pk):
        assignment = workflow_policy.get_assignment_for(request.user, assignment_pk)
        if assignment.reviewer_id != request.user.pk:
            from django.http import Http404

            raise Http404
        return assignment

    @extend_schema(tags=TAG, summary="Mijn beoordeling (concept of ingediend)", responses=ReviewSerializer)
    def get(self, request, assignment_pk):
        assignment = self._assignment(request, assignment_pk)
        review = get_object_or_404(_review_qs(), assignment=assignment)
        record_access(request=request, obj=review, purpose=Purpose.REVIEW, agenda_id=assignment.agenda_id)
        return Response(ReviewSerializer(review).data)

    @extend_schema(
        tags=TAG,
        summary="Beoordeling als concept opslaan",
        description="Lijsten die worden meegestuurd vervangen wat er stond. lock_version verplicht (409 bij verouderd).",
        request=ReviewSerializer,
        responses=ReviewSerializer,
    )
    def put(self, request, assignment_pk):
        assignment = self._assignment(request, assignment_pk)
        data = ReviewSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        review_services.review_save(
            assignment=assignment,
            actor=request.user,
            lock_version=v["lock_version"],
            distribution_effects=v.get("distribution_effects", ""),
            verdict=v.get("verdict", ""),
            recommendations=v.get("recommendations", ""),
            scores=[
                review_services.ScoreInput(
                    s["dimension"].pk,
                    s.get("effect"),
                    s.get("confidence", ""),
                    s.get("explanation", ""),
                    not_applicable=s.get("not_applicable", False),
                )
                for s in v["scores"]
            ]
            if "scores" in v
            else None,
            remarks={r["priority_id"]: r["remarks"] for r in v["priority_remarks"]}
            if "priority_remarks" in v
            else None,
            response_points=[review_services.PointInput(p["text"], p.get("priority_id")) for p in v["response_points"]]
            if "response_points" in v
            else None,
        )
        return Response(ReviewSerializer(_review_qs().get(assignment=assignment)).data)


class ReviewSubmitView(APIView):
    @extend_schema(
        tags=TAG,
        summary="Beoordeling indienen",
        description="Zet de beoordeling vast. 409 met de ontbrekende onderdelen als ze nog niet compleet is.",
        request=SignInputSerializer,
        responses=ReviewSerializer,
    )
    def post(self, request, assignment_pk):
        assignment = AssignmentReviewView()._assignment(request, assignment_pk)
        data = SignInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        review_services.review_submit(
            assignment=assignment, actor=request.user, lock_version=data.validated_data["lock_version"]
        )
        return Response(ReviewSerializer(_review_qs().get(assignment=assignment)).data)


class AgendaReviewsView(APIView):
    @extend_schema(
        tags=TAG,
        summary="Beoordelingen van een agenda (blind)",
        description="Ministerie en rijksvertegenwoordiger: ingediende beoordelingen. Alliantie: pas na het besluit.",
        responses=ReviewSerializer(many=True),
    )
    def get(self, request, pk):
        agenda = _agenda(request, pk)
        reviews = list(
            _review_qs()
            .filter(pk__in=workflow_policy.visible_reviews(request.user, agenda).values("pk"))
            .order_by("submitted_at")
        )
        record_access(request=request, objects=reviews, purpose=purpose_for(request.user), agenda_id=agenda.pk)
        return Response(ReviewSerializer(reviews, many=True).data)


urlpatterns = [
    path("agendas/<int:pk>/review-assignments", AgendaAssignmentsView.as_view(), name="api-agenda-assignments"),
    path("agendas/<int:pk>/reviews", AgendaReviewsView.as_view(), name="api-agenda-reviews"),
    path("review-assignments", MyAssignmentsView.as_view(), name="api-assignments"),
    path("review-assignments/<int:assignment_pk>", AssignmentDetailView.as_view(), name="api-assignment"),
    path(
        "review-assignments/<int:assignment_pk>/declaration",
        DeclarationView.as_view(),
        name="api-assignment-declaration",
    ),
    path(
        "review-assignments/<int:assignment_pk>/version",
        AssignmentVersionView.as_view(),
        name="api-assignment-version",
    ),
    path("review-assignments/<int:assignment_pk>/review", AssignmentReviewView.as_view(), name="api-assignment-review"),
    path(
        "review-assignments/<int:assignment_pk>/review/submit",
        ReviewSubmitView.as_view(),
        name="api-assignment-review-submit",
    ),
]
