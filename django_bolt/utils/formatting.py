"""Text helpers for fields and views."""

from __future__ import annotations

from typing import Any


class lazy_format:  # noqa: N801 - named like the lazy helpers of Django/DRF it stands in for
    """
    ``format_string.format(*args, **kwargs)``, computed on first ``str()``.

    Validators are built at field construction, when translations may not be active yet; this defers the
    formatting of their message. Cheaper than ``django.utils.functional.lazy``. ``%`` formats the result,
    which is how Django validators interpolate their params.
    """

    __slots__ = ("format_string", "args", "kwargs", "result")

    def __init__(self, format_string: Any, *args: Any, **kwargs: Any) -> None:
        self.result: str | None = None
        self.format_string = format_string
        self.args = args
        self.kwargs = kwargs

    def __str__(self) -> str:
        if self.result is None:
            self.result = self.format_string.format(*self.args, **self.kwargs)
            # Drop references once formatted.
            self.format_string = self.args = self.kwargs = None
        return self.result

    def __mod__(self, value: Any) -> str:
        return str(self) % value
