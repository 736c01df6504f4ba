"""Principle 7: production code never reads the test client's state; the test client writes onto the request."""

from pathlib import Path

import django_bolt

# The test client itself, and the testing tools that drive it (pytest fixtures, bolt_parity's in-process replay).
ALLOWED = {"test.py", "pytest_plugin.py", "porting/parity.py"}


def test_no_production_module_looks_at_the_test_client():
    root = Path(django_bolt.__file__).parent
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if str(path.relative_to(root)) not in ALLOWED and "django_bolt.test" in path.read_text()
    ]
    assert offenders == []
