"""HTTP benchmarks: runbolt vs the engine's own floor vs DRF on gunicorn, measured as in the reference method.

One server process (one worker) pinned to CPU 1 (the `scaling` group: 1 or 2 processes on both CPUs), wrk pinned
to CPU 0 (`-t1 -c64`), loopback only, a warm-up before each measured run, scenarios interleaved round by round,
medians reported. Writes the figures into docs/benchmarks.md (between the `http` markers) and a bar chart into
docs/benchmarks-http.svg.

    python bench/run.py [--duration 10] [--rounds 3] [--only hello]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
DOC = ROOT / "docs" / "benchmarks.md"
PY = sys.executable
BIN = Path(PY).parent
# Peers run from their own venv (`make bench` creates it: django-bolt 0.13 needs CPython 3.12 and shares our
# import name) with bench/peers as their whole Python path.
PEERS = ROOT / "bench" / "peers"
PEERS_PY = ROOT / ".venv-peers" / "bin" / "python"


@dataclass
class Scenario:
    key: str
    label: str
    command: list[str]
    path: str
    settings: str = "bench.settings"
    headers: dict[str, str] = field(default_factory=dict)
    group: str = "hello"
    # A peer framework: served from bench/peers; its body is its own (not compared with DRF's).
    peer: bool = False
    # The CPUs the server may use (the scaling group gives it both; wrk keeps CPU 0).
    cpus: str = "1"


def scenarios(token: str, pg_token: str | None = None) -> list[Scenario]:
    """Commands carry a `{port}` placeholder, filled per run. Each group has one DRF baseline."""
    from bench import policies_bench as pol
    from bench import viewsets_bench as vs

    runbolt = [PY, "-m", "django", "runbolt", "--host", "127.0.0.1", "--port", "{port}"]
    gunicorn = [str(BIN / "gunicorn"), "-w", "1", "-b", "127.0.0.1:{port}", "--log-level", "warning", "bench.wsgi"]
    auth = {"Authorization": f"Token {token}"}
    inline = "bench.settings_inline"
    return [
        Scenario("bolt-async", "runbolt: async function route", runbolt, "/hello"),
        Scenario("bolt-rust", "runbolt: route answered in Rust (engine floor)", runbolt, "/rust-hello"),
        Scenario("bolt-async-protected", "runbolt: async function route + Security/Common/XFrame protections",
                 runbolt, "/hello", settings="bench.settings_protected"),
        Scenario("drf-gunicorn", "DRF APIView on gunicorn (sync worker)", gunicorn, "/hello"),
        Scenario("bolt-vs-hello", "Bolt ViewSet action", runbolt, vs.HELLO_PATH, group="viewset-hello"),
        Scenario("drf-vs-hello", "DRF ViewSet action on gunicorn", gunicorn, vs.HELLO_PATH, group="viewset-hello"),
        Scenario("bolt-retrieve", "BoltModelViewSet retrieve", runbolt, vs.RETRIEVE_PATH, group="retrieve"),
        Scenario("bolt-retrieve-compat", "BoltModelViewSet retrieve with the DRF serializer (compat)", runbolt,
                 vs.COMPAT_RETRIEVE_PATH, group="retrieve"),
        Scenario("drf-retrieve", "DRF ModelViewSet retrieve on gunicorn", gunicorn, vs.RETRIEVE_PATH, group="retrieve"),
        Scenario("bolt-list", "BoltModelViewSet list, 100 rows", runbolt, vs.LIST_PATH, group="list-100"),
        Scenario("bolt-list-compat", "BoltModelViewSet list, 100 rows, DRF serializer (compat)", runbolt,
                 vs.COMPAT_LIST_PATH, group="list-100"),
        Scenario("drf-list", "DRF ModelViewSet list, 100 rows, gunicorn", gunicorn, vs.LIST_PATH, group="list-100"),
        Scenario("bolt-retrieve-inline", "BoltModelViewSet retrieve, SYNC_MODE inline", runbolt, vs.RETRIEVE_PATH,
                 settings=inline, group="retrieve"),
        Scenario("bolt-list-inline", "BoltModelViewSet list, 100 rows, SYNC_MODE inline", runbolt, vs.LIST_PATH,
                 settings=inline, group="list-100"),
        Scenario("bolt-policies", "Bolt: Token + IsAuthenticated + page of 20", runbolt, pol.PATH, headers=auth,
                 group="policies"),
        Scenario("bolt-policies-inline", "Bolt: Token + IsAuthenticated + page of 20, SYNC_MODE inline", runbolt,
                 pol.PATH, headers=auth, settings=inline, group="policies"),
        Scenario("drf-policies", "DRF: Token + IsAuthenticated + page of 20, gunicorn", gunicorn, pol.PATH,
                 headers=auth, group="policies"),
        Scenario("bolt-fallthrough", "runbolt fall-through: DRF ModelViewSet retrieve served by Django", runbolt,
                 vs.RETRIEVE_PATH, settings="bench.settings_fallthrough", group="fallthrough"),
        Scenario("bolt-fallthrough-inline", "runbolt fall-through, SYNC_MODE inline", runbolt, vs.RETRIEVE_PATH,
                 settings="bench.settings_fallthrough_inline", group="fallthrough"),
        Scenario("drf-fallthrough", "DRF ModelViewSet retrieve on gunicorn", gunicorn, vs.RETRIEVE_PATH,
                 group="fallthrough"),
        Scenario("bolt-list-procs1", "BoltModelViewSet list, 100 rows: 1 process, both CPUs", runbolt,
                 vs.LIST_PATH, group="scaling", cpus="0,1"),
        Scenario("bolt-list-procs2", "BoltModelViewSet list, 100 rows: 2 processes, both CPUs",
                 [*runbolt, "--processes", "2"], vs.LIST_PATH, group="scaling", cpus="0,1"),
    ] + pg_scenarios(pg_token) + peer_scenarios()  # fmt: skip


def pg_scenarios(token: str | None) -> list[Scenario]:
    """Data endpoints on PostgreSQL (psycopg 3, Django's pool), Bolt vs DRF with one worker process each."""
    if token is None:
        return []
    from bench import policies_bench as pol
    from bench import viewsets_bench as vs

    runbolt = [PY, "-m", "django", "runbolt", "--host", "127.0.0.1", "--port", "{port}"]
    gunicorn = [str(BIN / "gunicorn"), "-w", "1", "-b", "127.0.0.1:{port}", "--log-level", "warning", "bench.wsgi"]
    auth = {"Authorization": f"Token {token}"}
    pg = "bench.settings_pg"
    return [
        Scenario("bolt-pg-retrieve", "PostgreSQL: BoltModelViewSet retrieve", runbolt, vs.RETRIEVE_PATH, pg,
                 group="pg-retrieve"),
        Scenario("drf-pg-retrieve", "PostgreSQL: DRF ModelViewSet retrieve, gunicorn", gunicorn, vs.RETRIEVE_PATH,
                 pg, group="pg-retrieve"),
        Scenario("bolt-pg-list", "PostgreSQL: BoltModelViewSet list, 100 rows", runbolt, vs.LIST_PATH, pg,
                 group="pg-list-100"),
        Scenario("drf-pg-list", "PostgreSQL: DRF ModelViewSet list, 100 rows, gunicorn", gunicorn, vs.LIST_PATH, pg,
                 group="pg-list-100"),
        Scenario("bolt-pg-policies", "PostgreSQL: Bolt Token + IsAuthenticated + page of 20", runbolt, pol.PATH, pg,
                 headers=auth, group="pg-policies"),
        Scenario("drf-pg-policies", "PostgreSQL: DRF Token + IsAuthenticated + page of 20, gunicorn", gunicorn,
                 pol.PATH, pg, headers=auth, group="pg-policies"),
    ]  # fmt: skip


def peer_scenarios() -> list[Scenario]:
    """The same endpoints on other frameworks (when `.venv-peers` exists): django-bolt 0.13 (PyPI, its runbolt),
    Django Ninja and FastAPI on uvicorn (one process, uvloop + httptools)."""
    if not PEERS_PY.exists():
        print("no .venv-peers: peers skipped (`make bench` creates it)", file=sys.stderr)
        return []
    from bench import viewsets_bench as vs

    bolt013 = [
        str(PEERS_PY),
        "manage.py",
        "runbolt",
        "--host",
        "127.0.0.1",
        "--port",
        "{port}",
        "--processes",
        "1",
        "--workers",
        "1",
        "--skip-checks",
    ]
    uvicorn = [
        str(PEERS_PY),
        "-m",
        "uvicorn",
        "--host",
        "127.0.0.1",
        "--port",
        "{port}",
        "--log-level",
        "warning",
        "--no-access-log",
    ]
    site = "peersite.settings"
    return [
        Scenario("peer-bolt013-hello", "peer: django-bolt 0.13 function route", bolt013, "/hello", site, peer=True),
        Scenario("peer-fastapi-hello", "peer: FastAPI on uvicorn", [*uvicorn, "fastapi_app:app"], "/hello", site,
                 peer=True),
        Scenario("peer-ninja-hello", "peer: Django Ninja async on uvicorn", [*uvicorn, "peersite.asgi:application"],
                 "/hello", site, peer=True),
        Scenario("peer-bolt013-list", "peer: django-bolt 0.13 function route, msgspec list, 100 rows", bolt013,
                 vs.LIST_PATH, site, group="list-100", peer=True),
        Scenario("peer-ninja-list", "peer: Django Ninja async list, 100 rows, uvicorn",
                 [*uvicorn, "peersite.asgi:application"], vs.LIST_PATH, site, group="list-100", peer=True),
    ]  # fmt: skip


def seed_database(settings: str = "bench.settings") -> str:
    """Migrate and fill the bench database; return the bench user's token."""
    code = (
        "import django; django.setup()\n"
        "from bench import policies_bench, viewsets_bench\n"
        "viewsets_bench.seed(); print(policies_bench.seed())"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": settings, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([PY, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    return done.stdout.strip().splitlines()[-1]


def postgres_token() -> str | None:
    """Create and seed the PostgreSQL bench database when the server is up (`make services`); None if it is not."""
    try:
        import psycopg

        with psycopg.connect(
            "host=127.0.0.1 port=5432 user=bolt password=bolt dbname=postgres", autocommit=True, connect_timeout=2
        ) as conn:
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = 'bolt_bench'").fetchone():
                conn.execute("CREATE DATABASE bolt_bench")
    except Exception as exc:  # no server: the PostgreSQL scenarios are skipped, said once
        print(f"PostgreSQL not reachable ({exc.__class__.__name__}): its scenarios skipped", file=sys.stderr)
        return None
    return seed_database("bench.settings_pg")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_ready(port: int, scenario: Scenario, timeout: float = 30) -> bytes:
    """The first response body, once the server answers."""
    request = urllib.request.Request(f"http://127.0.0.1:{port}{scenario.path}", headers=scenario.headers)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(request, timeout=2) as response:
                return response.read()
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"server on {port} did not answer {scenario.path}")


def stop_server(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(15)
    except subprocess.TimeoutExpired:
        process.kill()


def process_tree(pid: int) -> list[int]:
    """The process and its children (gunicorn serves from a child)."""
    children = Path(f"/proc/{pid}/task/{pid}/children")
    return [pid, *(int(p) for p in children.read_text().split())] if children.exists() else [pid]


def status_kib(pid: int, field: str) -> int:
    """A `/proc/<pid>/status` figure in KiB (VmHWM, VmRSS), 0 once the process is gone."""
    try:
        match = re.search(rf"{field}:\s+(\d+)", Path(f"/proc/{pid}/status").read_text())
    except OSError:
        return 0
    return int(match[1]) if match else 0


def peak_rss_kib(pid: int) -> int:
    """Largest VmHWM of the process and its children."""
    return max(status_kib(p, "VmHWM") for p in process_tree(pid))


def parse_wrk(output: str) -> dict[str, float]:
    try:
        return _parse_wrk(output)
    except (TypeError, AttributeError) as exc:
        raise RuntimeError(f"cannot read wrk output:\n{output}") from exc


def _parse_wrk(output: str) -> dict[str, float]:
    def latency_ms(text: str) -> float:
        value, unit = re.match(r"([\d.]+)(us|ms|m|s)", text).groups()
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]

    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output)[1])
    p50 = latency_ms(re.search(r"^\s+50%\s+(\S+)", output, re.M)[1])
    p99 = latency_ms(re.search(r"^\s+99%\s+(\S+)", output, re.M)[1])
    errors = 0
    if match := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output):
        errors += sum(int(g) for g in match.groups())
    if match := re.search(r"Non-2xx or 3xx responses: (\d+)", output):
        errors += int(match[1])
    return {"rps": rps, "p50_ms": p50, "p99_ms": p99, "errors": errors}


