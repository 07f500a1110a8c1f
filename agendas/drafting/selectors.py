"""Reads that are more than a ``get``: budget totals and co-financing, computed in the database."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from agendas import finance
from agendas.models import Agenda, BudgetLine, FundingSource
from kansenagenda.history_diff import FieldChange, field_changes, m2m_changes, previous_records
from kansenagenda.money import format_amount as euro

ZERO = Decimal("0.00")


@dataclass
class BudgetSummary:
    years: list[int]
    sources: list[FundingSource]
    by_year: dict[int, Decimal] = field(default_factory=dict)
    by_source: dict[int, Decimal] = field(default_factory=dict)
    by_priority: dict[int, Decimal] = field(default_factory=dict)
    by_year_source: dict[tuple[int, int], Decimal] = field(default_factory=dict)
    total: Decimal = ZERO
    rijk_extra: Decimal = ZERO
    cofinancing: Decimal = ZERO
    rijk_extra_by_year: dict[int, Decimal] = field(default_factory=dict)
    lines_by_priority: dict[int, int] = field(default_factory=dict)  # number of budget lines
    lines_by_year: dict[int, int] = field(default_factory=dict)

    @property
    def cofinancing_ratio(self) -> Decimal | None:
        """Co-financing per euro of the requested extra Rijk contribution (THE rule: agendas.finance)."""
        return finance.cofinancing_ratio(self.cofinancing, self.rijk_extra)

    @property
    def meets_minimum(self) -> bool:
        return finance.meets_minimum(self.cofinancing_ratio)


def summarise_lines(rows, years: list[int], sources: list[FundingSource]) -> BudgetSummary:
    """``rows``: iterable of (priority_id, year, source_id, amount)."""
    by_code = {s.pk: s for s in sources}
    summary = BudgetSummary(years=years, sources=sources)  # requested/co-financing as agendas.finance says
    for priority_id, year, source_id, amount in rows:
        amount = amount or ZERO
        summary.by_year[year] = summary.by_year.get(year, ZERO) + amount
        summary.by_source[source_id] = summary.by_source.get(source_id, ZERO) + amount
        summary.by_priority[priority_id] = summary.by_priority.get(priority_id, ZERO) + amount
        summary.lines_by_priority[priority_id] = summary.lines_by_priority.get(priority_id, 0) + 1
        summary.lines_by_year[year] = summary.lines_by_year.get(year, 0) + 1
        key = (year, source_id)
        summary.by_year_source[key] = summary.by_year_source.get(key, ZERO) + amount
        summary.total += amount
        kind = finance.classify(by_code[source_id]) if source_id in by_code else finance.NEITHER
        if kind == finance.REQUESTED:
            summary.rijk_extra += amount
            summary.rijk_extra_by_year[year] = summary.rijk_extra_by_year.get(year, ZERO) + amount
        elif kind == finance.COFINANCING:
            summary.cofinancing += amount
    return summary


def budget_summary(agenda: Agenda, sources: list[FundingSource] | None = None) -> BudgetSummary:
    """Totals per year, source and priority: one query for the lines (plus one for the sources, unless given).

    The lines are summed in Python, not with SQL SUM: (priority, year, source) is unique, so grouping in
    the database saves nothing, and SQLite's SUM goes through floating point (0.1 + 0.2 ≠ 0.3).
    """
    sources = list(FundingSource.objects.all()) if sources is None else sources
    rows = BudgetLine.objects.filter(priority__agenda=agenda).values_list("priority_id", "year", "source_id", "amount")
    return summarise_lines(rows, agenda.years, sources)


# --- drafting: lists, the detail page and the history ------------------------------------------


def agendas_for_list(queryset):
    """The agenda list: region and alliance in the same query, the number of priorities annotated."""
    from django.db.models import Count

    return queryset.select_related("alliance__region").annotate(n_priorities=Count("priorities", distinct=True))


def priorities_with_content(agenda: Agenda):
    """Priorities of an agenda with everything the detail page shows, in a fixed number of queries."""
    from django.db.models import Prefetch

    from agendas.models import Milestone, Priority

    return (
        Priority.objects.filter(agenda=agenda)
        .select_related("theme", "lead_partner")
        .prefetch_related(
            "dimensions",
            "programmes",
            Prefetch("milestones", queryset=Milestone.objects.order_by("target_year", "pk")),
        )
    )


@dataclass
class CommentThread:
    comment: object
    replies: list


def comment_threads(agenda: Agenda) -> dict[tuple[str, int | None], list[CommentThread]]:
    """Comments grouped by (section, priority id), each top-level comment with its replies. One query."""
    from agendas.models import Comment

    threads: dict[tuple[str, int | None], list[CommentThread]] = {}
    by_id: dict[int, CommentThread] = {}
    comments = Comment.objects.filter(agenda=agenda).select_related("author").order_by("created_at", "pk")
    for comment in comments:
        if comment.parent_id is None:
            thread = CommentThread(comment, [])
            by_id[comment.pk] = thread
            threads.setdefault((comment.section, comment.priority_id), []).append(thread)
    for comment in comments:
        if comment.parent_id is not None and comment.parent_id in by_id:
            by_id[comment.parent_id].replies.append(comment)
    return threads


@dataclass
class HistoryEntry:
    at: object
    user: object
    subject: str
    action: str
    changes: list[FieldChange]


def agenda_history(agenda: Agenda, *, limit: int | None = None, include_budget: bool = True) -> list[HistoryEntry]:
    """Every recorded edit of the agenda and its content (who, when, field old → new), newest first.

    Built from django-simple-history with one query per model (plus one for organisation names),
    whatever the number of rows.
    """
    from django.utils.translation import gettext as _

    from accounts.models import Organisation
    from agendas.models import AgendaPartner, Attachment, Milestone, Priority, Theme

    actions = {"+": _("aangemaakt"), "~": _("gewijzigd"), "-": _("verwijderd")}
    sources = {s.pk: s for s in FundingSource.objects.all()}
    themes = {t.pk: t for t in Theme.objects.all()}

    agenda_rows = list(agenda.history.select_related("history_user").order_by("history_date", "history_id"))
    priority_rows = list(
        Priority.history.filter(agenda_id=agenda.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    priority_ids = {row.id for row in priority_rows}
    priority_titles = {row.id: row.title for row in priority_rows}
    milestone_rows = list(
        Milestone.history.filter(priority_id__in=priority_ids)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    partner_rows = list(
        AgendaPartner.history.filter(agenda_id=agenda.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    attachment_rows = list(
        Attachment.history.filter(agenda_id=agenda.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    line_rows = []
    if include_budget:
        line_rows = list(
            BudgetLine.history.filter(priority_id__in=priority_ids)
            .select_related("history_user")
            .order_by("history_date", "history_id")
        )
    org_ids = {r.organisation_id for r in partner_rows} | {
        r.lead_partner_id for r in priority_rows if r.lead_partner_id
    }
    organisations = Organisation.objects.in_bulk(org_ids)

    def related_label(field, value):
        if value is None:
            return "–"
        target = field.related_model
        if target is FundingSource:
            return str(sources.get(value, value))
        if target is Theme:
            return str(themes.get(value, value))
        if target is Organisation:
            return str(organisations.get(value, value))
        if target is Priority:
            return priority_titles.get(value, str(value))
        return str(value)

    def subject(model, row) -> str:
        if model is Agenda:
            return _("Agenda")
        if model is Priority:
            return _("Prioriteit ‘%(title)s’") % {"title": row.title}
        if model is Milestone:
            return _("Mijlpaal ‘%(title)s’ (prioriteit ‘%(priority)s’)") % {
                "title": row.title,
                "priority": priority_titles.get(row.priority_id, "?"),
            }
        if model is AgendaPartner:
            return _("Partner ‘%(name)s’") % {"name": organisations.get(row.organisation_id, "?")}
        if model is Attachment:
            return _("Bijlage ‘%(name)s’") % {"name": row.original_name}
        return _("Begroting ‘%(priority)s’ %(year)s – %(source)s") % {
            "priority": priority_titles.get(row.priority_id, "?"),
            "year": row.year,
            "source": sources.get(row.source_id, "?"),
        }

    entries: list[HistoryEntry] = []
    for model, rows in (
        (Agenda, agenda_rows),
        (Priority, priority_rows),
        (Milestone, milestone_rows),
        (AgendaPartner, partner_rows),
        (Attachment, attachment_rows),
        (BudgetLine, line_rows),
    ):
        exclude = {"file", "sha256", "uploaded_by", "uploaded_at", "size", "content_type"}
        if model is not Agenda:
            exclude |= {"agenda", "priority"}
        pairs = list(previous_records(rows))
        sets = m2m_changes(model.history.model, [(r, p) for r, p in pairs if r.history_type == "~" and p])
        for row, prev in pairs:
            changes: list[FieldChange] = []
            if row.history_type == "~" and prev is not None:
                changes = [c for _f, c in field_changes(model, prev, row, exclude=exclude, related_label=related_label)]
                changes += sets.get(row.history_id, [])
                if not changes:
                    continue  # only bookkeeping changed (lock version, m2m snapshot)
            elif row.history_type == "+" and model is BudgetLine:
                changes.append(FieldChange(str(_("bedrag (€)")), "–", euro(row.amount)))
            elif row.history_type == "-" and model is BudgetLine:
                changes.append(FieldChange(str(_("bedrag (€)")), euro(row.amount), "–"))
            entries.append(
                HistoryEntry(
                    at=row.history_date,
                    user=row.history_user,
                    subject=subject(model, row),
                    action=actions.get(row.history_type, row.history_type),
                    changes=changes,
                )
            )
    entries.sort(key=lambda e: e.at, reverse=True)
    return entries[:limit] if limit else entries
