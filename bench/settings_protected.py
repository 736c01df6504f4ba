"""Bench settings with the middleware whose protections the engine applies to Bolt routes (host check, security
headers, X-Frame-Options): measures what they cost."""

from bench.settings import *  # noqa: F403

ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
