#!/usr/bin/env python
"""Django's command-line utility for the tasks example (``TASKS_STEP`` picks the migration step: 0-3)."""

import os
import sys
from pathlib import Path

if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tasksite.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
