"""Creating, revoking and resolving a personal calendar feed token (the one place for these rules)."""

from __future__ import annotations

import hashlib
import secrets

from django.db import transaction

from accounts.audit import delete_with_history
from accounts.models import User
from agendas.calendarfeed.models import CalendarFeed

TOKEN_BYTES = 32  # 256 bits of randomness: a digest without salt is enough (nothing to guess)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def calendar_feed_create(*, user: User) -> str:
    """Create (or replace) the user's feed token and return it; shown once, only its digest is kept."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    delete_with_history(CalendarFeed.objects.filter(user=user), actor=user)
    feed = CalendarFeed(user=user, token_hash=token_digest(token), suffix=token[-4:])
    feed._history_user = user
    feed.save()
    return token


def calendar_feed_revoke(*, user: User) -> bool:
    """Revoke the user's feed: the old URL answers 404 from now on."""
    return delete_with_history(CalendarFeed.objects.filter(user=user), actor=user) > 0


def calendar_feed_user(token: str) -> User | None:
    """The (active) owner of a feed token, or ``None`` (unknown, revoked, account deactivated)."""
    if not token or len(token) > 100:
        return None
    feed = CalendarFeed.objects.select_related("user").filter(token_hash=token_digest(token)).first()
    if feed is None or not feed.user.is_active:
        return None
    return feed.user
