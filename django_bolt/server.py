"""Running the engine: one serving process, or a supervisor with N processes sharing the port.

Processes, not threads, scale across cores (one GIL each). Children bind the same port with SO_REUSEPORT and the
kernel spreads connections between them. The supervisor restarts a child that dies, restarts all of them when code
changes (`--reload`), and on SIGTERM/SIGINT asks each to drain: stop accepting, finish in-flight requests within the
drain timeout, exit 0.
"""

from __future__ import annotations

import gc
import logging
import os
import select
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from typing import Any, TextIO

from django_bolt._engine import Server, ServerConfig

logger = logging.getLogger("django_bolt.server")

# A child that dies this soon after starting, this many times in a row, means the server cannot start.
_CRASH_WINDOW_SECS = 2.0
_CRASH_LIMIT = 5


@dataclass
class ServeOptions:
    host: str = "127.0.0.1"
    port: int = 8000
    processes: int = 1
    workers: int = 1
    backlog: int = 1024
    max_requests: int = 0
    reload: bool = False
    access_log: str | None = None
    drain_timeout: int = 30
    keep_alive: float = 5.0
    request_timeout: float = 5.0
    child: bool = False
    extra_watch: list[str] = field(default_factory=list)

    def server_config(self, reuse_port: bool) -> ServerConfig:
        return ServerConfig(
            host=self.host,
            port=self.port,
            workers=self.workers,
            backlog=self.backlog,
            reuse_port=reuse_port,
            keep_alive_secs=self.keep_alive,
            client_request_timeout_secs=self.request_timeout,
            shutdown_timeout_secs=self.drain_timeout,
            max_requests=self.max_requests,
            access_log=self.access_log,
        )

    def child_args(self) -> list[str]:
        args = [
            "--host", self.host, "--port", str(self.port), "--workers", str(self.workers),
            "--backlog", str(self.backlog), "--max-requests", str(self.max_requests),
            "--drain-timeout", str(self.drain_timeout), "--keep-alive", str(self.keep_alive),
            "--request-timeout", str(self.request_timeout), "--child",
        ]  # fmt: skip
        if self.access_log:
            args += ["--access-log", self.access_log]
        return args


def startup_line(host: str, port: int, processes: int, workers: int, routes: int) -> str:
    return f"Bolt serving on http://{host}:{port} (processes: {processes}, workers: {workers}, routes: {routes})"


def serve_in_process(engine: Any, options: ServeOptions, out: TextIO, route_count: int) -> int:
    """Serve until SIGTERM/SIGINT (graceful) or until `max_requests` is reached."""
    # Everything built so far (Django, the app, the routes) lives as long as the process: move it out of the
    # collector's sight so that collections triggered by per-request garbage stay short.
    gc.collect()
    gc.freeze()
    server = Server.start(engine, options.server_config(reuse_port=options.child))
    host, port = server.address

    def stop(signum: int, frame: Any) -> None:
        server.stop(graceful=True)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    if options.child:
        out.write(f"Bolt worker process {os.getpid()} listening on {host}:{port}\n")
        _tell_supervisor_ready()
    else:
        out.write(startup_line(host, port, 1, options.workers, route_count) + "\n")
    out.flush()
    # Wake up regularly so Python can run the signal handlers.
    while not server.wait(0.2):
        pass
    return 0


def _free_port(host: str) -> int:
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


_READY_FD = "BOLT_READY_FD"


def _tell_supervisor_ready() -> None:
    """A child is listening: one byte on the pipe the supervisor handed it (if any)."""
    fd = os.environ.pop(_READY_FD, None)
    if fd is not None:
        try:
            os.write(int(fd), b"1")
            os.close(int(fd))
        except OSError:
            pass


def _wait_ready(read_fd: int, count: int, timeout: float) -> bool:
    """Wait until ``count`` children have said they listen (a port that answers may be only the first one's)."""
    deadline = time.monotonic() + timeout
    received = 0
    while received < count:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return False
        readable, _, _ = select.select([read_fd], [], [], remaining)
        if not readable:
            return False
        chunk = os.read(read_fd, count - received)
        if not chunk:  # every writer closed without a word: children died
            return False
        received += len(chunk)
    return True


