"""Versions, transitions, reviews, advice and decisions: the route from submission to a signed decision."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from guardian.models import UserObjectPermissionBase

from accounts.audit import AuditedHistoricalRecords as HistoricalRecords
from agendas.drafting.models import MAX_LINE_AMOUNT, Agenda, Priority, year_validators
from agendas.models.reference import BroadWelfareDimension


class AgendaVersion(models.Model):
    """An immutable, numbered snapshot of the agenda's content (made at every submission / accepted change)."""

    class Reason(models.TextChoices):
        SUBMISSION = "submission", _("Indiening")
        CHANGE_REQUEST = "change_request", _("Goedgekeurd wijzigingsverzoek")

    agenda = models.ForeignKey(Agenda, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("versie"))
    reason = models.CharField(max_length=30, choices=Reason.choices, default=Reason.SUBMISSION)
    snapshot = models.JSONField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("versie")
        verbose_name_plural = _("versies")
        ordering = ["agenda", "number"]
        constraints = [models.UniqueConstraint(fields=["agenda", "number"], name="agenda_version_unique")]

    def __str__(self) -> str:
        return f"{self.agenda} v{self.number}"

    def save(self, *args, **kwargs):
        if self.pk and not kwargs.pop("_allow_update", False):
            raise ValueError("An agenda version is immutable.")
        super().save(*args, **kwargs)


class AgendaVersionUserObjectPermission(UserObjectPermissionBase):
    """Direct-FK guardian table: reviewers get ``view_agendaversion`` on exactly one version."""

    content_object = models.ForeignKey(AgendaVersion, on_delete=models.CASCADE)
    history = HistoricalRecords()


class Transition(models.Model):
    """Append-only record of every workflow step."""

    agenda = models.ForeignKey(Agenda, on_delete=models.PROTECT, related_name="transitions")
    action = models.CharField(max_length=40)
    from_status = models.CharField(max_length=30, choices=Agenda.Status.choices)
    to_status = models.CharField(max_length=30, choices=Agenda.Status.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True)
    at = models.DateTimeField(auto_now_add=True)
    comment = models.TextField(blank=True, max_length=10000)
    version_number = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("statusovergang")
        verbose_name_plural = _("statusovergangen")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.agenda}: {self.from_status} → {self.to_status}"

    def save(self, *args, **kwargs):
        if self.pk:
            raise ValueError("Transition records are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Transition records are append-only.")


class ReviewAssignment(models.Model):
    class Status(models.TextChoices):
        AWAITING_DECLARATION = "awaiting_declaration", _("Wacht op verklaring belangenconflict")
        ACTIVE = "active", _("Beoordeling loopt")
        RECUSED = "recused", _("Teruggetrokken wegens belangenconflict")
        SUBMITTED = "submitted", _("Beoordeling ingediend")
        CANCELLED = "cancelled", _("Vervallen")

    agenda = models.ForeignKey(Agenda, on_delete=models.PROTECT, related_name="review_assignments")
    version = models.ForeignKey(AgendaVersion, on_delete=models.PROTECT, related_name="review_assignments")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="review_assignments",
        verbose_name=_("beoordelaar"),
    )
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField(auto_now_add=True)
    due_date = models.DateField(_("uiterste datum"))
    status = models.CharField(max_length=30, choices=Status.choices, default=Status.AWAITING_DECLARATION)
    declaration_at = models.DateTimeField(null=True, blank=True)
    declaration_text = models.TextField(_("toelichting verklaring"), blank=True, max_length=5000)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("toewijzing beoordelaar")
        verbose_name_plural = _("toewijzingen beoordelaars")
        ordering = ["assigned_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "reviewer"],
                condition=~Q(status__in=["recused", "cancelled"]),
                name="review_assignment_one_active_per_version",
            )
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} – {self.agenda} v{self.version.number}"


