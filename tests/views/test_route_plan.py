"""The compiled pipeline (django_bolt.pipeline) answers exactly as ``APIView.dispatch`` does."""

from __future__ import annotations

import pytest
from django.test import override_settings

from django_bolt import pipeline
from tests.views import planned

REQUESTS = [
    ("get", "/planned/{}/", {}),
    ("get", "/planned/{}/", {"HTTP_ACCEPT": "text/plain"}),
    ("get", "/planned/{}/", {"HTTP_ACCEPT": "application/json; indent=2"}),
    ("get", "/planned/{}/", {"HTTP_ACCEPT": "application/xml"}),  # 406
    ("get", "/planned/{}.txt", {}),  # format suffix
    ("get", "/planned/{}.yaml", {}),  # unknown format: 404
    ("get", "/planned/{}/?format=txt", {}),
    ("head", "/planned/{}/", {}),
    ("delete", "/planned/{}/", {}),  # 405 with Allow
    ("post", "/planned/{}/", {"data": {"a": [1, 2]}, "format": "json"}),
    ("post", "/planned/{}/", {"data": b"{bad", "content_type": "application/json"}),  # 400
]


def _answer(response):
    headers = sorted((name, value) for name, value in response.headers.items() if name.lower() != "x-request-id")
    return response.status_code, headers, response.content


@pytest.mark.parametrize(("method", "path", "extra"), REQUESTS)
def test_planned_route_answers_as_dispatch(client, method, path, extra):
    planned_answer = _answer(getattr(client, method)(path.format("echo"), **extra))
    own_answer = _answer(getattr(client, method)(path.format("own-dispatch"), **extra))
    assert planned_answer == own_answer


def test_which_classes_are_planned():
    assert pipeline.plannable(planned.Echo)
    assert not pipeline.plannable(planned.EchoOwnDispatch)
    assert not pipeline.plannable(planned.OwnInitial)
    # Overridden policy stages keep the plan: they run through the view's own methods.
    assert pipeline.plannable(planned.OwnCheckPermissions)


def test_headers_of_a_planned_route(client):
    response = client.get("/planned/echo/")
    assert response.json() == {"user": "AnonymousUser", "version": None, "format": None}
    assert response.headers["Allow"] == "GET, POST, HEAD, OPTIONS"
    assert response.headers["Vary"] == "Cookie, Accept"  # the view's Vary merged with the response's


def test_overridden_policy_stages_still_run(client):
    response = client.get("/planned/own-check-permissions/")
    assert (response.status_code, response.json()) == (403, {"detail": "checked by the override"})
    response = client.get("/planned/own-get-permissions/")
    assert (response.status_code, response.json()) == (403, {"detail": "no entry"})


def test_a_class_overriding_initial_runs_it(client):
    assert client.get("/planned/own-initial/").headers["X-Initial"] == "ran"


def test_changed_settings_reach_the_next_request(client):
    assert client.get("/planned/defaults/").status_code == 200
    denying = {"DEFAULT_AUTHENTICATION_CLASSES": [], "DEFAULT_PERMISSION_CLASSES": ["tests.views.planned.Deny"]}
    with override_settings(REST_FRAMEWORK=denying):
        response = client.get("/planned/defaults/")
        assert (response.status_code, response.json()) == (403, {"detail": "no entry"})
    with override_settings(BOLT={"DEFAULT_RENDERER_CLASSES": ["tests.views.planned.TextRenderer"]}):
        response = client.get("/planned/defaults/")
        assert (response.headers["Content-Type"], response.content) == ("text/plain; charset=utf-8", b"{'ok': True}")
    assert client.get("/planned/defaults/").json() == {"ok": True}


def test_negotiation_answers_are_kept_per_accept_header(client):
    # Repeated and interleaved Accept headers (with and without a format) answer as the first time, and as a
    # view dispatching itself; each header's choice is kept on the route's plan.
    sequence = [REQUESTS[i] for i in (0, 1, 3, 2, 6, 0, 1, 3, 2, 6, 4, 0)]
    for method, path, extra in sequence:
        planned_answer = _answer(getattr(client, method)(path.format("echo"), **extra))
        assert planned_answer == _answer(getattr(client, method)(path.format("own-dispatch"), **extra))
    kept = [plan.choices for plan in _plans() if "text/plain" in plan.choices]
    assert any(set(choices) >= {None, "text/plain", "application/json; indent=2"} for choices in kept)
    assert not any("application/xml" in choices for choices in kept)  # a 406 is decided again each time


def _plans():
    # The plans of the routes in tests/views/urls.py (each kept on its view function).
    from tests.views import urls

    return [plan for entry in urls.urlpatterns if (plan := getattr(entry.callback, "_bolt_plan", None)) is not None]


def test_default_charset_reaches_the_parsers(client):
    with override_settings(DEFAULT_CHARSET="latin-1"):
        response = client.post("/planned/echo/", {"a": [1, 2]}, format="json")
    assert response.status_code < 500
    assert any(plan.default_charset == "latin-1" for plan in _plans())


def test_a_negotiator_choosing_by_other_means_decides_every_request(client):
    # Same Accept header, different choice: nothing may be remembered per header (plan or negotiator cache).
    for _ in range(2):
        as_text = client.get("/planned/query-negotiated/?accept=text/plain")
        as_json = client.get("/planned/query-negotiated/?accept=application/json")
        assert as_text.headers["Content-Type"].startswith("text/plain")
        assert as_json.headers["Content-Type"].startswith("application/json")
