"""
Fixtures of the tasks example's tests. They run with the example's own settings, once per migration step:
``TASKS_STEP=1 pytest examples/tasks/tests --ds=tasksite.settings`` (``tests/engine/test_examples.py`` runs all
four).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token
from tasks.models import Project, Task


@dataclass
class World:
    tokens: dict[str, str]
    projects: dict[str, Project]

    def auth(self, username: str) -> dict[str, str]:
        return {"Authorization": f"Token {self.tokens[username]}"}


@pytest.fixture
def world(db: Any) -> World:
    users = {name: get_user_model().objects.create_user(name, password="tasks-password") for name in ("alice", "bob")}
    home = Project.objects.create(name="Home", owner=users["alice"])
    work = Project.objects.create(name="Work", owner=users["bob"])
    Task.objects.create(project=home, title="Paint the door", priority="high")
    Task.objects.create(project=home, title="Fix the tap", done=True)
    Task.objects.create(project=home, title="Water plants", priority="low")
    Task.objects.create(project=work, title="Report", priority="high")
    tokens = {name: Token.objects.create(user=user).key for name, user in users.items()}
    return World(tokens, {"home": home, "work": work})
