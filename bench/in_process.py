"""What the in-process benchmarks share: Django set up on a temporary file database, and timing interleaved."""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def setup_django(database: Path) -> None:
    """Django on ``database`` with the fast-path test settings (persistent connections, file database)."""
    os.environ["FASTPATH_DB"] = str(database)
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.fastpath.live_settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def per_call_us(call: Callable[[], object], times: int) -> float:
    """Mean microseconds of ``call`` over ``times`` calls."""
    started = time.perf_counter()
    for _ in range(times):
        call()
    return (time.perf_counter() - started) / times * 1e6


def interleaved_medians(rounds: int, *runs: Callable[[], float]) -> list[float]:
    """Each run's median over ``rounds`` rounds, the runs taking turns within a round."""
    results: list[list[float]] = [[] for _ in runs]
    for _ in range(rounds):
        for result, run in zip(results, runs, strict=True):
            result.append(run())
    return [statistics.median(result) for result in results]
