"""Public (Woo) pages: only actively published approved agendas, without login and without personal data."""

from decimal import Decimal

import pytest
from django.urls import reverse

from agendas.models import Agenda
from reports.models import GeneratedDocument
from tests.factories_reports import add_personal_data, build_agenda, make_decision

S = Agenda.Status
SECRETS = [
    "Geheimnaam",
    "Persoonlijk",
    "geheim.persoon@example.nl",
    "Interne opmerking",
    "Voorbereider",
    "Tekenaar",
    "Beoordelaar",
    "Vertegenwoordiger",
    "Ik adviseer",
    "Kern van het besluit",
    "Toelichting op het besluit",
    "@example.nl",
]


@pytest.fixture
def published(db):
    agenda = build_agenda(status=S.ACTIVE, title="Toekomst Oost-Groningen")
    make_decision(agenda, amounts={2027: Decimal("250000.00")}, actively_published=True)
    add_personal_data(agenda)
    return agenda


@pytest.fixture
def unpublished(db):
    not_public = build_agenda(status=S.APPROVED, title="Niet actief openbaar")
    make_decision(not_public, amounts={2027: Decimal("1.00")}, actively_published=False)
    unsigned = build_agenda(status=S.AWAITING_DECISION, title="Nog niet ondertekend")
    make_decision(unsigned, signed=False, actively_published=True)
    rejected = build_agenda(status=S.REJECTED, title="Afgewezen agenda")
    make_decision(rejected, outcome="reject", actively_published=True)
    draft = build_agenda(status=S.DRAFT, title="Concept agenda")
    return [not_public, unsigned, rejected, draft]


def test_public_index_lists_only_published_agendas_without_login(client, published, unpublished):
    response = client.get(reverse("public:index"))
    assert response.status_code == 200
    html = response.content.decode()
    assert published.title in html
    for agenda in unpublished:
        assert agenda.title not in html


def test_public_page_without_personal_data(client, published):
    response = client.get(reverse("public:agenda", args=[published.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert published.title in html and "€ 250.000,00" in html and "Zorgcoöperatie Oost" in html
    for secret in SECRETS:
        assert secret not in html, secret


def test_unpublished_agendas_are_not_found(client, unpublished):
    for agenda in unpublished:
        assert client.get(reverse("public:agenda", args=[agenda.pk])).status_code == 404
        assert client.get(reverse("public:pdf", args=[agenda.pk])).status_code == 404
        assert client.post(reverse("public:pdf", args=[agenda.pk])).status_code == 404


def test_public_pdf_is_made_once_then_downloaded(client, published, django_capture_on_commit_callbacks):
    url = reverse("public:pdf", args=[published.pk])
    page = client.get(url)
    assert page.status_code == 200 and "Maak de pdf" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url).status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)  # asking again re-uses the same document
    assert GeneratedDocument.objects.filter(kind="public_dossier").count() == 1
    download = client.get(url, {"download": 1})
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    pdf = b"".join(download.streaming_content)
    assert pdf.startswith(b"%PDF-")
    from io import BytesIO

    from pypdf import PdfReader

    text = "\n".join(p.extract_text() for p in PdfReader(BytesIO(pdf)).pages)
    for secret in SECRETS:
        assert secret not in text, secret


def test_public_document_is_not_downloadable_through_internal_route_anonymously(
    client, published, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("public:pdf", args=[published.pk]))
    document = GeneratedDocument.objects.get()
    response = client.get(reverse("reports:document_download", args=[document.pk]))
    assert response.status_code == 302  # login required
