"""The examples run: the minimal project served by a real runbolt process."""

import json
from pathlib import Path

import pytest

from django_bolt.pytest_plugin import LiveServer

from .test_live_server import get

pytestmark = pytest.mark.live

JSON = {"Content-Type": "application/json"}
MINIMAL = Path(__file__).resolve().parents[2] / "examples" / "minimal"


def test_minimal_example_serves_its_viewset():
    with LiveServer(settings_module="settings", cwd=str(MINIMAL)) as live:
        status, _, body = get(live, "/notes/")
        assert status == 200 and json.loads(body) == [{"id": 1, "text": "Try runbolt", "done": False}]
        status, _, body = get(live, "/notes/", "POST", body=b'{"text": "hi"}', headers=JSON)
        assert status == 201 and json.loads(body) == {"id": 2, "text": "hi", "done": False}
        status, _, body = get(live, "/notes/2/finish/", "POST")
        assert status == 200 and json.loads(body)["done"] is True
        status, _, body = get(live, "/notes/", "POST", body=b'{"text": ""}', headers=JSON)
        assert status == 400 and json.loads(body) == {"text": ["This field may not be blank."]}
        assert get(live, "/notes/99/")[0] == 404
        assert json.loads(get(live, "/")[2]) == {"notes": f"{live.url}/notes/"}


def test_minimal_example_streams_note_changes():
    import socket

    with LiveServer(settings_module="settings", cwd=str(MINIMAL)) as live:
        feed = socket.create_connection((live.host, live.port), timeout=5)
        feed.sendall(b"GET /notes/changes/ HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n")
        received = feed.recv(65536)
        assert received.startswith(b"HTTP/1.1 200") and b"text/event-stream" in received
        assert get(live, "/notes/", "POST", body=b'{"text": "live"}', headers=JSON)[0] == 201
        assert get(live, "/notes/2/finish/", "POST")[0] == 200
        while b"event: finished" not in received:
            received += feed.recv(65536)
        feed.close()
        assert b'event: created\nid: 2\ndata: {"id":2,"text":"live","done":false}\n\n' in received
        assert b'event: finished\nid: 2\ndata: {"id":2,"text":"live","done":true}\n\n' in received


TASKS = MINIMAL.parent / "tasks"


@pytest.mark.parametrize("step", ["0", "1", "2", "3"])
def test_the_tasks_example_at_each_migration_step(step):
    # Its tests need its own settings (REST_FRAMEWORK's DRF defaults are read when DRF is imported): a process each.
    import os
    import subprocess
    import sys

    root = str(TASKS.parents[1])
    env = {**os.environ, "TASKS_STEP": step, "PYTHONPATH": os.pathsep.join([str(TASKS), root])}
    command = [sys.executable, "-m", "pytest", "tests", "-q", "-p", "no:randomly", "-p", "no:cacheprovider"]
    result = subprocess.run(
        [*command, "--ds=tasksite.settings"], cwd=TASKS, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "3 passed" in result.stdout


def test_the_tasks_example_serves_the_end_state_with_runbolt(tmp_path, monkeypatch):
    import os
    import subprocess
    import sys

    monkeypatch.setenv("TASKS_STEP", "3")
    monkeypatch.setenv("TASKS_DATABASE", str(tmp_path / "tasks.sqlite3"))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(TASKS), str(TASKS.parents[1])])}
    env["DJANGO_SETTINGS_MODULE"] = "tasksite.settings"
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=TASKS, env=env, check=True, timeout=120)
    with LiveServer(settings_module="tasksite.settings", cwd=str(TASKS)) as live:
        status, headers, body = get(live, "/api/projects/")
        assert (status, json.loads(body)) == (401, {"detail": "Authentication credentials were not provided."})
        status, _, body = get(live, "/api/token/", "POST", body=b'{"username": "x", "password": "y"}', headers=JSON)
        # DRF's token view, through the fall-through.
        assert status == 400 and "non_field_errors" in json.loads(body), "".join(live.output)[-3000:]


def test_the_example_page_shows_the_steps_diffs():
    import sys

    sys.path.insert(0, str(TASKS))
    try:
        import steps
    finally:
        sys.path.remove(str(TASKS))
    page = (TASKS.parents[1] / "docs" / "example-tasks.md").read_text()
    for _, old, new in steps.DIFFS:
        assert f"```diff\n{steps.diff(old, new)}```" in page, f"docs/example-tasks.md: re-run steps.py ({old})"
