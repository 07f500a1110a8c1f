"""What goes into each document (data collection); how it becomes a PDF is reports/rendering.py.

Collection runs in the request (a handful of queries) and produces plain JSON data; its sha256 is the
document's fingerprint, so an unchanged agenda re-uses its document. The Celery task renders exactly that
stored data — the PDF always matches the fingerprint it is filed under.

WeasyPrint is imported lazily (only workers need it) and never touches the network: the URL fetcher
serves /static/ files from disk and refuses everything else.
"""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Sum
from django.utils.translation import gettext as _

from accounts.models import Organisation
from agendas import finance
from agendas.decision.legal import objection_clause
from agendas.decision.versions import build_snapshot, requested_rijk_extra_by_year, version_cofinancing
from agendas.drafting.commitments import version_commitments
from agendas.models import (
    Advice,
    Agenda,
    AgendaPartner,
    AgendaVersion,
    BroadWelfareDimension,
    BudgetLine,
    Decision,
    FundingSource,
    Milestone,
    Priority,
    Review,
)
from agendas.rijk.selectors import for_decision as rijk_for_decision
from kansenagenda import money
from reports.models import GeneratedDocument

Kind = GeneratedDocument.Kind

# Bump when templates change in a way that must invalidate stored documents.
TEMPLATE_REVISION = 1


# --- helpers ------------------------------------------------------------------------------------
def _money(value) -> str:
    """Amounts travel as strings in the JSON data: exact decimals, never floats."""
    return money.format_api_amount(value or Decimal("0"))


def _ratio(cofinancing: Decimal, requested: Decimal) -> str | None:
    """THE co-financing ratio (agendas.finance: rounded down), as a string for the JSON data."""
    ratio = finance.cofinancing_ratio(cofinancing, requested)
    return None if ratio is None else str(ratio)


def fingerprint(kind: str, data: dict) -> str:
    payload = json.dumps({"kind": kind, "revision": TEMPLATE_REVISION, "data": data}, sort_keys=True, default=str)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _latest_decision(agenda: Agenda, *, signed: bool) -> Decision | None:
    qs = Decision.objects.filter(agenda=agenda).select_related("prepared_by", "signed_by", "version")
    if signed:
        qs = qs.filter(signed_at__isnull=False)
    return qs.prefetch_related("year_amounts").order_by("-pk").first()


def _budget_table(rows, years: list[int], sources: list[FundingSource]) -> dict:
    """rows: (year, source_id, amount) → a table with a row per year and a column per source used,
    with totals, the extra Rijk contribution, co-financing and the co-financing ratio."""
    zero = Decimal("0")
    cells: dict[tuple[int, int], Decimal] = {}
    for year, source_id, amount in rows:
        cells[(year, source_id)] = cells.get((year, source_id), zero) + (amount or zero)
    used = [s for s in sources if any(key[1] == s.pk for key in cells)]
    table_rows = []
    for year in years:
        amounts = [cells.get((year, s.pk), zero) for s in used]
        table_rows.append({"year": year, "amounts": [_money(a) for a in amounts], "total": _money(sum(amounts, zero))})
    source_totals = [sum((cells.get((y, s.pk), zero) for y in years), zero) for s in used]
    money = finance.totals(zip(used, source_totals, strict=True))
    return {
        "sources": [s.name for s in used],
        "rows": table_rows,
        "source_totals": [_money(t) for t in source_totals],
        "total": _money(sum(source_totals, zero)),
        "rijk_extra": _money(money.requested),
        "cofinancing": _money(money.cofinancing),
        "cofinancing_ratio": _ratio(money.cofinancing, money.requested),
    }


# --- the agenda dossier (and its public version) ------------------------------------------------
def dossier_content(agenda: Agenda) -> tuple[dict, AgendaVersion | None]:
    """The content the dossier prints and the version it is labelled with (one rule for every copy).

    Once submitted (no longer editable) the dossier prints the snapshot of the current version, labelled
    with its number – never the live rows, which only the coordinator can change, and only as a draft.
    While the agenda is a draft or returned, it prints the live content (in the same snapshot shape) and
    carries a version label only when that content is exactly the current version's; edited after a
    submit → withdraw it has no version label, so the old number never stands above new text.
    """
    version = (
        AgendaVersion.objects.filter(agenda=agenda, number=agenda.current_version).first()
        if agenda.current_version
        else None
    )
    if version is not None and not agenda.is_editable:
        return version.snapshot, version
    live = build_snapshot(agenda)
    if version is not None and _same_content(live, version.snapshot):
        return version.snapshot, version
    return live, None


