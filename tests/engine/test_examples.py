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
