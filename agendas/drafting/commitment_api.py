"""API for partner commitments: ``agendas/<pk>/partner-commitments`` (GET the cells and confirmations, POST a
confirmation) and ``partner-commitments/<pk>/end`` (revoke, or withdraw after approval). Same services as
the page; errors through ``kansenagenda.api.exception_handler``."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from agendas.drafting import commitment_services as services
from agendas.drafting.commitments import commitment_cells
from agendas.models import PartnerCommitment
from agendas.permissions import agenda_policy
from agendas.permissions import partner_commitment_policy as policy
from kansenagenda.locking import LockVersionSerializerField
from kansenagenda.money import MoneySerializerField, format_api_amount

TAG = ["toezeggingen"]


class CommitmentSerializer(serializers.ModelSerializer):
    source = serializers.CharField(source="source.code", read_only=True)
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    amount = MoneySerializerField(read_only=True)
    confirmed_by = serializers.CharField(read_only=True)

    class Meta:
        model = PartnerCommitment
        fields = [
            "id",
            "agenda",
            "organisation",
            "organisation_name",
            "year",
            "source",
            "amount",
            "status",
            "confirmed_by",
            "confirmed_at",
            "ended_at",
            "end_reason",
            "lock_version",
        ]
        read_only_fields = fields


class CellSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    source = serializers.CharField(source="source.code")
    budgeted = serializers.SerializerMethodField()
    confirmed = serializers.SerializerMethodField()
    ok = serializers.BooleanField()
    stale = serializers.BooleanField()
    message = serializers.CharField()

    def get_budgeted(self, cell) -> str | None:
        return format_api_amount(cell.budgeted)

    def get_confirmed(self, cell) -> str | None:
        return format_api_amount(cell.confirmed)


class ConfirmSerializer(serializers.Serializer):
    organisation = serializers.IntegerField()
    year = serializers.IntegerField()
    source = serializers.CharField(max_length=50)
    amount = MoneySerializerField()


class EndSerializer(serializers.Serializer):
    lock_version = LockVersionSerializerField()
    reason = serializers.CharField(required=False, allow_blank=True, max_length=5000, default="")


class AgendaCommitmentsView(APIView):
    @extend_schema(
        tags=TAG,
        summary="Cofinanciering per jaar en bron, begroot en bevestigd (cells, complete, commitments)",
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request, pk):
        agenda = agenda_policy.get_for(request.user, pk)
        cells = commitment_cells(agenda)
        commitments = PartnerCommitment.objects.filter(agenda=agenda).select_related(
            "organisation", "source", "confirmed_by"
        )
        return Response(
            {
                "cells": CellSerializer(cells, many=True).data,
                "complete": all(c.ok for c in cells),
                "commitments": CommitmentSerializer(commitments, many=True).data,
            }
        )

    @extend_schema(
        tags=TAG,
        summary="Toezegging bevestigen (iemand van de partnerorganisatie met de rol alliantiepartner)",
        request=ConfirmSerializer,
        responses={201: CommitmentSerializer},
    )
    def post(self, request, pk):
        agenda = agenda_policy.get_for(request.user, pk)
        body = ConfirmSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        commitment = services.commitment_confirm(agenda=agenda, actor=request.user, **body.validated_data)
        return Response(CommitmentSerializer(commitment).data, status=status.HTTP_201_CREATED)


class CommitmentEndView(APIView):
    @extend_schema(
        tags=TAG,
        summary="Toezegging intrekken (concept) of terugtrekken na het besluit (met reden)",
        request=EndSerializer,
        responses={200: CommitmentSerializer},
    )
    def post(self, request, pk):
        commitment = get_object_or_404(policy.visible(request.user).select_related("organisation"), pk=pk)
        body = EndSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        commitment = services.commitment_end(commitment=commitment, actor=request.user, **body.validated_data)
        return Response(CommitmentSerializer(commitment).data)


urlpatterns = [
    path("agendas/<int:pk>/partner-commitments", AgendaCommitmentsView.as_view(), name="api-partner-commitments"),
    path("partner-commitments/<int:pk>/end", CommitmentEndView.as_view(), name="api-partner-commitment-end"),
]
