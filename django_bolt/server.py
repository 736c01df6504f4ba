"""Running the engine: one serving process, or a supervisor with N processes sharing the port.

Processes, not threads, scale across cores (one GIL each). The supervisor owns the listening sockets, one per child
slot on Linux (``utils.listeners``: the kernel spreads connections evenly), for the server's life; a slot's
successor accepts from its socket, so nothing queued is refused while children come and go. Replacement is
spawn-first: a child that has served its `--max-requests` (plus jitter) or grown past `--max-rss` asks to be
recycled, and the supervisor starts its successor, waits until it accepts, then asks the old one to drain (stop
accepting, finish in-flight requests within the drain timeout, exit 0). The same goes for all children when code
changes (`--reload`); if the new code does not start, the previous children keep serving and the supervisor waits
for the next change, as runserver does. A child that dies is replaced; children that keep dying at start-up stop
the server (or, with `--reload`, wait for a code change). The pipes between them: ``utils.supervision``.
"""

from __future__ import annotations

import gc
import logging
import os
import random
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TextIO

from django_bolt import sync
from django_bolt._engine import Server, ServerConfig, fold_metrics, report_sync_bridge
from django_bolt.utils import scheduling
from django_bolt.utils.listeners import Listeners
from django_bolt.utils.supervision import (
    CONTROL_FD,
    READY_FD,
    control_fd,
    tell_supervisor,
    tell_supervisor_ready,
    wait_ready,
)

logger = logging.getLogger("django_bolt.server")

# A child that dies this soon after starting, this many times in a row, means the server cannot start.
_CRASH_WINDOW_SECS = 2.0
_CRASH_LIMIT = 5
# A retiring child pauses accepting this long before it drains: connections it accepted just before get served.
_PAUSE_BEFORE_STOP = 1.0


@dataclass
class ServeOptions:
    host: str = "127.0.0.1"
    port: int = 8000
    processes: int = 1
    workers: int = 1
    backlog: int = 1024
    max_requests: int = 0
    # Each child's budget is max_requests plus a random 0..jitter, so children do not all recycle at once.
    max_requests_jitter: int = 0
    # Recycle a child whose resident memory exceeds this many MiB (0: never).
    max_rss: int = 0
    # The supervisor's listening socket, inherited by a child.
    listen_fd: int | None = None
    reload: bool = False
    access_log: str | None = None
    drain_timeout: int = 30
    keep_alive: float = 5.0
    request_timeout: float = 5.0
    child: bool = False
    extra_watch: list[str] = field(default_factory=list)
    # Prometheus metrics at this path; every process keeps its counters in `metrics_dir` (the supervisor's).
    metrics_path: str | None = None
    metrics_dir: str | None = None
    # BOLT["THREAD_SCHEDULING"]: "auto", "batch" or "normal" (django_bolt.utils.scheduling).
    thread_scheduling: str = "auto"

    def server_config(self) -> ServerConfig:
        return ServerConfig(
            host=self.host,
            port=self.port,
            workers=self.workers,
            backlog=self.backlog,
            keep_alive_secs=self.keep_alive,
            client_request_timeout_secs=self.request_timeout,
            shutdown_timeout_secs=self.drain_timeout,
            max_requests=self.max_requests,
            access_log=self.access_log,
            listen_fd=self.listen_fd,
            # A supervised child does not stop at its budget: it asks for a successor (spawn-first).
            recycle_fd=control_fd() if self.child else None,
            metrics_path=self.metrics_path,
            metrics_dir=self.metrics_dir,
        )

    def child_args(self, listen_fd: int) -> list[str]:
        budget = self.max_requests + (random.randint(0, self.max_requests_jitter) if self.max_requests else 0)
        args = [
            "--host", self.host, "--port", str(self.port), "--workers", str(self.workers),
            "--backlog", str(self.backlog), "--max-requests", str(budget), "--max-rss", str(self.max_rss),
            "--drain-timeout", str(self.drain_timeout), "--keep-alive", str(self.keep_alive),
            "--request-timeout", str(self.request_timeout), "--listen-fd", str(listen_fd), "--child",
        ]  # fmt: skip
        if self.access_log:
            args += ["--access-log", self.access_log]
        if self.metrics_path and self.metrics_dir:
            args += ["--metrics-path", self.metrics_path, "--metrics-dir", self.metrics_dir]
        return args


