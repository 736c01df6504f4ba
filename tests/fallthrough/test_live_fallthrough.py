"""runbolt serves a whole Django + DRF project: the same requests to runbolt and to gunicorn (one worker each,
same settings, same database) get the same status, headers that matter and body; the admin login works in a
browser-like session; a large FileResponse streams with bounded memory; sync views run on the sync bridge."""

from __future__ import annotations

import http.client
import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from django_bolt.pytest_plugin import LiveServer

pytestmark = pytest.mark.live

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = "tests.fallthrough.settings"
HEADERS_THAT_MATTER = ("content-type", "location", "allow", "www-authenticate", "x-frame-options", "vary")


def manage(*args: str, env: dict) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "django", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Gunicorn:
    def __init__(self, env: dict) -> None:
        self.host, self.port = "127.0.0.1", free_port()
        gunicorn = str(Path(sys.executable).parent / "gunicorn")
        command = [gunicorn, "-w", "1", "-b", f"{self.host}:{self.port}", "tests.fallthrough.wsgi"]
        self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection((self.host, self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("gunicorn did not start")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(10)


def exchange(server, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
    conn = http.client.HTTPConnection(server.host, server.port, timeout=30)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        pairs = [(k.lower(), v) for k, v in response.getheaders()]
        return response.status, pairs, response.read()
    finally:
        conn.close()


CASES = [
    ("GET", "/drf/items/", None, {"Accept": "application/json"}),
    ("GET", "/drf/items/1/", None, {"Accept": "application/json"}),
    ("GET", "/drf/items/999/", None, {"Accept": "application/json"}),
    ("GET", "/drf/", None, {"Accept": "application/json"}),
    ("POST", "/drf/items/", b'{"name": "x"}', {"Content-Type": "application/json"}),
    ("DELETE", "/drf/items/1/", None, {}),
    ("OPTIONS", "/drf/items/", None, {"Accept": "application/json"}),
    ("GET", "/drf/items/", None, {"Authorization": "Token nope", "Accept": "application/json"}),
    ("GET", "/drf/items/?format=api", None, {}),
    ("GET", "/plain/async/", None, {}),
    ("GET", "/plain/stream/", None, {}),
    ("GET", "/plain/astream/", None, {}),
    ("GET", "/plain/redirect/", None, {}),
    ("GET", "/plain/sync", None, {}),
    ("POST", "/plain/sync", None, {}),
    ("GET", "/plain/boom/", None, {}),
    ("GET", "/plain/cookie/", None, {}),
    ("GET", "/plain/file/1/", None, {}),
    ("GET", "/no/such/page/", None, {}),
    ("GET", "/admin/", None, {}),
    ("GET", "/admin/login/", None, {}),
    ("GET", "/api-auth/login/", None, {}),
    ("GET", "/plain/sync/", None, {"Host": "evil.example"}),
    ("GET", "/plain/sync/", None, {"Host": "127.0.0.1:1:2"}),
    ("PUT", "/plain/upload/", b"x", {"Content-Type": "text/plain"}),
]


def normalise(body: bytes) -> bytes:
    # CSRF tokens differ on every request, on any server; the two servers listen on different ports.
    body = re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"csrf", body)
    body = re.sub(rb'"csrfToken": "[^"]+"', b"csrf", body)
    return re.sub(rb"127\.0\.0\.1:[0-9]+", b"127.0.0.1:PORT", body)


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    database = tmp_path_factory.mktemp("fallthrough") / "db.sqlite3"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": SETTINGS, "FALLTHROUGH_DB": str(database)}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])
    manage("migrate", "--noinput", env=env)
    script = (
        "from tests.app.models import Item; from django.contrib.auth.models import User;"
        "[Item.objects.create(name=f'item{i}', price='1.50', quantity=i) for i in range(3)];"
        "User.objects.create_superuser('admin', 'a@example.com', 'secret')"
    )
    manage("shell", "-c", script, env=env)
    old = {key: os.environ.get(key) for key in ("FALLTHROUGH_DB",)}
    os.environ["FALLTHROUGH_DB"] = str(database)
    gunicorn = Gunicorn(env)
    bolt = LiveServer(["--workers", "1"], settings_module=SETTINGS, cwd=str(ROOT)).start()
    try:
        yield bolt, gunicorn
    finally:
        bolt.stop()
        gunicorn.stop()
        for key, value in old.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@pytest.mark.parametrize("case", CASES, ids=[f"{m} {p}" for m, p, _, h in CASES])
def test_same_answer_as_gunicorn(servers, case):
    bolt, gunicorn = servers
    method, path, body, headers = case
    expected = exchange(gunicorn, method, path, body, headers)
    got = exchange(bolt, method, path, body, headers)
    assert got[0] == expected[0]
    for name in HEADERS_THAT_MATTER:
        assert [v for k, v in got[1] if k == name] == [v for k, v in expected[1] if k == name], name
    cookie_names = [sorted(v.split("=")[0] for k, v in pairs if k == "set-cookie") for pairs in (got[1], expected[1])]
    assert cookie_names[0] == cookie_names[1]
    assert normalise(got[2]) == normalise(expected[2])


def test_bolt_route_and_sync_views_on_the_bridge(servers):
    bolt, _ = servers
    assert exchange(bolt, "GET", "/bolt/hello")[2] == b'{"served_by":"bolt"}'
    status, _, body = exchange(bolt, "GET", "/plain/sync/")
    assert status == 200 and b'"thread": "bolt-sync_' in body


def test_protections_on_bolt_routes_over_the_socket(servers):
    bolt, gunicorn = servers
    for path in ("/bolt/hello", "/plain/async/"):  # a Bolt route, and the Django view as the reference
        status, headers, _ = exchange(bolt, "GET", path, headers={"Origin": "https://app.example.com"})
        found = dict(headers)
        assert status == 200
        assert found["x-frame-options"] == "DENY" and found["x-content-type-options"] == "nosniff"
        assert found["access-control-allow-origin"] == "https://app.example.com"
        status, headers, body = exchange(bolt, "GET", path, headers={"Host": "evil.example"})
        assert status == 400 and b"Bad Request (400)" in body
    preflight = {"Origin": "https://app.example.com", "Access-Control-Request-Method": "POST"}
    bolt_answer = exchange(bolt, "OPTIONS", "/bolt/hello", headers=preflight)
    django_answer = exchange(gunicorn, "OPTIONS", "/plain/async/", headers=preflight)
    cors = lambda answer: sorted((k, v) for k, v in answer[1] if k.startswith("access-control"))  # noqa: E731
    assert (bolt_answer[0], cors(bolt_answer)) == (django_answer[0], cors(django_answer))
    status, headers, _ = exchange(bolt, "GET", "/bolt/items?page=2")
    assert (status, dict(headers)["location"]) == (301, "/bolt/items/?page=2")


def test_admin_login_session(servers):
    bolt, _ = servers
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    form = opener.open(f"{bolt.url}/admin/login/?next=/admin/", timeout=10).read()
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1).decode()
    data = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "username": "admin", "password": "secret", "next": "/admin/"}
    ).encode()
    request = urllib.request.Request(f"{bolt.url}/admin/login/?next=/admin/", data=data)
    request.add_header("Referer", f"{bolt.url}/admin/login/")
    with opener.open(request, timeout=10) as page:  # follows the 302 to /admin/
        assert page.url == f"{bolt.url}/admin/"
        assert b"Site administration" in page.read()
    assert {cookie.name for cookie in jar} == {"csrftoken", "sessionid"}


def rss_kib(pid: int) -> int:
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    total = 0
    for each in [pid, *map(int, children)]:
        for line in Path(f"/proc/{each}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return total


def test_large_file_streams_with_bounded_memory(servers):
    bolt, _ = servers
    exchange(bolt, "GET", "/plain/file/1/")  # warm up
    before = rss_kib(bolt.process.pid)
    conn = http.client.HTTPConnection(bolt.host, bolt.port, timeout=60)
    conn.request("GET", "/plain/file/256/")
    response = conn.getresponse()
    assert response.status == 200 and response.getheader("Content-Length") == str(256 << 20)
    received, peak = 0, before
    while chunk := response.read(1 << 20):
        received += len(chunk)
        if received % (32 << 20) < (1 << 20):
            peak = max(peak, rss_kib(bolt.process.pid))
            time.sleep(0.05)  # a slow reader: the server must wait, not buffer
    conn.close()
    assert received == 256 << 20
    assert peak - before < 64 * 1024, f"RSS grew by {(peak - before) // 1024} MiB while streaming 256 MiB"
