"""The server's threads under Linux's ``SCHED_BATCH`` scheduling policy (``BOLT["THREAD_SCHEDULING"]``).

Why: a request that uses the sync bridge hands the GIL from the worker thread to a bridge thread and back. Under
the default policy a thread that is woken preempts the thread that woke it when they share a CPU — but the waker
still holds the GIL (it has just queued the work, or just finished it), so the woken thread blocks on the GIL at
once and the CPU switches back: two context switches per hand-over instead of one. Threads under ``SCHED_BATCH``
(same nice level, same share of the CPU) do not preempt on wake-up: the waker runs on until it lets go of the GIL,
then the woken thread finds it free. On one CPU a bridged retrieve went from 5.1 to 1.2 context switches per
request (docs/benchmarks.md).
"""

from __future__ import annotations

import logging
import os

from django.core.exceptions import ImproperlyConfigured

logger = logging.getLogger("django_bolt.server")

CHOICES = ("auto", "batch", "normal")


def batch_available() -> bool:
    return hasattr(os, "SCHED_BATCH") and hasattr(os, "sched_setscheduler") and os.path.isdir("/proc/self/task")


def resolve(choice: str) -> str:
    """``"batch"`` or ``"normal"`` for the setting's value: ``"auto"`` is batch where the OS has it (Linux)."""
    if choice not in CHOICES:
        raise ImproperlyConfigured(f'BOLT["THREAD_SCHEDULING"] must be one of {", ".join(CHOICES)}, not {choice!r}')
    if choice == "auto":
        return "batch" if batch_available() else "normal"
    if choice == "batch" and not batch_available():
        raise ImproperlyConfigured('BOLT["THREAD_SCHEDULING"] = "batch" needs Linux (SCHED_BATCH); use "normal"')
    return choice


def apply(choice: str) -> None:
    """Put every thread of this process under the resolved policy; threads started later inherit it from the
    thread that starts them. ``"normal"`` leaves the process as it is. Where the system refuses the change (a
    sandbox filtering the call), ``"auto"`` logs a warning and serves as started; ``"batch"`` stops start-up."""
    if resolve(choice) != "batch":
        return
    param = os.sched_param(0)
    for tid in os.listdir("/proc/self/task"):
        try:
            os.sched_setscheduler(int(tid), os.SCHED_BATCH, param)
        except ProcessLookupError:  # the thread ended meanwhile: nothing to set
            continue
        except OSError as exc:
            if choice == "batch":
                refused = f'BOLT["THREAD_SCHEDULING"] = "batch": the system refused it ({exc})'
                raise ImproperlyConfigured(refused) from exc
            logger.warning("SCHED_BATCH refused by the system (%s): threads keep their scheduling policy", exc)
            return
