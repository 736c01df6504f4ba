"""Bench settings with the sync bridge inline (`BOLT["SYNC_MODE"] = "inline"`), the recommended mode for SQLite."""

from bench.settings import *  # noqa: F403

BOLT = {"SYNC_MODE": "inline"}
