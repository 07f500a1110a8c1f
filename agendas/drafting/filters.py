"""Filters for agenda lists (the list page and the API): region, status, theme, year."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from accounts.models import Region
from agendas.models import Agenda, Theme


@extend_schema_field(OpenApiTypes.STR)
class ThemeCodeFilter(django_filters.ModelChoiceFilter):
    """A theme by its code (e.g. ``zorg``); a select list on the page."""


class AgendaFilter(django_filters.FilterSet):
    region = django_filters.ModelChoiceFilter(
        label=_("Regio"), field_name="alliance__region", queryset=Region.objects.all(), empty_label=_("Alle regio's")
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Agenda.Status.choices, empty_label=_("Alle"))
    theme = ThemeCodeFilter(
        label=_("Thema"),
        queryset=Theme.objects.all(),
        to_field_name="code",
        method="filter_theme",
        empty_label=_("Alle thema's"),
    )
    year = django_filters.NumberFilter(label=_("Loopt in jaar"), method="filter_year")

    class Meta:
        model = Agenda
        fields = ["region", "status", "theme", "year"]

    def filter_theme(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(pk__in=Theme.objects.filter(pk=value.pk).values("priorities__agenda"))

    def filter_year(self, queryset, name, value):
        if value in (None, ""):
            return queryset
        return queryset.filter(Q(start_year__lte=value) & Q(end_year__gte=value))
