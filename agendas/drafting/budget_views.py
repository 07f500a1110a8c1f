"""Budget grid pages of an agenda: the grid (priority × year × funding source) and its live totals."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agendas.drafting import budget as budget_services
from agendas.drafting import selectors
from agendas.drafting.views import _agenda, drafting_view
from agendas.models import Agenda, BudgetLine, FundingSource, Priority
from agendas.permissions import agenda_policy
from kansenagenda import money
from kansenagenda.errors import ConflictError
from kansenagenda.locking import parse_lock_version


class _Grid:
    """The grid's rows and cells, built from the database and (after a POST) from what the user typed."""

    def __init__(self, agenda: Agenda, post=None, only_priority: int | None = None):
        self.agenda = agenda
        self.sources = list(FundingSource.objects.filter(active=True))
        all_priorities = list(Priority.objects.filter(agenda=agenda).order_by("order", "pk"))
        self.priorities = [p for p in all_priorities if only_priority in (None, p.pk)]
        self.all_priorities = all_priorities
        lines = BudgetLine.objects.filter(priority__agenda=agenda).values_list(
            "priority_id", "year", "source_id", "amount"
        )
        self.stored = {(p, y, s): a for p, y, s, a in lines}
        self.post = post
        self.raw: dict[str, str] = {}
        self.parse_errors: dict[str, list[str]] = {}
        self.cells: list[budget_services.BudgetCell] = []
        self.lock_versions: dict[int, int | None] = {}
        if post is not None:
            self._parse()

    def _parse(self):
        for p in self.priorities:
            # the raw value: the service parses it (the one lock rule), so "abc" or nothing is a form error
            self.lock_versions[p.pk] = self.post.get(f"lock-{p.pk}")
            for year in self.agenda.years:
                for source in self.sources:
                    key = budget_services.cell_key(p.pk, year, source.pk)
                    if key not in self.post:
                        continue
                    raw = self.post.get(key, "")
                    self.raw[key] = raw
                    try:
                        amount = money.parse_amount(raw, allow_negative=True)
                    except ValidationError as exc:
                        self.parse_errors[key] = [
                            _("%(priority)s, %(year)s, %(source)s: %(message)s")
                            % {"message": exc.messages[0], "priority": p.title, "year": year, "source": source}
                        ]
                        continue
                    self.cells.append(budget_services.BudgetCell(p.pk, year, source.pk, amount))

    def amounts(self) -> list[tuple[int, int, int, Decimal]]:
        """Rows for the totals: typed values where given (and parseable), stored values elsewhere."""
        merged = dict(self.stored)
        for cell in self.cells:
            merged[(cell.priority_id, cell.year, cell.source_id)] = cell.amount or Decimal("0")
        return [(p, y, s, a) for (p, y, s), a in merged.items() if a]

    def summary(self):
        return selectors.summarise_lines(self.amounts(), self.agenda.years, self.sources)

    def blocks(self, errors: dict[str, list[str]]):
        summary = self.summary()
        blocks = []
        for p in self.priorities:
            rows = []
            for source in self.sources:
                cells = []
                for year in self.agenda.years:
                    key = budget_services.cell_key(p.pk, year, source.pk)
                    value = (
                        self.raw[key]
                        if key in self.raw
                        else money.format_amount_input(self.stored.get((p.pk, year, source.pk)))
                    )
                    cells.append(
                        {
                            "name": key,
                            "value": value,
                            "year": year,
                            "errors": errors.get(key, []),
                            "label": _("%(priority)s, %(year)s, %(source)s")
                            % {"priority": p.title, "year": year, "source": source},
                        }
                    )
                rows.append({"source": source, "cells": cells})
            blocks.append(
                {
                    "priority": p,
                    "rows": rows,
                    "lock_version": _int_or(self.lock_versions.get(p.pk), p.lock_version),
                    "total": summary.by_priority.get(p.pk, Decimal("0")),
                }
            )
        return blocks


def _int_or(raw, default: int) -> int:
    try:
        return parse_lock_version(raw)
    except ValidationError:
        return default


def _totals_context(agenda, grid: _Grid) -> dict:
    summary = grid.summary()
    return {
        "agenda": agenda,
        "summary": summary,
        "year_rows": [(y, summary.by_year.get(y, Decimal("0"))) for y in agenda.years],
        "source_rows": [(s, summary.by_source.get(s.pk, Decimal("0"))) for s in grid.sources],
        "priority_rows": [(p, summary.by_priority.get(p.pk, Decimal("0"))) for p in grid.all_priorities],
    }


def _only_priority(request) -> int | None:
    value = request.GET.get("prioriteit") or request.POST.get("prioriteit")
    return int(value) if value and value.isdigit() else None


@drafting_view
def budget_grid(request, pk):
    agenda = _agenda(request, pk, agenda_policy.EDIT)
    only = _only_priority(request)
    grid = _Grid(agenda, request.POST if request.method == "POST" else None, only_priority=only)
    errors: dict[str, list[str]] = dict(grid.parse_errors)
    conflict = None
    form_errors: list[str] = []
    if request.method == "POST" and request.POST.get("action") != "preview" and not errors:
        try:
            result = budget_services.budget_grid_save(
                agenda=agenda, actor=request.user, cells=grid.cells, lock_versions=grid.lock_versions
            )
            messages.success(
                request,
                _("De begroting is opgeslagen: %(created)s nieuw, %(updated)s gewijzigd, %(deleted)s verwijderd.")
                % {"created": result.created, "updated": result.updated, "deleted": result.deleted},
            )
            target = reverse("agendas:budget_grid", args=[agenda.pk])
            return redirect(f"{target}?prioriteit={only}" if only else target)
        except ValidationError as exc:
            for key, msgs in exc.message_dict.items():
                if key.startswith("amount-"):
                    errors[key] = msgs
                else:
                    form_errors.extend(msgs)
        except ConflictError as exc:
            conflict = exc
            # The next save is based on the current versions; the user's input stays on the page.
            for p in Priority.objects.filter(agenda=agenda):
                grid.lock_versions[p.pk] = p.lock_version
    error_list = [(key, msg) for key, msgs in errors.items() for msg in msgs]
    context = {
        "agenda": agenda,
        "blocks": grid.blocks(errors),
        "years": agenda.years,
        "only": only,
        "all_priorities": grid.all_priorities,
        "error_list": error_list,
        "form_errors": form_errors,
        "conflict": conflict,
        **_totals_context(agenda, grid),
    }
    return render(request, "agendas/budget_grid.html", context, status=400 if error_list or form_errors else 200)


@drafting_view
@require_POST
def budget_totals(request, pk):
    """htmx: totals for what is typed in the grid, without saving."""
    agenda = _agenda(request, pk, agenda_policy.EDIT)
    grid = _Grid(agenda, request.POST, only_priority=_only_priority(request))
    return render(request, "agendas/_budget_totals.html", _totals_context(agenda, grid))


urlpatterns = [
    path("<int:pk>/begroting/", budget_grid, name="budget_grid"),
    path("<int:pk>/begroting/totalen/", budget_totals, name="budget_totals"),
]
