"""
The tasks example at the step ``TASKS_STEP`` names: the API answers the same (through ``BoltClient``, i.e. what
runbolt serves: Bolt routes, then the fall-through), ``bolt_report`` says where each endpoint is served, and
``bolt_parity`` finds no difference from the DRF version.
"""

from __future__ import annotations

import io
import json

from django.conf import settings
from django.core.management import call_command
from tasks.models import Project, Task

from django_bolt.porting.parity import RecordedRequest, replay
from django_bolt.test import BoltClient

SERVED_BY = {"0": "django", "1": "compat", "2": "bolt", "3": "bolt"}


def test_the_api_answers_the_same_at_every_step(world):
    client = BoltClient()
    home, work = world.projects["home"], world.projects["work"]
    response = client.get("/api/projects/")
    assert (response.status_code, response["WWW-Authenticate"]) == (401, "Token")

    client.credentials(HTTP_AUTHORIZATION=world.auth("alice")["Authorization"])
    assert client.get("/api/projects/").json() == {
        "count": 1,
        "next": None,
        "previous": None,
        "results": [{"id": home.pk, "name": "Home", "archived": False, "open_tasks": 2}],
    }
    response = client.post("/api/projects/", {"name": "Garden"}, format="json")
    assert response.status_code == 201
    assert Project.objects.get(pk=response.json()["id"]).owner.username == "alice"
    assert client.get(f"/api/projects/{work.pk}/").status_code == 404
    response = client.post("/api/tasks/", {"project": work.pk, "title": "Sneaky"}, format="json")
    assert (response.status_code, response.json()) == (400, {"project": ["Not one of your projects."]})
    titles = [task["title"] for task in client.get("/api/tasks/?done=false&priority=high").json()["results"]]
    assert titles == ["Paint the door"]
    response = client.get("/api/tasks/?priority=urgent")
    assert response.status_code == 400 and "priority" in response.json()
    response = client.post(f"/api/projects/{home.pk}/archive/")
    assert (response.status_code, response.json()["archived"], response.json()["open_tasks"]) == (200, True, 0)
    assert not Task.objects.filter(project=home, done=False).exists()

    # Not an API endpoint to port: DRF's token view stays on Django at every step.
    response = BoltClient().post("/api/token/", {"username": "bob", "password": "tasks-password"}, format="json")
    assert response.json() == {"token": world.tokens["bob"]}


def test_bolt_report_follows_the_steps(world):
    out = io.StringIO()
    call_command("bolt_report", "--format", "json", stdout=out)
    report = json.loads(out.getvalue())
    served = {e["path"]: e["served_by"] for e in report["endpoints"]}
    assert served["/api/projects/"] == served["/api/tasks/<pk>/"] == SERVED_BY[settings.STEP]
    assert served["/api/token/"] == "django"
    ported = {p["view"]: p for p in report["porting"]}
    if settings.STEP == "0":
        projects = ported["tasks.views.ProjectViewSet"]
        assert projects["make_async"] == ["tasks.views.ProjectViewSet.archive"]
        assert projects["bolt_equivalents"]["tasks.permissions.IsOwner"].endswith(
            "on django_bolt.permissions.BasePermission (change its base)"
        )
    else:
        assert set(ported) == {"rest_framework.authtoken.views.ObtainAuthToken"}
    # REST_FRAMEWORK's DRF defaults: still to move until step 2 gives Bolt its own.
    assert bool(report["settings"]) is (settings.STEP in ("0", "1"))


def test_bolt_parity_finds_no_difference_from_the_drf_version(world):
    home = world.projects["home"]
    alice = {**world.auth("alice"), "Content-Type": "application/json"}
    requests = [
        RecordedRequest("GET", "/api/projects/"),
        RecordedRequest("GET", "/api/projects/", world.auth("alice")),
        RecordedRequest("GET", "/api/tasks/?ordering=id&limit=2&offset=1", world.auth("alice")),
        RecordedRequest("GET", "/api/tasks/?priority=urgent", world.auth("alice")),
        RecordedRequest("POST", "/api/tasks/", alice, json.dumps({"project": home.pk, "title": "New"}).encode()),
        RecordedRequest("POST", "/api/tasks/", alice, b'{"project": 999, "title": ""}'),
        RecordedRequest("POST", f"/api/projects/{home.pk}/archive/", world.auth("alice")),
        RecordedRequest("DELETE", f"/api/projects/{world.projects['work'].pk}/", world.auth("alice")),
    ]
    results = replay(requests, drf_urlconf="tasksite.urls")
    assert [r.differences for r in results] == [[]] * len(requests)
    assert [r.bolt.status for r in results] == [401, 200, 200, 400, 201, 400, 200, 404]
