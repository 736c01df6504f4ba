"""`python manage.py runbolt`: serve the project with the Rust engine (Bolt routes, then Django's fall-through)."""

from __future__ import annotations

import sys
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from django_bolt.compat.report import drf_classes_in_use
from django_bolt.conf import build_engine, load_urlpatterns
from django_bolt.server import ServeOptions, serve_in_process, supervise
from django_bolt.settings import api_settings
from django_bolt.utils import scheduling


class Command(BaseCommand):
    help = (
        "Serve the project on the Rust HTTP engine: Bolt routes (settings.ROOT_BOLTCONF), and everything else "
        "through Django (ROOT_URLCONF, MIDDLEWARE)."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000, help="0 picks a free port")
        parser.add_argument("--processes", type=int, default=1, help="processes accepting from one socket")
        parser.add_argument("--workers", type=int, default=1, help="worker threads per process")
        parser.add_argument("--reload", action="store_true", help="restart when Python code changes")
        parser.add_argument(
            "--reload-dir", action="append", default=[], help="extra directory to watch with --reload (repeatable)"
        )
        parser.add_argument("--backlog", type=int, default=1024)
        parser.add_argument("--max-requests", type=int, default=0, help="recycle a process after N requests")
        parser.add_argument(
            "--max-requests-jitter", type=int, default=0, help="add a random 0..N to each process's --max-requests"
        )
        parser.add_argument("--max-rss", type=int, default=0, help="recycle a process above N MiB of resident memory")
        parser.add_argument("--access-log", choices=["plain", "json"], default=None)
        parser.add_argument("--drain-timeout", type=int, default=30, help="seconds to finish in-flight requests")
        parser.add_argument("--keep-alive", type=float, default=5.0, help="idle keep-alive seconds (0 disables)")
        parser.add_argument("--request-timeout", type=float, default=5.0, help="seconds to receive request headers")
        parser.add_argument(
            "--metrics-path",
            default=None,
            help="serve Prometheus metrics of every process at this path (default: BOLT['METRICS_PATH'], off)",
        )
        parser.add_argument("--metrics-dir", default=None, help="internal: the supervisor's metrics directory")
        parser.add_argument("--child", action="store_true", help="internal: run as a supervised child")
        parser.add_argument("--listen-fd", type=int, default=None, help="internal: the supervisor's socket")

    def handle(self, *args: Any, **options: Any) -> None:
        serve = ServeOptions(
            host=options["host"],
            port=options["port"],
            processes=options["processes"],
            workers=options["workers"],
            backlog=options["backlog"],
            max_requests=options["max_requests"],
            max_requests_jitter=options["max_requests_jitter"],
            max_rss=options["max_rss"],
            listen_fd=options["listen_fd"],
            reload=options["reload"],
            access_log=options["access_log"],
            drain_timeout=options["drain_timeout"],
            keep_alive=options["keep_alive"],
            request_timeout=options["request_timeout"],
            child=options["child"],
            extra_watch=options["reload_dir"],
            metrics_path=options["metrics_path"] or api_settings.METRICS_PATH,
            metrics_dir=options["metrics_dir"],
            thread_scheduling=api_settings.THREAD_SCHEDULING,
        )
        if serve.processes < 1 or serve.workers < 1:
            raise CommandError("--processes and --workers must be at least 1")
        try:
            scheduling.resolve(serve.thread_scheduling)
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc
        try:
            engine = build_engine()
        except Exception as exc:  # start-up errors deserve a clear one-line message
            raise CommandError(f"cannot build the Bolt engine: {exc}") from exc
        route_count = engine.route_count
        if not serve.child:
            in_use = drf_classes_in_use(load_urlpatterns())
            if in_use:
                self.stdout.write(f"Bolt routes use these DRF classes through compat: {', '.join(in_use)}")
        supervised = not serve.child and (
            serve.processes > 1 or serve.reload or serve.max_requests > 0 or serve.max_rss > 0
        )
        if supervised:
            del engine  # children build their own engine
            code = supervise(serve, settings.SETTINGS_MODULE, self.stdout, route_count)
        else:
            try:
                code = serve_in_process(engine, serve, self.stdout, route_count)
            except ImproperlyConfigured as exc:  # the system refused THREAD_SCHEDULING = "batch"
                raise CommandError(str(exc)) from exc
        if code:
            sys.exit(code)
