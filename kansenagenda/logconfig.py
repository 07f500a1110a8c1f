"""Structured logs (structlog + django-structlog): one place for the processors, the renderers and the
request middleware. Every line carries ``request_id``, ``user_id`` and ``role`` (bound per request);
production renders JSON (one object per line), development a readable console line.

Secrets never reach a line: values under sensitive keys are replaced, the request line is logged without
its query string and with password-reset tokens masked, and the Authorization header is never logged.
See docs/security-logging.md.
"""

from __future__ import annotations

import re

import structlog
from django_structlog.middlewares import RequestMiddleware

REDACTED = "[verborgen]"
SENSITIVE_KEY = re.compile(
    r"pass(word|wd)?|secret|token|authori[sz]ation|cookie|session|csrf|api[_-]?key|otp|credential", re.I
)
# Paths that carry a secret in the path itself (Django's password-reset link: …/<uidb64>/<token>/).
SECRET_PATHS = [re.compile(r"(/wachtwoord-herstellen/[^/]+/)[^/?]+")]


def mask_path(path: str) -> str:
    path = path.split("?", 1)[0]
    for pattern in SECRET_PATHS:
        path = pattern.sub(lambda m: m.group(1) + REDACTED, path)
    return path


def redact_secrets(logger, method_name, event_dict):
    """structlog processor: drop the value of any key that names a secret (at any depth of dicts)."""

    def clean(value, depth=0):
        if isinstance(value, dict) and depth < 4:
            return {k: (REDACTED if SENSITIVE_KEY.search(str(k)) else clean(v, depth + 1)) for k, v in value.items()}
        return value

    for key in list(event_dict):
        if key in ("event", "security_event"):
            continue
        if hasattr(event_dict[key], "get_full_path") and hasattr(event_dict[key], "method"):
            # Django's own loggers pass the request object: keep method and masked path, no query string.
            event_dict[key] = f"{event_dict[key].method} {mask_path(event_dict[key].get_full_path())}"
            continue
        if SENSITIVE_KEY.search(key):
            event_dict[key] = REDACTED
        else:
            event_dict[key] = clean(event_dict[key])
    return event_dict


SHARED_PROCESSORS = [
    structlog.contextvars.merge_contextvars,
    structlog.stdlib.add_log_level,
    structlog.stdlib.add_logger_name,
    structlog.processors.TimeStamper(fmt="iso", utc=True),
    redact_secrets,
]


def configure_structlog() -> None:
    structlog.configure(
        processors=[
            structlog.stdlib.filter_by_level,
            *SHARED_PROCESSORS,
            structlog.processors.StackInfoRenderer(),
            structlog.processors.format_exc_info,
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )


def logging_config(*, json: bool, level: str = "INFO") -> dict:
    """The ``LOGGING`` dict: structlog and plain ``logging`` lines through the same formatter."""
    renderer = "json" if json else "console"
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "json": {
                "()": structlog.stdlib.ProcessorFormatter,
                "processors": [
                    structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                    structlog.processors.dict_tracebacks,
                    structlog.processors.JSONRenderer(sort_keys=True, default=str),
                ],
                "foreign_pre_chain": [structlog.stdlib.ExtraAdder(), *SHARED_PROCESSORS],
            },
            "console": {
                "()": structlog.stdlib.ProcessorFormatter,
                "processors": [
                    structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                    structlog.dev.ConsoleRenderer(colors=False),
                ],
                "foreign_pre_chain": [structlog.stdlib.ExtraAdder(), *SHARED_PROCESSORS],
            },
        },
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": renderer}},
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # Security events are always kept, whatever the general level.
            "kansenagenda.security": {"level": "INFO"},
            "django_structlog": {"level": level},
        },
    }


class RequestLogMiddleware(RequestMiddleware):
    """django-structlog's request middleware, with the request line made safe (no query string, masked
    reset tokens) and the user's roles bound beside ``user_id``."""

    @staticmethod
    def format_request(request) -> str:
        return f"{request.method} {mask_path(request.get_full_path())}"

    @staticmethod
    def bind_user_id(request) -> None:
        RequestMiddleware.bind_user_id(request)
        bind_role(getattr(request, "user", None))


def bind_role(user) -> None:
    """Bind ``role`` (comma-separated role codes) for the current request/task; '' when anonymous."""
    if user is None or not getattr(user, "is_authenticated", False):
        structlog.contextvars.bind_contextvars(role="")
        return
    structlog.contextvars.bind_contextvars(user_id=user.pk, role=",".join(sorted(user.role_codes)))
