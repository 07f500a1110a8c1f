"""The content of a kansenagenda as the region drafts it."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from accounts.audit import AuditedHistoricalRecords as HistoricalRecords
from accounts.models import Alliance, Organisation
from agendas.models.reference import BroadWelfareDimension, FundingSource, NationalProgramme, Theme
from kansenagenda import money

MIN_YEAR = 2020
MAX_YEAR = 2080
MAX_PERIOD_YEARS = 30
MAX_LINE_AMOUNT = money.MAX_LINE_AMOUNT  # € 10 billion per budget line (the amount rule: kansenagenda.money)
year_validators = [MinValueValidator(MIN_YEAR), MaxValueValidator(MAX_YEAR)]


class Agenda(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Concept")
        SUBMITTED = "submitted", _("Ingediend")
        UNDER_REVIEW = "under_review", _("In beoordeling")
        AWAITING_DECISION = "awaiting_decision", _("Wacht op besluit")
        APPROVED = "approved", _("Goedgekeurd")
        RETURNED = "returned", _("Teruggestuurd")
        REJECTED = "rejected", _("Afgewezen")
        ACTIVE = "active", _("Lopend")
        CLOSED = "closed", _("Afgesloten")
        WITHDRAWN = "withdrawn", _("Ingetrokken")

    EDITABLE_STATUSES = {Status.DRAFT, Status.RETURNED, Status.WITHDRAWN}

    alliance = models.ForeignKey(
        Alliance, on_delete=models.PROTECT, related_name="agendas", verbose_name=_("alliantie")
    )
    title = models.CharField(_("titel"), max_length=200)
    start_year = models.PositiveSmallIntegerField(_("beginjaar"), validators=year_validators)
    end_year = models.PositiveSmallIntegerField(_("eindjaar"), validators=year_validators)
    vision = models.TextField(_("visie en ambitie"), blank=True, max_length=20000)
    analysis = models.TextField(
        _("analyse van opgaven en kansen"),
        blank=True,
        max_length=20000,
        help_text=_("De gestapelde opgaven en de kansen van de regio."),
    )
    baseline_notes = models.TextField(_("brede-welvaartsnulmeting (toelichting)"), blank=True, max_length=20000)
    low_cofinancing_justification = models.TextField(
        _("onderbouwing lagere cofinanciering"),
        blank=True,
        max_length=10000,
        help_text=_("Alleen invullen als de regio minder dan 1:1 cofinanciert (kwetsbare regio)."),
    )
    status = models.CharField(_("status"), max_length=30, choices=Status.choices, default=Status.DRAFT)
    shared_with_ministry = models.BooleanField(
        _("concept delen met het ministerie"),
        default=False,
        help_text=_("Het ministerie ziet een concept alleen als de coördinator het deelt."),
    )
    current_version = models.PositiveIntegerField(_("laatste versienummer"), default=0)
    lock_version = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("kansenagenda")
        verbose_name_plural = _("kansenagenda's")
        ordering = ["-updated_at"]
        constraints = [
            models.CheckConstraint(condition=Q(end_year__gte=F("start_year")), name="agenda_end_after_start"),
            models.CheckConstraint(
                condition=Q(end_year__lte=F("start_year") + MAX_PERIOD_YEARS - 1), name="agenda_period_max_30_years"
            ),
            models.CheckConstraint(
                condition=Q(start_year__gte=MIN_YEAR, start_year__lte=MAX_YEAR), name="agenda_start_year_range"
            ),
            models.CheckConstraint(
                condition=Q(end_year__gte=MIN_YEAR, end_year__lte=MAX_YEAR), name="agenda_end_year_range"
            ),
        ]
        indexes = [models.Index(fields=["status"])]

    def __str__(self) -> str:
        return self.title

    @property
    def years(self) -> list[int]:
        return list(range(self.start_year, self.end_year + 1))

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE_STATUSES


class AgendaPartner(models.Model):
    class Commitment(models.TextChoices):
        MONEY = "money", _("Geld")
        IN_KIND = "in_kind", _("In natura")
        CAPACITY = "capacity", _("Capaciteit (mensen)")

    agenda = models.ForeignKey(Agenda, on_delete=models.CASCADE, related_name="partners")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="agenda_partnerships", verbose_name=_("organisatie")
    )
    role = models.CharField(_("rol in de agenda"), max_length=300)
    commitment_type = models.CharField(_("soort inzet"), max_length=20, choices=Commitment.choices)
    commitment = models.TextField(_("toezegging"), blank=True, max_length=5000)
    commitment_amount = models.DecimalField(
        _("bedrag toezegging (€)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(MAX_LINE_AMOUNT)],
    )
    # Optimistic locking: every write carries the version it was based on (see services/drafting.py).
    lock_version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["agenda", "organisation"], name="agenda_partner_unique"),
            models.CheckConstraint(
                condition=Q(commitment_amount__isnull=True) | Q(commitment_amount__gte=0),
                name="agenda_partner_amount_non_negative",
            ),
        ]

    def __str__(self) -> str:
        return str(self.organisation)


class Priority(models.Model):
    agenda = models.ForeignKey(Agenda, on_delete=models.CASCADE, related_name="priorities")
    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="priorities", verbose_name=_("thema"))
    title = models.CharField(_("titel"), max_length=200)
    goals = models.TextField(_("doelen"), max_length=10000)
    dimensions = models.ManyToManyField(
        BroadWelfareDimension, related_name="priorities", verbose_name=_("brede-welvaartsdimensies"), blank=True
    )
    theory_cause = models.TextField(_("oorzaak (veranderingstheorie)"), blank=True, max_length=5000)
    theory_action = models.TextField(_("aanpak (veranderingstheorie)"), blank=True, max_length=5000)
    theory_conditions = models.TextField(_("randvoorwaarden"), blank=True, max_length=5000)
    theory_expected_change = models.TextField(_("verwachte verandering"), blank=True, max_length=5000)
    lead_partner = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="led_priorities",
        null=True,
        blank=True,
        verbose_name=_("trekker"),
    )
    programmes = models.ManyToManyField(
        NationalProgramme, related_name="priorities", verbose_name=_("nationale programma's"), blank=True
    )
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    lock_version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords(m2m_fields=[dimensions, programmes])

    class Meta:
        verbose_name = _("prioriteit")
        verbose_name_plural = _("prioriteiten")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.title


class BudgetLine(models.Model):
    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="budget_lines")
    year = models.PositiveSmallIntegerField(_("jaar"), validators=year_validators)
    source = models.ForeignKey(
        FundingSource, on_delete=models.PROTECT, related_name="budget_lines", verbose_name=_("financieringsbron")
    )
    amount = models.DecimalField(
        _("bedrag (€)"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(MAX_LINE_AMOUNT)],
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("begrotingsregel")
        verbose_name_plural = _("begrotingsregels")
        ordering = ["priority", "year", "source__order"]
        constraints = [
            models.UniqueConstraint(fields=["priority", "year", "source"], name="budget_line_unique"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="budget_line_amount_non_negative"),
            models.CheckConstraint(condition=Q(amount__lte=MAX_LINE_AMOUNT), name="budget_line_amount_max"),
            models.CheckConstraint(condition=Q(year__gte=MIN_YEAR, year__lte=MAX_YEAR), name="budget_line_year_range"),
        ]

    def __str__(self) -> str:
        return f"{self.priority} {self.year} {self.source}: {self.amount}"


class ChainLink(models.TextChoices):
    """The links of a priority's theory of change, in order; each is a text field on Priority (``CHAIN_FIELDS``)."""

    CAUSE = "cause", _("Oorzaak")
    INTERVENTION = "intervention", _("Aanpak")
    CONDITIONS = "conditions", _("Randvoorwaarden")
    OUTCOME = "outcome", _("Verwacht brede-welvaartseffect")


