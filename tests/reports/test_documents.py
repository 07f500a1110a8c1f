"""Generated PDFs: content, tagging, re-use of unchanged versions, retries and the failure path."""

import hashlib
import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from pypdf import PdfReader

from agendas.models import Agenda, BudgetLine, Decision
from reports import documents, services
from reports.models import GeneratedDocument
from reports.tasks import render_document
from tests.factories_reports import add_personal_data, build_agenda, make_decision, make_version

Kind = GeneratedDocument.Kind
Status = GeneratedDocument.Status


def pdf_text(document: GeneratedDocument) -> str:
    with document.file.open("rb") as fh:
        reader = PdfReader(io.BytesIO(fh.read()))
    return "\n".join(page.extract_text() for page in reader.pages)


def make(kind, agenda, actor, year=None, capture=None):
    with capture(execute=True):
        document = services.request_document(kind=kind, agenda=agenda, actor=actor, year=year)
    document.refresh_from_db()
    return document


@pytest.fixture
def approved_agenda(db):
    agenda = build_agenda(status=Agenda.Status.APPROVED, priorities=2, years=3)
    make_decision(agenda, amounts={2027: Decimal("150000.00"), 2028: Decimal("175000.50")})
    return agenda


def test_dossier_pdf_contains_sections_and_independently_computed_figures(
    approved_agenda, officer, django_capture_on_commit_callbacks
):
    document = make(Kind.DOSSIER, approved_agenda, officer, capture=django_capture_on_commit_callbacks)
    assert document.status == Status.READY, document.error_message
    text = pdf_text(document)
    for section in [
        "Inhoudsopgave",
        "1 Visie en ambitie",
        "2 Analyse van opgaven en kansen",
        "3 Prioriteiten",
        "4 Begroting",
        "5 Partners",
        "6 Beoordeling, advies en besluit",
        "Veranderingstheorie",
    ]:
        assert section in text, section
    for priority in approved_agenda.priorities.all():
        assert priority.title in text
    # Independent sums straight from the budget lines.
    lines = BudgetLine.objects.filter(priority__agenda=approved_agenda)
    rijk = sum(line.amount for line in lines if line.source.code == "rijk-extra")
    cofin = sum(line.amount for line in lines if line.source.code in ("provincie", "gemeenten"))
    total = sum(line.amount for line in lines)
    euro = lambda d: "€ " + f"{d:,.2f}".replace(",", "X").replace(".", ",").replace("X", ".")  # noqa: E731
    assert euro(rijk) in text
    assert euro(total) in text
    assert f"{(cofin / rijk):.2f}".replace(".", ",") in text
    assert "€ 325.000,50" in text  # approved total of the decision
    assert "Toets 1: Positief onder voorwaarden" in text
    assert "Pagina 1 van" in text and "Versie 1" in text
    # Stored with its checksum and the version/data it was made from.
    with document.file.open("rb") as fh:
        assert hashlib.sha256(fh.read()).hexdigest() == document.sha256
    assert document.version_number == approved_agenda.current_version == 1
    assert document.source_fingerprint == documents.fingerprint(Kind.DOSSIER, document.source_data)
    assert document.page_count >= 6


def test_pdf_is_tagged_with_language_and_pdf_ua(approved_agenda, officer, django_capture_on_commit_callbacks):
    document = make(Kind.DECISION_LETTER, approved_agenda, officer, capture=django_capture_on_commit_callbacks)
    with document.file.open("rb") as fh:
        reader = PdfReader(io.BytesIO(fh.read()))
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == "nl"
    assert bool(catalog["/MarkInfo"]["/Marked"]) is True
    assert "/StructTreeRoot" in catalog
    xmp = catalog["/Metadata"].get_object().get_data()
    assert b"pdfuaid" in xmp
    assert reader.metadata.title.startswith("Besluit over uw kansenagenda")


def test_decision_note_follows_the_nota_shape(approved_agenda, officer, django_capture_on_commit_callbacks):
    document = make(Kind.DECISION_NOTE, approved_agenda, officer, capture=django_capture_on_commit_callbacks)
    text = pdf_text(document)
    for part in [
        "TER BESLUITVORMING",
        "Nota actief openbaar",
        "Onze referentie",
        "Opgesteld en herzien door",
        "12 juli 2026",
        "Aanleiding",
        "Geadviseerd besluit",
        "Kern",
        "Toelichting",
        "Informatie die niet openbaar gemaakt kan worden",
        "Bijlagen",
        "de kansenagenda goed te keuren",
    ]:
        assert part in text, part
    decision = approved_agenda.decisions.get()
    assert decision.reference in text
    assert "Petra Voorbereider" in text  # internal document: the preparer is named


