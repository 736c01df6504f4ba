"""Time helpers of the token classes (epoch seconds, aware UTC datetimes when USE_TZ)."""

from __future__ import annotations

import hashlib
from calendar import timegm
from datetime import UTC, datetime

from django.conf import settings


def get_md5_hash_password(password: str) -> str:
    """The password-hash fingerprint stored in tokens when ``CHECK_REVOKE_TOKEN`` is on (simplejwt's format)."""
    return hashlib.md5(password.encode()).hexdigest().upper()


def aware_utcnow() -> datetime:
    now = datetime.now(tz=UTC)
    return now if settings.USE_TZ else now.replace(tzinfo=None)


def datetime_to_epoch(dt: datetime) -> int:
    return timegm(dt.utctimetuple())


def datetime_from_epoch(ts: float) -> datetime:
    dt = datetime.fromtimestamp(ts, tz=UTC)
    return dt if settings.USE_TZ else dt.replace(tzinfo=None)