def _same_content(a: dict, b: dict) -> bool:
    keys = ("agenda", "partners", "priorities")
    return json.dumps([a.get(k) for k in keys], sort_keys=True, default=str) == json.dumps(
        [b.get(k) for k in keys], sort_keys=True, default=str
    )


def collect_dossier(agenda: Agenda, *, public: bool = False) -> dict:
    """Everything the dossier shows, in a fixed number of queries (independent of the agenda's size).

    The content comes from ``dossier_content`` (the version snapshot it is labelled with).
    ``public``: the Woo version – no names, e-mail addresses, internal comments, advice or nota texts.
    """
    agenda = Agenda.objects.select_related("alliance__region").get(pk=agenda.pk)
    content, version = dossier_content(agenda)
    sources = list(FundingSource.objects.all())
    snapshot_agenda = content["agenda"]
    years = list(range(snapshot_agenda["start_year"], snapshot_agenda["end_year"] + 1))
    perspectives = {
        d.name: d.get_perspective_display() for d in BroadWelfareDimension.objects.all().order_by("order", "pk")
    }
    milestone_types = dict(Milestone.Type.choices)
    commitment_types = dict(AgendaPartner.Commitment.choices)
    all_lines: list[tuple[int, int, Decimal]] = []
    priority_data = []
    for index, priority in enumerate(content["priorities"], start=1):
        lines = [(b["year"], b["source_id"], Decimal(b["amount"])) for b in priority["budget_lines"]]
        all_lines.extend(lines)
        dimensions: dict[str, list[str]] = {}
        for name in priority["dimensions"]:
            dimensions.setdefault(perspectives.get(name, ""), []).append(name)
        priority_data.append(
            {
                "number": index,
                "anchor": f"prioriteit-{index}",
                "title": priority["title"],
                "theme": priority["theme"],
                "goals": priority["goals"],
                "theory": {
                    "cause": priority["theory_cause"],
                    "action": priority["theory_action"],
                    "conditions": priority["theory_conditions"],
                    "expected_change": priority["theory_expected_change"],
                },
                "dimensions": [{"perspective": k, "names": v} for k, v in dimensions.items()],
                "programmes": list(priority["programmes"]),
                "lead_partner": priority["lead_partner"],
                "milestones": [
                    {
                        "title": m["title"],
                        "indicator": m["indicator_name"],
                        "unit": m["unit"],
                        "type": str(milestone_types.get(m["type"], m["type"])),
                        "baseline": str(Decimal(m["baseline_value"]).normalize()),
                        "baseline_year": m["baseline_year"],
                        "target": str(Decimal(m["target_value"]).normalize()),
                        "target_year": m["target_year"],
                    }
                    for m in priority["milestones"]
                ],
                "budget": _budget_table(lines, years, sources),
            }
        )
    organisation_types = {
        o.pk: o.get_type_display()
        for o in Organisation.objects.filter(pk__in=[p["organisation_id"] for p in content["partners"]])
    }
    partners = [
        {
            "organisation": p["organisation"],
            "type": organisation_types.get(p["organisation_id"], ""),
            "role": p["role"],
            "commitment_type": str(commitment_types.get(p["commitment_type"], p["commitment_type"])),
            # Free text may name people: only in the internal dossier.
            "commitment": "" if public else p["commitment"],
            "amount": _money(Decimal(p["commitment_amount"])) if p["commitment_amount"] is not None else None,
        }
        for p in sorted(content["partners"], key=lambda p: p["organisation"])
    ]
    data = {
        "public": public,
        "agenda": {
            "id": agenda.pk,
            "title": snapshot_agenda["title"],
            "region": content["region"],
            "alliance": content["alliance"],
            "start_year": snapshot_agenda["start_year"],
            "end_year": snapshot_agenda["end_year"],
            "status": agenda.get_status_display(),
            "vision": snapshot_agenda["vision"],
            "analysis": snapshot_agenda["analysis"],
            "baseline_notes": snapshot_agenda["baseline_notes"],
            "low_cofinancing_justification": snapshot_agenda["low_cofinancing_justification"],
            # the number of the version whose content this is; None: a draft that differs from every version
            "version_number": version.number if version is not None else None,
            "version_date": version.created_at.date().isoformat() if version is not None else None,
            "changed_since_last_version": version is None and bool(agenda.current_version),
        },
        "priorities": priority_data,
        "budget": _budget_table(all_lines, years, sources),
        "partners": partners,
        "decision": None,
        "reviews": [],
        "advice": None,
    }
    decision = _latest_decision(agenda, signed=True)
    if decision is not None:
        # Reviews, advice and decision belong in the dossier only once the decision is signed.
        data["decision"] = _decision_data(decision, public=public)
        reviews = (
            Review.objects.filter(assignment__version_id=decision.version_id, submitted_at__isnull=False)
            .prefetch_related("scores__dimension")
            .order_by("submitted_at", "pk")
        )
        data["reviews"] = [
            {
                "number": n,
                "verdict": r.get_verdict_display(),
                "distribution_effects": r.distribution_effects,
                "recommendations": r.recommendations,
                "scores": [
                    {
                        "dimension": s.dimension.name,
                        "perspective": s.dimension.get_perspective_display(),
                        "effect": _("n.v.t.") if s.not_applicable else s.effect,
                        "confidence": s.get_confidence_display() or "–",
                    }
                    for s in sorted(r.scores.all(), key=lambda s: (s.dimension.order, s.dimension.name))
                ],
            }
            for n, r in enumerate(reviews, start=1)
        ]
        advice = Advice.objects.filter(version_id=decision.version_id, submitted_at__isnull=False).first()
        if advice is not None and not public:
            data["advice"] = {"recommendation": advice.get_recommendation_display(), "text": advice.text}
    return data


