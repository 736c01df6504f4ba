"""Streaming benchmarks: WebSocket echo and idle connections, SSE clock fan-out — runbolt vs django-bolt 0.13 vs
Starlette on uvicorn, in the same run, as bench/run.py measures HTTP: each server one process (one worker) pinned to
CPU 1, the load client (bench/streaming_client.py, uvloop) pinned to CPU 0, loopback only, every run bounded.

Figures: echo messages per second (64 connections, one message in flight each); server memory per idle WebSocket
(10,000 open) and per SSE client (resident memory with the clients connected minus before, divided by their
number); SSE delivery delay (client receive time minus the event's due time, for 1,000 and 5,000 clients on a
one-second clock). Writes them into docs/benchmarks.md between the `streaming` markers.

    python bench/streaming.py [--only ws-echo,sse-1k] [--servers bolt,bolt013,starlette] [--no-doc]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from run import free_port, process_tree, status_kib, stop_server  # noqa: E402  (bench/run.py: the HTTP harness)

DOC = ROOT / "docs" / "benchmarks.md"
PY = sys.executable
PEERS = ROOT / "bench" / "peers"
PEERS_PY = ROOT / ".venv-peers" / "bin" / "python"
CLIENT = ROOT / "bench" / "streaming_client.py"

SERVERS = {
    "bolt": ("runbolt (this project)", [PY, "-m", "django", "runbolt", "--host", "127.0.0.1", "--port", "{port}"],
             ROOT, "bench.settings"),
    "bolt013": ("django-bolt 0.13", [str(PEERS_PY), "manage.py", "runbolt", "--host", "127.0.0.1", "--port",
                                     "{port}", "--processes", "1", "--workers", "1", "--skip-checks"],
                PEERS, "peersite.settings"),
    "starlette": ("Starlette on uvicorn", [str(PEERS_PY), "-m", "uvicorn", "--host", "127.0.0.1", "--port", "{port}",
                                           "--log-level", "warning", "--no-access-log", "--loop", "uvloop",
                                           "--http", "httptools", "--ws", "websockets", "starlette_app:app"],
                  PEERS, "peersite.settings"),
}  # fmt: skip

# key: (label, client arguments)
SCENARIOS = {
    "ws-echo": ("WebSocket echo, 64 connections", ["ws-echo", "--connections", "64", "--duration", "8"]),
    "ws-idle": ("10,000 idle WebSockets", ["ws-idle", "--connections", "10000", "--hold", "3"]),
    "sse-1k": ("SSE clock, 1,000 clients", ["sse", "--connections", "1000", "--duration", "6"]),
    "sse-5k": ("SSE clock, 5,000 clients", ["sse", "--connections", "5000", "--duration", "6"]),
    # runbolt only: the clock published once per tick through `EventBroadcast` (fan-out in Rust).
    "sse-bc-1k": (
        "SSE broadcast, 1,000 clients",
        ["sse", "--connections", "1000", "--duration", "6", "--path", "/sse/broadcast/"],
    ),
    "sse-bc-5k": (
        "SSE broadcast, 5,000 clients",
        ["sse", "--connections", "5000", "--duration", "6", "--path", "/sse/broadcast/"],
    ),
}
ONLY_BOLT = {"sse-bc-1k", "sse-bc-5k"}


def rss_kib(pid: int) -> int:
    """Resident memory of the process and its children, now."""
    return sum(status_kib(p, "VmRSS") for p in process_tree(pid))


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of the process and its children so far."""
    total = 0
    for p in process_tree(pid):
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (clock ticks)
    return total / os.sysconf("SC_CLK_TCK")


def wait_listening(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"nothing listens on {port}")


