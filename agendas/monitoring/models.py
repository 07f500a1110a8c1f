"""Yearly monitoring of an active agenda: progress reports, realised spending and change requests.

Rules live in ``agendas.monitoring.services`` / ``agendas.monitoring.change_requests`` and the milestone
health rule in ``agendas.health``; these models hold data and invariants (database constraints).
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from accounts.audit import AuditedHistoricalRecords as HistoricalRecords
from agendas.decision.models import AgendaVersion
from agendas.drafting.models import (
    MAX_LINE_AMOUNT,
    MAX_YEAR,
    MIN_YEAR,
    Agenda,
    Attachment,
    BudgetLine,
    Milestone,
    Priority,
    year_validators,
)
from agendas.health import Health

HEALTH_CHOICES = tuple(Health.LABELS.items())
money_validators = [MinValueValidator(Decimal("0")), MaxValueValidator(MAX_LINE_AMOUNT)]


class ProgressReport(models.Model):
    """The yearly progress report (voortgangsrapportage) of an active agenda over one calendar year."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        SUBMITTED = "submitted", _("Ingediend")
        RETURNED = "returned", _("Teruggestuurd")
        ACCEPTED = "accepted", _("Geaccepteerd")

    EDITABLE_STATUSES = {Status.OPEN, Status.RETURNED}

    agenda = models.ForeignKey(Agenda, on_delete=models.PROTECT, related_name="progress_reports")
    year = models.PositiveSmallIntegerField(_("verslagjaar"), validators=year_validators)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    opened_at = models.DateTimeField(_("geopend op"), auto_now_add=True)
    due_date = models.DateField(_("uiterste inleverdatum"))
    overall_narrative = models.TextField(_("toelichting op het geheel"), blank=True, max_length=20000)
    risks = models.TextField(_("risico's"), blank=True, max_length=10000)
    mitigations = models.TextField(_("beheersmaatregelen"), blank=True, max_length=10000)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    decision_remarks = models.TextField(_("opmerkingen rijksvertegenwoordiger"), blank=True, max_length=10000)
    lock_version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("voortgangsrapportage")
        verbose_name_plural = _("voortgangsrapportages")
        ordering = ["agenda", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["agenda", "year"], name="progress_report_one_per_year"),
            models.CheckConstraint(
                condition=Q(year__gte=MIN_YEAR, year__lte=MAX_YEAR), name="progress_report_year_range"
            ),
            models.CheckConstraint(
                condition=~Q(status="accepted") | Q(decided_by__isnull=False), name="progress_report_accepted_by"
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["submitted", "accepted"]) | Q(submitted_at__isnull=False),
                name="progress_report_submitted_at",
            ),
            # separation of duties: whoever submitted the report never decides on it
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | Q(submitted_by__isnull=True) | ~Q(decided_by=F("submitted_by")),
                name="progress_report_decider_not_submitter",
            ),
        ]
        indexes = [models.Index(fields=["status", "due_date"])]

    def __str__(self) -> str:
        return f"{self.agenda} – {self.year}"

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE_STATUSES


class ProgressReportTransition(models.Model):
    """Append-only record of every step of a progress report (submit, accept, return, reopen)."""

    report = models.ForeignKey(ProgressReport, on_delete=models.PROTECT, related_name="transitions")
    action = models.CharField(max_length=30)
    from_status = models.CharField(max_length=20, choices=ProgressReport.Status.choices)
    to_status = models.CharField(max_length=20, choices=ProgressReport.Status.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True)
    at = models.DateTimeField(auto_now_add=True)
    comment = models.TextField(blank=True, max_length=10000)
    history = HistoricalRecords()

    class Meta:
        ordering = ["at", "pk"]

    def save(self, *args, **kwargs):
        if self.pk:
            raise ValueError("Progress report transitions are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Progress report transitions are append-only.")


