"""Public machine-readable feeds under /openbaar/ (no login, no personal data): the open-data files
(reports/opendata.py) and the Woo-index sitemap with DiWoo metadata (reports/woo.py). Thin views."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from reports import opendata, woo
from reports.documents import collect_decision_letter, collect_dossier
from reports.permissions import publication_policy


@require_GET
def open_data_file(request, kind: str):
    if kind not in opendata.FILES:
        raise Http404
    response = HttpResponse(opendata.read_open_data(kind), content_type=opendata.CONTENT_TYPES[kind])
    response["Content-Disposition"] = f'inline; filename="{opendata.FILES[kind]}"'
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "public, max-age=3600"
    return response


# --- Woo-index: sitemap with DiWoo metadata, per-document metadata, the public decision -------------
def _xml(body: bytes) -> HttpResponse:
    response = HttpResponse(body, content_type="application/xml; charset=utf-8")
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def woo_sitemap(request):
    return _xml(woo.sitemap_xml(woo.woo_documents(), request.build_absolute_uri))


def _document(pk: int, key: str) -> woo.WooDocument:
    for document in woo.woo_documents(agenda_pk=pk):
        if document.key == key:
            return document
    raise Http404


@require_GET
def agenda_metadata(request, pk: int):
    return _xml(woo.metadata_xml(_document(pk, "agenda"), request.build_absolute_uri))


@require_GET
def decision_metadata(request, pk: int):
    return _xml(woo.metadata_xml(_document(pk, "decision"), request.build_absolute_uri))


@require_GET
def decision_letter_metadata(request, pk: int):
    return _xml(woo.metadata_xml(_document(pk, "letter"), request.build_absolute_uri))


@require_GET
def public_decision_letter(request, pk: int):
    """The decision letter as the alliance received it (the same text as its PDF), without the signatory's name."""
    agenda = publication_policy.get_for(pk)
    return render(
        request,
        "reports/public/decision_letter.html",
        {"agenda": agenda, "data": collect_decision_letter(agenda, public=True), "document": _document(pk, "letter")},
    )


@require_GET
def public_decision(request, pk: int):
    """The decision as actively published: outcome, date, reference, amounts, conditions – no names."""
    agenda = publication_policy.get_for(pk)
    data = collect_dossier(agenda, public=True)
    return render(
        request,
        "reports/public/decision.html",
        {"agenda": agenda, "data": data, "document": _document(pk, "decision")},
    )
