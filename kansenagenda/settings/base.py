"""Settings shared by every environment.

Every value that differs between machines is read from the environment here, in one place.
See README.md ("Configuratie") for the list of variables.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from kansenagenda.logconfig import configure_structlog, logging_config
from kansenagenda.storage_settings import s3_storage
from kansenagenda.version import API_VERSION

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

SECRET_KEY = env("SECRET_KEY", default="dev-insecure-only-for-local-use-0123456789abcdefghijklmnop")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "guardian",
    "simple_history",
    "django_htmx",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",  # backup codes for a lost phone
    "csp",
    "django_structlog",
    "accounts",
    "agendas",
    "reports",
    "kansenagenda.apps.KansenagendaConfig",
]

# CSRF refusals in the one error format (problem+json under /api/, the Dutch 403 page elsewhere)
CSRF_FAILURE_VIEW = "kansenagenda.views.csrf_failure"

MIDDLEWARE = [
    # API-Version on every /api/ response, errors included (outermost: NL API Design Rules, docs/api.md).
    "kansenagenda.problems.ApiHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # A dropped database connection in a view answers 503 + Retry-After (kansenagenda/middleware.py).
    "kansenagenda.middleware.DatabaseUnavailableMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Renews the inactivity clock at most once a minute instead of saving the session on every request.
    "kansenagenda.sessions.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # An /api/ URL without endpoint is a 404 problem (slash hint) before APPEND_SLASH could redirect it.
    "kansenagenda.problems.ApiUnknownUrlMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Structured request logs: request_id, user_id and role bound for every line of the request.
    "kansenagenda.logconfig.RequestLogMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "accounts.middleware.RequireTwoFactorMiddleware",
    # Axes must be last so it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kansenagenda.urls"
WSGI_APPLICATION = "kansenagenda.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "accounts.context_processors.navigation",
                "agendas.inbox.context_processors.inbox_navigation",
            ],
            # money, ratio and percentage filters on every page, PDF and e-mail: one library, one formatter
            "builtins": ["agendas.templatetags.money_filters"],
        },
    },
]

# Database: SQLite file under var/ unless DATABASE_URL says otherwise.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'kansenagenda.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A new connection per request costs ~3x throughput here: keep connections open.
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=600)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
else:
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update({"timeout": 20, "transaction_mode": "IMMEDIATE"})
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.ModelBackend",  # Django ModelBackend; the role codes come with the user (one query)
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "accounts.validators.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sessions expire after inactivity (seconds). A request renews the clock, but saves the session for that at most
# once every SESSION_RENEW_SECONDS (kansenagenda/sessions.py): no database write per request.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 60)
SESSION_RENEW_SECONDS = env.int("SESSION_RENEW_SECONDS", default=60)
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Content-Security-Policy: no inline scripts, everything served from our own origin.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# Login protection (django-axes): lock out after repeated failures per user + address.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"  # the login form field (it holds the e-mail address)
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"

# Internationalisation: Dutch first, English second.
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded attachments and generated documents: never served by URL, only through permission-checked views.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(VAR_DIR / "media"))
MEDIA_URL = "/_niet-publiek/"  # never routed: files are served only by permission-checked views
# Where files live (kansenagenda/storage.py): "filesystem" (MEDIA_ROOT; one host, or a shared volume) or "s3"
# (an S3-compatible bucket, private; several replicas share it). Downloads always pass the permission views.
STORAGE_BACKEND = env("STORAGE_BACKEND", default="filesystem")
S3_BUCKET = env("S3_BUCKET", default="")
S3_ENDPOINT_URL = env("S3_ENDPOINT_URL", default="")  # empty: AWS itself; e.g. https://s3.example.nl or MinIO
S3_REGION = env("S3_REGION", default="eu-west-1")
S3_ACCESS_KEY_ID = env("S3_ACCESS_KEY_ID", default="")  # empty: the instance's role / boto3's own chain
S3_SECRET_ACCESS_KEY = env("S3_SECRET_ACCESS_KEY", default="")
S3_ADDRESSING_STYLE = env("S3_ADDRESSING_STYLE", default="path")  # "path" suits MinIO/Ceph; "virtual" for AWS
S3_LOCATION = env("S3_LOCATION", default="")  # key prefix inside the bucket
if STORAGE_BACKEND == "s3":
    if not S3_BUCKET:
        raise ImproperlyConfigured("STORAGE_BACKEND=s3 heeft S3_BUCKET nodig.")
    _DEFAULT_STORAGE = s3_storage(
        bucket=S3_BUCKET,
        endpoint_url=S3_ENDPOINT_URL,
        region=S3_REGION,
        access_key=S3_ACCESS_KEY_ID,
        secret_key=S3_SECRET_ACCESS_KEY,
        addressing_style=S3_ADDRESSING_STYLE,
        location=S3_LOCATION,
    )
elif STORAGE_BACKEND == "filesystem":
    _DEFAULT_STORAGE = {"BACKEND": "kansenagenda.files.AtomicFileSystemStorage"}
else:
    raise ImproperlyConfigured(f"STORAGE_BACKEND moet 'filesystem' of 's3' zijn, niet {STORAGE_BACKEND!r}.")
STORAGES = {
    "default": _DEFAULT_STORAGE,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Virus scan of uploads (agendas/drafting/attachments.py): e.g. "agendas.scanning.clamd_scan" (ClamAV) with
# CLAMD_SOCKET (Unix socket) or CLAMD_HOST + CLAMD_PORT. Once set, a file without a verdict is refused.
ATTACHMENT_SCANNER = env("ATTACHMENT_SCANNER", default="")
CLAMD_SOCKET = env("CLAMD_SOCKET", default="")
CLAMD_HOST = env("CLAMD_HOST", default="")
CLAMD_PORT = env.int("CLAMD_PORT", default=3310)
CLAMD_TIMEOUT = env.float("CLAMD_TIMEOUT", default=30.0)
DATA_UPLOAD_MAX_MEMORY_SIZE = 25 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 20000

# E-mail
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Kansenagenda <noreply@kansenagenda.example.nl>")
# Where objections to a decision go (the decision letter's objection clause, agendas/decision/legal.py).
KA_OBJECTION_ADDRESS = env("KA_OBJECTION_ADDRESS", default="")
# The address people reach the app on: every link in an e-mail starts with it (kansenagenda/links.py).
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
# Where people report an accessibility problem (the toegankelijkheidsverklaring, /toegankelijkheid/).
ACCESSIBILITY_CONTACT_EMAIL = env("ACCESSIBILITY_CONTACT_EMAIL", default="toegankelijkheid@kansenagenda.example.nl")

# Redis: when present, Celery broker + cache; when absent, Celery runs eagerly and the cache is in memory.
REDIS_URL = env("REDIS_URL", default="")
_broker_options: dict = {}
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
    # Fails open: with Redis down the cache caches nothing (no process-local state; kansenagenda/cache.py).
    CACHES = {"default": {"BACKEND": "kansenagenda.cache.FailOpenRedisCache", "LOCATION": REDIS_URL}}
elif CELERY_FILESYSTEM_BROKER_DIR := env("CELERY_FILESYSTEM_BROKER_DIR", default=""):
    # The demo (scripts/run-demo): a real worker and beat on kombu's filesystem transport, no server needed,
    # so reminders, report opening and the outbox sweep run as in production.
    CELERY_BROKER_URL = "filesystem://"
    CELERY_TASK_ALWAYS_EAGER = False
    _broker_queue = str(Path(CELERY_FILESYSTEM_BROKER_DIR) / "queue")
    _broker_options = {
        "data_folder_in": _broker_queue,
        "data_folder_out": _broker_queue,
        "processed_folder": str(Path(CELERY_FILESYSTEM_BROKER_DIR) / "processed"),
        "store_processed": False,
    }
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    CELERY_BROKER_URL = "memory://"
    CELERY_TASK_ALWAYS_EAGER = True
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
CELERY_TASK_EAGER_PROPAGATES = True
# The queue web processes publish to and workers consume: deployments that share one Redis each use their own.
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_TASK_DEFAULT_QUEUE", default="celery")
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Fail fast when the broker is down: the outbox keeps the message and a sweep re-sends it later.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
    **_broker_options,
}
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "outbox-sweep": {"task": "accounts.tasks.sweep_outbox", "schedule": 60.0},
    # The dashboard's region summary: recount regions a change marked stale that the queued task missed.
    "region-summary-sweep": {"task": "agendas.summary.tasks.recount_stale_region_summaries", "schedule": 60.0},
    # Nothing stuck (issue 11): stale pending documents re-queued or failed; orphaned files reported (not deleted).
    "documents-requeue-stale": {"task": "reports.tasks.requeue_stale_documents", "schedule": 120.0},
    "media-orphaned-files": {"task": "reports.tasks.report_orphaned_files", "schedule": crontab(hour=3, minute=30)},
    # Monitoring (issue 5): both idempotent, run daily (every 6 hours so a missed run catches up the same day).
    "monitoring-open-reports": {"task": "agendas.tasks_monitoring.open_progress_reports", "schedule": 6 * 3600.0},
    "monitoring-reminders": {"task": "agendas.tasks_monitoring.send_progress_report_reminders", "schedule": 6 * 3600.0},
    # Workflow clocks: reminders/escalations and activation of approved agendas, daily (idempotent).
    "workflow-reminders": {"task": "agendas.tasks.send_workflow_reminders", "schedule": crontab(hour=7, minute=0)},
    # Open data (issue 14): the public portfolio figures as CSV/JSON in the storage, daily (idempotent).
    "open-data-export": {"task": "reports.tasks.export_open_data", "schedule": crontab(hour=2, minute=30)},
    "workflow-activate": {"task": "agendas.tasks.activate_started_agendas", "schedule": crontab(hour=0, minute=15)},
}
CELERY_IMPORTS = [
    "agendas.decision.tasks",
    "agendas.monitoring.tasks",
    "agendas.welfare.tasks",
    "agendas.summary.tasks",
]  # feature packages: autodiscovery only finds agendas/decision/tasks.py
# Monitoring: the report over year Y opens on (month, day) of Y+1 and is due on (month, day) of Y+1.
MONITORING_REPORT_OPEN_MONTH_DAY = tuple(env.list("MONITORING_REPORT_OPEN_MONTH_DAY", cast=int, default=[1, 1]))
MONITORING_REPORT_DUE_MONTH_DAY = tuple(env.list("MONITORING_REPORT_DUE_MONTH_DAY", cast=int, default=[4, 1]))
MONITORING_REMINDER_DAYS_BEFORE = tuple(env.list("MONITORING_REMINDER_DAYS_BEFORE", cast=int, default=[30, 14, 7, 1]))
# Workflow clocks (issue 4): default review term and the decision term after submission.
KA_REVIEW_DUE_DAYS = env.int("KA_REVIEW_DUE_DAYS", default=42)
KA_DECISION_TERM_MONTHS = env.int("KA_DECISION_TERM_MONTHS", default=5)
# The dashboard's warning window: a clock is "due soon" within this many days (agendas.clocks).
KA_CLOCK_WARNING_DAYS = env.int("KA_CLOCK_WARNING_DAYS", default=30)
# An open change request is due this many weeks after it was requested (Awb art. 4:13: at most eight).
KA_CHANGE_REQUEST_TERM_WEEKS = env.int("KA_CHANGE_REQUEST_TERM_WEEKS", default=8)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first so that anonymous API calls get 401 with a WWW-Authenticate header.
        # Both also apply the second-factor door check (accounts.selectors.second_factor_missing).
        "accounts.authentication.TokenAuthentication",
        "accounts.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "kansenagenda.api.Pagination",
    "PAGE_SIZE": 50,
    # django-filter, skipped when a request names none of a filter's fields (kansenagenda/api.py).
    "DEFAULT_FILTER_BACKENDS": ["kansenagenda.api.FilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "kansenagenda.schema.AutoSchema",
    # JSON only: every answer, errors included, is JSON / problem+json (no browsable HTML API).
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "EXCEPTION_HANDLER": "kansenagenda.api.exception_handler",
    # Bad input is a 400: JSON nested deeper than 32 or larger than 1 MB is refused before it is parsed.
    "DEFAULT_PARSER_CLASSES": [
        "kansenagenda.api.LimitedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        # Fail open: a throttle that cannot count (cache down) lets the request through (kansenagenda/api.py).
        "kansenagenda.api.UserRateThrottle",
        "kansenagenda.api.AnonRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {"user": env("API_USER_RATE", default="2000/hour"), "anon": "100/hour"},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Kansenagenda API",
    "DESCRIPTION": "API van Kansenagenda (Elke regio telt!). Alle schrijfacties gaan via dezelfde services als de webpagina's.",
    "VERSION": API_VERSION,  # one constant, also the API-Version header (kansenagenda/version.py)
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}

# Monitoring (issue 5): stable enum names in the OpenAPI schema.
SPECTACULAR_SETTINGS.setdefault("ENUM_NAME_OVERRIDES", {}).update(
    {
        "ProgressReportStatusEnum": "agendas.monitoring.models.ProgressReport.Status",
        "MilestoneProgressStatusEnum": "agendas.monitoring.models.MilestoneProgress.Status",
        "ChangeRequestStatusEnum": "agendas.monitoring.models.ChangeRequest.Status",
        "ChangeRequestOutcomeEnum": "agendas.monitoring.models.ChangeRequest.Outcome",
        "AgendaStatusEnum": "agendas.drafting.models.Agenda.Status",
        "DecisionOutcomeEnum": "agendas.decision.models.Decision.Outcome",
        "RijkCommitmentReportStatusEnum": "agendas.rijk.models.RijkCommitmentReport.Status",
    }
)

GUARDIAN_RAISE_403 = False
ANONYMOUS_USER_NAME = None  # no guardian anonymous user: anonymous visitors have no object rights

# Two-factor authentication is required for these roles.
TWO_FACTOR_REQUIRED_ROLES = ["ministry_officer", "ministry_signatory", "administrator"]
OTP_TOTP_ISSUER = "Kansenagenda"

# Structured logs (kansenagenda/logconfig.py, docs/security-logging.md): console lines here, JSON in production
# (LOG_JSON switches either way). Security events (logger kansenagenda.security) are logged at INFO always.
configure_structlog()
LOG_JSON = env.bool("LOG_JSON", default=False)
LOGGING = logging_config(json=LOG_JSON, level=env("LOG_LEVEL", default="WARNING"))
DJANGO_STRUCTLOG_IP_LOGGING_ENABLED = True
DJANGO_STRUCTLOG_USER_ID_FIELD = "pk"
TWO_FACTOR_ENFORCED = env.bool("TWO_FACTOR_ENFORCED", default=True)

# Optional single sign-on (OpenID Connect), off by default. Set OIDC_RP_CLIENT_ID and the endpoints to enable.
OIDC_RP_CLIENT_ID = env("OIDC_RP_CLIENT_ID", default="")
OIDC_ENABLED = bool(OIDC_RP_CLIENT_ID)
if OIDC_ENABLED:
    INSTALLED_APPS.append("mozilla_django_oidc")
    AUTHENTICATION_BACKENDS.insert(1, "accounts.oidc.EmailOnlyOIDCBackend")
    OIDC_RP_CLIENT_SECRET = env("OIDC_RP_CLIENT_SECRET")
    OIDC_OP_AUTHORIZATION_ENDPOINT = env("OIDC_OP_AUTHORIZATION_ENDPOINT")
    OIDC_OP_TOKEN_ENDPOINT = env("OIDC_OP_TOKEN_ENDPOINT")
    OIDC_OP_USER_ENDPOINT = env("OIDC_OP_USER_ENDPOINT")
    OIDC_OP_JWKS_ENDPOINT = env("OIDC_OP_JWKS_ENDPOINT", default="")
    OIDC_RP_SIGN_ALGO = env("OIDC_RP_SIGN_ALGO", default="RS256")
    OIDC_CREATE_USER = False
    OIDC_RP_SCOPES = "openid email"
DASHBOARD_CACHE_SECONDS = env.int("DASHBOARD_CACHE_SECONDS", default=300)
# Bare reference views for scripts/benchmark.sh (kansenagenda/benchmark.py): never on in production.
BENCHMARK_BASELINES = env.bool("BENCHMARK_BASELINES", default=False)
