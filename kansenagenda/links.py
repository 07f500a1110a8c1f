"""THE absolute links: every link that leaves the app (e-mails, documents) starts with ``SITE_URL``."""

from __future__ import annotations

from django.conf import settings


def site_url() -> str:
    """The configured address of the app, without a trailing slash (``SITE_URL``)."""
    return str(getattr(settings, "SITE_URL", "")).rstrip("/")


def absolute_url(path: str) -> str:
    """``path`` (e.g. from ``reverse``) as a link that works outside the app."""
    if path.startswith(("http://", "https://")):
        return path
    return f"{site_url()}/{path.lstrip('/')}"