CHAIN_FIELDS = {
    ChainLink.CAUSE: "theory_cause",
    ChainLink.INTERVENTION: "theory_action",
    ChainLink.CONDITIONS: "theory_conditions",
    ChainLink.OUTCOME: "theory_expected_change",
}


class Milestone(models.Model):
    class Type(models.TextChoices):
        OUTPUT = "output", _("Output (prestatie)")
        OUTCOME = "outcome", _("Outcome (effect)")

    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("resultaat"), max_length=300)
    indicator_name = models.CharField(_("indicator"), max_length=200)
    unit = models.CharField(_("eenheid"), max_length=50)
    type = models.CharField(_("soort"), max_length=10, choices=Type.choices, default=Type.OUTPUT)
    baseline_value = models.DecimalField(_("nulmeting"), max_digits=18, decimal_places=4)
    baseline_year = models.PositiveSmallIntegerField(_("jaar nulmeting"), validators=year_validators)
    target_value = models.DecimalField(_("streefwaarde"), max_digits=18, decimal_places=4)
    target_year = models.PositiveSmallIntegerField(_("streefjaar"), validators=year_validators)
    measurement = models.TextField(_("hoe wordt het gemeten"), blank=True, max_length=5000)
    chain_link = models.CharField(
        _("schakel in de veranderingstheorie"),
        max_length=20,
        choices=ChainLink.choices,
        blank=True,
        help_text=_("Welke schakel van oorzaak → aanpak → randvoorwaarden → effect deze mijlpaal meet."),
    )
    monitor_indicator = models.ForeignKey(
        "agendas.MonitorIndicator",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="milestones",
        verbose_name=_("indicator van de Monitor Brede Welvaart"),
        help_text=_("Optioneel: de monitorindicator waarop dit resultaat moet doorwerken."),
    )
    # Optimistic locking: every write carries the version it was based on (see services/drafting.py).
    lock_version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("mijlpaal")
        verbose_name_plural = _("mijlpalen")
        ordering = ["target_year", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(target_value=F("baseline_value")), name="milestone_target_differs"),
            models.CheckConstraint(
                condition=Q(target_year__gte=F("baseline_year")), name="milestone_target_after_baseline"
            ),
        ]

    def __str__(self) -> str:
        return self.title


