"""Drafting API under /api/v1/: agendas, priorities, budget lines (+ bulk grid), milestones, partners, comments,
attachments. The same services, validation and policy as the pages.

- Every list holds only what ``agenda_policy.visible`` allows; anything else is 404.
- Writes carry ``lock_version``; a stale one answers 409 with ``current_lock_version`` and ``changes``
  ({field: {label, old, new}}). DELETE takes it as query parameter ``?lock_version=``.
- Errors: application/problem+json with ``code`` and ``errors`` {field: [...]} (kansenagenda/problems.py).
"""

from __future__ import annotations

import django_filters
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from agendas.drafting import budget as budget_services
from agendas.drafting import selectors, services
from agendas.drafting import serializers as s
from agendas.drafting.api_base import (
    ERROR_400,
    ERROR_403,
    ERROR_409,
    LOCK_PARAM,
    ServiceModelViewSet,
    agenda_for,
    lock_from_query,
    visible_agenda_ids,
    write_schema,
)
from agendas.drafting.attachment_api import AttachmentViewSet
from agendas.drafting.budget_api import BudgetLineViewSet
from agendas.drafting.checklist import completeness_checklist
from agendas.drafting.comment_api import CommentViewSet
from agendas.drafting.filters import AgendaFilter
from agendas.drafting.milestone_api import MilestoneViewSet
from agendas.models import (
    Agenda,
    AgendaPartner,
    BudgetLine,
    FundingSource,
    Milestone,
    Priority,
)
from agendas.permissions import agenda_policy

