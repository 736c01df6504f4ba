"""The test settings with Django's Redis cache (shared by every process), serving the live policy routes."""

from tests.settings import *  # noqa: F403

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379",
        "KEY_PREFIX": "bolt-tests",
    }
}
ROOT_BOLTCONF = "tests.policies.live_urls"