def _decision_data(decision: Decision, *, public: bool) -> dict:
    amounts = list(decision.year_amounts.all())
    data = {
        "reference": decision.reference,
        "date": decision.date.isoformat(),
        "outcome": decision.get_outcome_display() if decision.outcome else "",
        "outcome_code": decision.outcome,
        "advised_decision": decision.get_advised_decision_display(),
        "advised_code": decision.advised_decision,
        "signed_on": decision.signed_at.date().isoformat() if decision.signed_at else None,
        "version_number": decision.version.number,
        "conditions": decision.conditions,
        "reasons": decision.reasons,
        "actively_published": decision.actively_published,
        "objection": objection_clause(decision),
        "year_amounts": [{"year": a.year, "amount": _money(a.approved_amount)} for a in amounts],
        "approved_total": _money(sum((a.approved_amount for a in amounts), Decimal("0"))),
    }
    if not public:
        data.update(
            {
                "addressed_to": decision.addressed_to,
                "sender": decision.sender,
                "prepared_by": str(decision.prepared_by),
                "drafters": [
                    {"name": str(p.user), "role": p.get_role_display(), "on": p.at.date().isoformat()}
                    for p in decision.drafters()
                ],
                "signed_by": str(decision.signed_by) if decision.signed_by else "",
                "core": decision.core,
                "explanation": decision.explanation,
                "review_summary": decision.review_summary,
                "not_public_information": decision.not_public_information,
            }
        )
    return data


