"""Public machine-readable feeds under /openbaar/ (no login, no personal data): the open-data files.
Thin: reports/opendata.py builds and stores them."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.views.decorators.http import require_GET

from reports import opendata


@require_GET
def open_data_file(request, kind: str):
    if kind not in opendata.FILES:
        raise Http404
    response = HttpResponse(opendata.read_open_data(kind), content_type=opendata.CONTENT_TYPES[kind])
    response["Content-Disposition"] = f'inline; filename="{opendata.FILES[kind]}"'
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "public, max-age=3600"
    return response
