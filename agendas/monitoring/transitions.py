"""Progress-report transitions through the PROGRESS_REPORT machine: submit, accept, return, reopen; comments."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from agendas import notifications
from agendas.models import (
    ProgressReport,
    ProgressReportComment,
)
from agendas.monitoring.services import CONFLICT, _clean_milestone, _line_label, _require, ensure_report_rows
from agendas.permissions import progress_report_policy
from agendas.workflow import PROGRESS_REPORT, Context
from kansenagenda.locking import IN_PROCESS


# --- transitions ------------------------------------------------------------------------------------
def _transition(
    report: ProgressReport, *, action: str, actor: User | None, comment: str = "", subject: str, template: str, **mail
) -> None:
    """THE status change of a report: through its table (checked already), one transition record, and the
    audiences the table declares for the action are told."""
    step = PROGRESS_REPORT.actions[action]
    PROGRESS_REPORT.apply(step, case=report, actor=actor, comment=comment)
    notifications.notify_action(
        step,
        Context(case=report, actor=actor),
        subject=subject,
        template=template,
        context={"report": report, "agenda": report.agenda, **mail.pop("context", {})},
        **mail,
    )


def submission_problems(report: ProgressReport) -> dict[str, str]:
    """What still has to be filled in before the report can be submitted (keyed like the page fields)."""
    errors: dict[str, str] = {}
    if not report.overall_narrative.strip():
        errors["overall_narrative"] = _("Toelichting op het geheel: beschrijf kort de voortgang van de agenda.")
    for row in report.milestone_progress.select_related("milestone"):
        _clean_milestone(row, errors, for_submit=True)
    for row in report.realisations.filter(realised__isnull=True).select_related(
        "budget_line__priority", "budget_line__source"
    ):
        errors[f"spending-{row.pk}-realised"] = _(
            "Gerealiseerde besteding (%(line)s): vul het bedrag in (0 als er niets is uitgegeven)."
        ) % {"line": _line_label(row.budget_line)}
    return errors


@transaction.atomic
def progress_report_submit(*, report: ProgressReport, actor: User, lock_version: Any = IN_PROCESS) -> ProgressReport:
    locked, _step = PROGRESS_REPORT.take("submit", case=report, actor=actor, lock_version=lock_version, **CONFLICT)
    problems = submission_problems(locked)
    if problems:
        raise ValidationError(problems)
    locked.submitted_at = timezone.now()
    locked.submitted_by = actor
    _transition(
        locked,
        action="submit",
        actor=actor,
        subject=_("Voortgangsrapportage %(year)s van %(agenda)s is ingediend")
        % {"year": locked.year, "agenda": locked.agenda.title},
        template="agendas/email/monitoring_report_submitted.txt",
        context={"actor": actor},
        kind="monitoring_report_submitted",
    )
    return locked


@transaction.atomic
def progress_report_accept(
    *, report: ProgressReport, actor: User, remarks: str = "", lock_version: Any = IN_PROCESS
) -> ProgressReport:
    """The state representative accepts: the report becomes immutable (only the ministry can reopen it)."""
    locked, _step = PROGRESS_REPORT.take("accept", case=report, actor=actor, lock_version=lock_version, **CONFLICT)
    remarks = (remarks or "").strip()
    locked.decided_at = timezone.now()
    locked.decided_by = actor
    locked.decision_remarks = remarks
    _transition(
        locked,
        action="accept",
        actor=actor,
        comment=remarks,
        subject=_("Voortgangsrapportage %(year)s is geaccepteerd") % {"year": locked.year},
        template="agendas/email/monitoring_report_decided.txt",
        context={"accepted": True},
        kind="monitoring_report_accepted",
    )
    return locked


@transaction.atomic
def progress_report_return(
    *, report: ProgressReport, actor: User, remarks: str, lock_version: Any = IN_PROCESS
) -> ProgressReport:
    """The state representative sends the report back with remarks; the coordinator revises and resubmits."""
    locked, _step = PROGRESS_REPORT.take("return", case=report, actor=actor, lock_version=lock_version, **CONFLICT)
    remarks = (remarks or "").strip()
    if not remarks:
        raise ValidationError(
            {"remarks": _("Opmerkingen: geef aan wat de coördinator moet aanpassen voordat u terugstuurt.")}
        )
    locked.decided_at = timezone.now()
    locked.decided_by = actor
    locked.decision_remarks = remarks
    _transition(
        locked,
        action="return",
        actor=actor,
        comment=remarks,
        subject=_("Voortgangsrapportage %(year)s is teruggestuurd") % {"year": locked.year},
        template="agendas/email/monitoring_report_decided.txt",
        context={"accepted": False},
        kind="monitoring_report_returned",
    )
    return locked


@transaction.atomic
def progress_report_reopen(
    *, report: ProgressReport, actor: User, reason: str, lock_version: Any = IN_PROCESS
) -> ProgressReport:
    """The ministry reopens an accepted report; the reason is recorded in the transition log."""
    locked, _step = PROGRESS_REPORT.take("reopen", case=report, actor=actor, lock_version=lock_version, **CONFLICT)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Reden: leg vast waarom de geaccepteerde rapportage wordt heropend.")})
    locked.decision_remarks = reason
    _transition(
        locked,
        action="reopen",
        actor=actor,
        comment=reason,
        subject=_("Voortgangsrapportage %(year)s is heropend door het ministerie") % {"year": locked.year},
        template="agendas/email/monitoring_report_reopened.txt",
        context={"reason": reason},
        kind="monitoring_report_reopened",
    )
    ensure_report_rows(report=locked, actor=actor)
    return locked


@transaction.atomic
def progress_report_comment(*, report: ProgressReport, actor: User, body: str) -> ProgressReportComment:
    _require(actor, progress_report_policy.COMMENT, report)
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Reactie: schrijf eerst uw reactie.")})
    if len(body) > 5000:
        raise ValidationError({"body": _("Reactie: gebruik hoogstens 5000 tekens.")})
    comment = ProgressReportComment(report=report, author=actor, body=body)
    comment._history_user = actor
    comment.save()
    return comment