def run(server: str, scenario: str) -> dict:
    label, command, home, settings = SERVERS[server]
    port = free_port()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": settings, "PYTHONPATH": str(home)}
    process = subprocess.Popen(
        ["taskset", "-c", "1", *[a.replace("{port}", str(port)) for a in command]],
        cwd=home,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    client_py = PEERS_PY if PEERS_PY.exists() else Path(PY)
    try:
        wait_listening(port)
        time.sleep(1.0)  # let start-up work settle before the baseline
        before = rss_kib(process.pid)
        client = subprocess.Popen(
            ["taskset", "-c", "0", str(client_py), str(CLIENT), SCENARIOS[scenario][1][0], str(port),
             *SCENARIOS[scenario][1][1:]],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        assert client.stdout is not None
        ready = client.stdout.readline()
        during = 0
        cpu_start = cpu_seconds(process.pid)
        if ready.strip() == "READY":
            time.sleep(1.0)
            during = rss_kib(process.pid)
        out, err = client.communicate(timeout=120)
        cpu = cpu_seconds(process.pid) - cpu_start
        if client.returncode != 0:
            raise RuntimeError(f"{server} {scenario}: client failed: {err[-2000:]}")
        result = json.loads(out.strip().splitlines()[-1])
        result["server_rss_before_mib"] = before / 1024
        result["server_rss_during_mib"] = during / 1024
        if during:
            result["kib_per_connection"] = (during - before) / result["connections"]
        # Server CPU per message or event delivered: the cost the clock and the echo put on the server itself.
        delivered = result.get("events") or result.get("messages")
        if delivered:
            result["server_cpu_us_per_item"] = cpu * 1e6 / delivered
        return result
    finally:
        stop_server(process)


def medians(runs: list[dict]) -> dict:
    """Each figure's median over the rounds."""
    keys = {key for run in runs for key, value in run.items() if isinstance(value, int | float)}
    return {key: statistics.median(run[key] for run in runs if key in run) for key in keys} | {"rounds": len(runs)}


def table(results: dict) -> str:
    def cell(server: str, key: str, field: str, fmt: str) -> str:
        value = results.get(server, {}).get(key, {}).get(field)
        return "—" if value is None else format(value, fmt)

    servers = [s for s in SERVERS if s in results]
    header = "| scenario | " + " | ".join(SERVERS[s][0] for s in servers) + " |"
    lines = [header, "|---|" + "---:|" * len(servers)]
    rows = [
        ("WebSocket echo, 64 connections: messages/s", "ws-echo", "messages_per_s", ",.0f"),
        ("10,000 idle WebSockets: server KiB per connection", "ws-idle", "kib_per_connection", ".1f"),
        ("WebSocket echo: server CPU µs per message", "ws-echo", "server_cpu_us_per_item", ".1f"),
        ("SSE, 1,000 clients: delay p50 / p99 (ms)", "sse-1k", None, ""),
        ("SSE, 1,000 clients: server CPU µs per event", "sse-1k", "server_cpu_us_per_item", ".1f"),
        ("SSE, 1,000 clients: server KiB per client", "sse-1k", "kib_per_connection", ".1f"),
        ("SSE, 5,000 clients: delay p50 / p99 (ms)", "sse-5k", None, ""),
        ("SSE, 5,000 clients: server CPU µs per event", "sse-5k", "server_cpu_us_per_item", ".1f"),
        ("SSE, 5,000 clients: server KiB per client", "sse-5k", "kib_per_connection", ".1f"),
        ("SSE broadcast (`EventBroadcast`), 1,000 clients: delay p50 / p99 (ms)", "sse-bc-1k", None, ""),
        ("SSE broadcast, 1,000 clients: server CPU µs per event", "sse-bc-1k", "server_cpu_us_per_item", ".1f"),
        ("SSE broadcast, 5,000 clients: delay p50 / p99 (ms)", "sse-bc-5k", None, ""),
        ("SSE broadcast, 5,000 clients: server CPU µs per event", "sse-bc-5k", "server_cpu_us_per_item", ".1f"),
    ]
    for label, key, field, fmt in rows:
        if field is None:
            cells = [f"{cell(s, key, 'delay_p50_ms', '.1f')} / {cell(s, key, 'delay_p99_ms', '.1f')}" for s in servers]
        else:
            cells = [cell(s, key, field, fmt) for s in servers]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def write_doc(results: dict) -> None:
    text = DOC.read_text()
    block = f"<!-- streaming:start -->\n{table(results)}\n<!-- streaming:end -->"
    text = re.sub(r"<!-- streaming:start -->.*<!-- streaming:end -->", block, text, flags=re.S)
    DOC.write_text(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default=",".join(SCENARIOS))
    parser.add_argument("--servers", default=",".join(SERVERS))
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds; medians are reported")
    parser.add_argument("--no-doc", action="store_true")
    args = parser.parse_args()
    servers = [s for s in args.servers.split(",") if s == "bolt" or PEERS_PY.exists()]
    runs: dict = {}
    for _ in range(args.rounds):
        for scenario in args.only.split(","):
            for server in servers:
                if scenario in ONLY_BOLT and server != "bolt":
                    continue
                try:
                    figures = run(server, scenario)
                except Exception as exc:  # one server failing a scenario leaves a dash in the table, said here
                    print(f"{server} {scenario}: {exc}", file=sys.stderr)
                    continue
                runs.setdefault(server, {}).setdefault(scenario, []).append(figures)
                print(f"{server:10} {scenario:8} {json.dumps(figures)}", flush=True)
    results = {
        server: {scenario: medians(figures) for scenario, figures in by_scenario.items()}
        for server, by_scenario in runs.items()
    }
    (ROOT / "bench" / "results").mkdir(exist_ok=True)
    (ROOT / "bench" / "results" / "streaming.json").write_text(json.dumps(results, indent=2))
    print(table(results))
    if not args.no_doc:
        write_doc(results)


if __name__ == "__main__":
    main()
