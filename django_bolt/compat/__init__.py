"""
Running a team's existing DRF classes inside Bolt views.

Most DRF classes work in a Bolt view as they are (serializers, authentication, permissions, pagination, filter
backends; DRF's exceptions and ``Response`` are understood by the pipeline). What this package adds is what DRF
classes lack for an async pipeline: ``install()`` gives DRF's serializers Bolt's async API (``await
serializer.adata``, ``ais_valid``, ``asave``) and makes DRF's hyperlinked fields reverse against the routes
runbolt serves when a Bolt view uses them; a plain DRF ``ModelSerializer`` reads through Bolt's compiled plan
(``read_plans``). It runs when the ``django_bolt`` app is ready and ``rest_framework``
is installed.
"""

from __future__ import annotations

from django_bolt.compat import read_plans, reverse, serializers


def install() -> None:
    """What DRF classes need in Bolt views: the async serializer API, hyperlinks to Bolt routes, read plans."""
    serializers.install()
    reverse.install()
    read_plans.install()


__all__ = ["install"]
