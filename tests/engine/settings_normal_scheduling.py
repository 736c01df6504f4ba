"""The test settings with runbolt's threads left under the OS's default scheduling policy."""

from tests.settings import *  # noqa: F403

BOLT = {"THREAD_SCHEDULING": "normal"}