# --- decision note and letter -------------------------------------------------------------------
def collect_decision_note(agenda: Agenda) -> dict:
    """The nota ter besluitvorming (shape of seed 003) for the agenda's latest decision."""
    decision = _latest_decision(agenda, signed=False)
    if decision is None:
        raise ValidationError({"kind": _("Er is nog geen besluit voorbereid voor deze agenda.")})
    snapshot = decision.version.snapshot  # the nota is about this version: its figures, never the live ones
    requested = sorted(requested_rijk_extra_by_year(decision.version).items())
    advice = Advice.objects.filter(version_id=decision.version_id).first()
    verdicts = list(
        Review.objects.filter(assignment__version_id=decision.version_id, submitted_at__isnull=False)
        .order_by("submitted_at", "pk")
        .values_list("verdict", flat=True)
    )
    verdict_labels = dict(Review.Verdict.choices)
    return {
        "agenda": _version_agenda(decision.version),
        "decision": _decision_data(decision, public=False),
        "submitted_on": decision.version.created_at.date().isoformat(),
        "requested_by_year": [{"year": y, "amount": _money(t)} for y, t in requested],
        "requested_total": _money(sum((t for _y, t in requested), Decimal("0"))),
        "cofinancing": version_cofinancing(snapshot),
        "partner_commitments": version_commitments(snapshot),
        "rijk_commitments": rijk_for_decision(decision),
        "advice": ({"recommendation": advice.get_recommendation_display(), "text": advice.text} if advice else None),
        "review_verdicts": [str(verdict_labels.get(v, v)) for v in verdicts],
    }


def collect_decision_letter(agenda: Agenda, *, public: bool = False) -> dict:
    """The letter's data; ``public`` (the Woo publication) leaves out every name of a person."""
    decision = _latest_decision(agenda, signed=True)
    if decision is None:
        raise ValidationError({"kind": _("De besluitbrief kan pas worden gemaakt als het besluit is ondertekend.")})
    return {"agenda": _version_agenda(decision.version), "decision": _decision_data(decision, public=public)}


def _version_agenda(version: AgendaVersion) -> dict:
    """The agenda as the version a decision is about has it (title and period from its snapshot)."""
    snapshot = version.snapshot
    return {
        "title": snapshot["agenda"]["title"],
        "region": snapshot["region"],
        "alliance": snapshot["alliance"],
        "start_year": snapshot["agenda"]["start_year"],
        "end_year": snapshot["agenda"]["end_year"],
    }


def document_version(kind: str, data: dict, agenda: Agenda) -> int:
    """The agenda version a document is about (0: none): the one its content was taken from."""
    if kind in (Kind.DOSSIER, Kind.PUBLIC_DOSSIER):
        return data["agenda"]["version_number"] or 0
    if kind in (Kind.DECISION_NOTE, Kind.DECISION_LETTER):
        return data["decision"]["version_number"]
    return agenda.current_version


# --- yearly progress report and accountability figures -----------------------------------------
def _check_year(agenda: Agenda, year: int | None) -> int:
    if year is None:
        raise ValidationError({"year": _("Kies het jaar waarover het document gaat.")})
    if not agenda.start_year <= year <= agenda.end_year:
        raise ValidationError(
            {
                "year": _("Het jaar moet binnen de looptijd van de agenda vallen (%(start)s–%(end)s).")
                % {"start": agenda.start_year, "end": agenda.end_year}
            }
        )
    return year


def collect_progress_report(agenda: Agenda, year: int | None) -> dict:
    """Plan for the year (budget and milestones) next to what monitoring reports, when it exists."""
    from agendas.monitoring.theory import chain_answers
    from reports.selectors import agenda_monitoring

    year = _check_year(agenda, year)
    agenda = Agenda.objects.select_related("alliance__region").get(pk=agenda.pk)
    sources = list(FundingSource.objects.all())
    priorities = list(
        Priority.objects.filter(agenda=agenda)
        .select_related("theme")
        .prefetch_related(
            Prefetch("milestones", queryset=Milestone.objects.order_by("target_year", "pk")),
            Prefetch("budget_lines", queryset=BudgetLine.objects.filter(year=year).order_by("source__order")),
        )
        .order_by("order", "pk")
    )
    monitoring = agenda_monitoring(agenda, year)
    chains = chain_answers(agenda, year)
    rows = []
    for index, priority in enumerate(priorities, start=1):
        planned = sum((line.amount for line in priority.budget_lines.all()), Decimal("0"))
        realised = monitoring.realised_by_priority.get(priority.pk) if monitoring.available else None
        rows.append(
            {
                "number": index,
                "title": priority.title,
                "theme": priority.theme.name,
                "planned": _money(planned),
                "realised": _money(realised) if realised is not None else None,
                "chain": chains.get(priority.pk, []),
                "milestones": [
                    {
                        "title": m.title,
                        "indicator": m.indicator_name,
                        "unit": m.unit,
                        "target": str(m.target_value.normalize()),
                        "target_year": m.target_year,
                        "status": monitoring.milestone_status.get(m.pk, "") if monitoring.available else "",
                        "value": monitoring.milestone_value.get(m.pk, "") if monitoring.available else "",
                    }
                    for m in priority.milestones.all()
                ],
            }
        )
    plan_rows = [(line.year, line.source_id, line.amount) for p in priorities for line in p.budget_lines.all()]
    return {
        "agenda": {
            "title": agenda.title,
            "region": agenda.alliance.region.name,
            "alliance": agenda.alliance.name,
            "version_number": agenda.current_version,
        },
        "year": year,
        "monitoring_available": monitoring.available,
        "report_status": monitoring.report_status,
        "narrative": monitoring.narrative,
        "priorities": rows,
        "budget": _budget_table(plan_rows, [year], sources),
    }


