"""Sessions that expire after inactivity without a database write on every request.

Django's ``SESSION_SAVE_EVERY_REQUEST`` renews the inactivity clock by saving the session row on every
request: a write, its transaction and its index update for what is mostly a read. Here the clock is renewed
at most once every ``SESSION_RENEW_SECONDS`` (default 60): a request to a session that was last renewed
longer ago stores the moment of renewal, which saves the session and so moves its expiry to
now + ``SESSION_COOKIE_AGE``. A session therefore ends between ``SESSION_COOKIE_AGE - SESSION_RENEW_SECONDS``
and ``SESSION_COOKIE_AGE`` seconds after the last request — never later than before.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessionMiddleware

RENEWED_KEY = "_ka_renewed"


def renewal_due(session, now: float) -> bool:
    """Does this request have to renew the session's inactivity clock?"""
    if not session.accessed or session.modified or session.is_empty():
        return False  # never loaded, already being saved, or nothing to keep alive
    renewed = session.get(RENEWED_KEY)
    return not isinstance(renewed, int) or now - renewed >= settings.SESSION_RENEW_SECONDS


def mark_renewed_at_login(sender, request=None, **kwargs) -> None:
    """A sign-in saves a fresh session anyway: record it as renewed, so the first page after signing in does not
    write the session again (connected in ``accounts.apps``)."""
    session = getattr(request, "session", None)
    if session is not None:
        session[RENEWED_KEY] = int(time.time())


class SessionMiddleware(DjangoSessionMiddleware):
    def process_response(self, request, response):
        session = getattr(request, "session", None)
        if session is not None:
            now = time.time()
            if renewal_due(session, now) or (session.modified and not session.is_empty()):
                session[RENEWED_KEY] = int(now)  # a save renews the expiry; remember when
        return super().process_response(request, response)
