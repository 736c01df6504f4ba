"""``manage.py bolt_report``: where each endpoint is served and what porting each DRF view needs."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand

from django_bolt.porting.report import project_report, render_text


class Command(BaseCommand):
    help = (
        "List every endpoint with where runbolt serves it (bolt, compat, django) and what porting each DRF view needs."
    )
    requires_system_checks: list = []

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args: Any, **options: Any) -> None:
        report = project_report()
        if options["format"] == "json":
            self.stdout.write(json.dumps(report.as_dict(), indent=2))
        else:
            self.stdout.write(render_text(report), ending="")
