"""BOLT["THREAD_SCHEDULING"]: runbolt's threads under SCHED_BATCH (no wake-up preemption while the GIL is held)."""

import gc
import os

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command

from django_bolt.pytest_plugin import LiveServer
from django_bolt.utils import scheduling

from .test_live_server import get

linux_only = pytest.mark.skipif(not scheduling.batch_available(), reason="SCHED_BATCH is Linux's")


def thread_policies(pid: int) -> set[int]:
    policies = set()
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            policies.add(os.sched_getscheduler(int(tid)))
        except ProcessLookupError:
            pass
    return policies


def test_choices_resolve_to_a_policy_or_are_refused(monkeypatch):
    assert scheduling.resolve("normal") == "normal"
    with pytest.raises(ImproperlyConfigured, match="must be one of auto, batch, normal, not 'fifo'"):
        scheduling.resolve("fifo")
    monkeypatch.delattr(os, "SCHED_BATCH", raising=False)
    assert scheduling.resolve("auto") == "normal"  # where the OS has no SCHED_BATCH, auto leaves threads alone
    with pytest.raises(ImproperlyConfigured, match="needs Linux"):
        scheduling.resolve("batch")


@linux_only
def test_auto_is_batch_on_linux():
    assert scheduling.resolve("auto") == "batch"


def test_runbolt_refuses_an_unknown_choice_before_serving(settings):
    settings.BOLT = {"THREAD_SCHEDULING": "fifo"}
    with pytest.raises(CommandError, match="THREAD_SCHEDULING"):
        call_command("runbolt", "--port", "0")


@pytest.mark.live
@linux_only
def test_every_server_thread_runs_batch_by_default():
    with LiveServer() as live:
        # A bridged request first, so that the sync bridge's threads exist (they inherit the policy).
        assert get(live, "/sleep-sync?ms=1")[0] == 200
        assert len(os.listdir(f"/proc/{live.process.pid}/task")) > 8
        assert thread_policies(live.process.pid) == {os.SCHED_BATCH}


@pytest.mark.live
@linux_only
def test_normal_leaves_the_threads_as_started():
    with LiveServer(settings_module="tests.engine.settings_normal_scheduling") as live:
        assert get(live, "/sleep-sync?ms=1")[0] == 200
        assert thread_policies(live.process.pid) == {os.SCHED_OTHER}


@linux_only
def test_a_refusal_is_a_warning_for_auto_and_an_error_for_batch(monkeypatch, caplog):
    def refuse(*args):
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "sched_setscheduler", refuse)
    with caplog.at_level("WARNING", logger="django_bolt.server"):
        scheduling.apply("auto")
    assert "SCHED_BATCH refused by the system" in caplog.text
    with pytest.raises(ImproperlyConfigured, match="the system refused it"):
        scheduling.apply("batch")


@linux_only
def test_runbolt_stops_with_a_message_when_batch_is_refused(settings, monkeypatch):
    def refuse(*args):
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "sched_setscheduler", refuse)
    settings.BOLT = {"THREAD_SCHEDULING": "batch"}
    try:
        with pytest.raises(CommandError, match="the system refused it"):
            call_command("runbolt", "--port", "0")
    finally:
        gc.unfreeze()  # serving starts by freezing what start-up built
