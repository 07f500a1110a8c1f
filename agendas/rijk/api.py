"""API for the Rijk's commitments: ``agendas/<pk>/rijk-commitments`` (GET list, POST record),
``rijk-commitments/<pk>`` (PATCH with lock_version), ``rijk-commitments/<pk>/reports`` (POST the ministry's yearly
report) and ``rijk-commitments/per-ministry`` (the portfolio overview). Same policy and services as the pages;
errors as problem+json through ``kansenagenda.api.exception_handler``."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from agendas.permissions import agenda_policy
from agendas.rijk import selectors, services
from agendas.rijk.models import RijkCommitment, RijkCommitmentReport
from agendas.rijk.policy import rijk_commitment_policy as policy
from kansenagenda.locking import LockVersionSerializerField

TAG = ["rijkstoezeggingen"]


class ReportSerializer(serializers.ModelSerializer):
    reported_by = serializers.CharField(read_only=True)

    class Meta:
        model = RijkCommitmentReport
        fields = ["id", "year", "status", "explanation", "reported_by", "reported_at", "lock_version"]
        read_only_fields = fields


class RijkCommitmentSerializer(serializers.ModelSerializer):
    ministry = serializers.CharField(source="ministry.code", read_only=True)
    ministry_name = serializers.CharField(source="ministry.name", read_only=True)
    programme = serializers.SerializerMethodField()
    reports = ReportSerializer(many=True, read_only=True)
    late = serializers.SerializerMethodField()

    class Meta:
        model = RijkCommitment
        fields = [
            "id",
            "agenda",
            "ministry",
            "ministry_name",
            "programme",
            "text",
            "due_year",
            "signed_at",
            "decision",
            "late",
            "reports",
            "lock_version",
        ]
        read_only_fields = fields

    def get_programme(self, obj) -> str | None:
        return obj.programme.code if obj.programme_id else None

    def get_late(self, obj) -> bool:
        return selectors.is_late(obj)


class WriteSerializer(serializers.Serializer):
    ministry = serializers.CharField(max_length=40, help_text="Code van het ministerie, bijvoorbeeld 'bzk'.")
    programme = serializers.CharField(max_length=40, required=False, allow_blank=True, allow_null=True, default="")
    text = serializers.CharField(max_length=5000)
    due_year = serializers.IntegerField()


class UpdateSerializer(WriteSerializer):
    lock_version = LockVersionSerializerField()


class ReportWriteSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    status = serializers.ChoiceField(choices=RijkCommitmentReport.Status.choices)
    explanation = serializers.CharField(required=False, allow_blank=True, max_length=5000, default="")
    lock_version = serializers.IntegerField(required=False, allow_null=True, default=None)


def _reload(pk: int) -> RijkCommitment:
    return selectors._with_reports(RijkCommitment.objects.filter(pk=pk)).get()


class AgendaRijkCommitmentsView(APIView):
    @extend_schema(
        tags=TAG,
        summary="Toezeggingen van het Rijk bij een agenda",
        responses={200: RijkCommitmentSerializer(many=True)},
    )
    def get(self, request, pk):
        agenda = agenda_policy.get_for(request.user, pk)
        return Response(RijkCommitmentSerializer(selectors.for_agenda(request.user, agenda), many=True).data)

    @extend_schema(
        tags=TAG,
        summary="Toezegging van het Rijk vastleggen (ministeriemedewerker, terwijl het besluit wordt voorbereid)",
        request=WriteSerializer,
        responses={201: RijkCommitmentSerializer},
    )
    def post(self, request, pk):
        agenda = agenda_policy.get_for(request.user, pk)
        body = WriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        commitment = services.rijk_commitment_create(agenda=agenda, actor=request.user, data=body.validated_data)
        return Response(RijkCommitmentSerializer(_reload(commitment.pk)).data, status=status.HTTP_201_CREATED)


class RijkCommitmentView(APIView):
    @extend_schema(tags=TAG, summary="Eén toezegging van het Rijk", responses={200: RijkCommitmentSerializer})
    def get(self, request, pk):
        commitment = get_object_or_404(selectors._with_reports(policy.visible(request.user)), pk=pk)
        return Response(RijkCommitmentSerializer(commitment).data)

    @extend_schema(
        tags=TAG,
        summary="Toezegging van het Rijk wijzigen (tot het besluit is ondertekend; lock_version verplicht)",
        request=UpdateSerializer,
        responses={200: RijkCommitmentSerializer},
    )
    def patch(self, request, pk):
        commitment = get_object_or_404(policy.visible(request.user).select_related("agenda", "ministry"), pk=pk)
        current = {
            "ministry": commitment.ministry.code,
            "programme": commitment.programme.code if commitment.programme_id else "",
            "text": commitment.text,
            "due_year": commitment.due_year,
        }
        body = UpdateSerializer(data={**current, **request.data})
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        lock_version = data.pop("lock_version")
        services.rijk_commitment_update(commitment=commitment, actor=request.user, data=data, lock_version=lock_version)
        return Response(RijkCommitmentSerializer(_reload(commitment.pk)).data)


class RijkCommitmentReportView(APIView):
    @extend_schema(
        tags=TAG,
        summary="Jaarlijkse rapportage over een toezegging (alleen het ministerie; lock_version van de rapportage van dat jaar)",
        request=ReportWriteSerializer,
        responses={200: RijkCommitmentSerializer},
    )
    def post(self, request, pk):
        commitment = get_object_or_404(policy.visible(request.user), pk=pk)
        body = ReportWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.rijk_commitment_report(commitment=commitment, actor=request.user, **body.validated_data)
        return Response(RijkCommitmentSerializer(_reload(commitment.pk)).data)


class PerMinistryRowSerializer(serializers.Serializer):
    """One ministry's row in the overview (read-only)."""

    ministry = serializers.CharField(help_text="Code van het ministerie (referentielijst).")
    name = serializers.CharField()
    open = serializers.IntegerField(min_value=0)
    late = serializers.IntegerField(min_value=0)
    late_commitments = serializers.ListField(child=serializers.IntegerField(), help_text="Ids van de te late.")


class PerMinistryView(APIView):
    @extend_schema(
        tags=TAG,
        summary="Open en te late toezeggingen van het Rijk per ministerie",
        responses={200: PerMinistryRowSerializer(many=True)},
    )
    def get(self, request):
        if not policy.overview_visible(request.user):
            raise PermissionDenied(_("Dit overzicht is voor het ministerie."))
        rows = selectors.per_ministry(request.user, timezone.localdate().year)
        return Response(
            [
                {
                    "ministry": row.ministry.code,
                    "name": row.ministry.name,
                    "open": len(row.open),
                    "late": len(row.late),
                    "late_commitments": [c.pk for c in row.late],
                }
                for row in rows
            ]
        )


urlpatterns = [
    path("agendas/<int:pk>/rijk-commitments", AgendaRijkCommitmentsView.as_view(), name="api-rijk-commitments"),
    path("rijk-commitments/per-ministry", PerMinistryView.as_view(), name="api-rijk-commitments-per-ministry"),
    path("rijk-commitments/<int:pk>", RijkCommitmentView.as_view(), name="api-rijk-commitment"),
    path("rijk-commitments/<int:pk>/reports", RijkCommitmentReportView.as_view(), name="api-rijk-commitment-reports"),
]