class MilestoneProgress(models.Model):
    """Per milestone: the status and the (cumulative) value reached by the end of the report year."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Niet gestart")
        ON_TRACK = "on_track", _("Op schema")
        AT_RISK = "at_risk", _("Risico")
        DELAYED = "delayed", _("Vertraagd")
        ACHIEVED = "achieved", _("Behaald")
        CANCELLED = "cancelled", _("Vervallen")

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="milestone_progress")
    milestone = models.ForeignKey(Milestone, on_delete=models.PROTECT, related_name="progress")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    value_reached = models.DecimalField(_("bereikte waarde"), max_digits=18, decimal_places=4, null=True, blank=True)
    evidence = models.TextField(_("onderbouwing"), blank=True, max_length=10000)
    evidence_attachments = models.ManyToManyField(
        Attachment, related_name="+", blank=True, verbose_name=_("bijlagen als bewijs")
    )
    cancellation_reason = models.TextField(_("reden vervallen"), blank=True, max_length=5000)
    achievement_justification = models.TextField(
        _("onderbouwing behaald zonder streefwaarde"), blank=True, max_length=5000
    )
    # THE health rule's outcome (agendas.health.milestone_health), stored by
    # agendas.monitoring.services.refresh_health whenever the report, later spending or the plan changes,
    # so that the portfolio dashboard can count it in the database. Never typed by anyone.
    health = models.CharField(_("gezondheid"), max_length=20, blank=True, editable=False, choices=list(HEALTH_CHOICES))
    history = HistoricalRecords(m2m_fields=[evidence_attachments])

    class Meta:
        verbose_name = _("voortgang mijlpaal")
        verbose_name_plural = _("voortgang mijlpalen")
        ordering = ["milestone__priority__order", "milestone__priority_id", "milestone__target_year", "milestone_id"]
        constraints = [
            models.UniqueConstraint(fields=["report", "milestone"], name="milestone_progress_unique"),
            models.CheckConstraint(
                condition=~Q(status="cancelled") | ~Q(cancellation_reason=""),
                name="milestone_progress_cancel_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.milestone} ({self.report.year})"


class BudgetLineRealisation(models.Model):
    """Per budget line of the report year: money actually spent and committed, next to the plan."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="realisations")
    budget_line = models.ForeignKey(BudgetLine, on_delete=models.PROTECT, related_name="realisations")
    realised = models.DecimalField(
        _("gerealiseerd (€)"), max_digits=14, decimal_places=2, null=True, blank=True, validators=money_validators
    )
    committed = models.DecimalField(
        _("verplicht (€)"), max_digits=14, decimal_places=2, null=True, blank=True, validators=money_validators
    )
    note = models.CharField(_("toelichting"), max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("realisatie begrotingsregel")
        verbose_name_plural = _("realisaties begrotingsregels")
        ordering = ["budget_line__priority__order", "budget_line__priority_id", "budget_line__source__order"]
        constraints = [
            models.UniqueConstraint(fields=["report", "budget_line"], name="realisation_unique"),
            models.CheckConstraint(
                condition=Q(realised__isnull=True) | Q(realised__gte=0), name="realisation_realised_non_negative"
            ),
            models.CheckConstraint(
                condition=Q(committed__isnull=True) | Q(committed__gte=0), name="realisation_committed_non_negative"
            ),
        ]


class PriorityNarrative(models.Model):
    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="narratives")
    priority = models.ForeignKey(Priority, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("toelichting per prioriteit"), blank=True, max_length=10000)
    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["report", "priority"], name="priority_narrative_unique")]


