"""Bench settings with no Bolt routes: runbolt serves the DRF URLconf through the fall-through to Django."""

from bench.settings import *  # noqa: F403

ROOT_BOLTCONF = "bench.no_bolt_urls"
