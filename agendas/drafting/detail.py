"""The agenda detail page's context: one read of each thing, shared by the sections that show it."""

from __future__ import annotations

from decimal import Decimal

from agendas.drafting import comments as comment_services
from agendas.drafting import selectors
from agendas.drafting.checklist import LoadedAgenda, completeness_checklist, partners_flagged
from agendas.models import Agenda
from agendas.permissions import agenda_policy

DETAIL_HISTORY_ENTRIES = 10


def detail_context(user, agenda: Agenda) -> dict:
    """Everything the detail page shows, in a fixed number of queries (the budget lines, priorities and partners
    are read once and shared with the checklist; the recent history is loaded after the page)."""
    priorities = list(selectors.priorities_with_content(agenda))
    summary = selectors.budget_summary(agenda)
    threads = selectors.comment_threads(agenda)
    for p in priorities:
        p.budget_total = summary.by_priority.get(p.pk, Decimal("0"))
        p.comment_threads = threads.get(("priority", p.pk), [])
    sections = {
        code: {"code": code, "label": label, "threads": threads.get((code, None), [])}
        for code, label in comment_services.COMMENT_SECTIONS.items()
        if code != "priority"
    }
    can_edit = agenda_policy.can(user, agenda_policy.EDIT, agenda)
    partners = list(partners_flagged(agenda))
    return {
        "agenda": agenda,
        "priorities": priorities,
        "partners": partners,
        "attachments": agenda.attachments.select_related("uploaded_by"),
        "summary": summary,
        "year_rows": [(year, summary.by_year.get(year, Decimal("0"))) for year in agenda.years],
        "source_rows": [(s, summary.by_source.get(s.pk, Decimal("0"))) for s in summary.sources],
        "checklist": completeness_checklist(agenda, loaded=LoadedAgenda(priorities, summary, partners)),
        "sections": sections,
        "can_edit": can_edit,
        "can_share": agenda_policy.can(user, agenda_policy.SHARE, agenda),
        "can_comment": agenda_policy.can(user, agenda_policy.COMMENT, agenda),
        "can_delete": agenda_policy.can(user, agenda_policy.DELETE, agenda),
    }
