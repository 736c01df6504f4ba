"""The test settings with a sync bridge of one thread (a WebSocket must not keep it for its whole life)."""

from tests.settings import *  # noqa: F403

BOLT = {"SYNC_WORKERS": 1}