def wrk(port: int, scenario: Scenario, seconds: float, connections: int) -> str:
    command = ["taskset", "-c", "0", "wrk", "-t1", f"-c{connections}", f"-d{seconds:g}s", "--latency"]
    for name, value in scenario.headers.items():
        command += ["-H", f"{name}: {value}"]
    command.append(f"http://127.0.0.1:{port}{scenario.path}")
    return subprocess.run(command, capture_output=True, text=True, check=True, timeout=seconds + 30).stdout


def run_once(scenario: Scenario, args: argparse.Namespace) -> dict[str, float]:
    port = free_port()
    command = [arg.replace("{port}", str(port)) for arg in scenario.command]
    home = PEERS if scenario.peer else ROOT
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": scenario.settings, "PYTHONPATH": str(home)}
    process = subprocess.Popen(
        ["taskset", "-c", scenario.cpus, *command],
        cwd=home,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        body = wait_ready(port, scenario)
        wrk(port, scenario, args.warmup, args.connections)
        figures = parse_wrk(wrk(port, scenario, args.duration, args.connections))
        figures["rss_mib"] = peak_rss_kib(process.pid) / 1024
        figures["bytes"] = len(body)
        # Absolute links (pagination) carry each server's own port.
        figures["body"] = body.decode().replace(f"127.0.0.1:{port}", "127.0.0.1:PORT")
        return figures
    finally:
        stop_server(process)


def svg_chart(rows: list[tuple[str, float]], title: str, unit: str = "") -> str:
    width, bar_h, gap, left = 980, 26, 10, 500
    top = 40
    height = top + len(rows) * (bar_h + gap) + 20
    peak = max(value for _, value in rows) or 1
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" '
        'font-size="13">',
        f'<text x="10" y="22" font-size="15" font-weight="bold">{title}</text>',
    ]
    for i, (label, value) in enumerate(rows):
        y = top + i * (bar_h + gap)
        w = (width - left - 90) * value / peak
        parts.append(f'<text x="10" y="{y + 17}">{label}</text>')
        parts.append(f'<rect x="{left}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="#3b7dd8"/>')
        parts.append(f'<text x="{left + w + 6:.1f}" y="{y + 17}">{value:,.1f}{unit}</text>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def replace_section(doc: str, key: str, body: str) -> str:
    start, end = f"<!-- {key}:start -->", f"<!-- {key}:end -->"
    block = f"{start}\n{body.rstrip()}\n{end}"
    if start in doc and end in doc:
        return re.sub(re.escape(start) + r".*?" + re.escape(end), lambda _: block, doc, flags=re.S)
    return doc.rstrip() + "\n\n" + block + "\n"


def machine_line() -> str:
    cpu = "unknown CPU"
    try:
        cpu = re.search(r"model name\s*:\s*(.+)", Path("/proc/cpuinfo").read_text())[1]
    except (OSError, TypeError):
        pass
    return f"{os.cpu_count()} cores ({cpu}), Python {sys.version.split()[0]}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=float, default=10)
    parser.add_argument("--warmup", type=float, default=2)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--only", nargs="*", help="scenario keys to run")
    parser.add_argument("--no-doc", action="store_true", help="print figures without touching docs/")
    args = parser.parse_args()
    RESULTS.mkdir(parents=True, exist_ok=True)
    sys.path.insert(0, str(ROOT))
    token = seed_database()
    chosen = [s for s in scenarios(token, postgres_token()) if not args.only or s.key in args.only]
    runs: dict[str, list[dict]] = {s.key: [] for s in chosen}
    for round_no in range(args.rounds):
        for scenario in chosen:
            figures = run_once(scenario, args)
            runs[scenario.key].append(figures)
            print(f"round {round_no + 1} {scenario.key}: {figures['rps']:,.0f} req/s p99 {figures['p99_ms']:.2f} ms")
    summary = {}
    for scenario in chosen:
        results = runs[scenario.key]
        summary[scenario.key] = {
            "label": scenario.label,
            "group": scenario.group,
            "rps": statistics.median(r["rps"] for r in results),
            "p50_ms": statistics.median(r["p50_ms"] for r in results),
            "p99_ms": statistics.median(r["p99_ms"] for r in results),
            "errors": sum(r["errors"] for r in results),
            "rss_mib": max(r["rss_mib"] for r in results),
            "bytes": results[0]["bytes"],
            "runs": [round(r["rps"]) for r in results],
        }
    (RESULTS / "http.json").write_text(json.dumps(summary, indent=2))
    groups: dict[str, set[str]] = {}
    peers = {s.key for s in chosen if s.peer}
    for key in runs:
        if key not in peers:
            groups.setdefault(summary[key]["group"], set()).add(runs[key][0]["body"])
    identical = all(len(bodies) == 1 for bodies in groups.values())
    baseline = {row["group"]: row["rps"] for key, row in summary.items() if key.startswith("drf-")}
    lines = [
        f"Measured {time.strftime('%Y-%m-%d')} on {machine_line()}; server pinned to CPU 1 (one process, one worker), "
        f"`wrk -t1 -c{args.connections} -d{args.duration:g}s` pinned to CPU 0, {args.warmup:g} s warm-up per run, "
        f"{args.rounds} interleaved rounds, medians. Within each group the response bodies are identical: "
        f"{'yes' if identical else 'NO'} (peers answer with their own encoding: see body bytes). SQLite (WAL) "
        "database, 100 `Item` rows.",
        "",
        "| group | scenario | req/s | × DRF | p50 ms | p99 ms | errors | body bytes | peak RSS MiB | runs |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for row in summary.values():
        drf = baseline.get(row["group"])
        ratio = f"{row['rps'] / drf:.1f}" if drf else "–"
        lines.append(
            f"| {row['group']} | {row['label']} | {row['rps']:,.0f} | {ratio} | {row['p50_ms']:.2f} | "
            f"{row['p99_ms']:.2f} | {row['errors']} | {row['bytes']} | {row['rss_mib']:.0f} | "
            f"{', '.join(f'{r:,}' for r in row['runs'])} |"
        )
    lines += ["", "![speed-up over DRF](benchmarks-http.svg)"]
    table = "\n".join(lines)
    print(table)
    if not args.no_doc:
        speedups = [
            (f"{row['group']}: {row['label']}", row["rps"] / baseline[row["group"]])
            for key, row in summary.items()
            if not key.startswith("drf-") and baseline.get(row["group"])
        ]
        chart = svg_chart(speedups, "Speed-up over DRF on gunicorn (same endpoint, same bytes, one core each)", "×")
        (ROOT / "docs" / "benchmarks-http.svg").write_text(chart)
        doc = DOC.read_text() if DOC.exists() else "# Benchmarks\n"
        DOC.write_text(replace_section(doc, "http", table))


if __name__ == "__main__":
    main()
