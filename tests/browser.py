"""Headless Chromium for the browser tests (Debian's chromium and chromedriver: scripts/browsers.sh)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest


def chromedriver() -> str:
    found = shutil.which("chromedriver")
    if found is None or shutil.which("chromium") is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium is missing: `make test` installs it (scripts/browsers.sh)")
        pytest.skip("Chromium and chromedriver are not installed (scripts/browsers.sh installs them)")
    return found


@contextmanager
def chromium(window_size: str | None = None) -> Iterator[Any]:
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"):
        options.add_argument(flag)
    if window_size:
        options.add_argument(f"--window-size={window_size}")
    options.binary_location = shutil.which("chromium") or ""
    driver = webdriver.Chrome(service=Service(chromedriver()), options=options)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()
