"""DRF's hyperlinked fields, used by Bolt views, reverse against the routes runbolt serves.

DRF's ``HyperlinkedRelatedField``/``HyperlinkedIdentityField`` reverse through ``rest_framework.reverse`` against
``ROOT_URLCONF``; an endpoint that now lives only in ``ROOT_BOLTCONF`` would not be found. For a request served by
a Bolt view, the fields use ``django_bolt.reverse.reverse`` instead (``ROOT_BOLTCONF`` first, then
``ROOT_URLCONF``, versioning honoured); DRF's own views keep DRF's function.
"""

from __future__ import annotations

from typing import Any


def install() -> None:
    from rest_framework import relations

    drf_reverse = relations.reverse
    if getattr(drf_reverse, "bolt_aware", False):
        return

    def reverse(viewname: str, *args: Any, request: Any = None, **kwargs: Any) -> str:
        from django_bolt.request import Request
        from django_bolt.reverse import reverse as bolt_reverse

        if isinstance(request, Request):
            return bolt_reverse(viewname, *args, request=request, **kwargs)
        return drf_reverse(viewname, *args, request=request, **kwargs)

    reverse.bolt_aware = True  # type: ignore[attr-defined]
    relations.reverse = reverse
