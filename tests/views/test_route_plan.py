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
