"""``manage.py bolt_report`` on the demo: where each endpoint is served, and what porting a DRF view needs."""

from __future__ import annotations

import io
import json

from django.core.management import call_command
from django.test import override_settings
from rest_framework import permissions, serializers, viewsets
from rest_framework.authentication import TokenAuthentication
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from django_bolt.porting.report import build_report, render_text


def report() -> dict:
    out = io.StringIO()
    call_command("bolt_report", "--format", "json", stdout=out)
    return json.loads(out.getvalue())


def test_the_demo_report_says_where_each_endpoint_is_served():
    endpoints = {(e["path"], e["view"]): e for e in report()["endpoints"]}
    served = {path: e["served_by"] for (path, _), e in endpoints.items()}
    assert served["/api/books/"] == "bolt"
    assert served["/api/books/<pk>/restock/"] == "bolt"
    assert served["/api/reviews/"] == "compat"  # the Bolt view keeps its DRF classes
    assert served["/api/token/"] == "django"  # the fall-through
    assert served["/admin/login/"] == "django"
    assert served["/api/schema/swagger-ui/"] == "bolt"  # path()'s escapes ("swagger\\-ui") are not shown
    books = endpoints["/api/books/", "catalog.bolt_views.BookViewSet"]
    assert (books["methods"], books["name"]) == (["GET", "HEAD", "POST"], "book-list")
    # The DRF versions of the ported viewsets are shadowed by their Bolt routes, so they are not listed.
    assert not any(view.startswith("catalog.views.") for _, view in endpoints)


def test_the_text_report(capsys):
    call_command("bolt_report")
    text = capsys.readouterr().out
    lines = text.splitlines()
    assert lines[0].split() == ["PATH", "SERVED", "BY", "METHODS", "VIEW"]
    # Every row's view starts in the VIEW column, however long its methods ("DELETE, GET, HEAD, PATCH, PUT").
    column = lines[0].index("VIEW")
    rows = lines[1 : lines.index("")]
    assert any("DELETE, GET, HEAD, PATCH, PUT" in row for row in rows)
    assert all(row[column - 2 : column] == "  " and row[column] != " " for row in rows)
    assert "on Bolt keeping DRF classes" in text
    assert "To port rest_framework.authtoken.views.ObtainAuthToken (/api/token/):" in text


class Shelf(permissions.BasePermission):
    def has_permission(self, request, view):
        return True


class ShelfSerializer(serializers.Serializer):
    name = serializers.CharField()


class ShelfViewSet(viewsets.ViewSet):
    authentication_classes = [TokenAuthentication]
    permission_classes = [permissions.IsAuthenticated, Shelf]
    serializer_class = ShelfSerializer

    def list(self, request):
        return Response([])

    def retrieve(self, request, pk=None):
        return Response({})

    @action(detail=True, methods=["post"])
    def dust(self, request, pk=None):
        return Response({})


def test_what_porting_a_drf_view_needs():
    router = DefaultRouter()
    router.register("shelves", ShelfViewSet, basename="shelf")
    rest = {"DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination", "PAGE_SIZE": 5}
    with override_settings(REST_FRAMEWORK=rest, BOLT={}):
        result = build_report([], router.urls)
    [porting] = [p for p in result.porting if p.view.endswith("ShelfViewSet")]
    name = f"{__name__}.ShelfViewSet"
    assert porting.paths == ["/shelves/", "/shelves/<pk>/", "/shelves/<pk>/dust/"]
    assert porting.make_async == [f"{name}.dust", f"{name}.list", f"{name}.retrieve"]
    assert porting.bolt_equivalents == {
        "rest_framework.authentication.TokenAuthentication": "django_bolt.authentication.TokenAuthentication",
        "rest_framework.permissions.IsAuthenticated": "django_bolt.permissions.IsAuthenticated",
        f"{__name__}.Shelf": f"{__name__}.Shelf on django_bolt.permissions.BasePermission (change its base)",
        f"{__name__}.ShelfSerializer": (
            f"{__name__}.ShelfSerializer on django_bolt.serializers.Serializer (change its base)"
        ),
    }
    assert result.settings == {"DEFAULT_PAGINATION_CLASS": "'django_bolt.pagination.PageNumberPagination'"}
    assert [e.served_by for e in result.endpoints] == ["django"] * 4  # with the API root
    assert "make async: " in render_text(result)


# bolt_parity ---------------------------------------------------------------------------------------------


def requests_file(tmp_path, catalog) -> str:
    from django_bolt.porting.parity import RecordedRequest

    book = catalog.book("Small Gods")
    auth = {"Authorization": f"Token {catalog.tokens['alice']}"}
    json_body = {"Content-Type": "application/json"}
    requests = [
        RecordedRequest("GET", "/api/books/?search=pratchett&ordering=-price"),
        RecordedRequest("GET", f"/api/books/{book.pk}/"),
        RecordedRequest("GET", "/api/books/999999/"),
        RecordedRequest("POST", "/api/authors/", {**auth, **json_body}, b'{"name": "New Writer"}'),
        RecordedRequest("POST", "/api/authors/", json_body, b'{"name": "Anonymous"}'),
        RecordedRequest("POST", "/api/authors/", {**auth, **json_body}, b'{"name": ""}'),
        RecordedRequest("GET", "/api/reviews/?ordering=id"),
        RecordedRequest("POST", "/api/token/", json_body, b'{"username": "alice", "password": "demo-password"}'),
    ]
    path = tmp_path / "requests.jsonl"
    path.write_text("".join(json.dumps(r.to_json()) + "\n" for r in requests))
    return str(path)


