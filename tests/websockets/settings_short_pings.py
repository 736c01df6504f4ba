"""The test settings with WebSocket pings every half second and a short idle timeout (keep-alive tests)."""

from tests.settings import *  # noqa: F403

BOLT = {"WEBSOCKET_PING_INTERVAL": 0.5, "WEBSOCKET_PING_TIMEOUT": 0.5, "WEBSOCKET_IDLE_TIMEOUT": 3.0}
