"""API for single budget lines (/api/v1/budget-lines/); the grid itself is a page (budget_views)."""

from __future__ import annotations

import django_filters
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.response import Response

from agendas.drafting import budget as budget_services
from agendas.drafting import serializers as s
from agendas.drafting.api_base import ERROR_400, ERROR_403, ERROR_409, LOCK_PARAM, lock_from_query, visible_agenda_ids
from agendas.models import (
    BudgetLine,
    Priority,
)


class BudgetLineFilter(django_filters.FilterSet):
    agenda = django_filters.NumberFilter(field_name="priority__agenda")
    source = django_filters.CharFilter(field_name="source__code")

    class Meta:
        model = BudgetLine
        fields = ["agenda", "priority", "year", "source"]


@extend_schema_view(
    list=extend_schema(tags=["begroting"]),
    retrieve=extend_schema(tags=["begroting"]),
    create=extend_schema(
        tags=["begroting"],
        request=s.BudgetLineCreateSerializer,
        responses={201: s.BudgetLineSerializer, 400: ERROR_400, 403: ERROR_403, 409: ERROR_409},
        examples=[
            OpenApiExample(
                "Nieuwe regel",
                request_only=True,
                value={"priority": 12, "year": 2027, "source": "provincie", "amount": "250000.00", "lock_version": 4},
            )
        ],
    ),
    update=extend_schema(
        tags=["begroting"],
        request=s.BudgetLineUpdateSerializer,
        responses={200: s.BudgetLineSerializer, 400: ERROR_400, 403: ERROR_403, 409: ERROR_409},
    ),
    partial_update=extend_schema(
        tags=["begroting"],
        request=s.BudgetLineUpdateSerializer,
        responses={200: s.BudgetLineSerializer, 400: ERROR_400, 403: ERROR_403, 409: ERROR_409},
    ),
    destroy=extend_schema(tags=["begroting"], parameters=[LOCK_PARAM], responses={204: None, 409: ERROR_409}),
)
class BudgetLineViewSet(viewsets.ModelViewSet):
    """Single budget lines. ``lock_version`` is the priority's (the grid and the lines share it)."""

    serializer_class = s.BudgetLineSerializer
    filterset_class = BudgetLineFilter

    def get_queryset(self):
        return (
            BudgetLine.objects.filter(priority__agenda__in=visible_agenda_ids(self.request.user))
            .select_related("source", "priority")
            .order_by("priority_id", "year", "source__order")
        )

    def create(self, request, *args, **kwargs):
        serializer = s.BudgetLineCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        priority = get_object_or_404(
            Priority.objects.filter(agenda__in=visible_agenda_ids(request.user)), pk=data["priority"].pk
        )
        line = budget_services.budget_line_create(
            priority=priority,
            actor=request.user,
            year=data["year"],
            source=data["source"],
            amount=data["amount"],
            lock_version=data["lock_version"],
        )
        return Response(s.BudgetLineSerializer(line).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        line = self.get_object()
        serializer = s.BudgetLineUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        line = budget_services.budget_line_update(
            line=line,
            actor=request.user,
            amount=serializer.validated_data["amount"],
            lock_version=serializer.validated_data["lock_version"],
        )
        return Response(s.BudgetLineSerializer(line).data)

    def destroy(self, request, *args, **kwargs):
        line = self.get_object()
        budget_services.budget_line_delete(line=line, actor=request.user, lock_version=lock_from_query(request))
        return Response(status=status.HTTP_204_NO_CONTENT)
