"""A real browser (headless Chromium, from Debian's packages) logs into Django's admin on runbolt: the login
form, its CSRF cookie and token, the redirect and the session all go through the fall-through."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from django_bolt.pytest_plugin import LiveServer
from tests.browser import chromium

pytestmark = [pytest.mark.live, pytest.mark.browser]

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = "tests.fallthrough.settings"


@pytest.fixture
def browser():
    with chromium() as driver:
        yield driver


def test_admin_login_in_chromium(browser, tmp_path, monkeypatch):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.wait import WebDriverWait

    database = tmp_path / "db.sqlite3"
    monkeypatch.setenv("FALLTHROUGH_DB", str(database))
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": SETTINGS}
    for args in (
        ["migrate", "--noinput"],
        ["shell", "-c", "from django.contrib.auth.models import User; User.objects.create_superuser('ada', '', 'pw')"],
    ):
        done = subprocess.run([sys.executable, "-m", "django", *args], cwd=ROOT, env=env, capture_output=True)
        assert done.returncode == 0, done.stderr
    with LiveServer(settings_module=SETTINGS, cwd=str(ROOT)) as server:
        browser.get(f"{server.url}/admin/")
        assert "/admin/login/" in browser.current_url  # not logged in: Django's redirect
        browser.find_element(By.NAME, "username").send_keys("ada")
        browser.find_element(By.NAME, "password").send_keys("pw")
        browser.find_element(By.CSS_SELECTOR, "input[type=submit]").click()
        # The click returns before the POST, its redirect and the next page are done: wait for them.
        WebDriverWait(browser, 20).until(expected_conditions.url_to_be(f"{server.url}/admin/"))
        WebDriverWait(browser, 20).until(expected_conditions.title_contains("Site administration"))
        assert "Site administration" in browser.page_source
        assert {cookie["name"] for cookie in browser.get_cookies()} >= {"csrftoken", "sessionid"}
        browser.save_screenshot(str(tmp_path / "admin.png"))
        browser.get(f"{server.url}/bolt/hello")  # the Bolt route, same origin, same browser
        assert '"served_by":"bolt"' in browser.page_source
