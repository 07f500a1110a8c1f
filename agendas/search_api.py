"""API of the search across agendas (``GET /api/v1/search?zoek=``): the same rule as the page
(``agendas.search.search_agendas``, only for who ``agenda_policy.can_search``), paginated like every list."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.generics import ListAPIView

from agendas.models import Agenda
from agendas.permissions import agenda_policy
from agendas.search import MAX_QUERY_LENGTH, search_agendas


class SearchResultSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="alliance.region.name", read_only=True)
    alliance = serializers.CharField(source="alliance.name", read_only=True)

    class Meta:
        model = Agenda
        fields = ["id", "title", "status", "region", "alliance", "start_year", "end_year"]
        read_only_fields = fields


class SearchView(ListAPIView):
    serializer_class = SearchResultSerializer

    @extend_schema(
        tags=["zoeken"],
        summary="Zoeken in agenda's",
        description="Titel, regio, alliantie, tekst van de prioriteiten en namen van organisaties; alleen "
        "agenda's die u mag zien. Voor BZK en rijksvertegenwoordigers (anderen 403). Lege `zoek`: geen resultaten.",
        parameters=[
            OpenApiParameter(
                "zoek", OpenApiTypes.STR, required=True, description="Zoekwoorden (NL API Design Rules: `zoek`)"
            )
        ],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the OpenAPI document
            return Agenda.objects.none()
        if not agenda_policy.can_search(self.request.user):
            raise PermissionDenied(
                _("Zoeken in alle agenda's is er voor het ministerie en de rijksvertegenwoordigers.")
            )
        return search_agendas(self.request.user, self.request.query_params.get("zoek", "")[:MAX_QUERY_LENGTH])


urlpatterns = [path("search", SearchView.as_view(), name="api-search")]
