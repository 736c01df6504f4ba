"""The per-request cost of request isolation: what the engine does for every request so that each runs in a
`contextvars.Context` of its own (copy the worker's base context, enter it, set `current_request`, leave it,
close the sync-bridge lease slot). Timed inside the engine, without HTTP around it.

    python bench/context_bench.py [--iterations 1000000] [--rounds 5]
"""

from __future__ import annotations

import argparse
import statistics

from django_bolt._engine import measure_request_context


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--iterations", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=5)
    options = parser.parse_args()
    measure_request_context(10_000)  # warm-up
    rounds = [measure_request_context(options.iterations) for _ in range(options.rounds)]
    print(
        f"request context: {statistics.median(rounds):.0f} ns per request "
        f"(median of {options.rounds} rounds of {options.iterations:,}; min {min(rounds):.0f}, max {max(rounds):.0f})"
    )


if __name__ == "__main__":
    main()
