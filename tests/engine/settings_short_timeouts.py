"""The test settings with a one-second body timeout (slow-client tests)."""

from tests.settings import *  # noqa: F403

BOLT = {"BODY_TIMEOUT": 1.0}
