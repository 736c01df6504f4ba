"""
The demo's OpenAPI document, served by runbolt, against the server itself: schemathesis (pinned, seeded,
bounded) generates requests for every documented operation and finds no 5xx and no response that violates the
document; headless Chromium renders the Swagger page (assets from drf-spectacular-sidecar, no network).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from django_bolt.pytest_plugin import LiveServer
from tests.browser import chromium

pytestmark = pytest.mark.live

DEMO = Path(__file__).resolve().parent.parent


def seeded_demo(tmp_path, monkeypatch) -> dict[str, str]:
    """Migrate and seed a fresh demo database; the seeded tokens by username."""
    monkeypatch.setenv("DEMO_DATABASE", str(tmp_path / "demo.sqlite3"))
    monkeypatch.setenv("DJANGO_SETTINGS_MODULE", "demo.settings")
    run = [sys.executable, "manage.py"]
    subprocess.run([*run, "migrate", "--noinput", "-v0"], cwd=DEMO, check=True, timeout=120, capture_output=True)
    seeded = subprocess.run([*run, "seed_demo"], cwd=DEMO, check=True, timeout=120, capture_output=True, text=True)
    return {line.split()[0]: line.split()[-1] for line in seeded.stdout.splitlines()[1:]}


def test_schemathesis_finds_no_server_error_and_no_schema_violation(tmp_path, monkeypatch):
    tokens = seeded_demo(tmp_path, monkeypatch)
    schemathesis = Path(sys.executable).with_name("schemathesis")
    with LiveServer(cwd=str(DEMO), settings_module="demo.settings") as server:
        result = subprocess.run(
            [
                str(schemathesis), "run", f"{server.url}/api/schema/",
                "--checks", "not_a_server_error,response_schema_conformance",
                "--max-examples", "20", "--seed", "20261202", "--no-color",
                # A signed-in (non-staff) user, so writes get past authentication.
                "--header", f"Authorization: Token {tokens['alice']}",
                "--generation-with-security-parameters", "false",
            ],
            cwd=tmp_path, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    assert "API Operations:\n  Selected: 21/21\n  Tested: 21" in result.stdout
    assert " passed" in result.stdout


@pytest.mark.browser
def test_the_swagger_page_renders_the_operations(tmp_path, monkeypatch):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.wait import WebDriverWait

    seeded_demo(tmp_path, monkeypatch)
    # The demo with DEBUG (static files through the fall-through) and the UI assets from the sidecar package.
    (tmp_path / "swagger_settings.py").write_text(
        "from demo.settings import *  # noqa\n"
        "DEBUG = True\n"
        "SPECTACULAR_SETTINGS = {**SPECTACULAR_SETTINGS, 'SWAGGER_UI_DIST': 'SIDECAR',\n"
        "    'SWAGGER_UI_FAVICON_HREF': 'SIDECAR', 'REDOC_DIST': 'SIDECAR'}\n"
    )
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(tmp_path), os.environ.get("PYTHONPATH", "")]))
    with (
        chromium(window_size="1280,1600") as driver,
        LiveServer(cwd=str(DEMO), settings_module="swagger_settings") as server,
    ):
        driver.get(f"{server.url}/api/schema/swagger-ui/")
        WebDriverWait(driver, 30).until(expected_conditions.presence_of_element_located((By.CSS_SELECTOR, ".opblock")))
        paths = {element.text for element in driver.find_elements(By.CSS_SELECTOR, ".opblock-summary-path")}
        assert {"/api/books/", "/api/books/{id}/restock/", "/api/reviews/", "/api/token/"} <= paths
        assert "Catalog API" in driver.find_element(By.CSS_SELECTOR, ".info .title").text
        screenshot = tmp_path / "swagger.png"
        driver.save_screenshot(str(screenshot))
        assert screenshot.read_bytes().startswith(b"\x89PNG")
