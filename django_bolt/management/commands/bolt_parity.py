"""``manage.py bolt_parity REQUESTS``: replay recorded requests against the DRF and the Bolt version, diff them."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.test.utils import setup_databases, teardown_databases
from django.utils.module_loading import import_string

from django_bolt.porting.parity import COMPARED_HEADERS, load_requests, render, replay


def _without_keys(keys: set[str]) -> Any:
    def strip(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k not in keys}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    return strip


class Command(BaseCommand):
    help = (
        "Replay recorded requests (JSONL or HAR) in process against the DRF version (ROOT_URLCONF) and the Bolt "
        "version (ROOT_BOLTCONF, with the fall-through) on a test database; exit 1 on any difference."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("requests", help="a .jsonl file (one request per line) or a .har file")
        parser.add_argument("--drf-urlconf", help="the DRF version's URLconf (default: ROOT_URLCONF)")
        parser.add_argument("--bolt-urlconf", help="the Bolt version's URLconf (default: ROOT_BOLTCONF)")
        parser.add_argument("--fixture", action="append", default=[], help="loaddata this fixture first")
        parser.add_argument("--setup-command", action="append", default=[], help="run this command first")
        parser.add_argument("--ignore-keys", default="", help="comma-separated JSON keys left out of the comparison")
        parser.add_argument("--normalize", help="dotted path of normalize(value, request) applied to JSON bodies")
        parser.add_argument("--header", action="append", help="a header to compare (default: a DRF-relevant set)")
        parser.add_argument(
            "--ignore-header",
            action="append",
            default=[],
            help="a header not to compare (e.g. Vary: DRF's browsable API adds Accept)",
        )
        parser.add_argument(
            "--current-database", action="store_true", help="use the configured database, not a test database"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        requests = load_requests(options["requests"])
        keys = {k.strip() for k in options["ignore_keys"].split(",") if k.strip()}
        custom = import_string(options["normalize"]) if options["normalize"] else None
        normalize = None
        if keys or custom:
            strip = _without_keys(keys)
            normalize = (lambda v, r: strip(custom(v, r))) if custom else (lambda v, r: strip(v))
        databases = None
        if not options["current_database"]:
            databases = setup_databases(verbosity=0, interactive=False)
        try:
            for fixture in options["fixture"]:
                call_command("loaddata", fixture, verbosity=0)
            for command in options["setup_command"]:
                call_command(command, stdout=self.stderr)
            results = replay(
                requests,
                drf_urlconf=options["drf_urlconf"],
                bolt_urlconf=options["bolt_urlconf"],
                headers=tuple(h for h in options["header"] or COMPARED_HEADERS if h not in options["ignore_header"]),
                normalize=normalize,
            )
        finally:
            if databases is not None:
                teardown_databases(databases, verbosity=0)
        self.stdout.write(render(results), ending="")
        if any(result.differences for result in results):
            sys.exit(1)