# --- agendas -----------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Kansenagenda's die u mag zien", tags=["agenda's"]),
    retrieve=extend_schema(
        summary="Eén agenda met prioriteiten, mijlpalen, begroting en partners",
        tags=["agenda's"],
        responses=s.AgendaDetailSerializer,
    ),
)
class AgendaViewSet(viewsets.GenericViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    serializer_class = s.AgendaSerializer
    filterset_class = AgendaFilter

    def get_queryset(self):
        return agenda_policy.visible(self.request.user).select_related("alliance__region").order_by("-updated_at", "pk")

    def retrieve(self, request, *args, **kwargs):
        agenda = agenda_policy.get_for(
            request.user, kwargs["pk"], queryset=Agenda.objects.select_related("alliance__region")
        )
        priorities = (
            Priority.objects.filter(agenda=agenda)
            .select_related("theme")
            .prefetch_related(
                "dimensions",
                "programmes",
                Prefetch("milestones", queryset=Milestone.objects.order_by("target_year", "pk")),
                Prefetch(
                    "budget_lines",
                    queryset=BudgetLine.objects.select_related("source").order_by("year", "source__order"),
                ),
            )
        )
        agenda._prefetched_objects_cache = {
            "priorities": priorities,
            "partners": AgendaPartner.objects.filter(agenda=agenda).select_related("organisation"),
        }
        context = {**self.get_serializer_context(), "budget_summary": selectors.budget_summary(agenda)}
        return Response(s.AgendaDetailSerializer(agenda, context=context).data)

    @extend_schema(
        summary="Nieuwe agenda voor een alliantie die u coördineert",
        tags=["agenda's"],
        request=s.AgendaCreateSerializer,
        responses={201: s.AgendaSerializer, 400: ERROR_400, 403: ERROR_403},
        examples=[
            OpenApiExample(
                "Nieuwe agenda",
                request_only=True,
                value={
                    "alliance": 1,
                    "title": "Kansenagenda Noord- en Oost-Groningen 2027–2038",
                    "start_year": 2027,
                    "end_year": 2038,
                    "vision": "Een regio waar jong en oud kan wonen, werken en zorg dichtbij vindt.",
                    "analysis": "Krimp, vergrijzing en afstand tot voorzieningen stapelen zich op.",
                },
            )
        ],
    )
    def create(self, request):
        serializer = s.AgendaCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        agenda = services.agenda_create(alliance=data.pop("alliance"), actor=request.user, data=data)
        return Response(s.AgendaSerializer(agenda).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Agenda wijzigen (met lock_version)",
        tags=["agenda's"],
        request=s.AgendaUpdateSerializer,
        responses={200: s.AgendaSerializer, 400: ERROR_400, 403: ERROR_403, 409: ERROR_409},
        examples=[
            OpenApiExample(
                "Titel wijzigen", request_only=True, value={"title": "Kansenagenda Oost-Groningen", "lock_version": 3}
            )
        ],
    )
    def update(self, request, pk=None):
        agenda = agenda_for(request.user, pk)
        serializer = s.AgendaUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        lock = data.pop("lock_version")
        agenda = services.agenda_update(agenda=agenda, actor=request.user, data=data, lock_version=lock)
        return Response(s.AgendaSerializer(agenda).data)

    @extend_schema(
        summary="Agenda gedeeltelijk wijzigen (met lock_version)",
        tags=["agenda's"],
        request=s.AgendaUpdateSerializer,
        responses={200: s.AgendaSerializer, 400: ERROR_400, 403: ERROR_403, 409: ERROR_409},
    )
    def partial_update(self, request, pk=None):
        return self.update(request, pk)

    @extend_schema(
        summary="Concept verwijderen (alleen als het nooit is ingediend)",
        tags=["agenda's"],
        parameters=[LOCK_PARAM],
        responses={204: None, 403: ERROR_403, 409: ERROR_409},
    )
    def destroy(self, request, pk=None):
        agenda = agenda_for(request.user, pk)
        services.agenda_delete(agenda=agenda, actor=request.user, lock_version=lock_from_query(request))
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="Concept delen met het ministerie (of niet meer delen)",
        tags=["agenda's"],
        request=s.ShareSerializer,
        responses={200: s.AgendaSerializer, 403: ERROR_403},
        examples=[OpenApiExample("Delen", request_only=True, value={"shared": True})],
    )
    @action(detail=True, methods=["post"])
    def share(self, request, pk=None):
        agenda = agenda_for(request.user, pk)
        serializer = s.ShareSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        agenda = services.agenda_set_shared(
            agenda=agenda, actor=request.user, shared=serializer.validated_data["shared"]
        )
        return Response(s.AgendaSerializer(agenda).data)

    @extend_schema(
        summary="Controlelijst voor indienen", tags=["agenda's"], responses=s.ChecklistItemSerializer(many=True)
    )
    @action(detail=True, methods=["get"])
    def checklist(self, request, pk=None):
        agenda = agenda_for(request.user, pk)
        items = completeness_checklist(agenda)
        return Response(s.ChecklistItemSerializer(items, many=True).data)

    @extend_schema(
        summary="Geschiedenis: wie wijzigde wanneer wat (oud → nieuw)",
        tags=["agenda's"],
        responses=s.HistoryEntrySerializer(many=True),
    )
    @action(detail=True, methods=["get"])
    def history(self, request, pk=None):
        agenda = agenda_for(request.user, pk)
        entries = selectors.agenda_history(agenda)
        page = self.paginate_queryset(entries)
        return self.get_paginated_response(s.HistoryEntrySerializer(page, many=True).data)

    @extend_schema(
        summary="Begroting als raster opslaan (één transactie)",
        description=(
            "Cellen per prioriteit × jaar × financieringsbron. Een cel met null of 0 verwijdert de regel. "
            "Cellen die gelijk zijn aan wat er staat worden niet geschreven. Voor elke prioriteit waarvan de "
            "begroting verandert is `lock_versions[prioriteit-id]` nodig; verouderd → 409 met de gewijzigde cellen. "
            "Bij één ongeldige cel wordt niets opgeslagen; de fout staat onder de sleutel "
            "`amount-<prioriteit>-<jaar>-<bron-id>`."
        ),
        tags=["begroting"],
        request=s.BudgetGridSerializer,
        responses={200: s.BudgetGridResultSerializer, 400: ERROR_400, 403: ERROR_403, 409: ERROR_409},
        examples=[
            OpenApiExample(
                "Twee cellen",
                request_only=True,
                value={
                    "lock_versions": {"12": 4},
                    "cells": [
                        {"priority": 12, "year": 2027, "source": "rijk-extra", "amount": "500000.00"},
                        {"priority": 12, "year": 2027, "source": "provincie", "amount": "250000.00"},
                        {"priority": 12, "year": 2028, "source": "gemeenten", "amount": None},
                    ],
                },
            ),
            OpenApiExample(
                "Resultaat",
                response_only=True,
                value={"created": 2, "updated": 0, "deleted": 1, "lock_versions": {"12": 5}},
            ),
        ],
    )
    @action(detail=True, methods=["post"], url_path="budget-grid")
    def budget_grid(self, request, pk=None):
        agenda = agenda_for(request.user, pk)
        serializer = s.BudgetGridSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        sources = dict(FundingSource.objects.values_list("code", "pk"))
        unknown = sorted({c["source"] for c in data["cells"]} - set(sources))
        if unknown:
            raise ValidationError(
                {"cells": [_("Onbekende financieringsbron(nen): %(codes)s.") % {"codes": ", ".join(unknown)}]}
            )
        cells = [
            budget_services.BudgetCell(c["priority"], c["year"], sources[c["source"]], c["amount"])
            for c in data["cells"]
        ]
        versions = {int(k): v for k, v in data["lock_versions"].items() if str(k).isdigit()}
        result = budget_services.budget_grid_save(
            agenda=agenda, actor=request.user, cells=cells, lock_versions=versions
        )
        return Response(
            {
                "created": result.created,
                "updated": result.updated,
                "deleted": result.deleted,
                "lock_versions": {str(k): v for k, v in result.lock_versions.items()},
            }
        )


