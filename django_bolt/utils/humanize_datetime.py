"""Readable descriptions of ``strptime`` input formats, used in date/time error messages."""

from __future__ import annotations

from collections.abc import Iterable

from django_bolt.settings import ISO_8601

_STRPTIME_NAMES = {
    "%Y": "YYYY",
    "%y": "YY",
    "%m": "MM",
    "%b": "[Jan-Dec]",
    "%B": "[January-December]",
    "%d": "DD",
    "%H": "hh",
    "%I": "hh",
    "%M": "mm",
    "%S": "ss",
    "%f": "uuuuuu",
    "%a": "[Mon-Sun]",
    "%A": "[Monday-Sunday]",
    "%p": "[AM|PM]",
    "%z": "[+HHMM|-HHMM]",
}


def humanize_strptime(format_string: str) -> str:
    for directive, readable in _STRPTIME_NAMES.items():
        format_string = format_string.replace(directive, readable)
    return format_string


def datetime_formats(formats: Iterable[str]) -> str:
    return humanize_strptime(", ".join(formats).replace(ISO_8601, "YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z]"))


def date_formats(formats: Iterable[str]) -> str:
    return humanize_strptime(", ".join(formats).replace(ISO_8601, "YYYY-MM-DD"))


def time_formats(formats: Iterable[str]) -> str:
    return humanize_strptime(", ".join(formats).replace(ISO_8601, "hh:mm[:ss[.uuuuuu]]"))