def test_decision_letter_needs_a_signed_decision(db, officer):
    agenda = build_agenda(status=Agenda.Status.AWAITING_DECISION)
    make_decision(agenda, signed=False)
    with pytest.raises(ValidationError) as exc:
        services.request_document(kind=Kind.DECISION_LETTER, agenda=agenda, actor=officer)
    assert "ondertekend" in str(exc.value)
    assert not GeneratedDocument.objects.exists()


def test_decision_note_needs_a_prepared_decision(db, officer):
    agenda = build_agenda(status=Agenda.Status.UNDER_REVIEW)
    with pytest.raises(ValidationError, match="nog geen besluit"):
        services.request_document(kind=Kind.DECISION_NOTE, agenda=agenda, actor=officer)


@pytest.mark.parametrize("year", [None, 2026, 2030])
def test_yearly_documents_need_a_year_within_the_period(db, officer, year):
    agenda = build_agenda(status=Agenda.Status.ACTIVE, years=3)  # 2027–2029
    with pytest.raises(ValidationError) as exc:
        services.request_document(kind=Kind.PROGRESS_REPORT, agenda=agenda, actor=officer, year=year)
    assert "year" in exc.value.message_dict


def test_progress_report_and_accountability(db, officer, django_capture_on_commit_callbacks):
    agenda = build_agenda(status=Agenda.Status.ACTIVE, priorities=2, years=3)
    make_decision(agenda, amounts={2028: Decimal("80000.00")})
    report = make(Kind.PROGRESS_REPORT, agenda, officer, year=2028, capture=django_capture_on_commit_callbacks)
    text = pdf_text(report)
    assert "Voortgangsrapportage 2028" in text
    planned_2028 = sum(line.amount for line in BudgetLine.objects.filter(priority__agenda=agenda, year=2028))
    assert f"{planned_2028:,.2f}".replace(",", "X").replace(".", ",").replace("X", ".") in text
    assert "nog geen gerapporteerde voortgangsgegevens" in text
    figures = make(Kind.ACCOUNTABILITY, agenda, officer, year=2028, capture=django_capture_on_commit_callbacks)
    text = pdf_text(figures)
    cumulative = sum(
        line.amount
        for line in BudgetLine.objects.filter(priority__agenda=agenda, year__lte=2028, source__code="rijk-extra")
    )
    assert "Cumulatieve besteding" in text
    assert f"{cumulative:,.2f}".replace(",", "X").replace(".", ",").replace("X", ".") in text
    assert "€ 80.000,00" in text  # approved for the year


def test_unchanged_version_is_reused_and_a_change_makes_a_new_document(
    approved_agenda, officer, signatory, django_capture_on_commit_callbacks, monkeypatch
):
    first = make(Kind.DOSSIER, approved_agenda, officer, capture=django_capture_on_commit_callbacks)
    calls = []
    monkeypatch.setattr(documents, "render_pdf", lambda *a, **k: calls.append(a) or pytest.fail("re-rendered"))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        again = services.request_document(kind=Kind.DOSSIER, agenda=approved_agenda, actor=signatory)
    assert again.pk == first.pk and not callbacks and not calls
    monkeypatch.undo()
    line = BudgetLine.objects.filter(priority__agenda=approved_agenda).first()
    line.amount += Decimal("1.00")
    line.save()
    # The dossier of an approved agenda prints its version, not the live rows: a live edit alone changes
    # nothing (intended since documents render their snapshot); a new version (accepted change) does.
    with django_capture_on_commit_callbacks(execute=False):
        assert services.request_document(kind=Kind.DOSSIER, agenda=approved_agenda, actor=signatory).pk == first.pk
    make_version(approved_agenda)
    changed = make(Kind.DOSSIER, approved_agenda, officer, capture=django_capture_on_commit_callbacks)
    assert changed.pk != first.pk and changed.status == Status.READY
    assert changed.source_fingerprint != first.source_fingerprint
    assert GeneratedDocument.objects.filter(kind=Kind.DOSSIER).count() == 2