class Review(models.Model):
    class Verdict(models.TextChoices):
        POSITIVE = "positive", _("Positief")
        CONDITIONAL = "conditional", _("Positief onder voorwaarden")
        NEGATIVE = "negative", _("Negatief")

    assignment = models.OneToOneField(ReviewAssignment, on_delete=models.PROTECT, related_name="review")
    distribution_effects = models.TextField(
        _("verdelingseffecten"),
        blank=True,
        max_length=10000,
        help_text=_("Welke groepen en gebieden winnen of verliezen?"),
    )
    verdict = models.CharField(_("oordeel"), max_length=20, choices=Verdict.choices, blank=True)
    recommendations = models.TextField(_("aanbevelingen"), blank=True, max_length=10000)
    submitted_at = models.DateTimeField(null=True, blank=True)
    lock_version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("brede-welvaartstoets")
        verbose_name_plural = _("brede-welvaartstoetsen")

    def __str__(self) -> str:
        return f"{self.assignment}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


class ReviewDimensionScore(models.Model):
    class Confidence(models.TextChoices):
        LOW = "low", _("Laag")
        MEDIUM = "medium", _("Gemiddeld")
        HIGH = "high", _("Hoog")

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    dimension = models.ForeignKey(BroadWelfareDimension, on_delete=models.PROTECT, related_name="+")
    effect = models.SmallIntegerField(
        _("verwacht effect (−2 tot +2)"),
        validators=[MinValueValidator(-2), MaxValueValidator(2)],
        null=True,
        blank=True,  # empty only when the dimension is not applicable (constraint below)
    )
    confidence = models.CharField(_("zekerheid"), max_length=10, choices=Confidence.choices, blank=True)
    not_applicable = models.BooleanField(
        _("niet van toepassing"),
        default=False,
        help_text=_("De dimensie speelt bij deze agenda geen rol; de toelichting zegt waarom."),
    )
    explanation = models.TextField(_("toelichting"), blank=True, max_length=5000)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["review", "dimension"], name="review_score_unique"),
            models.CheckConstraint(condition=Q(effect__gte=-2, effect__lte=2), name="review_score_effect_range"),
            # Either an effect with its certainty, or "not applicable" with a reason — never both, never neither.
            models.CheckConstraint(
                condition=(
                    Q(not_applicable=False, effect__isnull=False) & ~Q(confidence="")
                    | Q(not_applicable=True, effect__isnull=True, confidence="") & ~Q(explanation="")
                ),
                name="review_score_effect_or_not_applicable",
            ),
        ]


class ReviewPriorityRemark(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="priority_remarks")
    # SET_NULL: a returned agenda may drop a priority; the remark stays with the reviewed version.
    priority = models.ForeignKey(Priority, on_delete=models.SET_NULL, related_name="+", null=True, blank=True)
    remarks = models.TextField(_("opmerkingen"), max_length=10000)
    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["review", "priority"], name="review_remark_unique")]