def attachment_path(instance, filename):
    return f"attachments/{instance.agenda_id}/{instance.sha256[:2]}/{instance.sha256}"


class Attachment(models.Model):
    class ScanStatus(models.TextChoices):
        NOT_SCANNED = "not_scanned", _("Niet gescand")
        CLEAN = "clean", _("Schoon")
        INFECTED = "infected", _("Besmet")

    agenda = models.ForeignKey(Agenda, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=300)
    original_name = models.CharField(_("bestandsnaam"), max_length=255)
    description = models.CharField(_("omschrijving"), max_length=300, blank=True)
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    scan_status = models.CharField(max_length=20, choices=ScanStatus.choices, default=ScanStatus.NOT_SCANNED)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("bijlage")
        verbose_name_plural = _("bijlagen")
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.original_name


class Comment(models.Model):
    """Threaded comment by an alliance member on a section of a draft."""

    agenda = models.ForeignKey(Agenda, on_delete=models.CASCADE, related_name="comments")
    section = models.CharField(_("onderdeel"), max_length=60)
    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="comments", null=True, blank=True)
    parent = models.ForeignKey("self", on_delete=models.CASCADE, related_name="replies", null=True, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("reactie"), max_length=5000)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("reactie")
        verbose_name_plural = _("reacties")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.author}: {self.body[:40]}"


class PartnerCommitment(models.Model):
    """A partner organisation's own confirmation of the co-financing it commits (per year and source).

    Given by a current member of that organisation with the partner role; revocable while the agenda is a
    draft; withdrawn after approval it becomes a monitoring signal (``agendas/drafting/commitments.py``).
    """

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Bevestigd")
        REVOKED = "revoked", _("Ingetrokken vóór indiening")
        WITHDRAWN = "withdrawn", _("Teruggetrokken na besluit")

    agenda = models.ForeignKey(Agenda, on_delete=models.CASCADE, related_name="partner_commitments")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="commitments", verbose_name=_("organisatie")
    )
    year = models.PositiveSmallIntegerField(_("jaar"), validators=year_validators)
    source = models.ForeignKey(
        FundingSource, on_delete=models.PROTECT, related_name="commitments", verbose_name=_("financieringsbron")
    )
    amount = models.DecimalField(
        _("bedrag (€)"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(MAX_LINE_AMOUNT)],
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.CONFIRMED)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    confirmed_at = models.DateTimeField(_("bevestigd op"))
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    ended_at = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)
    end_reason = models.TextField(_("reden"), blank=True, max_length=5000)
    lock_version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("toezegging van een partner")
        verbose_name_plural = _("toezeggingen van partners")
        ordering = ["year", "source__order", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["agenda", "organisation", "year", "source"],
                condition=Q(status="confirmed"),
                name="partner_commitment_one_confirmed",
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="partner_commitment_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.year} {self.source}: {self.amount}"