def test_nothing_is_rendered_in_the_request_before_commit(approved_agenda, officer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        document = services.request_document(kind=Kind.DOSSIER, agenda=approved_agenda, actor=officer)
    assert len(callbacks) == 1
    document.refresh_from_db()
    assert document.status == Status.PENDING and not document.file


def test_failed_render_is_retried_then_recorded_without_a_file(
    approved_agenda, officer, django_capture_on_commit_callbacks, monkeypatch, settings
):
    attempts = []

    def broken(kind, data):
        attempts.append(kind)
        raise OSError("lettertype niet gevonden")

    monkeypatch.setattr(documents, "render_pdf", broken)
    document = make(Kind.DOSSIER, approved_agenda, officer, capture=django_capture_on_commit_callbacks)
    assert len(attempts) == services.MAX_ATTEMPTS == 4
    assert document.status == Status.FAILED
    assert document.attempts == 4
    assert not document.file and not document.sha256
    assert "kon na 4 pogingen niet worden gemaakt" in document.error_message
    assert "lettertype niet gevonden" in document.error_message
    media = Path(settings.MEDIA_ROOT)
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))
    # Asking again starts afresh (a failed document is never re-used).
    monkeypatch.undo()
    retry = make(Kind.DOSSIER, approved_agenda, officer, capture=django_capture_on_commit_callbacks)
    assert retry.pk != document.pk and retry.status == Status.READY


def test_transient_failure_recovers_on_retry(approved_agenda, officer, django_capture_on_commit_callbacks, monkeypatch):
    real = documents.render_pdf
    attempts = []

    def flaky(kind, data):
        attempts.append(kind)
        if len(attempts) == 1:
            raise TimeoutError("tijdelijk")
        return real(kind, data)

    monkeypatch.setattr(documents, "render_pdf", flaky)
    document = make(Kind.DECISION_LETTER, approved_agenda, officer, capture=django_capture_on_commit_callbacks)
    assert document.status == Status.READY and document.attempts == 2 and document.error_message == ""


def test_task_is_idempotent(approved_agenda, officer, django_capture_on_commit_callbacks, monkeypatch):
    document = make(Kind.DECISION_LETTER, approved_agenda, officer, capture=django_capture_on_commit_callbacks)
    monkeypatch.setattr(documents, "render_pdf", lambda *a: pytest.fail("rendered twice"))
    assert render_document.delay(document.pk).get() == Status.READY
    document.refresh_from_db()
    assert document.attempts == 1


def test_backoff_grows():
    from reports.tasks import backoff_seconds

    assert [backoff_seconds(n) for n in range(3)] == [10, 20, 40]


def test_in_a_worker_a_failed_attempt_schedules_a_retry_with_backoff(
    approved_agenda, officer, django_capture_on_commit_callbacks, monkeypatch
):
    from celery.exceptions import Retry

    with django_capture_on_commit_callbacks(execute=False):
        document = services.request_document(kind=Kind.DOSSIER, agenda=approved_agenda, actor=officer)
    monkeypatch.setattr(documents, "render_pdf", lambda *a: (_ for _ in ()).throw(OSError("kapot")))
    scheduled = []

    def fake_retry(**kwargs):
        scheduled.append(kwargs)
        return Retry("opnieuw", when=kwargs.get("countdown"))

    monkeypatch.setattr(render_document, "retry", fake_retry)
    with pytest.raises(Retry):
        render_document.run(document.pk)  # as a worker runs it: not eager, first attempt
    assert scheduled == [{"countdown": 10}]
    document.refresh_from_db()
    assert document.status == Status.PENDING and document.attempts == 1 and not document.file


def test_public_dossier_has_no_personal_data(approved_agenda, officer, django_capture_on_commit_callbacks):
    add_personal_data(approved_agenda)
    internal = make(Kind.DOSSIER, approved_agenda, officer, capture=django_capture_on_commit_callbacks)
    assert "Geheimnaam" in pdf_text(internal)  # the internal dossier keeps the partner's commitment text
    public = make(Kind.PUBLIC_DOSSIER, approved_agenda, None, capture=django_capture_on_commit_callbacks)
    text = pdf_text(public)
    assert "openbare versie" in text.lower()
    for secret in [
        "Geheimnaam",
        "Persoonlijk",
        "geheim.persoon@example.nl",
        "@example.nl",
        "Interne opmerking",
        "Voorbereider",
        "Tekenaar",
        "Beoordelaar",
        "Vertegenwoordiger",
        "Ik adviseer",
    ]:
        assert secret not in text, secret
    assert "Zorgcoöperatie Oost" in text  # organisations are not personal data