_GOING_AWAY, _SERVICE_RESTART = 1001, 1012


def startup_line(host: str, port: int, processes: int, workers: int, routes: int) -> str:
    return f"Bolt serving on http://{host}:{port} (processes: {processes}, workers: {workers}, routes: {routes})"


def serve_in_process(engine: Any, options: ServeOptions, out: TextIO, route_count: int) -> int:
    """Serve until SIGTERM/SIGINT (graceful) or until `max_requests` is reached."""
    # Everything built so far (Django, the app, the routes) lives as long as the process: move it out of the
    # collector's sight so that collections triggered by per-request garbage stay short.
    gc.collect()
    gc.freeze()
    scheduling.apply(options.thread_scheduling)
    with _metrics_dir(options):
        return _serve(engine, options, out, route_count)


@contextmanager
def _metrics_dir(options: ServeOptions) -> Iterator[None]:
    """With metrics on, a directory for the processes' metrics files: the supervisor's, or one of our own."""
    if not options.metrics_path or options.metrics_dir:
        yield
        return
    with tempfile.TemporaryDirectory(prefix="bolt-metrics-") as directory:
        options.metrics_dir = directory
        yield


def _serve(engine: Any, options: ServeOptions, out: TextIO, route_count: int) -> int:
    server = Server.start(engine, options.server_config())
    if options.metrics_path:
        sync.report_to(report_sync_bridge)
    host, port = server.address

    stop_at: list[float] = []
    # The close code open WebSockets get: 1001 (going away) on a stop, 1012 (service restart) when the supervisor
    # retires this child for a successor (SIGHUP).
    websocket_close = [_GOING_AWAY]

    def stop(signum: int, frame: Any) -> None:
        if signum == signal.SIGHUP:
            websocket_close[0] = _SERVICE_RESTART
        if not options.child:
            server.stop(graceful=True, websocket_close_code=websocket_close[0])
            return
        # The slot's socket outlives the child: stop accepting (its successor takes what is queued), let the
        # connections it already accepted send their requests, then drain them.
        server.pause()
        stop_at.append(time.monotonic() + min(_PAUSE_BEFORE_STOP, options.drain_timeout))

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    if options.child:
        signal.signal(signal.SIGHUP, stop)
    if options.child:
        out.write(f"Bolt worker process {os.getpid()} listening on {host}:{port}\n")
        tell_supervisor_ready()
    else:
        out.write(startup_line(host, port, 1, options.workers, route_count) + "\n")
    out.flush()
    # Wake up regularly so Python can run the signal handlers (and a child can check its budget).
    recycling = False
    while not server.wait(0.1):
        if stop_at and time.monotonic() >= stop_at[0]:
            stop_at.clear()
            server.stop(graceful=True, websocket_close_code=websocket_close[0])
        if options.child and not recycling:
            reason = _recycle_reason(server, options)
            if reason:
                recycling = True  # keep serving until the supervisor's successor accepts and SIGTERM arrives
                tell_supervisor(f"{os.getpid()} {reason}")
    return 0


def _rss_mib() -> float:
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _recycle_reason(server: Any, options: ServeOptions) -> str | None:
    # The request budget is the engine's to report (exactly at the N-th response); memory is checked here.
    if options.max_rss and (rss := _rss_mib()) >= options.max_rss:
        return f"uses {rss:.0f} MiB"
    return None


