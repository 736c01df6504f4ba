"""
The diffs of docs/example-tasks.md, one per migration step, from the files themselves:
``python examples/tasks/steps.py`` rewrites the page's diff blocks (in order); ``tests/engine/test_examples.py``
checks the page still shows them.
"""

from __future__ import annotations

import difflib
from pathlib import Path

HERE = Path(__file__).resolve().parent

# (step, from, to): each a commit-sized change of the project.
DIFFS = [
    ("1", "tasks/views.py", "tasks/bolt_compat.py"),
    ("2", "tasks/serializers.py", "tasks/bolt_serializers.py"),
    ("2", "tasks/permissions.py", "tasks/bolt_permissions.py"),
    ("2", "tasks/bolt_compat.py", "tasks/bolt_views.py"),
    ("3", "tasksite/urls.py", "tasksite/urls_end.py"),
]


def diff(old: str, new: str) -> str:
    lines = difflib.unified_diff(
        (HERE / old).read_text().splitlines(keepends=True),
        (HERE / new).read_text().splitlines(keepends=True),
        fromfile=old,
        tofile=new,
    )
    return "".join(lines)


PAGE = HERE.parents[1] / "docs" / "example-tasks.md"


def update_page() -> None:
    parts = PAGE.read_text().split("```diff\n")
    assert len(parts) == len(DIFFS) + 1, "one ```diff block per entry of DIFFS"
    out = [parts[0]]
    for (_, old, new), part in zip(DIFFS, parts[1:], strict=True):
        out.append(diff(old, new) + part[part.index("```") :])
    PAGE.write_text("```diff\n".join(out))


if __name__ == "__main__":
    update_page()
