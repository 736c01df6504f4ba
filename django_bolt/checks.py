"""
System checks: what each ``settings.MIDDLEWARE`` entry means for Bolt routes.

Requests that fall through to Django run the whole ``MIDDLEWARE`` chain. Bolt routes do not (that is where much
of their speed comes from); instead the engine applies some middleware natively, Bolt's authentication classes
do the work of others, and ``BOLT["MIDDLEWARE"]`` runs chosen async middleware around Bolt views. ``manage.py
check`` lists every entry with what Bolt routes get (``django_bolt.I001``), so nothing is silently dropped.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

NATIVE = {
    "django.middleware.security.SecurityMiddleware": (
        "applied by the engine (X-Content-Type-Options, Referrer-Policy, Cross-Origin-Opener-Policy, "
        "SECURE_SSL_REDIRECT, HSTS)"
    ),
    "django.middleware.common.CommonMiddleware": "applied by the engine (ALLOWED_HOSTS, APPEND_SLASH)",
    "django.middleware.clickjacking.XFrameOptionsMiddleware": "applied by the engine (X-Frame-Options)",
    "django.middleware.gzip.GZipMiddleware": (
        "applied by the engine (gzip as Django does it, or brotli when accepted; complete bodies only)"
    ),
    "corsheaders.middleware.CorsMiddleware": (
        "applied by the engine (CORS_* settings; preflights answered in Rust; the check_request_enabled signal is "
        "not consulted)"
    ),
}
EQUIVALENT = {
    "django.contrib.sessions.middleware.SessionMiddleware": (
        "a Bolt equivalent: request.session is loaded when used and saved with the response"
    ),
    "django.contrib.auth.middleware.AuthenticationMiddleware": (
        "a Bolt equivalent: the view's authentication classes set request.user (as in DRF)"
    ),
    "django.middleware.csrf.CsrfViewMiddleware": (
        "a Bolt equivalent: SessionAuthentication enforces CSRF for session-authenticated requests (as in DRF)"
    ),
}


def describe(entry: str, bolt_middleware: list[str]) -> str:
    """What Bolt routes get for one MIDDLEWARE entry."""
    if entry in bolt_middleware:
        return 'run around Bolt views (BOLT["MIDDLEWARE"])'
    if entry in NATIVE:
        return NATIVE[entry]
    if entry in EQUIVALENT:
        return EQUIVALENT[entry]
    return (
        "not applied (it runs only for requests that fall through to Django); list it in "
        'BOLT["MIDDLEWARE"] to run it around Bolt views too'
    )


@checks.register("django_bolt")
def check_middleware(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    from django_bolt.middleware import middleware_paths, wrap

    bolt_middleware = middleware_paths()
    messages: list[checks.CheckMessage] = [
        checks.Info(f"MIDDLEWARE {entry}: on Bolt routes, {describe(entry, bolt_middleware)}.", id="django_bolt.I001")
        for entry in settings.MIDDLEWARE
    ]
    for entry in bolt_middleware:
        try:
            wrap(_noop, [entry])
        except (ImproperlyConfigured, ImportError) as exc:
            messages.append(checks.Error(str(exc), id="django_bolt.E001"))
    return messages


async def _noop(request: Any) -> Any:
    return None
