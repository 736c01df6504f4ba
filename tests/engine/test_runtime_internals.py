"""The private asyncio/asgiref internals `django_bolt._runtime` uses, checked on every supported Python.

CI's interpreter runs the checks in process; other CPython versions found under pyenv run them in a subprocess
(asgiref and Django are pure Python, so the venv's site-packages serve them too).
"""

import glob
import os
import subprocess
import sysconfig
from pathlib import Path

import pytest

from tests.engine import runtime_internals_check as check

ROOT = Path(__file__).resolve().parents[2]
SUPPORTED = ("3.11", "3.12", "3.13")


def test_worker_loop_step():
    check.check_step()


def test_resume_keeps_the_request_context():
    check.check_resume_keeps_the_context()


def test_only_a_coroutine_outside_any_task_hands_its_bridge_call_to_the_engine():
    check.check_stepped_by_engine()


def test_a_coroutine_continued_after_a_hop_gets_its_outcome():
    check.check_resume_after_hop()


def test_thread_sensitive_calls_follow_the_loop_route():
    check.check_thread_sensitive_routing()


def test_current_timezone_reads_as_django():
    check.check_current_timezone()


def interpreters():
    found = {}
    for version in SUPPORTED:
        paths = sorted(glob.glob(os.path.expanduser(f"~/.pyenv/versions/{version}.*/bin/python{version}")))
        if paths:
            found[version] = paths[-1]
    return found


@pytest.mark.parametrize("version", SUPPORTED)
def test_internals_on_each_supported_python(version):
    interpreter = interpreters().get(version)
    if interpreter is None:
        pytest.skip(f"CPython {version} is not installed here")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), sysconfig.get_paths()["purelib"]]))
    env.pop("DJANGO_SETTINGS_MODULE", None)
    done = subprocess.run(
        [interpreter, str(Path(check.__file__))], env=env, capture_output=True, text=True, timeout=60, cwd=ROOT
    )
    assert (done.returncode, done.stdout.strip()) == (0, "ok"), done.stderr