class ResponsePoint(models.Model):
    """A point the reviewer requires the region to respond to; resubmission waits until it is answered."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="response_points")
    priority = models.ForeignKey(Priority, on_delete=models.SET_NULL, related_name="+", null=True, blank=True)
    text = models.TextField(_("punt waarop een reactie nodig is"), max_length=5000)
    answer = models.TextField(_("reactie van de regio"), blank=True, max_length=10000)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]


class Advice(models.Model):
    class Recommendation(models.TextChoices):
        APPROVE = "approve", _("Goedkeuren")
        APPROVE_WITH_CONDITIONS = "approve_conditions", _("Goedkeuren onder voorwaarden")
        RETURN = "return", _("Terugsturen voor aanpassing")
        REJECT = "reject", _("Afwijzen")

    agenda = models.ForeignKey(Agenda, on_delete=models.PROTECT, related_name="advices")
    version = models.ForeignKey(AgendaVersion, on_delete=models.PROTECT, related_name="advices")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("advies"), max_length=20000)
    recommendation = models.CharField(_("aanbeveling"), max_length=30, choices=Recommendation.choices)
    submitted_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("advies rijksvertegenwoordiger")
        verbose_name_plural = _("adviezen rijksvertegenwoordiger")
        constraints = [models.UniqueConstraint(fields=["version"], name="advice_one_per_version")]


class Decision(models.Model):
    """The ministry's decision, prepared as a nota ter besluitvorming and signed by someone else (four eyes)."""

    class Outcome(models.TextChoices):
        APPROVE = "approve", _("Goedkeuren")
        RETURN = "return", _("Terugsturen")
        REJECT = "reject", _("Afwijzen")

    agenda = models.ForeignKey(Agenda, on_delete=models.PROTECT, related_name="decisions")
    version = models.ForeignKey(AgendaVersion, on_delete=models.PROTECT, related_name="decisions")
    addressed_to = models.CharField(_("aan"), max_length=300)
    sender = models.CharField(_("van"), max_length=300)
    reference = models.CharField(_("kenmerk"), max_length=100)
    date = models.DateField(_("datum"))
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("opgesteld door")
    )
    advised_decision = models.CharField(_("geadviseerd besluit"), max_length=20, choices=Outcome.choices)
    core = models.TextField(_("kern"), max_length=20000)
    explanation = models.TextField(_("toelichting"), blank=True, max_length=50000)
    review_summary = models.TextField(_("samenvatting beoordelingen"), blank=True, max_length=20000)
    actively_published = models.BooleanField(_("actief openbaar maken"), default=False)
    conditions = models.TextField(_("voorwaarden"), blank=True, max_length=20000)
    reasons = models.TextField(_("redenen"), blank=True, max_length=20000)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    signed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(_("besluit"), max_length=20, choices=Outcome.choices, blank=True)
    deviation_reason = models.TextField(_("reden voor een ander besluit dan geadviseerd"), blank=True, max_length=10000)
    not_public_information = models.TextField(
        _("informatie die niet openbaar gemaakt kan worden"),
        blank=True,
        max_length=20000,
        help_text=_("Met de grond uit de Woo (art. 5.1 of 5.2); leeg laten als alles openbaar kan."),
    )
    dispatch_date = models.DateField(_("datum van verzending"), null=True, blank=True)
    sent_back_at = models.DateTimeField(_("teruggestuurd naar de opsteller op"), null=True, blank=True)
    sent_back_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    sent_back_remarks = models.TextField(_("opmerkingen van de ondertekenaar"), blank=True, max_length=10000)
    lock_version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("besluit")
        verbose_name_plural = _("besluiten")
        constraints = [
            models.CheckConstraint(
                condition=Q(signed_by__isnull=True) | ~Q(signed_by=models.F("prepared_by")),
                name="decision_four_eyes",
            ),
            models.UniqueConstraint(fields=["version"], name="decision_one_per_version"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} ({self.agenda})"

    def drafters(self) -> list["DecisionParticipant"]:
        """Everyone who prepared or revised this nota, in order (the four-eyes record): what the nota page, the
        API and the PDF show as "opgesteld en herzien door" — never only the last ``prepared_by``."""
        return [p for p in self.participants.all() if p.role != DecisionParticipant.Role.SIGNER]


class DecisionParticipant(models.Model):
    """Everyone who prepared, revised or signed a decision (nota): one row per person.

    Four eyes in the database: the unique (decision, user) pair means a signer row for someone who
    prepared or revised the nota cannot be inserted. Re-saving the nota ADDS the reviser, never overwrites.
    """

    class Role(models.TextChoices):
        PREPARER = "preparer", _("Opgesteld")
        REVISER = "reviser", _("Herzien")
        SIGNER = "signer", _("Ondertekend")

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="participants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=20, choices=Role.choices)
    at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("betrokkene bij besluit")
        verbose_name_plural = _("betrokkenen bij besluit")
        ordering = ["at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "user"], name="decision_participant_once"),
            models.UniqueConstraint(
                fields=["decision"], condition=Q(role="signer"), name="decision_participant_one_signer"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.decision}: {self.user} ({self.role})"

    def save(self, *args, **kwargs):
        if self.pk:
            raise ValueError("Participants are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Participants are append-only.")


class DecisionYearAmount(models.Model):
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="year_amounts")
    year = models.PositiveSmallIntegerField(_("jaar"), validators=year_validators)
    approved_amount = models.DecimalField(
        _("toegekende rijksbijdrage (€)"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(MAX_LINE_AMOUNT * 30)],
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["year"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "year"], name="decision_year_unique"),
            models.CheckConstraint(condition=Q(approved_amount__gte=0), name="decision_year_amount_non_negative"),
        ]
