"""workflow pages."""

from django.http import HttpResponse
from django.urls import path


def _stub(request, pk):
    return HttpResponse("")


urlpatterns: list = [
    path("<int:pk>/procedure/", _stub, name="workflow-overview"),
    path("toetsen/<int:pk>/", _stub, name="workflow-assignment"),
]
