"""
ViewSet benchmark endpoints: a ``ModelViewSet`` over the reference ``Item`` model (list of 100 rows, retrieve)
and a ViewSet ``list`` that only says hello, each for Bolt and for its DRF twin. Same serializer definition,
same rows, identical bytes. ``bench/run.py`` serves them; run this file to check that both sides agree:

    PYTHONPATH=. DJANGO_SETTINGS_MODULE=bench.settings .venv/bin/python bench/viewsets_bench.py
"""

from __future__ import annotations

from typing import Any

LIST_PATH = "/vs/items/"
RETRIEVE_PATH = "/vs/items/1/"
HELLO_PATH = "/vs/hello/"
# The Bolt viewset keeping DRF's serializer (the compat step of a migration).
COMPAT_LIST_PATH = "/vs/compat-items/"
COMPAT_RETRIEVE_PATH = "/vs/compat-items/1/"
ROWS = 100


def _serializer(serializers: Any) -> type:
    from tests.app.models import Item

    class ItemSerializer(serializers.ModelSerializer):
        class Meta:
            model = Item
            fields = ["id", "name", "description", "price", "quantity", "is_active", "created_at"]

    return ItemSerializer


def _viewsets(viewsets: Any, serializers: Any, response: Any) -> tuple[type, type]:
    from tests.app.models import Item

    class ItemViewSet(viewsets.ModelViewSet):
        queryset = Item.objects.order_by("id")
        serializer_class = _serializer(serializers)
        authentication_classes: list = []
        permission_classes: list = []
        pagination_class = None

    class HelloViewSet(viewsets.ViewSet):
        authentication_classes: list = []
        permission_classes: list = []

    return ItemViewSet, HelloViewSet


def bolt_patterns() -> list:
    from django_bolt import serializers, viewsets
    from django_bolt.response import Response
    from django_bolt.routers import SimpleRouter

    item_viewset, hello_base = _viewsets(viewsets, serializers, Response)

    class HelloViewSet(hello_base):
        async def list(self, request: Any) -> Response:
            return Response({"message": "Hello, world!"})

    from rest_framework import serializers as drf_serializers

    class CompatItemViewSet(item_viewset):
        serializer_class = _serializer(drf_serializers)

    router = SimpleRouter()
    router.register("vs/items", item_viewset, basename="item")
    router.register("vs/compat-items", CompatItemViewSet, basename="compat-item")
    router.register("vs/hello", HelloViewSet, basename="hello")
    return router.urls


def drf_patterns() -> list:
    from rest_framework import serializers, viewsets
    from rest_framework.response import Response
    from rest_framework.routers import SimpleRouter

    item_viewset, hello_base = _viewsets(viewsets, serializers, Response)

    class HelloViewSet(hello_base):
        def list(self, request: Any) -> Response:
            return Response({"message": "Hello, world!"})

    router = SimpleRouter()
    router.register("vs/items", item_viewset, basename="item")
    router.register("vs/hello", HelloViewSet, basename="hello")
    return router.urls


def seed(rows: int = ROWS) -> None:
    """Create the tables if needed and at least ``rows`` items (deterministic values)."""
    from datetime import UTC, datetime, timedelta
    from decimal import Decimal

    from django.core.management import call_command

    from tests.app.models import Item

    call_command("migrate", verbosity=0, run_syncdb=True)
    missing = rows - Item.objects.count()
    if missing > 0:
        start = Item.objects.count()
        Item.objects.bulk_create(
            Item(
                name=f"Item {i}",
                description=f"Description of item {i} — ünïcode included",
                price=Decimal(i * 37 % 10000) / 100,
                quantity=i % 97,
                is_active=i % 3 != 0,
            )
            for i in range(start, start + missing)
        )
        base = datetime(2026, 1, 1, 12, 0, 0, 123456, tzinfo=UTC)
        for item in Item.objects.filter(id__gt=start):
            Item.objects.filter(pk=item.pk).update(created_at=base + timedelta(minutes=item.pk))


def check() -> None:
    """Both sides answer the same status and bytes."""
    from django.test import Client, override_settings

    from django_bolt.test import BoltClient

    seed()
    bolt = BoltClient(type("Urls", (), {"urlpatterns": bolt_patterns()}))
    with override_settings(ROOT_URLCONF=type("Urls", (), {"urlpatterns": drf_patterns()})):
        drf = Client()
        for path in (LIST_PATH, RETRIEVE_PATH, HELLO_PATH):
            theirs, ours = drf.get(path), bolt.get(path)
            assert (theirs.status_code, theirs.content) == (ours.status_code, ours.content), (path, theirs, ours)
            print(f"{path}: {ours.status_code} {len(ours.content)} bytes, identical")


if __name__ == "__main__":
    import os
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    check()
