"""
Policies benchmark endpoint: Token authentication + IsAuthenticated + a paginated ``Item`` list, for Bolt and
its DRF twin. Meant to be wired into ``bench/run.py``:

    from bench import policies_bench
    # bench/bolt_urls.py:  urlpatterns += policies_bench.bolt_patterns()
    # bench/drf_urls.py:   urlpatterns += policies_bench.drf_patterns()
    # before serving:      key = policies_bench.seed()   (user, token and ITEMS rows; idempotent)
    # scenario:            path=policies_bench.PATH, headers={"Authorization": f"Token {key}"}

Each request costs one token query (user joined), one count and one page query on both sides.
Run this file to seed the bench database and check that both sides answer the same bytes:

    PYTHONPATH=. DJANGO_SETTINGS_MODULE=bench.settings .venv/bin/python bench/policies_bench.py
"""

from __future__ import annotations

from typing import Any

PATH = "/policies/items?page=2"
ITEMS = 100
PAGE_SIZE = 20
USERNAME = "bench"


def _item_serializer(serializers: Any) -> type:
    from tests.app.models import Item

    class ItemSerializer(serializers.ModelSerializer):
        class Meta:
            model = Item
            fields = ["id", "name", "price", "quantity", "is_active"]

    return ItemSerializer


def bolt_patterns() -> list:
    from django_bolt import generics, serializers
    from django_bolt.authentication import TokenAuthentication
    from django_bolt.pagination import PageNumberPagination
    from django_bolt.permissions import IsAuthenticated
    from django_bolt.renderers import JSONRenderer
    from django_bolt.urls import path
    from tests.app.models import Item

    class Page(PageNumberPagination):
        page_size = PAGE_SIZE

    class Items(generics.ListAPIView):
        queryset = Item.objects.order_by("id")
        serializer_class = _item_serializer(serializers)
        renderer_classes = [JSONRenderer]
        authentication_classes = [TokenAuthentication]
        permission_classes = [IsAuthenticated]
        throttle_classes: list = []
        pagination_class = Page

    return [path("policies/items", Items.as_view())]


def drf_patterns() -> list:
    from django.urls import path
    from rest_framework import generics, serializers
    from rest_framework.authentication import TokenAuthentication
    from rest_framework.pagination import PageNumberPagination
    from rest_framework.permissions import IsAuthenticated
    from rest_framework.renderers import JSONRenderer

    from tests.app.models import Item

    class Page(PageNumberPagination):
        page_size = PAGE_SIZE

    class Items(generics.ListAPIView):
        queryset = Item.objects.order_by("id")
        serializer_class = _item_serializer(serializers)
        renderer_classes = [JSONRenderer]
        authentication_classes = [TokenAuthentication]
        permission_classes = [IsAuthenticated]
        throttle_classes: list = []
        pagination_class = Page

    return [path("policies/items", Items.as_view())]


def seed(items: int = ITEMS) -> str:
    """Create the tables if needed, the bench user, its token and ``items`` rows; return the token key."""
    from decimal import Decimal

    from django.contrib.auth.models import User
    from django.core.management import call_command
    from rest_framework.authtoken.models import Token

    from tests.app.models import Item

    call_command("migrate", verbosity=0, run_syncdb=True)
    user, _ = User.objects.get_or_create(username=USERNAME)
    token, _ = Token.objects.get_or_create(user=user)
    missing = items - Item.objects.count()
    if missing > 0:
        Item.objects.bulk_create(
            Item(name=f"Item {i}", price=Decimal(i * 37 % 10000) / 100, quantity=i % 97, is_active=i % 3 != 0)
            for i in range(missing)
        )
    return token.key


def check() -> None:
    """Both sides answer the same status and bytes, with and without the token."""
    from django.test import Client

    from django_bolt.test import BoltClient

    key = seed()
    drf, bolt = Client(), BoltClient(type("Urls", (), {"urlpatterns": bolt_patterns()}))
    for headers in ({"Authorization": f"Token {key}"}, {}):
        from django.test import override_settings

        with override_settings(ROOT_URLCONF=type("Urls", (), {"urlpatterns": drf_patterns()})):
            theirs = drf.get(PATH, headers=headers)
        ours = bolt.get(PATH, headers=headers)
        assert (theirs.status_code, theirs.content) == (ours.status_code, ours.content), (theirs, ours)
        print(f"{ours.status_code} {len(ours.content)} bytes, identical")


if __name__ == "__main__":
    import os
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    check()
