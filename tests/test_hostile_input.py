"""Hostile text (HTML/script, formula prefixes, unusual Unicode) is stored as typed and rendered inert
everywhere: pages, API, PDF documents and spreadsheet exports."""

import pytest
from django.urls import reverse

from accounts import roles
from agendas.drafting import services as drafting
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

HOSTILE = "<script>alert('x')</script> =HYPERLINK(\"http://evil\") ‮ 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 \u200b"


def test_html_is_escaped_on_the_page_and_in_the_api(client, alliance, coordinator):
    agenda = drafting.agenda_create(
        alliance=alliance,
        actor=coordinator,
        data={"title": "Agenda", "start_year": 2027, "end_year": 2036, "vision": HOSTILE},
    )
    client.force_login(coordinator)
    page = client.get(reverse("agendas:agenda_detail", args=[agenda.pk])).content.decode()
    assert "<script>alert" not in page and "&lt;script&gt;alert" in page
    api = client.get(reverse("agenda-detail", kwargs={"pk": agenda.pk})).json()
    assert api["vision"] == HOSTILE  # stored exactly as typed; JSON is not HTML


def test_oversized_text_is_refused_with_a_message_and_nothing_stored(alliance, coordinator):
    from django.core.exceptions import ValidationError

    from agendas.models import Agenda

    with pytest.raises(ValidationError) as exc:
        drafting.agenda_create(
            alliance=alliance,
            actor=coordinator,
            data={"title": "x" * 5000, "start_year": 2027, "end_year": 2036},
        )
    assert "title" in exc.value.message_dict
    assert not Agenda.objects.exists()


def test_html_and_formulas_are_inert_in_pdf_and_exports(django_capture_on_commit_callbacks):
    from pypdf import PdfReader

    from kansenagenda.spreadsheet import neutralise
    from reports import services
    from reports.models import GeneratedDocument
    from tests.factories_reports import build_agenda

    agenda = build_agenda()
    agenda.vision = HOSTILE
    agenda.save()
    officer = UserFactory(role=roles.MINISTRY_OFFICER)
    agenda.shared_with_ministry = True
    agenda.save()
    with django_capture_on_commit_callbacks(execute=True):
        document = services.request_document(kind="dossier", agenda=agenda, actor=officer)
    document = GeneratedDocument.objects.get(pk=document.pk)
    assert document.is_ready, document.error_message
    with document.file.open("rb") as handle:
        text = "".join(page.extract_text() for page in PdfReader(handle).pages)
    assert "<script>alert('x')</script>" in text  # shown as text, not executed or dropped
    assert neutralise(HOSTILE).startswith("<script>")  # no formula prefix: unchanged
    assert neutralise("=HYPERLINK(1)") == "'=HYPERLINK(1)"
