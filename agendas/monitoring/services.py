"""Every write to a progress report: open (pre-filled), save, submit, accept, return, reopen, comment.

The web pages and the API call these same functions, so both give the same Dutch validation messages.
Validation errors are keyed by the field names used on the page:
``overall_narrative``, ``milestone-<MilestoneProgress id>-<field>``, ``spending-<BudgetLineRealisation id>-<field>``
and ``narrative-<Priority id>``.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connections, router, transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from accounts.models import User
from agendas import clocks, notifications
from agendas.models import (
    Agenda,
    Attachment,
    BudgetLine,
    BudgetLineRealisation,
    Milestone,
    MilestoneProgress,
    Priority,
    PriorityNarrative,
    ProgressReport,
)
from agendas.permissions import progress_report_policy
from agendas.summary.services import refresh_summary
from agendas.workflow.progress_report import PROGRESS_REPORT
from kansenagenda import money
from kansenagenda.history_diff import record_changes, states_since
from kansenagenda.locking import check_lock

MS = MilestoneProgress.Status
MILESTONE_FIELDS = ("status", "value_reached", "evidence", "cancellation_reason", "achievement_justification")
SPENDING_FIELDS = ("realised", "committed", "note")
REPORT_TEXT_FIELDS = ("overall_narrative", "risks", "mitigations")
MAX_MILESTONE_VALUE = Decimal("99999999999999.9999")


# --- dates: THE report clocks live in agendas.clocks ------------------------------------------------
opening_date = clocks.report_opening_date
due_date = clocks.report_due_date


# --- recipients (agendas.notifications is the one home) ------------------------------------------------
def coordinators_of(agenda: Agenda) -> list[User]:
    return notifications.coordinators(agenda)


def ministry_officers() -> list[User]:
    return notifications.officers()


# --- opening (pre-filled) ---------------------------------------------------------------------------
def ensure_report_rows(*, report: ProgressReport, actor: User | None = None) -> None:
    """Create the rows a report needs (one per milestone, per budget line of the year, per priority),
    pre-filled from the most recent earlier report. Idempotent: existing rows are left alone."""
    previous = ProgressReport.objects.filter(agenda_id=report.agenda_id, year__lt=report.year).order_by("-year").first()
    prev_ms = {}
    prev_narratives = {}
    if previous is not None:
        prev_ms = {mp.milestone_id: mp for mp in previous.milestone_progress.all()}
        prev_narratives = dict(previous.narratives.values_list("priority_id", "text"))

    have_ms = set(report.milestone_progress.values_list("milestone_id", flat=True))
    new_ms = []
    for milestone_id in Milestone.objects.filter(priority__agenda_id=report.agenda_id).values_list("pk", flat=True):
        if milestone_id in have_ms:
            continue
        row = MilestoneProgress(report=report, milestone_id=milestone_id)
        before = prev_ms.get(milestone_id)
        if before is not None:
            for name in MILESTONE_FIELDS:
                setattr(row, name, getattr(before, name))
        new_ms.append(row)
    if new_ms:
        bulk_create_with_history(new_ms, MilestoneProgress, default_user=actor)

    have_lines = set(report.realisations.values_list("budget_line_id", flat=True))
    new_lines = [
        BudgetLineRealisation(report=report, budget_line_id=line_id)
        for line_id in BudgetLine.objects.filter(priority__agenda_id=report.agenda_id, year=report.year).values_list(
            "pk", flat=True
        )
        if line_id not in have_lines
    ]
    if new_lines:
        bulk_create_with_history(new_lines, BudgetLineRealisation, default_user=actor)

    have_narr = set(report.narratives.values_list("priority_id", flat=True))
    new_narr = [
        PriorityNarrative(report=report, priority_id=pid, text=prev_narratives.get(pid, ""))
        for pid in Priority.objects.filter(agenda_id=report.agenda_id).values_list("pk", flat=True)
        if pid not in have_narr
    ]
    if new_narr:
        bulk_create_with_history(new_narr, PriorityNarrative, default_user=actor)
    refresh_health(agenda_id=report.agenda_id, from_year=report.year)
    refresh_summary(report.agenda_id)


@transaction.atomic
def progress_report_open(*, agenda: Agenda, year: int, actor: User | None = None) -> tuple[ProgressReport, bool]:
    """Open the report over ``year`` for an active agenda, pre-filled from the agenda and the previous
    report, and notify the coordinators. Idempotent: returns ``(report, False)`` if it already exists."""
    if agenda.status != Agenda.Status.ACTIVE:
        raise ValidationError({"agenda": _("Alleen voor een lopende agenda wordt een voortgangsrapportage geopend.")})
    if not agenda.start_year <= year <= agenda.end_year:
        raise ValidationError(
            {
                "year": _("Verslagjaar %(year)s valt buiten de looptijd %(start)s–%(end)s van de agenda.")
                % {"year": year, "start": agenda.start_year, "end": agenda.end_year}
            }
        )
    existing = ProgressReport.objects.filter(agenda=agenda, year=year).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            report = ProgressReport(agenda=agenda, year=year, due_date=due_date(year))
            previous = ProgressReport.objects.filter(agenda=agenda, year__lt=year).order_by("-year").first()
            if previous is not None:
                for name in REPORT_TEXT_FIELDS:
                    setattr(report, name, getattr(previous, name))
            report._history_user = actor
            report.save()
    except IntegrityError:  # opened concurrently by another worker
        return ProgressReport.objects.get(agenda=agenda, year=year), False
    ensure_report_rows(report=report, actor=actor)
    notifications.send(
        coordinators_of(agenda),
        subject=_("Voortgangsrapportage %(year)s staat voor u klaar") % {"year": year},
        template="agendas/email/monitoring_report_opened.txt",
        context={"report": report, "agenda": agenda},
        kind="monitoring_report_opened",
        dedupe_key=f"report-opened-{report.pk}",
    )
    return report, True


# --- parsing with Dutch messages that name the field -------------------------------------------------
def amount_value(raw: Any, label: str, errors: dict, key: str) -> Decimal | None:
    """An amount from the page (text typed by a person) or the API (already a Decimal), checked by the one
    amount rule (``money.amount_problem``); a problem goes into ``errors[key]`` naming the field."""
    try:
        parse = money.parse_amount if isinstance(raw, str) else money.parse_api_amount
        value = parse(raw, allow_negative=True)
    except ValidationError as exc:
        errors[key] = _("%(field)s: %(message)s") % {"field": label, "message": exc.messages[0]}
        return None
    if value is None:
        return None
    problem = money.amount_problem(value, what=label)
    if problem:
        errors[key] = problem
        return None
    return value.quantize(money.CENT)


def milestone_value(raw: Any, milestone: Milestone, label: str, errors: dict, key: str) -> Decimal | None:
    """A milestone quantity read by ``money.parse_number`` (the interface language's notation; API numbers as
    they are), at most four decimals and below 100 trillion."""
    try:
        value = money.parse_number(raw)
    except ValidationError as exc:
        errors[key] = _("%(field)s, in %(unit)s: %(message)s") % {
            "field": label,
            "message": exc.messages[0],
            "unit": milestone.unit,
        }
        return None
    if value is None:
        return None
    if value.as_tuple().exponent < -4 or abs(value) > MAX_MILESTONE_VALUE:
        errors[key] = _("%(field)s: gebruik hoogstens vier decimalen en een getal kleiner dan 100 biljoen.") % {
            "field": label
        }
        return None
    return value


def target_met(milestone: Milestone, value: Decimal | None) -> bool:
    if value is None:
        return False
    if milestone.target_value >= milestone.baseline_value:
        return value >= milestone.target_value
    return value <= milestone.target_value


def _clean_milestone(row: MilestoneProgress, errors: dict, *, for_submit: bool) -> None:
    """Invariants of one milestone row (the row already carries the new values)."""
    m = row.milestone
    key = f"milestone-{row.pk}"
    name = {"title": m.title}
    if row.status not in MS.values:
        errors[f"{key}-status"] = _("Status bij mijlpaal ‘%(title)s’: kies een van de mogelijke statussen.") % name
        return
    if row.status == MS.CANCELLED and not row.cancellation_reason.strip():
        errors[f"{key}-cancellation_reason"] = (
            _("Reden vervallen bij mijlpaal ‘%(title)s’: geef aan waarom de mijlpaal vervalt.") % name
        )
    if row.status == MS.ACHIEVED and not target_met(m, row.value_reached) and not row.achievement_justification.strip():
        errors[f"{key}-achievement_justification"] = _(
            "Mijlpaal ‘%(title)s’ staat op ‘behaald’ maar de bereikte waarde haalt de streefwaarde (%(target)s "
            "%(unit)s) niet: vul de bereikte waarde aan of onderbouw waarom de mijlpaal toch behaald is."
        ) % {**name, "target": f"{m.target_value.normalize():f}", "unit": m.unit}
    if for_submit and row.value_reached is None and row.status not in (MS.NOT_STARTED, MS.CANCELLED):
        errors[f"{key}-value_reached"] = _(
            "Bereikte waarde bij mijlpaal ‘%(title)s’: vul de waarde tot nu toe in (in %(unit)s)."
        ) % {**name, "unit": m.unit}


def _line_label(line: BudgetLine) -> str:
    return _("%(priority)s, %(year)s, %(source)s") % {
        "priority": line.priority.title,
        "year": line.year,
        "source": line.source.label,
    }


# --- optimistic locking -----------------------------------------------------------------------------
def changes_since(report: ProgressReport, lock_version: int) -> dict[str, dict[str, str]]:
    """What others changed since the version the user started from, in the one 409 shape
    (``kansenagenda.history_diff``, {key: {label, old, new}}): the report's fields, each milestone's
    progress and each spending line."""
    base = report.history.filter(lock_version__lte=lock_version).order_by("-history_date", "-history_id").first()
    since = base.history_date if base else report.opened_at
    changes = record_changes(ProgressReport, base, report) if base is not None else {}
    for model, label_of, prefix in (
        (MilestoneProgress, lambda row: _("Mijlpaal ‘%(title)s’") % {"title": row.milestone.title}, "milestone"),
        (BudgetLineRealisation, lambda row: _("Besteding %(line)s") % {"line": row.budget_line}, "spending"),
    ):
        for before, now in states_since(model.history.filter(report_id=report.pk), since):
            row = now or before
            changes |= record_changes(model, before, now, key=f"{prefix}:{row.id}:", label=label_of(row))
    return changes


def _conflict_message(report: ProgressReport, changes: dict) -> str:
    last = report.history.exclude(history_user=None).select_related("history_user").order_by("-history_date").first()
    who = str(last.history_user) if last is not None else _("iemand anders")
    return _(
        "%(who)s heeft deze rapportage intussen gewijzigd. Uw wijzigingen zijn niet opgeslagen; "
        "laad de rapportage opnieuw en voer ze opnieuw in."
    ) % {"who": who}


#: how a stale write on a progress report is answered (``check_lock``'s message and what changed)
CONFLICT = {"message": _conflict_message, "changes": changes_since}


def lock_for_edit(report: ProgressReport, actor: User, lock_version: Any) -> ProgressReport:
    """Every edit of a report's content, in the one order (as ``Machine.take``): row lock → may this person edit
    → the optimistic lock (not bumped: the caller's save bumps it)."""
    locked = PROGRESS_REPORT.lock(report)
    _require(actor, progress_report_policy.EDIT, locked)
    check_lock(locked, lock_version, bump=False, **CONFLICT)
    return locked


def _require(actor: User, action: str, report: ProgressReport) -> None:
    if not progress_report_policy.can(actor, action, report):
        raise PermissionDenied(progress_report_policy.refusal_reason(actor, action, report))


# --- save -------------------------------------------------------------------------------------------
def _bulk_update_with_history(objs: list, model, fields: list[str], actor: User | None) -> None:
    """UPDATE … WHERE id = %s with executemany, then one bulk insert into the history table.

    Django's ``bulk_update`` builds a CASE expression per field and row, which for a report with
    hundreds of rows costs more than the 300 ms budget; one prepared statement is ~10x cheaper."""
    connection = connections[router.db_for_write(model)]
    qn = connection.ops.quote_name
    columns = [model._meta.get_field(name) for name in fields]
    # identifiers come from the model's own metadata (quoted), values are parameters
    sql = "UPDATE {} SET {} WHERE {} = %s".format(  # noqa: S608
        qn(model._meta.db_table),
        ", ".join(f"{qn(field.column)} = %s" for field in columns),
        qn(model._meta.pk.column),
    )
    params = [
        [field.get_db_prep_save(getattr(obj, field.attname), connection) for field in columns] + [obj.pk]
        for obj in objs
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)
    model.history.bulk_history_create(objs, update=True, default_user=actor)


@transaction.atomic
def progress_report_save(
    *,
    report: ProgressReport,
    actor: User,
    lock_version: int,
    report_fields: dict[str, Any] | None = None,
    milestones: dict[int, dict[str, Any]] | None = None,
    spending: dict[int, dict[str, Any]] | None = None,
    narratives: dict[int, str] | None = None,
) -> ProgressReport:
    """Save (part of) a report in one transaction. Only keys that are given change.

    ``milestones``: {MilestoneProgress id: {status, value_reached, evidence, cancellation_reason,
    achievement_justification}}; ``spending``: {BudgetLineRealisation id: {realised, committed, note}};
    ``narratives``: {Priority id: text}. Cumulative figures are never input: they are computed on reading.
    """
    locked = lock_for_edit(report, actor, lock_version)
    errors: dict[str, str] = {}
    report_fields = report_fields or {}
    milestones = milestones or {}
    spending = spending or {}
    narratives = narratives or {}

    for name, value in report_fields.items():
        if name not in REPORT_TEXT_FIELDS:
            errors[name] = _("Onbekend veld: %(name)s.") % {"name": name}
            continue
        field = ProgressReport._meta.get_field(name)
        text = (value or "").strip()
        if len(text) > field.max_length:
            errors[name] = _("%(field)s: gebruik hoogstens %(n)s tekens.") % {
                "field": str(field.verbose_name).capitalize(),
                "n": field.max_length,
            }
        setattr(locked, name, text)

    ms_rows = {
        row.pk: row
        for row in MilestoneProgress.objects.filter(report=locked, pk__in=list(milestones)).select_related("milestone")
    }
    changed_ms: list[MilestoneProgress] = []
    evidence_sets: dict[MilestoneProgress, list[int]] = {}
    agenda_attachments = None
    for pk, data in milestones.items():
        row = ms_rows.get(int(pk))
        if row is None:
            errors[f"milestone-{pk}"] = _("Deze mijlpaal hoort niet bij deze rapportage.")
            continue
        if "evidence_attachments" in data:
            if agenda_attachments is None:
                agenda_attachments = set(
                    Attachment.objects.filter(agenda_id=locked.agenda_id).values_list("pk", flat=True)
                )
            try:
                wanted = sorted({int(a) for a in data["evidence_attachments"] or []})
            except (TypeError, ValueError):
                wanted = [-1]
            if not set(wanted) <= agenda_attachments:
                errors[f"milestone-{row.pk}-evidence_attachments"] = _(
                    "Bijlagen als bewijs bij mijlpaal ‘%(title)s’: kies bijlagen van deze agenda."
                ) % {"title": row.milestone.title}
            else:
                evidence_sets[row] = wanted
        before = {name: getattr(row, name) for name in MILESTONE_FIELDS}
        title = row.milestone.title
        for name in MILESTONE_FIELDS:
            if name not in data:
                continue
            if name == "value_reached":
                label = _("Bereikte waarde bij mijlpaal ‘%(title)s’") % {"title": title}
                key = f"milestone-{row.pk}-value_reached"
                value = milestone_value(data[name], row.milestone, label, errors, key)
                if key not in errors:
                    row.value_reached = value
            else:
                setattr(row, name, (data[name] or "").strip() if name != "status" else (data[name] or ""))
        _clean_milestone(row, errors, for_submit=False)
        if any(getattr(row, name) != before[name] for name in MILESTONE_FIELDS):
            changed_ms.append(row)

    line_rows = {
        row.pk: row
        for row in BudgetLineRealisation.objects.filter(report=locked, pk__in=list(spending)).select_related(
            "budget_line__priority", "budget_line__source"
        )
    }
    changed_lines: list[BudgetLineRealisation] = []
    for pk, data in spending.items():
        row = line_rows.get(int(pk))
        if row is None:
            errors[f"spending-{pk}"] = _("Deze begrotingsregel hoort niet bij deze rapportage.")
            continue
        before = {name: getattr(row, name) for name in SPENDING_FIELDS}
        where = _line_label(row.budget_line)
        if "realised" in data:
            label = _("Gerealiseerde besteding (%(line)s)") % {"line": where}
            row.realised = amount_value(data["realised"], label, errors, f"spending-{row.pk}-realised")
        if "committed" in data:
            label = _("Verplichte bedragen (%(line)s)") % {"line": where}
            row.committed = amount_value(data["committed"], label, errors, f"spending-{row.pk}-committed")
        if "note" in data:
            row.note = (data["note"] or "").strip()[:500]
        if any(getattr(row, name) != before[name] for name in SPENDING_FIELDS):
            changed_lines.append(row)

    narrative_rows = {
        row.priority_id: row
        for row in PriorityNarrative.objects.filter(report=locked, priority_id__in=[int(k) for k in narratives])
    }
    changed_narratives: list[PriorityNarrative] = []
    for pid, text in narratives.items():
        row = narrative_rows.get(int(pid))
        if row is None:
            errors[f"narrative-{pid}"] = _("Deze prioriteit hoort niet bij deze agenda.")
            continue
        text = (text or "").strip()
        if len(text) > 10000:
            errors[f"narrative-{pid}"] = _("Toelichting per prioriteit: gebruik hoogstens 10000 tekens.")
        if text != row.text:
            row.text = text
            changed_narratives.append(row)

    if errors:
        raise ValidationError(errors)
    if evidence_sets:
        current: dict[int, set[int]] = defaultdict(set)
        through = MilestoneProgress.evidence_attachments.through
        for mp_id, att_id in through.objects.filter(milestoneprogress__in=list(evidence_sets)).values_list(
            "milestoneprogress_id", "attachment_id"
        ):
            current[mp_id].add(att_id)
        for row, wanted in evidence_sets.items():
            if set(wanted) != current[row.pk]:
                # the row's one history row (below) carries the new set: none for the set itself
                row.skip_history_when_saving = True
                try:
                    row.evidence_attachments.set(wanted)
                finally:
                    del row.skip_history_when_saving
                if row not in changed_ms:
                    changed_ms.append(row)
    if changed_ms:
        _bulk_update_with_history(changed_ms, MilestoneProgress, list(MILESTONE_FIELDS), actor)
    if changed_lines:
        _bulk_update_with_history(changed_lines, BudgetLineRealisation, list(SPENDING_FIELDS), actor)
    if changed_narratives:
        _bulk_update_with_history(changed_narratives, PriorityNarrative, ["text"], actor)
    locked.lock_version += 1
    locked._history_user = actor
    locked.save()
    refresh_health(agenda_id=locked.agenda_id, from_year=locked.year)
    refresh_summary(locked.agenda_id)
    return locked


def refresh_health(*, agenda_id: int, from_year: int | None = None) -> int:
    """Store THE health rule's outcome on every milestone entry of the agenda's reports from ``from_year``
    on. A report's health depends on its values, on spending up to its year and on the plan, so a save
    also changes later reports, and an accepted change request (new plan) changes all of them.
    Uses the same computation as the report page (one rule, one place). Returns the number of rows changed."""
    from agendas.monitoring.selectors import report_page

    reports = ProgressReport.objects.filter(agenda_id=agenda_id).order_by("year")
    if from_year is not None:
        reports = reports.filter(year__gte=from_year)
    changed: list[MilestoneProgress] = []
    for report in reports:
        for block in report_page(report).priorities:
            for row in block.milestones:
                if row.progress.health != row.health.code:
                    row.progress.health = row.health.code
                    changed.append(row.progress)
    if changed:  # a stored value changed: one history row each (by the person whose action caused it)
        _bulk_update_with_history(changed, MilestoneProgress, ["health"], None)
    return len(changed)
