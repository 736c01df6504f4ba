"""runbolt features beyond the basics: reload, access log, concurrency of awaiting and blocking handlers."""

import http.client
import json
import os
import re
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import path

from django_bolt.conf import build_engine
from django_bolt.pytest_plugin import LiveServer
from django_bolt.test import BoltClient

from .test_live_server import get, wait_for

pytestmark = pytest.mark.live


def timed_get(server, target):
    start = time.monotonic()
    status, _, body = get(server, target)
    return status, time.monotonic() - start, body


def test_blocking_work_in_the_sync_bridge_does_not_stall_other_requests():
    with LiveServer() as live:
        with ThreadPoolExecutor(max_workers=4) as pool:
            blocking = [pool.submit(timed_get, live, "/sleep-sync?ms=800") for _ in range(2)]
            time.sleep(0.1)
            status, elapsed, _ = timed_get(live, "/hello")
            assert status == 200 and elapsed < 0.4
            assert [f.result()[0] for f in blocking] == [200, 200]


def test_awaiting_handlers_overlap_on_one_worker():
    with LiveServer() as live:
        start = time.monotonic()
        with ThreadPoolExecutor(max_workers=20) as pool:
            results = list(pool.map(lambda _: get(live, "/slow/300/")[0], range(20)))
        assert results == [200] * 20
        assert time.monotonic() - start < 2.0  # serially this would take 6 s


def test_json_access_log():
    with LiveServer(["--access-log", "json"]) as live:
        _, headers, _ = get(live, "/items/5?x=1")
        assert wait_for(lambda: any('"target":"/items/5?x=1"' in line for line in live.output))
        entry = json.loads(next(line for line in live.output if '"target":"/items/5?x=1"' in line))
        assert entry["method"] == "GET" and entry["status"] == 200 and entry["client"] == "127.0.0.1"
        # The request id (generated: 32 hex digits) in the log and the response; the route by pattern or name.
        assert re.fullmatch(r"[0-9a-f]{32}", entry["request_id"]) and headers["x-request-id"] == entry["request_id"]
        assert entry["route"] == "items/<int:item_id>"  # no URL name: the pattern as written


def test_request_ids_are_kept_from_the_client_or_generated():
    with LiveServer(["--access-log", "json"]) as live:
        _, headers, _ = get(live, "/headers", headers={"X-Request-ID": "edge-42"})
        assert headers["x-request-id"] == "edge-42"
        _, headers, _ = get(live, "/headers", headers={"X-Request-ID": "x" * 500})  # unusable: replaced
        assert re.fullmatch(r"[0-9a-f]{32}", headers["x-request-id"])
        ids = {get(live, "/hello")[1]["x-request-id"] for _ in range(20)}
        assert len(ids) == 20
        assert wait_for(lambda: any('"request_id":"edge-42"' in line for line in live.output))


def test_reload_restarts_on_code_change(tmp_path):
    watched = tmp_path / "watched"
    watched.mkdir()
    with LiveServer(["--reload", "--reload-dir", str(watched)]) as live:
        assert wait_for(lambda: len(re.findall(r"Bolt worker process \d+", "".join(live.output))) == 1)
        changed = lambda: "code changed" in "".join(live.output)  # noqa: E731
        for attempt in range(10):  # the watcher thread may still be starting: touch until it notices
            (watched / "module.py").write_text(f"VALUE = {attempt}\n")
            if wait_for(changed, timeout=3):
                break
        assert changed()
        assert wait_for(lambda: len(re.findall(r"Bolt worker process \d+", "".join(live.output))) == 2)
        assert wait_for(lambda: get_ok(live))


def get_ok(live):
    try:
        return get(live, "/hello", timeout=2)[0] == 200
    except OSError:
        return False


async def _async_view(request):
    return {}


def _sync_view(request):
    return {}


def test_sync_views_are_refused_at_start_up_with_a_clear_message():
    with pytest.raises(ImproperlyConfigured, match=r"_sync_view .*synchronous.*async def"):
        build_engine([path("ok", _async_view), path("bad", _sync_view)])


async def _failing(request):
    raise ValueError("secret detail")


