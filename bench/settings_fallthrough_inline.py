"""The fall-through bench with the sync bridge inline (`BOLT["SYNC_MODE"] = "inline"`)."""

from bench.settings_fallthrough import *  # noqa: F403

BOLT = {"SYNC_MODE": "inline"}
