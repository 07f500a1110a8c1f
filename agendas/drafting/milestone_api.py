"""API for milestones of a priority (/api/v1/milestones/)."""

from __future__ import annotations

import django_filters
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema_view

from agendas.drafting import milestones as milestone_services
from agendas.drafting import serializers as s
from agendas.drafting.api_base import ServiceModelViewSet, visible_agenda_ids, write_schema
from agendas.models import (
    Milestone,
    Priority,
)


class MilestoneFilter(django_filters.FilterSet):
    agenda = django_filters.NumberFilter(field_name="priority__agenda")

    class Meta:
        model = Milestone
        fields = ["agenda", "priority", "type", "target_year"]


@extend_schema_view(
    **write_schema(
        "Nieuwe mijlpaal",
        s.MilestoneSerializer,
        tag="mijlpalen",
        example={
            "priority": 12,
            "title": "150 extra zorgmedewerkers opgeleid",
            "indicator_name": "Opgeleide zorgmedewerkers",
            "unit": "personen",
            "type": "output",
            "baseline_value": "0",
            "baseline_year": 2026,
            "target_value": "150",
            "target_year": 2030,
            "measurement": "Registratie van de regionale zorgopleidingen.",
        },
    )
)
class MilestoneViewSet(ServiceModelViewSet):
    serializer_class = s.MilestoneSerializer
    filterset_class = MilestoneFilter

    def get_queryset(self):
        return (
            Milestone.objects.filter(priority__agenda__in=visible_agenda_ids(self.request.user))
            .select_related("priority")
            .order_by("priority_id", "target_year", "pk")
        )

    def service_create(self, request, data):
        priority = get_object_or_404(
            Priority.objects.filter(agenda__in=visible_agenda_ids(request.user)).select_related("agenda__alliance"),
            pk=data.pop("priority").pk,
        )
        data.pop("lock_version", None)
        return milestone_services.milestone_create(priority=priority, actor=request.user, data=data)

    def service_update(self, request, milestone, data, lock):
        data.pop("priority", None)
        return milestone_services.milestone_update(
            milestone=milestone, actor=request.user, data=data, lock_version=lock
        )

    def service_delete(self, request, milestone, lock):
        milestone_services.milestone_delete(milestone=milestone, actor=request.user, lock_version=lock)