@pytest.mark.parametrize("debug", [False, True])
def test_500_body_has_traceback_only_in_debug(debug):
    client = BoltClient(engine=build_engine([path("fail", _failing)], debug=debug))
    response = client.get("/fail")
    assert response.status_code == 500
    body = response.json()
    assert body["detail"] == "Internal Server Error"
    if debug:
        assert body["exception"] == "ValueError: secret detail"
        assert "Traceback" in body["traceback"]
    else:
        assert set(body) == {"detail"}


def test_http_keep_alive_reuses_the_connection():
    with LiveServer() as live:
        conn = http.client.HTTPConnection(live.host, live.port, timeout=5)
        for _ in range(5):
            conn.request("GET", "/hello")
            assert conn.getresponse().read() == b'{"message":"Hello, world!"}'
        conn.close()


def test_inline_sync_mode_runs_blocking_work_on_the_worker_thread(settings):
    import threading

    from django_bolt.sync import run_sync

    seen = {}

    async def view(request):
        seen["worker"] = threading.get_ident()
        seen["bridge"] = await run_sync(threading.get_ident)
        return {}

    # The transport directly, without inline_sync(): the setting alone decides.
    transport = BoltClient(engine=build_engine([path("t", view)])).transport
    transport.request("GET", "/t", [], b"", None)
    assert seen["bridge"] != seen["worker"]
    settings.BOLT = {"SYNC_MODE": "inline"}
    transport.request("GET", "/t", [], b"", None)
    assert seen["bridge"] == seen["worker"]
    settings.BOLT = {"SYNC_MODE": "bogus"}
    assert transport.request("GET", "/t", [], b"", None)[0] == 500


async def _echo_length(request):
    return {"length": len(request.body)}


@pytest.mark.parametrize("holder", ["BOLT", "REST_FRAMEWORK"])
def test_engine_limits_come_from_the_settings(settings, holder):
    setattr(settings, holder, {"MAX_BODY_SIZE": 10, "MAX_URI_LENGTH": 40})
    client = BoltClient(engine=build_engine([path("len", _echo_length)]))
    assert client.post("/len", data=b"x" * 10, content_type="text/plain").json() == {"length": 10}
    assert client.post("/len", data=b"x" * 11, content_type="text/plain").status_code == 413
    assert client.get("/len?" + "q" * 40).status_code == 414


def test_reload_waits_for_a_fix_after_a_syntax_error(tmp_path, monkeypatch):
    # The settings import a module of the watched directory, so a syntax error there breaks a child's start-up.
    watched = tmp_path / "watched"
    watched.mkdir()
    (watched / "reloadable.py").write_text("VALUE = 1\n")
    (tmp_path / "reload_settings.py").write_text("from tests.settings import *  # noqa\nimport reloadable  # noqa\n")
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(tmp_path), str(watched), os.environ.get("PYTHONPATH", "")]))
    workers = lambda: len(re.findall(r"Bolt worker process \d+", "".join(live.output)))  # noqa: E731
    with LiveServer(["--reload", "--reload-dir", str(watched)], settings_module="reload_settings") as live:
        assert wait_for(lambda: workers() == 1)
        broken = lambda: "does not start" in "".join(live.output)  # noqa: E731
        for attempt in range(10):  # the watcher thread may still be starting: write until it notices
            (watched / "reloadable.py").write_text(f"VALUE = {attempt}\ndef broken(:\n")
            if wait_for(broken, timeout=5):
                break
        assert broken(), "".join(live.output)[-3000:]
        assert "giving up" not in "".join(live.output)
        assert get_ok(live)  # the previous code keeps serving meanwhile
        (watched / "reloadable.py").write_text("VALUE = 2\n")
        assert wait_for(lambda: workers() >= 2, timeout=30), "".join(live.output)[-3000:]
        assert wait_for(lambda: get_ok(live))


async def _request_id_view(request):
    return {"id": request.headers.get("X-Request-ID"), "meta": request.META.get("HTTP_X_REQUEST_ID")}


def test_views_see_the_request_id():
    client = BoltClient(engine=build_engine([path("rid", _request_id_view)]))
    response = client.get("/rid", headers={"X-Request-ID": "abc-1"})
    assert response.json() == {"id": "abc-1", "meta": "abc-1"} and response["X-Request-ID"] == "abc-1"
    generated = client.get("/rid")
    assert generated.json()["id"] == generated["X-Request-ID"]
