from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from accounts import roles
from accounts.audit import AuditedHistoricalRecords as HistoricalRecords


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("E-mail is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """A person using the system; logs in with e-mail address and password."""

    username = None
    email = models.EmailField(_("e-mailadres"), unique=True)
    anonymised_at = models.DateTimeField(_("geanonimiseerd op"), null=True, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []
    objects = UserManager()
    history = HistoricalRecords(excluded_fields=["password", "last_login"], m2m_fields=["groups", "user_permissions"])

    class Meta:
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")
        ordering = ["last_name", "first_name", "email"]

    def __str__(self) -> str:
        if self.anonymised_at:
            return str(_("een voormalige gebruiker"))
        return self.get_full_name() or self.email

    @cached_property
    def role_codes(self) -> frozenset[str]:
        return frozenset(self.groups.values_list("name", flat=True))

    def has_role(self, *codes: str) -> bool:
        return bool(self.role_codes & set(codes))

    @property
    def role_labels(self) -> list[str]:
        return [roles.role_label(code) for code in roles.ALL_ROLES if code in self.role_codes]


TOOI_ORGANISATION_PATTERN = r"^https://identifier\.overheid\.nl/tooi/id/[a-z_]+/[a-z0-9_]+$"


class Organisation(models.Model):
    class Type(models.TextChoices):
        MUNICIPALITY = "gemeente", _("Gemeente")
        PROVINCE = "provincie", _("Provincie")
        WATER_BOARD = "waterschap", _("Waterschap")
        RIJK = "rijk", _("Rijk")
        EDUCATION = "onderwijsinstelling", _("Onderwijsinstelling")
        KNOWLEDGE = "kennisinstelling", _("Kennisinstelling")
        COMPANY = "bedrijf", _("Bedrijf")
        CIVIL_SOCIETY = "maatschappelijke_organisatie", _("Maatschappelijke organisatie")
        RESIDENTS = "inwonerscollectief", _("Inwonerscollectief")
        OTHER = "overig", _("Overig")

    PUBLIC_TYPES = {Type.MUNICIPALITY, Type.PROVINCE, Type.WATER_BOARD, Type.RIJK}

    name = models.CharField(_("naam"), max_length=200)
    type = models.CharField(_("soort"), max_length=40, choices=Type.choices)
    identifier = models.CharField(
        _("KvK- of OIN-nummer"),
        max_length=20,
        blank=True,
        help_text=_("Optioneel; uniek wanneer ingevuld (8 cijfers KvK of 20 cijfers OIN)."),
    )
    tooi_identifier = models.CharField(
        _("TOOI-identificatie"),
        max_length=120,
        blank=True,
        validators=[
            RegexValidator(
                TOOI_ORGANISATION_PATTERN,
                _("Een TOOI-identificatie ziet eruit als https://identifier.overheid.nl/tooi/id/gemeente/gm0014."),
            )
        ],
        help_text=_(
            "Optioneel, alleen voor overheidsorganisaties: de TOOI-URI (bijvoorbeeld "
            "https://identifier.overheid.nl/tooi/id/provincie/pv20). Staat in de Woo-metadata van openbare documenten."
        ),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("organisatie")
        verbose_name_plural = _("organisaties")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["identifier"], condition=~Q(identifier=""), name="organisation_identifier_unique_when_given"
            ),
            models.CheckConstraint(condition=~Q(name=""), name="organisation_name_not_empty"),
        ]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A person works for (or on behalf of) an organisation during a period."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="memberships")
    start_date = models.DateField(_("vanaf"), default=timezone.localdate)
    end_date = models.DateField(_("tot en met"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("lidmaatschap")
        verbose_name_plural = _("lidmaatschappen")
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="membership_end_after_start",
            ),
            models.UniqueConstraint(fields=["user", "organisation", "start_date"], name="membership_unique_start"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.organisation}"

    def is_current(self, on=None) -> bool:
        on = on or timezone.localdate()
        return self.start_date <= on and (self.end_date is None or self.end_date >= on)


class Province(models.Model):
    name = models.CharField(_("naam"), max_length=100, unique=True)
    code = models.CharField(_("code"), max_length=10, unique=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("provincie")
        verbose_name_plural = _("provincies")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Municipality(models.Model):
    name = models.CharField(_("naam"), max_length=100)
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="municipalities")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("gemeente")
        verbose_name_plural = _("gemeenten")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["name", "province"], name="municipality_unique_per_province")]

    def __str__(self) -> str:
        return self.name


class Region(models.Model):
    name = models.CharField(_("naam"), max_length=150, unique=True)
    code = models.SlugField(_("code"), max_length=40, unique=True)
    provinces = models.ManyToManyField(Province, related_name="regions", verbose_name=_("provincies"), blank=True)
    municipalities = models.ManyToManyField(
        Municipality, related_name="regions", verbose_name=_("gemeenten"), blank=True
    )
    border_region = models.BooleanField(_("grensregio"), default=False)
    population_decline = models.BooleanField(_("bevolkingsdaling"), default=False)
    ageing = models.BooleanField(_("vergrijzing"), default=False)
    far_from_economic_core = models.BooleanField(_("ver van economisch kerngebied"), default=False)
    description = models.TextField(_("beschrijving"), blank=True, max_length=5000)
    inhabitants = models.PositiveIntegerField(
        _("inwoners"),
        null=True,
        blank=True,
        help_text=_("Aantal inwoners; nodig voor bedragen per inwoner (nood naast geld)."),
    )
    history = HistoricalRecords(m2m_fields=[provinces, municipalities])

    class Meta:
        verbose_name = _("regio")
        verbose_name_plural = _("regio's")
        ordering = ["name"]
        constraints = [models.CheckConstraint(condition=~Q(name=""), name="region_name_not_empty")]

    def __str__(self) -> str:
        return self.name

    @property
    def characteristic_labels(self) -> list[str]:
        fields = ["border_region", "population_decline", "ageing", "far_from_economic_core"]
        return [str(self._meta.get_field(f).verbose_name) for f in fields if getattr(self, f)]


class Alliance(models.Model):
    """The cooperating organisations of a region (regionale alliantie)."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="alliances", verbose_name=_("regio"))
    name = models.CharField(_("naam"), max_length=200, unique=True)
    organisations = models.ManyToManyField(
        Organisation, related_name="alliances", verbose_name=_("deelnemende organisaties"), blank=True
    )
    coordinators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="coordinated_alliances", verbose_name=_("coördinatoren"), blank=True
    )
    history = HistoricalRecords(m2m_fields=[organisations, coordinators])

    class Meta:
        verbose_name = _("alliantie")
        verbose_name_plural = _("allianties")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class AllianceUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Alliance, on_delete=models.CASCADE)
    history = HistoricalRecords()


class AllianceGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Alliance, on_delete=models.CASCADE)
    history = HistoricalRecords()


class StateRepresentativeAssignment(models.Model):
    """A state representative (rijksvertegenwoordiger) is assigned to a region."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="region_assignments",
        verbose_name=_("gebruiker"),
    )
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="state_representatives", verbose_name=_("regio")
    )
    start_date = models.DateField(_("vanaf"), default=timezone.localdate)
    end_date = models.DateField(_("tot en met"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("toewijzing rijksvertegenwoordiger")
        verbose_name_plural = _("toewijzingen rijksvertegenwoordigers")
        constraints = [
            models.UniqueConstraint(fields=["user", "region"], name="state_rep_assignment_unique"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="state_rep_assignment_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.region}"


class RegionSupport(models.Model):
    """A region with little capacity receives support (VNG: agendas for all regions) from a province, the VNG
    or the ministry's programme office. Its supporters (role ``supporter``) read and comment on the region's
    agenda while the support runs (``accounts.permissions.supported_region_ids``)."""

    class Kind(models.TextChoices):
        PROVINCE = "province", _("Provincie")
        VNG = "vng", _("VNG")
        PROGRAMME_OFFICE = "programme_office", _("Programmabureau van het ministerie")

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="supports", verbose_name=_("regio"))
    kind = models.CharField(_("ondersteuning door"), max_length=20, choices=Kind.choices)
    organisation_name = models.CharField(_("ondersteunende organisatie"), max_length=200)
    start_date = models.DateField(_("vanaf"), default=timezone.localdate)
    end_date = models.DateField(_("tot en met"), null=True, blank=True)
    supporters = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="region_supports", blank=True, verbose_name=_("ondersteuners")
    )
    lock_version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords(m2m_fields=[supporters])

    class Meta:
        verbose_name = _("ondersteuning van een regio")
        verbose_name_plural = _("ondersteuning van regio's")
        ordering = ["region__name", "-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="region_support_end_after_start",
            ),
            models.CheckConstraint(condition=~Q(organisation_name=""), name="region_support_organisation_named"),
        ]

    def __str__(self) -> str:
        return f"{self.region} – {self.organisation_name}"

    def is_current(self, on=None) -> bool:
        on = on or timezone.localdate()
        return self.start_date <= on and (self.end_date is None or self.end_date >= on)


class OutboxMessage(models.Model):
    """A side effect (e-mail) recorded in the same transaction as the change that caused it.

    Delivered by Celery after commit; a periodic sweep delivers anything left undelivered
    (for example while the broker was down). Delivery is idempotent: ``delivered_at`` is set once.
    """

    created_at = models.DateTimeField(auto_now_add=True)
    recipient = models.EmailField()
    subject = models.CharField(max_length=300)
    body = models.TextField()
    kind = models.CharField(max_length=80, blank=True)
    dedupe_key = models.CharField(max_length=200, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    failed_permanently = models.BooleanField(default=False)
    # Back-off: after a failed attempt the sweep waits until this moment (None: due now).
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("uitgaand bericht")
        verbose_name_plural = _("uitgaande berichten")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"], condition=~Q(dedupe_key=""), name="outbox_dedupe_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.recipient}: {self.subject}"


class ApiTokenOrigin(models.Model):
    """How an API token came to be: whether it was made from a session with a verified second factor, and
    the state of the account it is bound to. A token is valid only while that state holds
    (``accounts.selectors.api_token_valid``)."""

    token = models.OneToOneField("authtoken.Token", on_delete=models.CASCADE, related_name="origin")
    created_at = models.DateTimeField(auto_now_add=True)
    second_factor_verified = models.BooleanField(default=False)
    password_fingerprint = models.CharField(max_length=64)
    second_factor_roles = models.CharField(max_length=200, blank=True)
    history = HistoricalRecords(excluded_fields=["password_fingerprint"])

    class Meta:
        verbose_name = _("herkomst API-sleutel")
        verbose_name_plural = _("herkomst API-sleutels")


class AccountEvent(models.Model):
    """Append-only record of security-relevant changes to an account (audited through its history)."""

    class Kind(models.TextChoices):
        TOKEN_CREATED = "token_created", _("API-sleutel gemaakt")
        TOKENS_REVOKED = "tokens_revoked", _("API-sleutels ingetrokken")
        DEVICES_RESET = "devices_reset", _("Tweestapsverificatie gereset")
        BACKUP_CODES_CREATED = "backup_codes_created", _("Reservecodes gemaakt")
        BACKUP_CODE_USED = "backup_code_used", _("Reservecode gebruikt")

    created_at = models.DateTimeField(auto_now_add=True)
    kind = models.CharField(_("soort"), max_length=40, choices=Kind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="account_events", verbose_name=_("gebruiker")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("door"),
    )
    reason = models.CharField(_("reden"), max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("accountgebeurtenis")
        verbose_name_plural = _("accountgebeurtenissen")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.user}"


class RoleGrant(models.Model):
    """Four eyes on privileged roles: administrator A requests a role for a person, a different
    administrator B confirms; only then is the role added."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Wacht op bevestiging")
        CONFIRMED = "confirmed", _("Bevestigd")
        REFUSED = "refused", _("Afgewezen")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="role_grants", verbose_name=_("gebruiker")
    )
    role = models.CharField(
        _("rol"), max_length=40, choices=[(code, label) for code, label in roles.ROLE_LABELS.items()]
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("aangevraagd door")
    )
    requested_at = models.DateTimeField(_("aangevraagd op"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("beslist door"),
    )
    decided_at = models.DateTimeField(_("beslist op"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("roltoekenning")
        verbose_name_plural = _("roltoekenningen")
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role"], condition=Q(status="pending"), name="role_grant_one_pending_per_role"
            ),
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | ~Q(decided_by=models.F("requested_by")),
                name="role_grant_confirmed_by_other",
            ),
        ]

    def __str__(self) -> str:
        return f"{roles.role_label(self.role)} → {self.user}"


from accounts.accesslog.models import AccessLogEntry  # noqa: E402,F401  (the access log; its own module)
