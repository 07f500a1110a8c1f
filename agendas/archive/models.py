from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from accounts.audit import AuditedHistoricalRecords as HistoricalRecords
from agendas.drafting.models import Agenda


class SelectionCategory(models.Model):
    """A category of the selectielijst: what happens to a dossier (bewaren/vernietigen) and when."""

    class Nomination(models.TextChoices):
        KEEP = "bewaren", _("Bewaren (overbrengen naar het Nationaal Archief)")
        DESTROY = "vernietigen", _("Vernietigen")

    class Outcome(models.TextChoices):
        CLOSED = "closed", _("Afgesloten")
        REJECTED = "rejected", _("Afgewezen")
        WITHDRAWN = "withdrawn", _("Ingetrokken")

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("omschrijving"), max_length=300)
    selection_list = models.CharField(_("selectielijst"), max_length=200)
    nomination = models.CharField(_("archiefnominatie"), max_length=20, choices=Nomination.choices)
    retention_years = models.PositiveSmallIntegerField(
        _("bewaartermijn (jaren)"), help_text=_("Na afsluiting: vernietigen, of overbrengen bij ‘bewaren’.")
    )
    default_for_outcome = models.CharField(
        _("standaard bij uitkomst"), max_length=20, choices=Outcome.choices, blank=True
    )
    active = models.BooleanField(_("actief"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("selectielijstcategorie")
        verbose_name_plural = _("selectielijstcategorieën")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["default_for_outcome"], condition=~Q(default_for_outcome=""), name="selection_default_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class DossierClassification(models.Model):
    """The archive classification of one agenda dossier."""

    agenda = models.OneToOneField(Agenda, on_delete=models.PROTECT, related_name="archive_classification")
    category = models.ForeignKey(SelectionCategory, on_delete=models.PROTECT, verbose_name=_("categorie"))
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )  # null: the default for the outcome
    assigned_at = models.DateTimeField(auto_now=True)
    closed_on = models.DateField(_("datum afsluiting dossier"), null=True, blank=True)
    action_date = models.DateField(_("archiefactiedatum"), null=True, blank=True)
    destroyed_at = models.DateTimeField(_("vernietigd op"), null=True, blank=True)
    transferred_at = models.DateTimeField(_("overgebracht op"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("archiefclassificatie")
        verbose_name_plural = _("archiefclassificaties")
        indexes = [models.Index(fields=["action_date"])]

    def __str__(self) -> str:
        return f"{self.agenda_id}: {self.category.code}"


class DestructionList(models.Model):
    """A list of dossiers to destroy: drawn up by an administrator, approved by a second person."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Opgesteld, wacht op goedkeuring")
        APPROVED = "approved", _("Goedgekeurd")
        REJECTED = "rejected", _("Afgewezen")
        DESTROYED = "destroyed", _("Vernietigd")

    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    drawn_up_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    drawn_up_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    remarks = models.TextField(_("toelichting"), blank=True, max_length=5000)
    lock_version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("vernietigingslijst")
        verbose_name_plural = _("vernietigingslijsten")
        ordering = ["-drawn_up_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | ~Q(approved_by=F("drawn_up_by")),
                name="destruction_list_four_eyes",
            )
        ]

    def __str__(self) -> str:
        return f"{_('vernietigingslijst')} {self.pk}"

    @property
    def prepared_by_id(self):  # the shared four-eyes guard asks who prepared the thing being approved
        return self.drawn_up_by_id


class DestructionListItem(models.Model):
    destruction_list = models.ForeignKey(DestructionList, on_delete=models.CASCADE, related_name="items")
    classification = models.ForeignKey(DossierClassification, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["destruction_list", "classification"], name="destruction_item_once")
        ]


class DestructionListTransition(models.Model):
    destruction_list = models.ForeignKey(DestructionList, on_delete=models.PROTECT, related_name="transitions")
    action = models.CharField(max_length=40)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True)
    comment = models.TextField(blank=True, max_length=5000)
    at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["at", "pk"]

    def save(self, *args, **kwargs):
        if self.pk:
            raise ValueError("Destruction list transitions are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Destruction list transitions are append-only.")


class DestructionRecord(models.Model):
    """What was destroyed, under which category, approved by whom, when. Append-only; never destroyed."""

    agenda_id_destroyed = models.PositiveIntegerField(_("agendanummer"))
    title = models.CharField(_("titel"), max_length=200)
    region = models.CharField(_("regio"), max_length=150)
    category_code = models.CharField(_("categorie"), max_length=20)
    category_name = models.CharField(_("omschrijving categorie"), max_length=300)
    selection_list = models.CharField(_("selectielijst"), max_length=200)
    closed_on = models.DateField(_("datum afsluiting dossier"), null=True)
    action_date = models.DateField(_("archiefactiedatum"))
    files_destroyed = models.PositiveIntegerField(_("vernietigde bestanden"))
    destruction_list = models.ForeignKey(DestructionList, on_delete=models.PROTECT, related_name="records")
    drawn_up_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    destroyed_at = models.DateTimeField(_("vernietigd op"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("verklaring van vernietiging")
        verbose_name_plural = _("verklaringen van vernietiging")
        ordering = ["-destroyed_at", "-pk"]

    def save(self, *args, **kwargs):
        if self.pk:
            raise ValueError("Destruction records are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Destruction records are append-only.")
