"""The sync bridge's leases: one thread per request while it runs, waiting when all are taken, hygiene between."""

import threading
import time
from concurrent.futures import Future

from django_bolt._engine import SyncHop
from django_bolt.sync import SyncBridge


def item(fn, *args):
    future = Future()
    return future, (future, fn, args, {})


def test_a_lease_keeps_one_thread_and_a_waiting_request_gets_it_on_release():
    bridge = SyncBridge(1)
    first, second = bridge.lease(), bridge.lease()
    assert first.thread is bridge.threads[0] and second.thread is None
    gate = threading.Event()
    blocked, work = item(gate.wait, 5)
    first.put(work)
    waiting, work = item(threading.get_ident)
    second.put(work)
    assert not waiting.done()
    gate.set()
    assert blocked.result(5) is True
    assert not waiting.done()  # still waiting: the first request holds the thread until its response is done
    first.release()
    assert waiting.result(5) == bridge.threads[0].thread.ident
    second.release()
    assert bridge._free == [bridge.threads[0]]


def test_a_request_that_ends_while_waiting_cancels_its_work():
    bridge = SyncBridge(1)
    holder, waiter = bridge.lease(), bridge.lease()
    future, work = item(threading.get_ident)
    waiter.put(work)
    waiter.release()
    assert future.cancelled() and not bridge._waiting
    holder.release()
    assert bridge._free == [bridge.threads[0]]


def test_unleased_work_runs_on_a_free_thread_and_between_requests_the_thread_cleans_up(monkeypatch):
    cleaned = []
    monkeypatch.setattr("django_bolt.sync.close_old_connections", lambda: cleaned.append(1))
    bridge = SyncBridge(2)
    lease = bridge.lease()
    for _ in range(3):
        future, work = item(threading.get_ident)
        lease.put(work)
        future.result(5)
    assert cleaned == [1]  # once per request, not per call
    lease.release()
    again = bridge.lease()
    future, work = item(threading.get_ident)
    again.put(work)
    future.result(5)
    assert cleaned == [1, 1]
    future, work = item(threading.get_ident)
    bridge.submit_unleased(work)
    assert future.result(5) in {t.thread.ident for t in bridge.threads}


def test_a_hop_is_settled_like_a_future_and_a_cancelled_one_never_runs():
    bridge = SyncBridge(1)
    holder, waiter = bridge.lease(), bridge.lease()
    ran = []
    hop = SyncHop()
    waiter.put((hop, ran.append, (1,), {}))
    waiter.release()  # the request ended before a thread was free: its work is cancelled, not run
    assert hop.done() and hop.cancel() is False and hop.set_running_or_notify_cancel() is False
    holder.release()
    done = SyncHop()
    lease = bridge.lease()
    lease.put((done, threading.get_ident, (), {}))
    deadline = time.monotonic() + 5
    while not done.done() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert done.done() and done.cancel() is False  # ran on the bridge thread and settled
    lease.release()
    assert ran == []
