"""monitoring pages."""

from django.http import Http404
from django.urls import path


def _todo(request, pk):
    raise Http404


urlpatterns = [
    path("voortgang/rapportages/<int:pk>/", _todo, name="monitoring-report"),
    path("voortgang/wijzigingsverzoeken/<int:pk>/", _todo, name="monitoring-change-request"),
]
