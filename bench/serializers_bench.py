"""
In-process benchmark: DRF ``ModelSerializer(many=True)`` + ``JSONRenderer`` against django_bolt's serializers
on the same 1,000 ``tests.app.models.Item`` rows (in-memory SQLite).

Every comparison first asserts that both sides produce identical bytes. Runs are interleaved (DRF, bolt, DRF,
bolt, ...) and medians are reported, since the machine is shared and noisy: the CPU time of this process
(``time.process_time``, not inflated by waiting for a core) and, alongside, wall-clock time.

    PYTHONPATH=. .venv/bin/python bench/serializers_bench.py [--rows 1000] [--repeat 30] [--postgres]

``--postgres`` uses the PostgreSQL server of ``scripts/services.sh`` (127.0.0.1:5432, bolt/bolt) with a
throw-away database instead of in-memory SQLite.

Scenarios:
* ``serialization alone``: model instances already fetched; ``.data`` only.
* ``serialization + JSON``: the same, to response bytes (DRF's JSONRenderer vs ``json_bytes()``).
* ``end to end``: from an unevaluated queryset to JSON bytes, query included. DRF iterates model instances;
  django_bolt fetches only the needed columns and builds rows without model instances; ``json_bytes()``
  encodes them directly, the ``.data`` variant renders its ReturnList with DRF's JSONRenderer.
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

import django  # noqa: E402
from django.conf import settings  # noqa: E402

PG_DATABASE = "bolt_serializers_bench"
PG = {"USER": "bolt", "PASSWORD": "bolt", "HOST": "127.0.0.1", "PORT": 5432}


def _pg_admin(statement: str) -> None:
    import psycopg

    with psycopg.connect(dbname="postgres", autocommit=True, **{k.lower(): v for k, v in PG.items()}) as conn:
        conn.execute(statement)


def setup(rows: int, postgres: bool = False) -> None:
    if postgres:
        _pg_admin(f"DROP DATABASE IF EXISTS {PG_DATABASE}")
        _pg_admin(f"CREATE DATABASE {PG_DATABASE}")
        settings.DATABASES["default"] = {"ENGINE": "django.db.backends.postgresql", "NAME": PG_DATABASE, **PG}
    else:
        settings.DATABASES["default"]["NAME"] = ":memory:"
    django.setup()
    from django.db import connection

    from tests.app.models import Item

    with connection.schema_editor() as editor:
        editor.create_model(Item)
    Item.objects.bulk_create(
        Item(
            name=f"Item number {i}",
            description="A reasonably long description of the item, with some text " * 2,
            price=Decimal(i * 37 % 10000) / 100,
            quantity=i % 97,
            is_active=i % 3 != 0,
        )
        for i in range(rows)
    )


def timed(fn: Callable[[], object]) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.process_time() - cpu, time.perf_counter() - wall


def compare(
    name: str,
    drf: Callable[[], object],
    bolt: Callable[[], object],
    repeat: int,
    to_bytes: Callable[[object], bytes] = lambda body: body,  # type: ignore[assignment,return-value]
) -> dict:
    expected, actual = to_bytes(drf()), to_bytes(bolt())
    assert expected == actual, f"{name}: outputs differ"
    drf_times, bolt_times = [], []
    gc.collect()
    for _ in range(repeat):
        drf_times.append(timed(drf))
        bolt_times.append(timed(bolt))

    def median_ms(times: list[tuple[float, float]], index: int) -> float:
        return statistics.median(t[index] for t in times) * 1000

    drf_ms, bolt_ms = median_ms(drf_times, 0), median_ms(bolt_times, 0)
    wall_ratio = median_ms(drf_times, 1) / median_ms(bolt_times, 1)
    # Best of the runs: the least disturbed by other processes on a shared machine.
    best_ratio = min(t[1] for t in drf_times) / min(t[1] for t in bolt_times)
    return {
        "name": name,
        "drf": drf_ms,
        "bolt": bolt_ms,
        "ratio": drf_ms / bolt_ms,
        "wall_ratio": wall_ratio,
        "best_ratio": best_ratio,
        "bytes": len(expected),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--postgres", action="store_true", help="run on PostgreSQL instead of SQLite")
    args = parser.parse_args()
    setup(args.rows, args.postgres)
    try:
        run(args)
    finally:
        if args.postgres:
            from django.db import connections

            connections.close_all()
            _pg_admin(f"DROP DATABASE IF EXISTS {PG_DATABASE}")


def run(args: argparse.Namespace) -> None:

    from rest_framework import serializers as drf_serializers
    from rest_framework.renderers import JSONRenderer

    from django_bolt import serializers as bolt_serializers
    from tests.app.models import Item

    class DRFItemSerializer(drf_serializers.ModelSerializer):
        class Meta:
            model = Item
            fields = "__all__"

    class BoltItemSerializer(bolt_serializers.ModelSerializer):
        class Meta:
            model = Item
            fields = "__all__"

    renderer = JSONRenderer()
    instances = list(Item.objects.all())

    results = [
        compare(
            "serialization alone: instances → .data",
            lambda: DRFItemSerializer(instances, many=True).data,
            lambda: BoltItemSerializer(instances, many=True).data,
            args.repeat,
            to_bytes=renderer.render,
        ),
        compare(
            "serialization + JSON: instances → bytes",
            lambda: renderer.render(DRFItemSerializer(instances, many=True).data),
            lambda: BoltItemSerializer(instances, many=True).json_bytes(),
            args.repeat,
        ),
        compare(
            "end to end: queryset → bytes (json_bytes)",
            lambda: renderer.render(DRFItemSerializer(Item.objects.all(), many=True).data),
            lambda: BoltItemSerializer(Item.objects.all(), many=True).json_bytes(),
            args.repeat,
        ),
        compare(
            "end to end: queryset → .data → DRF JSONRenderer",
            lambda: renderer.render(DRFItemSerializer(Item.objects.all(), many=True).data),
            lambda: renderer.render(BoltItemSerializer(Item.objects.all(), many=True).data),
            args.repeat,
        ),
    ]
    one = instances[0]
    results.append(
        compare(
            "single object → bytes",
            lambda: renderer.render(DRFItemSerializer(one).data),
            lambda: BoltItemSerializer(one).json_bytes(),
            args.repeat * 100,
        )
    )

    database = "PostgreSQL" if args.postgres else "SQLite in memory"
    print(
        f"\n{args.rows} rows of Item ({database}), median of {args.repeat} interleaved runs "
        f"(Python {sys.version.split()[0]})\n"
    )
    print("| scenario | DRF CPU ms | django_bolt CPU ms | speed-up (CPU) | speed-up (wall) | best-of (wall) | bytes |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for r in results:
        print(
            f"| {r['name']} | {r['drf']:.3f} | {r['bolt']:.3f} | {r['ratio']:.1f}× | {r['wall_ratio']:.1f}× "
            f"| {r['best_ratio']:.1f}× | {r['bytes']} |"
        )


if __name__ == "__main__":
    main()
