"""Pages of the reports app: the portfolio dashboard, the agendas behind its figures, exports,
documents (ask → "wordt gemaakt" → download) and the public (Woo) pages. Thin: policy, selector or
service, template."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.accesslog.services import Event, Purpose, purpose_for, record_access
from kansenagenda.files import protected_file_response
from reports import charts, exports, services
from reports.forms import DashboardFilterForm, DocumentRequestForm
from reports.models import GeneratedDocument
from reports.permissions import dashboard_policy, document_policy, publication_policy
from reports.saved_filters import saved_filters_for
from reports.selectors import (
    CLOCK_LABELS,
    cached_portfolio,
    portfolio,
    portfolio_agenda_list,
    reference_lists,
)

Kind = GeneratedDocument.Kind


# --- dashboard ----------------------------------------------------------------------------------
def _dashboard_context(request):
    region_ids = dashboard_policy.check(request.user)
    refs = reference_lists(region_ids)
    form = DashboardFilterForm(request.GET or None, refs)
    filters = form.filters()
    agendas = dashboard_policy.agendas(request.user, region_ids)
    return region_ids, refs, form, filters, agendas


def build_charts(data) -> dict:
    return {
        "status": charts.bar_chart(
            chart_id="chart-status",
            title=_("Agenda's per status"),
            description=_("Staafdiagram: aantal agenda's per status. De tabel hieronder bevat dezelfde gegevens."),
            bars=[charts.Bar(s["label"], s["count"]) for s in data.status_counts if s["count"]],
        ),
        "years": charts.grouped_bar_chart(
            chart_id="chart-years",
            title=_("Gevraagde en toegekende extra rijksbijdrage per jaar"),
            description=_(
                "Staafdiagram per jaar met twee staven: gevraagd en toegekend. De tabel hieronder bevat dezelfde gegevens."
            ),
            groups=[(row.label, [row.requested, row.approved]) for row in data.by_year],
            series=[_("Gevraagd"), _("Toegekend")],
        ),
        "themes": charts.bar_chart(
            chart_id="chart-themes",
            title=_("Gevraagde extra rijksbijdrage per thema"),
            description=_(
                "Staafdiagram: gevraagde extra rijksbijdrage per thema. De tabel hieronder bevat dezelfde gegevens."
            ),
            bars=[charts.Bar(row.label, row.requested) for row in data.by_theme],
            kind="money",
        ),
        "regions": charts.grouped_bar_chart(
            chart_id="chart-regions",
            title=_("Gevraagde en toegekende extra rijksbijdrage per regio"),
            description=_("Staafdiagram per regio: gevraagd en toegekend. De tabel hieronder bevat dezelfde gegevens."),
            groups=[(row.label, [row.requested, row.approved]) for row in data.by_region],
            series=[_("Gevraagd"), _("Toegekend")],
        ),
    }


@login_required
@require_GET
def dashboard(request):
    region_ids, refs, form, filters, agendas = _dashboard_context(request)
    data = cached_portfolio(agendas, filters, refs, dashboard_policy.audience(request.user, region_ids))
    context = {
        "form": form,
        "filters": filters,
        "data": data,
        "charts": build_charts(data),
        "scope_all": region_ids is None,
        "scope_regions": refs.regions if region_ids is not None else [],
        "query": filters.query(),
        "saved_filters": saved_filters_for(request.user),
        "filters_page": "dashboard",
    }
    return render(request, "reports/dashboard.html", context)


@login_required
@require_GET
def agenda_list(request):
    """The agendas behind a figure (same filters, plus an optional clock)."""
    _region_ids, _refs, form, filters, agendas = _dashboard_context(request)
    clock = request.GET.get("clock") if request.GET.get("clock") in CLOCK_LABELS else None
    page = Paginator(portfolio_agenda_list(agendas, filters, clock), 50).get_page(request.GET.get("pagina"))
    context = {
        "form": form,
        "filters": filters,
        "page": page,
        "clock": clock,
        "clock_label": CLOCK_LABELS.get(clock, ""),
        "query": filters.query(),
        "saved_filters": saved_filters_for(request.user),
        "filters_page": "agenda_list",
    }
    return render(request, "reports/agenda_list.html", context)


def _export_tables(request):
    region_ids, refs, _form, filters, agendas = _dashboard_context(request)
    data = portfolio(agendas, filters, refs, audience=dashboard_policy.audience(request.user, region_ids))
    return filters, exports.portfolio_tables(data, portfolio_agenda_list(agendas, filters))


def record_export(request, *, file_format: str, filters: dict) -> None:
    """Access log: an export of the portfolio view (page or API) — which filters, which format."""
    label = " ".join(f"{key}={value}" for key, value in sorted(filters.items()) if value not in (None, "", []))
    record_access(
        request=request,
        event=Event.EXPORT,
        obj=("reports.portfolio", file_format, (label or "alle agenda's binnen bereik")[:200]),
        purpose=Purpose.PORTFOLIO,
    )


@login_required
@require_GET
def export_csv(request):
    filters, tables = _export_tables(request)
    table = {t.code: t for t in tables}.get(request.GET.get("tabel", "agendas"))
    if table is None:
        raise Http404
    record_export(request, file_format=f"csv:{table.code}", filters=filters.as_params())
    semicolon = request.GET.get("scheiding") == "puntkomma"
    response = HttpResponse(exports.to_csv(table, semicolon=semicolon), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="portefeuille-{table.code}.csv"'
    return response


@login_required
@require_GET
def export_xlsx(request):
    filters, tables = _export_tables(request)
    record_export(request, file_format="xlsx", filters=filters.as_params())
    response = HttpResponse(
        exports.to_xlsx(tables),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="portefeuille.xlsx"'
    return response


# --- documents ----------------------------------------------------------------------------------
def _latest_documents(agenda) -> list[GeneratedDocument]:
    return list(GeneratedDocument.objects.filter(agenda=agenda).exclude(kind=Kind.PUBLIC_DOSSIER)[:20])


@login_required
def agenda_documents(request, pk):
    agenda = document_policy.get_agenda(request.user, pk)
    kinds = document_policy.kinds_for(request.user, agenda)
    form = DocumentRequestForm(request.POST or None)
    form.fields["kind"].choices = [(k, Kind(k).label) for k in kinds]
    if request.method == "POST" and form.is_valid():
        kind = form.cleaned_data["kind"]
        document_policy.get_agenda(request.user, pk, kind)
        try:
            document = services.request_document(
                kind=kind, agenda=agenda, actor=request.user, year=form.cleaned_data.get("year")
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            return redirect("reports:document", pk=document.pk)
    context = {
        "agenda": agenda,
        "form": form,
        "documents": _latest_documents(agenda),
        "years": agenda.years,
    }
    return render(request, "reports/agenda_documents.html", context, status=400 if form.errors else 200)


@login_required
@never_cache
@require_GET
def document_status(request, pk):
    document = document_policy.get_for(request.user, pk)
    template = "reports/_document_status.html" if request.htmx else "reports/document.html"
    return render(request, template, {"document": document})


@login_required
@require_GET
def document_download(request, pk):
    document = document_policy.get_for(request.user, pk)
    return file_response(request, document)


# Why a generated document is read (access log): the nota and letter serve the decision, reports monitoring.
DOCUMENT_PURPOSES = {
    Kind.DECISION_NOTE: Purpose.DECISION,
    Kind.DECISION_LETTER: Purpose.DECISION,
    Kind.PROGRESS_REPORT: Purpose.MONITORING,
    Kind.ACCOUNTABILITY: Purpose.MONITORING,
    Kind.PUBLIC_DOSSIER: Purpose.PUBLICATION,
}


def file_response(request, document: GeneratedDocument):
    """The download of a ready document (page and API), logged as a read of that document."""
    if not document.is_ready:
        raise Http404
    return protected_file_response(
        document.file,
        filename=document.download_filename(),
        content_type="application/pdf",
        sha256=document.sha256,
        request=request,
        obj=document,
        purpose=DOCUMENT_PURPOSES.get(document.kind) or purpose_for(request.user),
        agenda_id=document.agenda_id,
    )


# --- public (Woo) pages: no login, no personal data -----------------------------------------
@require_GET
def public_index(request):
    agendas = (
        publication_policy.published().select_related("alliance__region").order_by("alliance__region__name", "title")
    )
    page = Paginator(agendas, 50).get_page(request.GET.get("pagina"))
    return render(request, "reports/public/index.html", {"page": page})


@require_GET
def public_agenda(request, pk):
    from reports.documents import collect_dossier

    agenda = publication_policy.get_for(pk)
    return render(
        request, "reports/public/agenda.html", {"agenda": agenda, "data": collect_dossier(agenda, public=True)}
    )


@never_cache
def public_pdf(request, pk):
    """The public PDF: made once per published version (in the worker), then downloaded."""
    agenda = publication_policy.get_for(pk)
    if request.method == "POST":
        services.request_document(kind=Kind.PUBLIC_DOSSIER, agenda=agenda, actor=None)
        return redirect(reverse("public:pdf", args=[agenda.pk]))
    from reports.documents import collect_dossier, fingerprint

    current = fingerprint(Kind.PUBLIC_DOSSIER, collect_dossier(agenda, public=True))
    document = (
        GeneratedDocument.objects.filter(kind=Kind.PUBLIC_DOSSIER, agenda=agenda, source_fingerprint=current)
        .order_by("-pk")
        .first()
    )
    if document is not None and document.is_ready and request.GET.get("download"):
        return file_response(request, document)
    return render(request, "reports/public/pdf.html", {"agenda": agenda, "document": document})