class ProgressReportComment(models.Model):
    """A remark by an alliance member (partner or coordinator) on a progress report."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("reactie"), max_length=5000)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [models.CheckConstraint(condition=~Q(body=""), name="report_comment_not_empty")]


class ChangeRequest(models.Model):
    """A request to change an active agenda (shift budget, change a milestone's target or year)."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Ingediend")
        PREPARED = "prepared", _("Voorbereid, wacht op ondertekening")
        ACCEPTED = "accepted", _("Geaccepteerd")
        REJECTED = "rejected", _("Afgewezen")
        WITHDRAWN = "withdrawn", _("Ingetrokken")

    class Route(models.TextChoices):
        STATE_REPRESENTATIVE = "state_representative", _("Rijksvertegenwoordiger (kleine wijziging)")
        MINISTRY = "ministry", _("Ministerie (grote wijziging, vier ogen)")

    class Outcome(models.TextChoices):
        ACCEPT = "accept", _("Accepteren")
        REJECT = "reject", _("Afwijzen")

    OPEN_STATUSES = {Status.SUBMITTED, Status.PREPARED}

    agenda = models.ForeignKey(Agenda, on_delete=models.PROTECT, related_name="change_requests")
    reason = models.TextField(_("reden"), max_length=10000)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    route = models.CharField(_("beslist door"), max_length=30, choices=Route.choices)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    prepared_at = models.DateTimeField(null=True, blank=True)
    advised_outcome = models.CharField(_("geadviseerd besluit"), max_length=10, choices=Outcome.choices, blank=True)
    preparation_note = models.TextField(_("voorbereidende nota"), blank=True, max_length=20000)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_remarks = models.TextField(_("toelichting besluit"), blank=True, max_length=10000)
    resulting_version = models.ForeignKey(
        AgendaVersion, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    lock_version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("wijzigingsverzoek")
        verbose_name_plural = _("wijzigingsverzoeken")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | Q(prepared_by__isnull=True) | ~Q(decided_by=F("prepared_by")),
                name="change_request_four_eyes",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["accepted", "rejected"]) | Q(decided_by__isnull=False),
                name="change_request_decided_by",
            ),
            models.CheckConstraint(
                condition=~Q(route="ministry", status__in=["prepared", "accepted", "rejected"])
                | Q(prepared_by__isnull=False),
                name="change_request_ministry_prepared",
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="change_request_reason_required"),
        ]

    def __str__(self) -> str:
        return f"{self.agenda} – {_('wijzigingsverzoek')} {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class ChangeRequestItem(models.Model):
    class Kind(models.TextChoices):
        BUDGET_SHIFT = "budget_shift", _("Budget verschuiven")
        MILESTONE = "milestone", _("Mijlpaal wijzigen")

    change_request = models.ForeignKey(ChangeRequest, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(_("soort wijziging"), max_length=20, choices=Kind.choices)
    # budget shift: ``amount`` moves from ``from_line`` to the line (to_priority, to_year, same source)
    from_line = models.ForeignKey(
        BudgetLine, on_delete=models.PROTECT, related_name="+", null=True, blank=True, verbose_name=_("van regel")
    )
    to_priority = models.ForeignKey(
        Priority, on_delete=models.PROTECT, related_name="+", null=True, blank=True, verbose_name=_("naar prioriteit")
    )
    to_year = models.PositiveSmallIntegerField(_("naar jaar"), null=True, blank=True, validators=year_validators)
    amount = models.DecimalField(
        _("bedrag (€)"), max_digits=14, decimal_places=2, null=True, blank=True, validators=money_validators
    )
    # milestone change
    milestone = models.ForeignKey(
        Milestone, on_delete=models.PROTECT, related_name="+", null=True, blank=True, verbose_name=_("mijlpaal")
    )
    new_target_value = models.DecimalField(
        _("nieuwe streefwaarde"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    new_target_year = models.PositiveSmallIntegerField(
        _("nieuw streefjaar"), null=True, blank=True, validators=year_validators
    )
    # the values before the change, recorded when the request is made (history stays readable)
    old_target_value = models.DecimalField(max_digits=18, decimal_places=4, null=True, blank=True)
    old_target_year = models.PositiveSmallIntegerField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="budget_shift")
                | Q(
                    from_line__isnull=False,
                    to_priority__isnull=False,
                    to_year__isnull=False,
                    amount__gt=0,
                    milestone__isnull=True,
                ),
                name="change_item_budget_shift_complete",
            ),
            models.CheckConstraint(
                condition=~Q(kind="milestone")
                | (
                    Q(milestone__isnull=False, from_line__isnull=True)
                    & (Q(new_target_value__isnull=False) | Q(new_target_year__isnull=False))
                ),
                name="change_item_milestone_complete",
            ),
        ]


class ChangeRequestTransition(models.Model):
    """Append-only record of every step of a change request (submit, prepare, decide, sign, withdraw)."""

    change_request = models.ForeignKey(ChangeRequest, on_delete=models.PROTECT, related_name="transitions")
    action = models.CharField(max_length=30)
    from_status = models.CharField(max_length=20, choices=ChangeRequest.Status.choices)
    to_status = models.CharField(max_length=20, choices=ChangeRequest.Status.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True)
    at = models.DateTimeField(auto_now_add=True)
    comment = models.TextField(blank=True, max_length=10000)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("statusovergang wijzigingsverzoek")
        verbose_name_plural = _("statusovergangen wijzigingsverzoeken")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.change_request}: {self.from_status} → {self.to_status}"

    def save(self, *args, **kwargs):
        if self.pk:
            raise ValueError("Change request transitions are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Change request transitions are append-only.")


class ChangeRequestParticipant(models.Model):
    """Everyone who requested, prepared, revised, decided or signed a change request: one row per person.

    The unique (change_request, user) pair enforces in the database both four eyes (a preparer can never
    get a signer row) and separation of duties (the requester can never get a decider row)."""

    class Role(models.TextChoices):
        REQUESTER = "requester", _("Aangevraagd")
        PREPARER = "preparer", _("Voorbereid")
        REVISER = "reviser", _("Herzien")
        DECIDER = "decider", _("Besloten")
        SIGNER = "signer", _("Ondertekend")

    change_request = models.ForeignKey(ChangeRequest, on_delete=models.PROTECT, related_name="participants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=20, choices=Role.choices)
    at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("betrokkene bij wijzigingsverzoek")
        verbose_name_plural = _("betrokkenen bij wijzigingsverzoeken")
        ordering = ["at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["change_request", "user"], name="change_request_participant_once"),
        ]

    def save(self, *args, **kwargs):
        if self.pk:
            raise ValueError("Participants are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Participants are append-only.")
