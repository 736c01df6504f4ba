"""A real runbolt process: graceful drain, child replacement, limits over a socket, parity with the test client."""

import http.client
import re
import signal
import socket
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from django_bolt.pytest_plugin import LiveServer
from django_bolt.test import BoltClient

from .live import wait_for

pytestmark = pytest.mark.live


def get(server, path, method="GET", body=None, headers=None, timeout=10):
    conn = http.client.HTTPConnection(server.host, server.port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def raw_exchange(server, payload: bytes, timeout=5.0) -> bytes:
    with socket.create_connection((server.host, server.port), timeout=timeout) as sock:
        sock.sendall(payload)
        chunks = []
        try:
            while True:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                chunks.append(chunk)
        except TimeoutError:
            pass
        return b"".join(chunks)


@pytest.fixture(scope="module")
def server():
    with LiveServer(["--drain-timeout", "10"]) as live:
        yield live


def test_serves_hello(server):
    status, headers, body = get(server, "/hello")
    assert (status, body) == (200, b'{"message":"Hello, world!"}')


def test_a_converter_refusing_the_path_passes_it_on_over_http(server):
    assert get(server, "/parity/3")[2] == b'{"number":3,"parity":"odd"}'
    assert get(server, "/parity/8")[2] == b'{"number":8,"parity":"even"}'
    status, _, body = get(server, "/only-even/3")  # no route after it: Django's 404
    assert status == 404 and b"<h1>Not Found</h1>" in body


def test_oversize_and_malformed_requests_get_4xx_and_server_keeps_serving(server):
    status, _, body = get(server, "/echo", "POST", body=b"x" * (2_621_440 + 1), headers={"Content-Type": "text/plain"})
    assert status == 413 and b"too large" in body
    status, _, _ = get(server, "/hello?" + "a" * 9000)
    assert status == 414
    status, _, _ = get(server, "/hello", headers={f"X-H{i}": "v" for i in range(80)})
    assert status == 431
    status, _, _ = get(server, "/hello", headers={"X-Big": "v" * 20_000})
    assert status == 431
    assert raw_exchange(server, b"THIS IS NOT HTTP\r\n\r\n").startswith(b"HTTP/1.1 400")
    # chunked body over the limit, without Content-Length
    chunked = b"POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
    chunk = b"x" * 1_000_000
    chunked += b"".join(b"%x\r\n%s\r\n" % (len(chunk), chunk) for _ in range(3)) + b"0\r\n\r\n"
    assert raw_exchange(server, chunked).startswith(b"HTTP/1.1 413")
    assert get(server, "/hello")[0] == 200


def test_slow_client_headers_time_out(server):
    start = time.monotonic()
    reply = raw_exchange(server, b"GET /hello HTTP/1.1\r\nHost: x\r\n", timeout=15)
    assert time.monotonic() - start < 12
    assert reply == b"" or reply.startswith(b"HTTP/1.1 408")
    assert get(server, "/hello")[0] == 200


def test_pipelined_requests_on_one_connection(server):
    request = b"GET /hello HTTP/1.1\r\nHost: x\r\n\r\n"
    reply = raw_exchange(server, request * 3 + b"GET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    assert reply.count(b"HTTP/1.1 200 OK") == 4


def test_test_client_and_live_server_answer_identically(server):
    client = BoltClient()
    cases = [
        ("GET", "/hello", None, {}),
        ("GET", "/nope", None, {}),
        ("DELETE", "/only-get", None, {}),
        ("HEAD", "/only-get", None, {}),
        ("GET", "/items/7", None, {}),
        ("GET", "/slow/3/", None, {}),
        ("GET", "/boom", None, {}),
        ("GET", "/stream", None, {}),
        ("GET", "/headers", None, {"X-Custom": "a"}),
        ("POST", "/echo?q=1", b"payload", {"Content-Type": "text/plain"}),
    ]
    ignored = {"date", "content-length", "transfer-encoding", "connection"}
    for method, path, body, headers in cases:
        headers = {**headers, "X-Request-ID": f"case-{path}"}  # else each side generates its own
        live_status, live_headers, live_body = get(server, path, method, body=body, headers=headers)
        local = client.generic(method, path, data=body, content_type=headers.get("Content-Type"), headers=headers)
        if path.startswith("/echo"):  # the peer address differs by nature
            live_body = re.sub(rb'"client":\[[^]]*\]', b"", live_body)
            local_body = re.sub(rb'"client":\[[^]]*\]', b"", local.content)
        else:
            local_body = local.content
        assert (local.status_code, local_body) == (live_status, live_body), path
        live_h = {k.lower(): v for k, v in live_headers.items() if k.lower() not in ignored}
        local_h = {k.lower(): v for k, v in local.headers.items() if k.lower() not in ignored}
        assert local_h == live_h, path


def test_sigterm_during_load_drops_no_in_flight_request():
    live = LiveServer(["--drain-timeout", "10"]).start()
    try:
        with ThreadPoolExecutor(max_workers=20) as pool:
            futures = [pool.submit(get, live, "/slow/400/") for _ in range(20)]
            time.sleep(0.15)
            live.signal(signal.SIGTERM)
            results = [f.result() for f in futures]
        assert [status for status, _, _ in results] == [200] * 20
        assert live.process.wait(20) == 0
        with pytest.raises(OSError):
            get(live, "/hello", timeout=1)
    finally:
        live.stop()


def _worker_pids(live):
    return [int(m) for m in re.findall(r"Bolt worker process (\d+) listening", "".join(live.output))]


def test_killed_child_is_replaced_and_sigterm_drains_all():
    live = LiveServer(["--processes", "2", "--drain-timeout", "10"]).start()
    try:
        assert wait_for(lambda: len(_worker_pids(live)) == 2)
        victim = _worker_pids(live)[0]
        import os

        os.kill(victim, signal.SIGKILL)
        assert wait_for(lambda: len(_worker_pids(live)) == 3)
        assert f"child {victim} died" in "".join(live.output)
        for _ in range(10):
            assert get(live, "/hello")[0] == 200
        live.signal(signal.SIGTERM)
        assert live.process.wait(30) == 0
    finally:
        live.stop()


def test_child_killed_under_load_loses_only_its_own_connections():
    import os

    live = LiveServer(["--processes", "2", "--drain-timeout", "5"]).start()
    outcomes: list[tuple[float, bool]] = []
    try:
        assert wait_for(lambda: len(_worker_pids(live)) == 2)
        started = time.monotonic()

        def client(n: int) -> None:
            while time.monotonic() - started < 5:
                try:
                    ok = get(live, "/hello", timeout=5)[0] == 200
                except OSError:
                    ok = False
                outcomes.append((time.monotonic() - started, ok))

        with ThreadPoolExecutor(max_workers=8) as pool:
            futures = [pool.submit(client, n) for n in range(8)]
            time.sleep(1)
            os.kill(_worker_pids(live)[0], signal.SIGKILL)
            for future in futures:
                future.result()
        failed = [at for at, ok in outcomes if not ok]
        print(f"\nkill -9 under load: {len(outcomes)} requests, {len(failed)} failed")
        # Only connections the killed child held at that moment (at most one per client) can fail; the other
        # child takes the queue at once and the replacement joins; the last seconds are all served.
        assert len(failed) <= 8 and all(1 <= at < 2.5 for at in failed)
        assert "died" in "".join(live.output) and wait_for(lambda: len(_worker_pids(live)) == 3)
    finally:
        live.stop()


def test_max_requests_recycles_the_process():
    live = LiveServer(["--max-requests", "5", "--drain-timeout", "5"]).start()
    try:
        # Spawn-first on a shared socket: no request is refused while children are replaced.
        deadline = time.monotonic() + 30
        while len(_worker_pids(live)) < 3 and time.monotonic() < deadline:
            assert get(live, "/hello")[0] == 200
            time.sleep(0.02)
        assert len(_worker_pids(live)) >= 3, "".join(live.output)[-3000:]
        assert "served 5 requests; starting its successor first" in "".join(live.output)
        assert "died" not in "".join(live.output)  # recycling is not a crash
    finally:
        live.stop()


@pytest.mark.parametrize("processes", ["1", "2"])  # one socket; a socket per slot, inherited by the successor
def test_recycling_under_load_loses_no_connection(processes):
    from concurrent.futures import ThreadPoolExecutor

    args = ["--max-requests", "40", "--max-requests-jitter", "10", "--workers", "2", "--drain-timeout", "5"]
    args += ["--processes", processes]
    failures: list[str] = []
    live = LiveServer(args).start()

    stop_at = time.monotonic() + 8  # long enough for several children to start and retire

    def client(n: int) -> int:
        ok = 0
        while time.monotonic() < stop_at:  # a new connection each time: accepts happen throughout the recycles
            try:
                status = get(live, "/hello", timeout=10)[0]
            except OSError as error:
                failures.append(repr(error))
                continue
            if status == 200:
                ok += 1
            else:
                failures.append(str(status))
        return ok

    try:
        with ThreadPoolExecutor(max_workers=12) as pool:
            served = sum(pool.map(client, range(12)))
        recycles = "".join(live.output).count("starting its successor first")
        print(f"\nrecycling under load: {served} requests, {recycles} recycles, {len(failures)} failed")
        assert failures == [] and served > 0
        assert recycles >= 3
    finally:
        live.stop()


@pytest.mark.parametrize(
    "payload",
    [
        b"GET /hell%ff%fe HTTP/1.1\r\nHost: x\r\n\r\n",  # invalid UTF-8 after decoding
        b"GET /items/%00 HTTP/1.1\r\nHost: x\r\n\r\n",
        b"GET /echo?a=%zz&b=%ff HTTP/1.1\r\nHost: x\r\n\r\n",  # bad escapes in the query
        b"GET /echo HTTP/1.1\r\nHost: x\r\nX-Latin: caf\xe9\r\n\r\n",  # non-ASCII header bytes
        b"GET http://x/hello HTTP/1.1\r\nHost: x\r\n\r\n",  # absolute-form target
        b"OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n",
        b"GET /hello HTTP/1.0\r\n\r\n",
        b"BREW /hello HTTP/1.1\r\nHost: x\r\n\r\n",  # unknown method
        b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
        b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\nContent-Length: 3\r\n\r\nabc",
        b"POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        b"GET /" + b"a" * 70_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n",
        b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + b"\x00" * 64,  # a TLS hello
    ],
)
def test_malformed_requests_never_take_the_server_down(server, payload):
    reply = raw_exchange(server, payload, timeout=3)
    if reply:
        status = int(reply.split(b" ", 2)[1])
        assert status < 500 or status == 505, reply[:200]
    assert get(server, "/hello")[0] == 200
