"""
pytest fixtures: `bolt_client` (in-process, through the Rust pipeline), `bolt_live_server` (real runbolt), and
`both_api_client`, which runs a DRF-style test once against the DRF version of the project (DRF's `APIClient`,
`ROOT_URLCONF`) and once against the Bolt version (`BoltClient`, `ROOT_BOLTCONF`): the test asserts the same status,
body and database state on both, which is what "the endpoint moved unchanged" means.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

_STARTUP = re.compile(r"Bolt serving on http://(?P<host>[^:\s]+):(?P<port>\d+)")


class LiveServer:
    """A `manage.py runbolt` child process; `url` is its base URL. Stop it with `stop()` (SIGTERM)."""

    def __init__(self, args: list[str] | None = None, settings_module: str | None = None, cwd: str | None = None):
        self.args = list(args or [])
        self.settings_module = settings_module or os.environ.get("DJANGO_SETTINGS_MODULE", "")
        self.cwd = cwd or os.getcwd()
        self.process: subprocess.Popen[str] | None = None
        self.host = "127.0.0.1"
        self.port = 0
        self.output: list[str] = []
        self._ready = threading.Event()

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self, timeout: float = 60.0) -> LiveServer:
        env = dict(os.environ)
        env["DJANGO_SETTINGS_MODULE"] = self.settings_module
        env["PYTHONPATH"] = os.pathsep.join([self.cwd, *filter(None, [env.get("PYTHONPATH")])])
        env["PYTHONUNBUFFERED"] = "1"
        command = [sys.executable, "-m", "django", "runbolt", "--host", "127.0.0.1", *self.args]
        if "--port" not in self.args:
            command += ["--port", "0"]
        self.process = subprocess.Popen(
            command, cwd=self.cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        threading.Thread(target=self._read_output, daemon=True).start()
        if not self._ready.wait(timeout):
            self.stop()
            raise RuntimeError("runbolt did not start:\n" + "".join(self.output))
        return self

    def _read_output(self) -> None:
        assert self.process is not None and self.process.stdout is not None
        for line in self.process.stdout:
            self.output.append(line)
            match = _STARTUP.search(line)
            if match and not self._ready.is_set():
                self.host, self.port = match["host"], int(match["port"])
                self._ready.set()

    def signal(self, signum: int) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signum)

    def stop(self, timeout: float = 30.0) -> int | None:
        if self.process is None:
            return None
        self.signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return self.process.wait()

    def __enter__(self) -> LiveServer:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()


@pytest.fixture
def bolt_client(db: Any) -> Any:
    """A `BoltClient` for `settings.ROOT_BOLTCONF`, with database access."""
    from django_bolt.test import BoltClient

    return BoltClient()


@pytest.fixture
def bolt_live_server() -> Iterator[LiveServer]:
    """A real `runbolt` process serving `settings.ROOT_BOLTCONF` on a free port."""
    project_root = str(Path.cwd())
    server = LiveServer(cwd=project_root).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(params=["drf", "bolt"])
def api_implementation(request: Any) -> str:
    """Which version ``both_api_client`` talks to: ``"drf"`` or ``"bolt"`` (the test runs once for each)."""
    return request.param


@pytest.fixture
def bolt_api_engine() -> Any:
    """The engine of the ``"bolt"`` runs; ``None`` compiles ``ROOT_BOLTCONF`` per test. Override it with a
    session-scoped fixture returning ``django_bolt.conf.build_engine()`` to compile once."""
    return None


@pytest.fixture
def both_api_client(api_implementation: str, bolt_api_engine: Any, db: Any) -> Any:
    """DRF's ``APIClient`` or a ``BoltClient`` (same API: ``credentials``, ``force_authenticate``, ``format=``…)."""
    if api_implementation == "drf":
        from rest_framework.test import APIClient

        return APIClient()
    from django_bolt.test import BoltClient

    return BoltClient(engine=bolt_api_engine)
