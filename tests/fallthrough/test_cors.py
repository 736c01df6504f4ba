"""django-cors-headers on Bolt routes, answered by the engine: the same CORS headers (and preflight answers) as
CorsMiddleware gives a Django view of the same project, for the same requests."""

import pytest

from django_bolt.test import BoltClient

CORS_HEADERS = (
    "Access-Control-Allow-Origin",
    "Access-Control-Allow-Credentials",
    "Access-Control-Expose-Headers",
    "Access-Control-Allow-Headers",
    "Access-Control-Allow-Methods",
    "Access-Control-Max-Age",
    "Access-Control-Allow-Private-Network",
    "Vary",
)

CONFIGS = {
    "listed": {"CORS_ALLOWED_ORIGINS": ["https://app.example.com", "http://localhost:3000"]},
    "regex": {"CORS_ALLOWED_ORIGIN_REGEXES": [r"^https://\w+\.example\.org$"], "CORS_EXPOSE_HEADERS": ["X-Total"]},
    "all": {"CORS_ALLOW_ALL_ORIGINS": True, "CORS_PREFLIGHT_MAX_AGE": 600},
    "credentials": {
        "CORS_ALLOW_ALL_ORIGINS": True,
        "CORS_ALLOW_CREDENTIALS": True,
        "CORS_ALLOW_PRIVATE_NETWORK": True,
    },
    "scoped": {"CORS_ALLOW_ALL_ORIGINS": True, "CORS_URLS_REGEX": r"^/plain/|^/bolt/"},
    "elsewhere": {"CORS_ALLOW_ALL_ORIGINS": True, "CORS_URLS_REGEX": r"^/api/"},
}

REQUESTS = [
    ("GET", {}),
    ("GET", {"Origin": "https://app.example.com"}),
    ("GET", {"Origin": "https://evil.example.com"}),
    ("GET", {"Origin": "https://api.example.org"}),
    ("GET", {"Origin": "null"}),
    ("OPTIONS", {"Origin": "https://app.example.com", "Access-Control-Request-Method": "POST"}),
    (
        "OPTIONS",
        {
            "Origin": "http://localhost:3000",
            "Access-Control-Request-Method": "PUT",
            "Access-Control-Request-Private-Network": "true",
        },
    ),
    ("OPTIONS", {"Origin": "https://evil.example.com", "Access-Control-Request-Method": "POST"}),
]


@pytest.mark.parametrize("config", CONFIGS)
def test_same_cors_answers_as_the_middleware(db, settings, config):
    settings.MIDDLEWARE = ["corsheaders.middleware.CorsMiddleware", *settings.MIDDLEWARE]
    for name, value in CONFIGS[config].items():
        setattr(settings, name, value)
    client = BoltClient()
    for method, headers in REQUESTS:
        bolt = client.generic(method, "/bolt/hello", headers=headers)
        django = client.generic(method, "/plain/async/", headers=headers)
        preflight = method == "OPTIONS" and "Access-Control-Request-Method" in headers
        if preflight and config != "elsewhere":
            assert (bolt.status_code, bolt.content) == (django.status_code, django.content) == (200, b"")
        for name in CORS_HEADERS:
            if name == "Vary" and not preflight:
                # Bolt's JSON view and the Django view vary on other things too; origin must be among them.
                assert ("origin" in bolt.get(name, "")) == ("origin" in django.get(name, "")), (config, headers)
            else:
                assert bolt.get(name) == django.get(name), (config, method, headers, name)