# --- priorities --------------------------------------------------------------------------------


class PriorityFilter(django_filters.FilterSet):
    theme = django_filters.CharFilter(field_name="theme__code")

    class Meta:
        model = Priority
        fields = ["agenda", "theme"]


@extend_schema_view(
    **write_schema(
        "Nieuwe prioriteit",
        s.PrioritySerializer,
        tag="prioriteiten",
        example={
            "agenda": 1,
            "theme": "zorg",
            "title": "Zorg dichtbij",
            "goals": "In 2032 werken er 150 zorgmedewerkers meer in de regio.",
            "dimensions": ["gezondheid", "menselijk-kapitaal"],
            "programmes": ["iza"],
            "theory_cause": "Tekort aan zorgpersoneel en lange reistijden.",
            "theory_action": "Regionale zorgopleidingen en werkplekken dichtbij.",
            "theory_conditions": "Huisvesting voor starters.",
            "theory_expected_change": "Betere gezondheid en minder reistijd.",
            "lead_partner": 3,
        },
    )
)
class PriorityViewSet(ServiceModelViewSet):
    serializer_class = s.PrioritySerializer
    filterset_class = PriorityFilter

    def get_queryset(self):
        return (
            Priority.objects.filter(agenda__in=visible_agenda_ids(self.request.user))
            .select_related("theme", "agenda")
            .prefetch_related("dimensions", "programmes")
            .order_by("agenda_id", "order", "pk")
        )

    def service_create(self, request, data):
        agenda = agenda_for(request.user, data.pop("agenda").pk)
        data.pop("lock_version", None)
        return services.priority_create(agenda=agenda, actor=request.user, data=data)

    def service_update(self, request, priority, data, lock):
        data.pop("agenda", None)
        return services.priority_update(priority=priority, actor=request.user, data=data, lock_version=lock)

    def service_delete(self, request, priority, lock):
        services.priority_delete(priority=priority, actor=request.user, lock_version=lock)


# --- budget lines ------------------------------------------------------------------------------


# --- milestones and partners -------------------------------------------------------------------


@extend_schema_view(
    **write_schema(
        "Nieuwe partner",
        s.PartnerSerializer,
        tag="partners",
        example={
            "agenda": 1,
            "organisation": 7,
            "role": "Regiokassier",
            "commitment_type": "money",
            "commitment": "Cofinanciering van de zorgopleidingen.",
            "commitment_amount": "1500000.00",
        },
    )
)
class PartnerViewSet(ServiceModelViewSet):
    serializer_class = s.PartnerSerializer
    filterset_fields = ["agenda", "commitment_type"]

    def get_queryset(self):
        return (
            AgendaPartner.objects.filter(agenda__in=visible_agenda_ids(self.request.user))
            .select_related("organisation")
            .order_by("agenda_id", "organisation__name")
        )

    def service_create(self, request, data):
        agenda = agenda_for(request.user, data.pop("agenda").pk)
        data.pop("lock_version", None)
        return services.partner_create(agenda=agenda, actor=request.user, data=data)

    def service_update(self, request, partner, data, lock):
        data.pop("agenda", None)
        return services.partner_update(partner=partner, actor=request.user, data=data, lock_version=lock)

    def service_delete(self, request, partner, lock):
        services.partner_delete(partner=partner, actor=request.user, lock_version=lock)


# --- comments ----------------------------------------------------------------------------------


# --- attachments -------------------------------------------------------------------------------


def register(router) -> None:
    """Register the drafting viewsets on the /api/v1/ router (in this order: the API root lists them so)."""
    # Imported here: those modules import this one's helpers (LOCK_PARAM, agenda_for, ...).

    router.register("agendas", AgendaViewSet, basename="agenda")
    router.register("priorities", PriorityViewSet, basename="priority")
    router.register("budget-lines", BudgetLineViewSet, basename="budgetline")
    router.register("milestones", MilestoneViewSet, basename="milestone")
    router.register("partners", PartnerViewSet, basename="agendapartner")
    router.register("comments", CommentViewSet, basename="comment")
    router.register("attachments", AttachmentViewSet, basename="attachment")


urlpatterns: list = []