# DRF's default renderers include the browsable API, which adds `Vary: Accept` (docs/deviations.md).
NOT_VARY = ("--ignore-header", "Vary")


def test_bolt_parity_finds_no_difference_on_the_demo(tmp_path, catalog, capsys):
    call_command("bolt_parity", requests_file(tmp_path, catalog), "--current-database", *NOT_VARY)
    assert capsys.readouterr().out == "8 requests, 0 with differences\n"


def test_bolt_parity_reports_the_documented_vary_deviation(tmp_path, catalog, capsys):
    import pytest

    with pytest.raises(SystemExit):
        call_command("bolt_parity", requests_file(tmp_path, catalog), "--current-database")
    assert "header Vary: drf='Accept, Cookie' bolt='Cookie'" in capsys.readouterr().out


def test_bolt_parity_catches_a_changed_response(tmp_path, catalog, capsys, monkeypatch):
    import pytest
    from catalog import bolt_serializers, bolt_views

    class Changed(bolt_serializers.BookSerializer):
        class Meta(bolt_serializers.BookSerializer.Meta):
            fields = [f for f in bolt_serializers.BookSerializer.Meta.fields if f != "isbn"]

    monkeypatch.setattr(bolt_views.BookViewSet, "serializer_class", Changed)
    with pytest.raises(SystemExit) as exit_status:
        call_command("bolt_parity", requests_file(tmp_path, catalog), "--current-database", *NOT_VARY)
    out = capsys.readouterr().out
    assert exit_status.value.code == 1
    assert out.endswith("8 requests, 2 with differences\n")
    assert "#0 GET /api/books/?search=pratchett&ordering=-price:\n  body:" in out and "isbn" in out
    # Normalisation: the difference is in a key the team chose to ignore.
    call_command(
        "bolt_parity", requests_file(tmp_path, catalog), "--current-database", "--ignore-keys", "isbn", *NOT_VARY
    )
    assert capsys.readouterr().out.endswith("0 with differences\n")


def test_requests_recorded_by_the_middleware_replay_the_same(tmp_path, catalog, settings):
    from django.test import Client

    from django_bolt.porting.parity import load_requests, replay

    record = tmp_path / "recorded.jsonl"
    settings.MIDDLEWARE = ["django_bolt.porting.recorder.RecordRequestsMiddleware", *settings.MIDDLEWARE]
    settings.BOLT = {**getattr(settings, "BOLT", {}), "PARITY_RECORD_FILE": str(record)}
    client = Client(headers={"Authorization": f"Token {catalog.tokens['bob']}"})
    client.get("/api/books/", {"page_size": 2})
    client.post("/api/authors/", {"name": "Recorded"}, content_type="application/json")
    client.get("/admin/login/")  # not under /api/: not recorded
    recorded = load_requests(record)
    assert [str(r) for r in recorded] == ["GET /api/books/?page_size=2", "POST /api/authors/"]
    assert recorded[1].headers["Authorization"] == f"Token {catalog.tokens['bob']}"
    results = replay(recorded, headers=("Content-Type", "Location", "WWW-Authenticate"))
    assert [(r.drf.status, r.differences) for r in results] == [(200, []), (201, [])]


def test_har_files_replay(tmp_path, catalog):
    from django_bolt.porting.parity import load_requests, replay

    har = {
        "log": {
            "entries": [
                {
                    "request": {
                        "method": "GET",
                        "url": "http://staging.example/api/books/?ordering=title",
                        "headers": [],
                    }
                },
                {
                    "request": {
                        "method": "POST",
                        "url": "http://staging.example/api/authors/",
                        "headers": [{"name": "Content-Type", "value": "application/json"}],
                        "postData": {"mimeType": "application/json", "text": '{"name": "x"}'},
                    }
                },
            ]
        }
    }
    path = tmp_path / "staging.har"
    path.write_text(json.dumps(har))
    results = replay(load_requests(path), headers=("Content-Type", "WWW-Authenticate"))
    assert [(r.drf.status, r.bolt.status, r.differences) for r in results] == [(200, 200, []), (401, 401, [])]


def test_the_command_line_on_a_fresh_test_database(tmp_path):
    import os
    import subprocess
    import sys
    from pathlib import Path

    lines = [
        {"method": "GET", "path": "/api/books/?ordering=title"},
        {"method": "GET", "path": "/api/authors/?search=pratchett"},
        {
            "method": "POST",
            "path": "/api/token/",
            "headers": {"Content-Type": "application/json"},
            "body": '{"username": "alice", "password": "demo-password"}',
        },
    ]
    requests = tmp_path / "requests.jsonl"
    requests.write_text("".join(json.dumps(line) + "\n" for line in lines))
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "demo.settings", "DEMO_DATABASE": str(tmp_path / "db.sqlite3")}
    command = [sys.executable, "manage.py", "bolt_parity", str(requests), "--setup-command", "seed_demo"]
    demo = Path(__file__).resolve().parent.parent
    result = subprocess.run([*command, *NOT_VARY], cwd=demo, env=env, capture_output=True, text=True, timeout=120)
    assert (result.returncode, result.stdout) == (0, "3 requests, 0 with differences\n"), result.stderr
    result = subprocess.run(command, cwd=demo, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1 and "header Vary" in result.stdout
