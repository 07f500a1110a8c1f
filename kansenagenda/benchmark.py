"""Bare reference views for ``scripts/benchmark.py``: mounted only when ``BENCHMARK_BASELINES`` is on.

Never part of production URLs (``kansenagenda/urls.py`` adds them only with the setting on; the benchmark
script switches it on for its own gunicorn). Three references, measured in the same run as the real pages:

- ``anonymous``: no session, no database, the smallest JSON response;
- ``session``: the same JSON behind a login (session, user and second factor loaded, nothing else);
- ``drf-list``: a bare DRF list of the same 50 agendas as ``/api/v1/agendas/`` (plain ModelSerializer,
  the same visibility filter and ordering, DRF's default page-number pagination, no throttles or filters).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.urls import path
from rest_framework import generics, pagination, serializers
from rest_framework.permissions import IsAuthenticated

from agendas.drafting.serializers import AgendaSerializer
from agendas.models import Agenda
from agendas.permissions import agenda_policy


def anonymous(request):
    return JsonResponse({"ok": True})


@login_required
def session(request):
    return JsonResponse({"ok": True, "user": request.user.pk})


class _BareAgendaSerializer(serializers.ModelSerializer):
    """The same fields as the API's agenda list (agendas.drafting.serializers.AgendaSerializer), plain DRF."""

    region = serializers.CharField(source="alliance.region.name", read_only=True)
    region_id = serializers.IntegerField(source="alliance.region_id", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Agenda
        fields = AgendaSerializer.Meta.fields


class _Page(pagination.PageNumberPagination):
    page_size = 50


class BareAgendaList(generics.ListAPIView):
    serializer_class = _BareAgendaSerializer
    permission_classes = [IsAuthenticated]
    pagination_class = _Page
    throttle_classes = []
    filter_backends = []

    def get_queryset(self):
        return agenda_policy.visible(self.request.user).select_related("alliance__region").order_by("-updated_at", "pk")


urlpatterns = [
    path("anoniem", anonymous, name="benchmark-anonymous"),
    path("ingelogd", session, name="benchmark-session"),
    path("drf-lijst", BareAgendaList.as_view(), name="benchmark-drf-list"),
]


def urlpatterns_when_enabled() -> list:
    """The reference routes, or nothing: production never serves them."""
    if not getattr(settings, "BENCHMARK_BASELINES", False):
        return []
    from django.urls import include

    return [path("_benchmark/", include("kansenagenda.benchmark"))]