class Supervisor:
    """Starts a child per slot, replaces them spawn-first, restarts on code change, drains on stop."""

    def __init__(self, options: ServeOptions, command_prefix: list[str], env: dict[str, str], out: TextIO):
        self.options = options
        self.command_prefix = command_prefix
        self.env = env
        self.out = out
        # pid -> (process, start time, slot); the slot's listening socket is the one the child accepts from.
        self.children: dict[int, tuple[subprocess.Popen[bytes], float, int]] = {}
        # Children that said they accept, and the ready pipes of replacements that have not said so yet.
        self.accepting: set[int] = set()
        self.pending: dict[int, int] = {}
        self.retiring: dict[int, tuple[subprocess.Popen[bytes], str]] = {}
        self.stopping = threading.Event()
        self.restart_requested = threading.Event()
        self.fast_failures = 0
        self.waiting_for_change = False
        self.listeners: Listeners | None = None
        self.control: tuple[int, int] | None = None
        self.restarts = {"crash": 0, "recycle": 0, "reload": 0}

    def log(self, message: str) -> None:
        self.out.write(f"[bolt supervisor] {message}\n")
        self.out.flush()

    def exited(self, pid: int, restart: str | None = None) -> None:
        """A child is gone: its counters join the metrics archive; a replacement is counted by reason."""
        directory = self.options.metrics_dir
        if not directory:
            return
        fold_metrics(directory, pid)
        if restart:
            self.restarts[restart] += 1
            lines = "".join(f"{reason} {count}\n" for reason, count in self.restarts.items())
            path = os.path.join(directory, "restarts")
            with open(path + ".tmp", "w") as file:
                file.write(lines)
            os.replace(path + ".tmp", path)

    def spawn(self, slot: int, ready_fd: int | None = None) -> subprocess.Popen[bytes]:
        assert self.listeners is not None and self.control is not None
        listen_fd, control_write = self.listeners.fileno(slot), self.control[1]
        command = [*self.command_prefix, *self.options.child_args(listen_fd)]
        env = {**self.env, CONTROL_FD: str(control_write)}
        pass_fds = [listen_fd, control_write]
        if ready_fd is not None:
            env[READY_FD] = str(ready_fd)
            pass_fds.append(ready_fd)
        process = subprocess.Popen(command, env=env, pass_fds=pass_fds)
        self.children[process.pid] = (process, time.monotonic(), slot)
        return process

    def start_children(self, slots: list[int], timeout: float = 60) -> list[subprocess.Popen[bytes]] | None:
        """Start a child for each of ``slots`` and wait until each accepts; None (and the new ones stopped) if
        they do not."""
        read_fd, write_fd = os.pipe()
        try:
            started = [self.spawn(slot, write_fd) for slot in slots]
        finally:
            os.close(write_fd)
        try:
            ready = wait_ready(read_fd, len(slots), timeout)
        finally:
            os.close(read_fd)
        if ready:
            self.accepting.update(process.pid for process in started)
            self.steer()
            return started
        for process in started:
            self.children.pop(process.pid, None)
            if process.poll() is None:
                process.kill()
            process.wait()
        return None

    def start_replacement(self, slot: int) -> None:
        """A child for ``slot`` without waiting for it: the supervisor hears its ready byte in ``read_control``."""
        read_fd, write_fd = os.pipe()
        try:
            process = self.spawn(slot, write_fd)
        finally:
            os.close(write_fd)
        self.pending[read_fd] = process.pid

    def steer(self) -> None:
        """New connections to the slots whose child accepts (``Listeners.steer``)."""
        assert self.listeners is not None
        self.listeners.steer(slot for pid, (_, _, slot) in self.children.items() if pid in self.accepting)

    def retire(self, processes: list[subprocess.Popen[bytes]], restart: str) -> None:
        """Ask ``processes`` to drain (their successors already accept); their exit is expected, not a crash.
        SIGHUP, not SIGTERM: a child closes its WebSockets with 1012 (service restart), so clients reconnect."""
        for process in processes:
            self.children.pop(process.pid, None)
            self.accepting.discard(process.pid)
            self.retiring[process.pid] = (process, restart)
            if process.poll() is None:
                process.send_signal(signal.SIGHUP)

    def recycle(self, pid: int, reason: str) -> None:
        entry = self.children.get(pid)
        if entry is None:
            return
        self.log(f"child {pid} {reason}; starting its successor first")
        if self.start_children([entry[2]]) is None:
            self.log(f"the successor of child {pid} did not start; child {pid} keeps serving")
            return
        self.retire([entry[0]], restart="recycle")

    def reload(self) -> None:
        """Code changed: start a new set of children; retire the old set once the new one accepts."""
        old = [process for process, _, _ in self.children.values()]
        new = self.start_children(list(range(self.options.processes)))
        if new is None:
            state = "the previous code keeps serving" if old else "no child is serving"
            self.log(f"the changed code does not start (see above); {state}; waiting for the next change")
            self.waiting_for_change = not old
            return
        self.fast_failures = 0
        self.waiting_for_change = False
        self.retire(old, restart="reload")

    def drain(self) -> None:
        """Ask every child to finish in-flight work; kill what is still alive after the drain timeout."""
        processes = [process for process, *_ in [*self.children.values(), *self.retiring.values()]]
        for process in processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + self.options.drain_timeout + 5
        for process in processes:
            try:
                process.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                self.log(f"child {process.pid} did not stop in time; killing it")
                process.kill()
                process.wait()
        self.children.clear()
        self.retiring.clear()
        for read_fd in self.pending:
            os.close(read_fd)
        self.pending.clear()

    def reap(self) -> int | None:
        """Collect retired children; replace children that died. Returns an exit code when the server gives up."""
        for pid, (process, restart) in list(self.retiring.items()):
            if process.poll() is not None:
                del self.retiring[pid]
                self.exited(pid, restart)
        for pid, (process, started, slot) in list(self.children.items()):
            code = process.poll()
            if code is None:
                continue
            del self.children[pid]
            self.accepting.discard(pid)
            for read_fd in [fd for fd, waiting in self.pending.items() if waiting == pid]:
                os.close(read_fd)
                del self.pending[read_fd]
            if self.stopping.is_set():
                continue
            self.steer()  # until its successor accepts, new connections go to the other slots
            self.exited(pid, "crash")
            self.log(f"child {pid} died (exit code {code}); starting a new one")
            died_at_start = code != 0 and time.monotonic() - started < _CRASH_WINDOW_SECS
            self.fast_failures = self.fast_failures + 1 if died_at_start else 0
            if self.fast_failures >= _CRASH_LIMIT:
                if self.options.reload:
                    self.log("children keep dying at start-up; waiting for a code change")
                    self.waiting_for_change = True
                    return None
                self.log("children keep dying at start-up; giving up")
                return 1
            if not self.waiting_for_change:
                self.start_replacement(slot)
        return None

    def read_control(self, timeout: float) -> None:
        """Handle the children's recycle requests (``"<pid> <reason>"`` lines) and replacements saying they accept,
        waiting up to ``timeout``."""
        assert self.control is not None
        readable, _, _ = select.select([self.control[0], *self.pending], [], [], timeout)
        for read_fd in readable:
            if read_fd in self.pending:
                pid = self.pending.pop(read_fd)
                said = os.read(read_fd, 1)
                os.close(read_fd)
                if said and pid in self.children:
                    self.accepting.add(pid)
                    self.steer()
        if self.control[0] not in readable:
            return
        for line in os.read(self.control[0], 65536).decode(errors="replace").splitlines():
            pid, _, reason = line.partition(" ")
            if pid.isdigit():
                self.recycle(int(pid), reason or "asked to be recycled")

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
        self.listeners = Listeners(self.options.host, self.options.port, self.options.backlog, self.options.processes)
        self.options.port = self.listeners.port  # --port 0: the one the kernel picked
        self.control = os.pipe()
        os.set_inheritable(self.control[1], True)
        if self.options.metrics_path:
            self.options.metrics_dir = tempfile.mkdtemp(prefix="bolt-metrics-")
        try:
            return self._serve(route_count)
        finally:
            if self.options.metrics_dir:
                shutil.rmtree(self.options.metrics_dir, ignore_errors=True)
            self.listeners.close()
            for fd in self.control:
                os.close(fd)

    def _serve(self, route_count: int) -> int:
        if self.options.reload:
            paths = [os.getcwd(), *self.options.extra_watch]
            threading.Thread(target=self.watch_code, args=(paths,), daemon=True).start()
        if self.start_children(list(range(self.options.processes))) is None:
            if not self.options.reload:
                self.log("children did not start listening")
                self.stopping.set()
                self.drain()
                return 1
            self.log("the code does not start (see above); waiting for a code change")
            self.waiting_for_change = True
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
                self.reload()
            code = self.reap()
            if code is not None:
                self.stopping.set()
                self.drain()
                return code
            self.read_control(0.1)
        self.drain()
        self.log("stopped")
        return 0


def supervise(options: ServeOptions, settings_module: str, out: TextIO, route_count: int) -> int:
    env = dict(os.environ)
    env["DJANGO_SETTINGS_MODULE"] = settings_module
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [os.getcwd(), sys.path[0], env.get("PYTHONPATH")]))
    script = sys.argv[0]
    if script.endswith("__main__.py") or not os.path.exists(script):
        prefix = [sys.executable, "-m", "django", "runbolt"]
    else:
        prefix = [sys.executable, script, "runbolt"]
    return Supervisor(options, prefix, env, out).run(route_count)