def _wait_listening(host: str, port: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((host, port), timeout=0.5):
                return True
        except OSError:
            time.sleep(0.05)
    return False


class Supervisor:
    """Starts N children, replaces dead ones, restarts on code change, drains on SIGTERM/SIGINT."""

    def __init__(self, options: ServeOptions, command_prefix: list[str], env: dict[str, str], out: TextIO):
        self.options = options
        self.command_prefix = command_prefix
        self.env = env
        self.out = out
        self.children: dict[int, tuple[subprocess.Popen[bytes], float]] = {}
        self.stopping = threading.Event()
        self.restart_requested = threading.Event()
        self.fast_failures = 0

    def log(self, message: str) -> None:
        self.out.write(f"[bolt supervisor] {message}\n")
        self.out.flush()

    def spawn(self, ready_fd: int | None = None) -> None:
        command = [*self.command_prefix, *self.options.child_args()]
        env = self.env if ready_fd is None else {**self.env, _READY_FD: str(ready_fd)}
        pass_fds = () if ready_fd is None else (ready_fd,)
        process = subprocess.Popen(command, env=env, pass_fds=pass_fds)
        self.children[process.pid] = (process, time.monotonic())

    def signal_children(self, signum: int) -> None:
        for process, _ in list(self.children.values()):
            if process.poll() is None:
                process.send_signal(signum)

    def drain(self) -> None:
        """Ask every child to finish in-flight work; kill what is still alive after the drain timeout."""
        self.signal_children(signal.SIGTERM)
        deadline = time.monotonic() + self.options.drain_timeout + 5
        for process, _ in list(self.children.values()):
            try:
                process.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                self.log(f"child {process.pid} did not stop in time; killing it")
                process.kill()
                process.wait()
        self.children.clear()

    def reap(self) -> int | None:
        """Replace children that exited. Returns an exit code when the server must give up."""
        for pid, (process, started) in list(self.children.items()):
            code = process.poll()
            if code is None:
                continue
            del self.children[pid]
            if self.stopping.is_set():
                continue
            if code == 0:
                self.log(f"child {pid} exited after its request budget; starting a new one")
            else:
                self.log(f"child {pid} died (exit code {code}); starting a new one")
            self.fast_failures = self.fast_failures + 1 if time.monotonic() - started < _CRASH_WINDOW_SECS else 0
            if self.fast_failures >= _CRASH_LIMIT:
                self.log("children keep dying at start-up; giving up")
                return 1
            self.spawn()
        return None

    def watch_code(self, paths: list[str]) -> None:
        from watchfiles import PythonFilter, watch

        for changes in watch(*paths, watch_filter=PythonFilter(), stop_event=self.stopping):
            names = sorted({os.path.relpath(path) for _, path in changes})
            self.log(f"code changed ({', '.join(names[:3])}{'…' if len(names) > 3 else ''}); restarting")
            self.restart_requested.set()

    def run(self, route_count: int) -> int:
        def request_stop(signum: int, frame: Any) -> None:
            self.stopping.set()

        signal.signal(signal.SIGTERM, request_stop)
        signal.signal(signal.SIGINT, request_stop)
        if self.options.reload:
            paths = [os.getcwd(), *self.options.extra_watch]
            threading.Thread(target=self.watch_code, args=(paths,), daemon=True).start()
        read_fd, write_fd = os.pipe()
        for _ in range(self.options.processes):
            self.spawn(write_fd)
        os.close(write_fd)
        try:
            ready = _wait_ready(read_fd, self.options.processes, 60)
        finally:
            os.close(read_fd)
        if not ready or not _wait_listening(self.options.host, self.options.port, 10):
            self.log("children did not start listening")
            self.stopping.set()
            self.drain()
            return 1
        self.out.write(
            startup_line(
                self.options.host, self.options.port, self.options.processes, self.options.workers, route_count
            )
            + "\n"
        )
        self.out.flush()
        while not self.stopping.is_set():
            if self.restart_requested.is_set():
                self.restart_requested.clear()
                self.drain()
                for _ in range(self.options.processes):
                    self.spawn()
            code = self.reap()
            if code is not None:
                self.stopping.set()
                self.drain()
                return code
            self.stopping.wait(0.1)
        self.drain()
        self.log("stopped")
        return 0


def supervise(options: ServeOptions, settings_module: str, out: TextIO, route_count: int) -> int:
    if options.port == 0:
        options.port = _free_port(options.host)
    env = dict(os.environ)
    env["DJANGO_SETTINGS_MODULE"] = settings_module
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [os.getcwd(), sys.path[0], env.get("PYTHONPATH")]))
    script = sys.argv[0]
    if script.endswith("__main__.py") or not os.path.exists(script):
        prefix = [sys.executable, "-m", "django", "runbolt"]
    else:
        prefix = [sys.executable, script, "runbolt"]
    return Supervisor(options, prefix, env, out).run(route_count)
