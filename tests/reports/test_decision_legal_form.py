"""The legal form of a decision: the letter states the date of dispatch and the objection clause (Awb 3:45,
6:7: six weeks, to whom, how); the nota prints its "informatie die niet openbaar gemaakt kan worden"."""

import datetime
from decimal import Decimal

import pytest

from agendas import clocks
from agendas.decision.legal import dispatch_date, objection_clause
from agendas.models import Agenda, Decision
from reports.models import GeneratedDocument
from tests.factories_reports import build_agenda, make_decision
from tests.reports.test_documents import make, pdf_text

Kind = GeneratedDocument.Kind


@pytest.fixture
def signed(db):
    agenda = build_agenda(status=Agenda.Status.APPROVED, priorities=1, years=2)
    decision = make_decision(agenda, amounts={2027: Decimal("150000.00")})
    Decision.objects.filter(pk=decision.pk).update(dispatch_date=datetime.date(2026, 10, 15))
    return agenda


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_letter_pdf_states_dispatch_date_and_objection_clause(signed, officer, django_capture_on_commit_callbacks):
    document = make(Kind.DECISION_LETTER, signed, officer, capture=django_capture_on_commit_callbacks)
    assert document.status == GeneratedDocument.Status.READY, document.error_message
    text = _flat(pdf_text(document))
    assert "Datum van verzending" in text and "15 oktober 2026" in text
    assert "Bezwaar maken" in text
    assert "binnen 6 weken na de datum van verzending van deze brief (15 oktober 2026)" in text
    assert "bezwaar maken bij de minister van Binnenlandse Zaken en Koninkrijksrelaties" in text
    assert "uiterlijk op 26 november 2026 zijn ontvangen" in text  # 15 Oct + 6 weeks
    assert "Postbus 20011" in text and "de redenen waarom u het niet eens bent" in text


def test_objection_address_is_a_setting(signed, settings):
    settings.KA_OBJECTION_ADDRESS = "Postbus 1, 1000 AA Amsterdam"
    clause = objection_clause(Decision.objects.get(agenda=signed))
    assert clause["address"] == "Postbus 1, 1000 AA Amsterdam"


@pytest.mark.parametrize(
    "sent, last_day",
    [("2026-10-15", "2026-11-26"), ("2026-12-31", "2027-02-11"), ("2028-01-18", "2028-02-29")],
)
def test_objection_deadline_is_six_weeks_after_dispatch(sent, last_day):
    assert clocks.objection_deadline(datetime.date.fromisoformat(sent)) == datetime.date.fromisoformat(last_day)


def test_no_clause_before_the_letter_is_dispatched(db):
    agenda = build_agenda(status=Agenda.Status.AWAITING_DECISION, priorities=1, years=1)
    decision = make_decision(agenda, signed=False)
    assert dispatch_date(decision) is None and objection_clause(decision) is None


def test_nota_prints_the_information_that_cannot_be_public(db, officer, django_capture_on_commit_callbacks):
    agenda = build_agenda(status=Agenda.Status.APPROVED, priorities=1, years=1)
    decision = make_decision(agenda, amounts={2027: Decimal("1000.00")})
    Decision.objects.filter(pk=decision.pk).update(
        not_public_information="Bedrijfsgegevens van partner X (art. 5.1 lid 2 sub f Woo)."
    )
    document = make(Kind.DECISION_NOTE, agenda, officer, capture=django_capture_on_commit_callbacks)
    text = _flat(pdf_text(document))
    assert "Bedrijfsgegevens van partner X (art. 5.1 lid 2 sub f Woo)." in text


def test_signing_sets_the_dispatch_date(db):
    from tests.agendas.workflow_fixtures import advance, build_world

    w = build_world()
    advance(w, "approved")
    decision = Decision.objects.get(agenda=w.agenda)
    assert decision.dispatch_date == clocks.today()
