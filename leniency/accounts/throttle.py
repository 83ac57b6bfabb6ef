"""Lock an account after repeated failed logins, and say until when."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from leniency.accounts.models import LoginThrottle


def _key(username: str) -> str:
    return username.strip().lower()[:150]


def locked_until(username: str) -> datetime | None:
    """The time the account is locked until, or None when a login may be tried now."""
    row = LoginThrottle.objects.filter(username=_key(username)).first()
    if row and row.locked_until and row.locked_until > timezone.now():
        return row.locked_until
    return None


def record_failure(username: str, address: str | None) -> datetime | None:
    """Count one failure; return the lock time when this failure locks the account."""
    now = timezone.now()
    with transaction.atomic():
        row, _ = LoginThrottle.objects.select_for_update().get_or_create(username=_key(username))
        if row.locked_until and row.locked_until <= now:
            row.failures = 0
            row.locked_until = None
        row.failures += 1
        row.last_failure_at = now
        row.last_address = address
        if row.failures >= settings.LOGIN_MAX_FAILURES:
            row.locked_until = now + timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
        row.save()
        return row.locked_until


def record_success(username: str) -> None:
    LoginThrottle.objects.filter(username=_key(username)).delete()
