"""Reference lists, loaded by data migrations and managed by administrators. Never hard-code them in logic."""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.audit import AuditedHistoricalRecords as HistoricalRecords


class ReferenceItem(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("naam"), max_length=150)
    name_en = models.CharField(_("naam (Engels)"), max_length=150, blank=True)
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    active = models.BooleanField(_("in gebruik"), default=True)

    class Meta:
        abstract = True
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        if (get_language() or "nl").startswith("en") and self.name_en:
            return self.name_en
        return self.name


class BroadWelfareDimension(ReferenceItem):
    """A dimension of the CBS Monitor Brede Welvaart, grouped by perspective."""

    class Perspective(models.TextChoices):
        HERE_AND_NOW = "here_now", _("Hier en nu")
        LATER = "later", _("Later")
        ELSEWHERE = "elsewhere", _("Elders")

    perspective = models.CharField(_("perspectief"), max_length=20, choices=Perspective.choices)
    history = HistoricalRecords()

    class Meta(ReferenceItem.Meta):
        verbose_name = _("brede-welvaartsdimensie")
        verbose_name_plural = _("brede-welvaartsdimensies")


class Theme(ReferenceItem):
    """One of the six agenda themes, with an explicit mapping to the broad-welfare dimensions it touches."""

    dimensions = models.ManyToManyField(
        BroadWelfareDimension, related_name="themes", blank=True, verbose_name=_("brede-welvaartsdimensies")
    )
    history = HistoricalRecords(m2m_fields=[dimensions])

    class Meta(ReferenceItem.Meta):
        verbose_name = _("thema")
        verbose_name_plural = _("thema's")


class FundingSource(ReferenceItem):
    class Category(models.TextChoices):
        RIJK_EXTRA = "rijk_extra", _("Extra rijksbijdrage")
        RIJK_REGULAR = "rijk_regular", _("Reguliere rijksmiddelen")
        REGIONAL = "regional", _("Regionale middelen")
        OTHER = "other", _("Overige middelen")

    category = models.CharField(_("categorie"), max_length=20, choices=Category.choices)
    history = HistoricalRecords()

    class Meta(ReferenceItem.Meta):
        verbose_name = _("financieringsbron")
        verbose_name_plural = _("financieringsbronnen")

    @property
    def is_rijk_extra(self) -> bool:
        return self.category == self.Category.RIJK_EXTRA

    @property
    def counts_as_cofinancing(self) -> bool:
        """Co-financing is regional and other money (not the Rijk's own contributions)."""
        return self.category in (self.Category.REGIONAL, self.Category.OTHER)


class NationalProgramme(ReferenceItem):
    history = HistoricalRecords()

    class Meta(ReferenceItem.Meta):
        verbose_name = _("nationaal programma")
        verbose_name_plural = _("nationale programma's")
