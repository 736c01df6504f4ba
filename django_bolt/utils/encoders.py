"""The JSON encoder of the JSON renderer: DRF's conversions for the types ``json`` doesn't know."""

from __future__ import annotations

import contextlib
import datetime
import decimal
import ipaddress
import json
import uuid
from typing import Any

from django.db.models.query import QuerySet
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.functional import Promise

_IP_TYPES = (
    ipaddress.IPv4Address,
    ipaddress.IPv6Address,
    ipaddress.IPv4Network,
    ipaddress.IPv6Network,
    ipaddress.IPv4Interface,
    ipaddress.IPv6Interface,
)


class JSONEncoder(json.JSONEncoder):
    """Encodes lazy strings, dates and times (ISO 8601, ``Z`` for UTC), decimals (as floats), UUIDs, querysets…"""

    def default(self, obj: Any) -> Any:
        if isinstance(obj, Promise):
            return force_str(obj)
        if isinstance(obj, datetime.datetime):
            text = obj.isoformat()
            return text[:-6] + "Z" if text.endswith("+00:00") else text
        if isinstance(obj, datetime.date):
            return obj.isoformat()
        if isinstance(obj, datetime.time):
            if timezone.is_aware(obj):
                raise ValueError("JSON can't represent timezone-aware times.")
            return obj.isoformat()
        if isinstance(obj, datetime.timedelta):
            return str(obj.total_seconds())
        if isinstance(obj, decimal.Decimal):
            # Serializers already turn decimals into strings unless COERCE_DECIMAL_TO_STRING is off.
            return float(obj)
        if isinstance(obj, (uuid.UUID, *_IP_TYPES)):
            return str(obj)
        if isinstance(obj, QuerySet):
            return tuple(obj)
        if isinstance(obj, bytes):
            return obj.decode()
        if hasattr(obj, "tolist"):
            # numpy arrays and scalars
            return obj.tolist()
        if hasattr(obj, "__getitem__"):
            container = list if isinstance(obj, (list, tuple)) else dict
            with contextlib.suppress(Exception):
                return container(obj)
        elif hasattr(obj, "__iter__"):
            return tuple(obj)
        return super().default(obj)
