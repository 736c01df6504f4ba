"""Async companions: ais_valid / asave / adata / ajson_bytes run the sync work through run_sync."""

import asyncio
import decimal

import pytest

from django_bolt import serializers, sync
from tests.app.models import Item
from tests.serializers.twins import rendered

pytestmark = pytest.mark.django_db


class ItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = Item
        fields = "__all__"


def run(coro):
    # The test client runs the bridge inline, so the ORM work stays in the test's transaction.
    with sync.inline_sync():
        return asyncio.run(coro)


def test_async_validate_save_and_read():
    async def flow():
        serializer = ItemSerializer(data={"name": "pen", "price": "2.5"})
        assert await serializer.ais_valid()
        instance = await serializer.asave(quantity=3)
        data = await serializer.adata
        return instance, data, serializer

    instance, data, serializer = run(flow())
    assert Item.objects.get(pk=instance.pk).quantity == 3
    assert data == serializer.data and data["price"] == "2.50"


def test_async_raise_exception():
    async def flow():
        await ItemSerializer(data={"name": ""}).ais_valid(raise_exception=True)

    with pytest.raises(serializers.ValidationError) as info:
        run(flow())
    assert set(info.value.detail) == {"name", "price"}


def test_async_list_data_and_json_bytes():
    Item.objects.create(name="a", price=decimal.Decimal("1"))
    Item.objects.create(name="b", price=decimal.Decimal("2"))

    first = Item.objects.first()

    async def flow():
        data = await ItemSerializer(Item.objects.all(), many=True).adata
        body = await ItemSerializer(Item.objects.all(), many=True).ajson_bytes()
        one = await ItemSerializer(first).ajson_bytes()
        return data, body, one

    data, body, one = run(flow())
    assert [row["name"] for row in data] == ["a", "b"]
    assert body == rendered(data)
    assert one == rendered(data[0])


def test_async_work_runs_through_run_sync(monkeypatch):
    calls = []
    original = sync.run_sync

    async def spy(fn, *args, **kwargs):
        calls.append(getattr(fn, "__name__", fn))
        return await original(fn, *args, **kwargs)

    monkeypatch.setattr(sync, "run_sync", spy)

    async def flow():
        serializer = ItemSerializer(data={"name": "pen", "price": "1"})
        await serializer.ais_valid()
        await serializer.asave()
        await serializer.adata

    run(flow())
    assert calls == ["is_valid", "save", "_read_data"]
