"""The private CPython layout the engine's SQLite reader relies on, checked on every supported Python (see
src/representation/sqlite_api.rs); other interpreters found under pyenv run the check in a subprocess."""

import os
import sqlite3
import subprocess
from pathlib import Path

import pytest

from django_bolt import _engine
from tests.engine.test_runtime_internals import SUPPORTED, interpreters
from tests.fastpath import sqlite_handle_check as check


def test_layout_on_this_python():
    check.check_layout()


def test_the_engine_reads_the_same_handle():
    connection = sqlite3.connect(":memory:")
    assert _engine.sqlite_handle_address(connection) == check.handle(connection) != 0
    connection.close()
    assert _engine.sqlite_handle_address(connection) == 0
    with pytest.raises(TypeError):
        _engine.sqlite_handle_address(object())


@pytest.mark.parametrize("version", SUPPORTED)
def test_layout_on_each_supported_python(version):
    interpreter = interpreters().get(version)
    if interpreter is None:
        pytest.skip(f"CPython {version} is not installed here")
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PYTHON", "DJANGO"))}
    done = subprocess.run([interpreter, str(Path(check.__file__))], env=env, capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stdout.strip()) == (0, "ok"), done.stderr