def test_url_fetcher_serves_static_from_disk_and_refuses_the_network():
    fetcher = documents.make_url_fetcher()
    response = fetcher.fetch(documents.BASE_URL + "static/reports/pdf.css")
    assert b"@page" in response.read()
    for url in [
        "https://example.org/evil.css",
        "http://127.0.0.1:8000/admin/",
        "file:///etc/passwd",
        documents.BASE_URL + "static/../../etc/passwd",
        documents.BASE_URL + "media/x.pdf",
    ]:
        with pytest.raises(ValueError):
            fetcher.fetch(url)


DOSSIER_BUDGET_SECONDS = 6  # the target (docs/performance.md); the test bounds it loosely, 3× (the brief's rule)


@pytest.mark.django_db
def test_thirty_page_dossier_renders_within_six_seconds():
    """Budget: a 30-page dossier in ≤ 6 s in a worker. Asserted on CPU time, because this machine's
    two cores are shared (wall-clock is printed and reported in docs/performance.md), and only loosely (3× the
    budget): 7.6 s CPU were measured on a slower machine with the suite running beside it."""
    agenda = build_agenda(
        status=Agenda.Status.APPROVED,
        priorities=13,
        years=10,
        sources=("rijk-extra", "provincie", "gemeenten", "eu", "privaat"),
        milestones=6,
    )
    make_decision(agenda, amounts={2027: Decimal("1000000")})
    rendered = documents.render_pdf(Kind.DOSSIER, documents.collect(Kind.DOSSIER, agenda))
    print(
        f"\n30-page dossier: {rendered.page_count} pages, {rendered.seconds:.2f} s wall, {rendered.cpu_seconds:.2f} s CPU"
    )
    assert rendered.page_count >= 30
    assert rendered.cpu_seconds <= 3 * DOSSIER_BUDGET_SECONDS


def test_rejected_decision_letter_states_reasons(db, officer, django_capture_on_commit_callbacks):
    agenda = build_agenda(status=Agenda.Status.REJECTED)
    make_decision(agenda, outcome=Decision.Outcome.REJECT)
    document = make(Kind.DECISION_LETTER, agenda, officer, capture=django_capture_on_commit_callbacks)
    text = pdf_text(document)
    assert "Ik wijs uw kansenagenda af" in text and "onvoldoende onderbouwd" in text


def test_accountability_with_reported_progress(db, officer, django_capture_on_commit_callbacks):
    import datetime

    from agendas.models import BudgetLineRealisation, MilestoneProgress, ProgressReport

    agenda = build_agenda(status=Agenda.Status.ACTIVE, priorities=1, years=2, milestones=1)
    realised = Decimal("0")
    for year in (2027, 2028):
        report = ProgressReport.objects.create(agenda=agenda, year=year, due_date=datetime.date(year + 1, 4, 1))
        for line in BudgetLine.objects.filter(priority__agenda=agenda, year=year, source__code="rijk-extra"):
            BudgetLineRealisation.objects.create(report=report, budget_line=line, realised=Decimal("1000.10"))
            realised += Decimal("1000.10")
    milestone = agenda.priorities.get().milestones.get()
    MilestoneProgress.objects.create(
        report=report, milestone=milestone, status="achieved", value_reached=Decimal("150")
    )
    figures = make(Kind.ACCOUNTABILITY, agenda, officer, year=2028, capture=django_capture_on_commit_callbacks)
    text = pdf_text(figures)
    assert "€ 1.000,10" in text  # spending in the year
    assert "€ 2.000,20" in text  # cumulative spending
    assert "nog geen gerapporteerde realisatiecijfers" not in text
    progress = make(Kind.PROGRESS_REPORT, agenda, officer, year=2028, capture=django_capture_on_commit_callbacks)
    text = pdf_text(progress)
    assert "Behaald" in text and "150,00" in text
