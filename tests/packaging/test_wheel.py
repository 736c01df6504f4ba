"""
The install instructions work from this repository: maturin builds a ``drf-bolt`` wheel (a distribution name of
our own: ``django-bolt`` on PyPI is another project) holding the ``django_bolt`` package and its compiled engine;
installed on its own, it imports and serves a request through the engine.
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import sys
sys.path[:0] = [sys.argv[1], sys.argv[2]]  # the installed wheel, then the dependencies (no editable .pth)
import django
from django.conf import settings
settings.configure(
    ROOT_URLCONF=[], INSTALLED_APPS=["django.contrib.contenttypes", "django.contrib.auth", "django_bolt"],
    DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}, ALLOWED_HOSTS=["*"],
)
django.setup()
import django_bolt, django_bolt._engine
from django_bolt.decorators import api_view, permission_classes
from django_bolt.permissions import AllowAny
from django_bolt.response import Response
from django_bolt.test import BoltClient
from django_bolt.urls import path

@api_view(["GET"])
@permission_classes([AllowAny])
async def hello(request):
    return Response({"hello": "wheel"})

class Urls:
    urlpatterns = [path("hello/", hello)]

response = BoltClient(Urls).get("/hello/")
print(django_bolt.__file__, response.status_code, response.content.decode())
"""


def test_the_wheel_builds_installs_and_serves(tmp_path):
    maturin = Path(sys.executable).with_name("maturin")
    build = subprocess.run(
        [str(maturin), "build", "--profile", "ci", "-o", str(tmp_path / "dist"), "-q"],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
        env={**os.environ, "PYO3_PYTHON": sys.executable},
    )  # fmt: skip
    assert build.returncode == 0, build.stderr
    [wheel] = (tmp_path / "dist").glob("drf_bolt-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert any(name.startswith("django_bolt/_engine") and name.endswith(".so") for name in names)
    assert "django_bolt/management/commands/runbolt.py" in names

    target = tmp_path / "site"
    install = subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target), str(wheel)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert install.returncode == 0, install.stderr
    dependencies = sysconfig.get_paths()["purelib"]
    probe = subprocess.run(
        [sys.executable, "-S", "-c", PROBE, str(target), dependencies],
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert probe.returncode == 0, probe.stderr
    location, status, body = probe.stdout.split()
    assert Path(location).is_relative_to(target)
    assert (status, body) == ("200", '{"hello":"wheel"}')