def collect_accountability(agenda: Agenda, year: int | None) -> dict:
    """SiSa/SPUK figures of one year: spending, cumulative spending and co-financing, results."""
    from reports.selectors import agenda_monitoring

    year = _check_year(agenda, year)
    agenda = Agenda.objects.select_related("alliance__region").get(pk=agenda.pk)
    plan = (
        BudgetLine.objects.filter(priority__agenda=agenda, year__lte=year)
        .values_list("year", "source__category")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    zero = Decimal("0")
    rijk_year = rijk_cumulative = cofin_cumulative = zero
    for row_year, category, total in plan:
        kind = finance.classify(category)
        if kind == finance.REQUESTED:
            rijk_cumulative += total
            if row_year == year:
                rijk_year += total
        elif kind == finance.COFINANCING:
            cofin_cumulative += total
    approved_year = sum(
        finance.approved_year_amounts(Agenda.objects.filter(pk=agenda.pk))
        .filter(year=year)
        .values_list("approved_amount", flat=True),
        zero,
    )
    monitoring = agenda_monitoring(agenda, year)
    return {
        "agenda": {
            "title": agenda.title,
            "region": agenda.alliance.region.name,
            "alliance": agenda.alliance.name,
            "version_number": agenda.current_version,
        },
        "year": year,
        "monitoring_available": monitoring.available,
        "plan": {
            "rijk_extra_year": _money(rijk_year),
            "rijk_extra_cumulative": _money(rijk_cumulative),
            "cofinancing_cumulative": _money(cofin_cumulative),
            "approved_year": _money(approved_year),
        },
        "realised": {
            "spending_year": _money(monitoring.spending_year) if monitoring.available else None,
            "spending_cumulative": _money(monitoring.spending_cumulative) if monitoring.available else None,
            "cofinancing_cumulative": _money(monitoring.cofinancing_cumulative) if monitoring.available else None,
            "measures_completed": monitoring.measures_completed if monitoring.available else None,
            "units_delivered": str(monitoring.units_delivered) if monitoring.available else None,
        },
    }


COLLECTORS = {
    Kind.DOSSIER: lambda agenda, year: collect_dossier(agenda),
    Kind.PUBLIC_DOSSIER: lambda agenda, year: collect_dossier(agenda, public=True),
    Kind.DECISION_NOTE: lambda agenda, year: collect_decision_note(agenda),
    Kind.DECISION_LETTER: lambda agenda, year: collect_decision_letter(agenda),
    Kind.PROGRESS_REPORT: collect_progress_report,
    Kind.ACCOUNTABILITY: collect_accountability,
}


def collect(kind: str, agenda: Agenda, year: int | None = None) -> dict:
    if kind not in COLLECTORS:
        raise ValidationError({"kind": _("Onbekend soort document.")})
    return COLLECTORS[kind](agenda, year)


# --- rendering: reports/rendering.py (re-exported: callers and tests use documents.render_pdf etc.) ----------
from reports.rendering import (  # noqa: E402, F401
    BASE_URL,
    PDF_OPTIONS,
    TEMPLATES,
    RenderedPdf,
    make_url_fetcher,
    render_html,
    render_pdf,
)
