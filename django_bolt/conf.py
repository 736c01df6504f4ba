"""Building the engine from `settings.ROOT_BOLTCONF` and the `BOLT` settings."""

from __future__ import annotations

from importlib import import_module
from typing import Any

from django.conf import settings

from django_bolt import _runtime
from django_bolt._engine import Cors, Engine, Limits, Protections, WebSocketConfig
from django_bolt.fallthrough import fallthrough_handler
from django_bolt.handlers import check_async, make_handler, make_websocket_handler, view_methods
from django_bolt.middleware import middleware_paths
from django_bolt.settings import api_settings
from django_bolt.urls import iter_routes

_DJANGO = object()


def get_boltconf() -> str:
    """`settings.ROOT_BOLTCONF`, defaulting to `<settings package>.bolt_urls`."""
    configured = getattr(settings, "ROOT_BOLTCONF", None)
    if configured:
        return configured
    package = (settings.SETTINGS_MODULE or "").rpartition(".")[0]
    return f"{package}.bolt_urls" if package else "bolt_urls"


def load_urlpatterns(urlconf: str | Any | None = None) -> list:
    if urlconf is not None and not isinstance(urlconf, str):
        module = urlconf
    else:
        name = urlconf or get_boltconf()
        try:
            module = import_module(name)
        except ModuleNotFoundError as error:
            # No ROOT_BOLTCONF and no `bolt_urls` beside the settings: an unported project, all fall-through.
            # Only that module (or its package) missing counts; an import error inside a bolt_urls surfaces.
            implicit = urlconf is None and not getattr(settings, "ROOT_BOLTCONF", None)
            missing = bool(error.name) and (name == error.name or name.startswith(f"{error.name}."))
            if not (implicit and missing):
                raise
            return []
    return list(getattr(module, "urlpatterns", module))


def default_limits() -> Limits:
    """Engine limits from the settings; the body limit defaults to Django's DATA_UPLOAD_MAX_MEMORY_SIZE."""
    body = api_settings.MAX_BODY_SIZE or getattr(settings, "DATA_UPLOAD_MAX_MEMORY_SIZE", None) or 2_621_440
    return Limits(
        max_body_size=int(body),
        max_header_count=int(api_settings.MAX_HEADER_COUNT),
        max_header_size=int(api_settings.MAX_HEADER_SIZE),
        max_uri_length=int(api_settings.MAX_URI_LENGTH),
        body_timeout_secs=float(api_settings.BODY_TIMEOUT),
    )


def websocket_config() -> WebSocketConfig:
    """The engine's WebSocket limits and timeouts; an ``Origin`` must name one of ``ALLOWED_HOSTS``."""
    return WebSocketConfig(
        max_message_size=int(api_settings.WEBSOCKET_MAX_MESSAGE_SIZE),
        ping_interval_secs=float(api_settings.WEBSOCKET_PING_INTERVAL or 0),
        ping_timeout_secs=float(api_settings.WEBSOCKET_PING_TIMEOUT),
        idle_timeout_secs=float(api_settings.WEBSOCKET_IDLE_TIMEOUT or 0),
        close_timeout_secs=float(api_settings.WEBSOCKET_CLOSE_TIMEOUT),
        write_buffer_size=int(api_settings.WEBSOCKET_WRITE_BUFFER_SIZE),
        allowed_hosts=allowed_hosts(),
    )


def allowed_hosts() -> list[str]:
    """``ALLOWED_HOSTS`` as Django validates hosts with it (under DEBUG an empty list allows the local names)."""
    hosts = list(settings.ALLOWED_HOSTS)
    if settings.DEBUG and not hosts:
        hosts = [".localhost", "127.0.0.1", "[::1]"]
    return hosts


COMMON = "django.middleware.common.CommonMiddleware"
SECURITY = "django.middleware.security.SecurityMiddleware"
XFRAME = "django.middleware.clickjacking.XFrameOptionsMiddleware"


def _proxy_ssl_header() -> tuple[str, str] | None:
    """``SECURE_PROXY_SSL_HEADER`` (a META key) as the HTTP header name the engine sees."""
    configured = settings.SECURE_PROXY_SSL_HEADER
    if not configured:
        return None
    key, value = configured
    return key.removeprefix("HTTP_").replace("_", "-").lower(), value


CORS = "corsheaders.middleware.CorsMiddleware"
GZIP = "django.middleware.gzip.GZipMiddleware"


def cors_from_settings() -> Cors | None:
    """django-cors-headers' configuration, when its middleware is listed."""
    if CORS not in settings.MIDDLEWARE:
        return None
    from corsheaders.conf import conf

    return Cors(
        urls_regex=conf.CORS_URLS_REGEX if isinstance(conf.CORS_URLS_REGEX, str) else conf.CORS_URLS_REGEX.pattern,
        allow_all_origins=conf.CORS_ALLOW_ALL_ORIGINS,
        allowed_origins=list(conf.CORS_ALLOWED_ORIGINS),
        origin_regexes=[p if isinstance(p, str) else p.pattern for p in conf.CORS_ALLOWED_ORIGIN_REGEXES],
        allow_credentials=conf.CORS_ALLOW_CREDENTIALS,
        expose_headers=list(conf.CORS_EXPOSE_HEADERS),
        allow_headers=list(conf.CORS_ALLOW_HEADERS),
        allow_methods=list(conf.CORS_ALLOW_METHODS),
        max_age=int(conf.CORS_PREFLIGHT_MAX_AGE or 0),
        allow_private_network=conf.CORS_ALLOW_PRIVATE_NETWORK,
    )


def protections_from_settings() -> Protections:
    """What the listed Django middleware would do for Bolt routes, read from the same settings, once."""
    middleware = set(settings.MIDDLEWARE)
    # CommonMiddleware reads the host (and so validates it) on every request.
    hosts = allowed_hosts() if COMMON in middleware else None
    headers: list[tuple[str, str]] = []
    hsts = None
    security = SECURITY in middleware
    if security:
        if settings.SECURE_CONTENT_TYPE_NOSNIFF:
            headers.append(("X-Content-Type-Options", "nosniff"))
        policy = settings.SECURE_REFERRER_POLICY
        if policy:
            values = policy.split(",") if isinstance(policy, str) else policy
            headers.append(("Referrer-Policy", ",".join(value.strip() for value in values)))
        if settings.SECURE_CROSS_ORIGIN_OPENER_POLICY:
            headers.append(("Cross-Origin-Opener-Policy", settings.SECURE_CROSS_ORIGIN_OPENER_POLICY))
        if settings.SECURE_HSTS_SECONDS:
            hsts = f"max-age={settings.SECURE_HSTS_SECONDS}"
            if settings.SECURE_HSTS_INCLUDE_SUBDOMAINS:
                hsts += "; includeSubDomains"
            if settings.SECURE_HSTS_PRELOAD:
                hsts += "; preload"
    if XFRAME in middleware:
        headers.append(("X-Frame-Options", getattr(settings, "X_FRAME_OPTIONS", "DENY").upper()))
    return Protections(
        allowed_hosts=hosts,
        use_x_forwarded_host=settings.USE_X_FORWARDED_HOST,
        proxy_ssl_header=_proxy_ssl_header(),
        ssl_redirect=security and settings.SECURE_SSL_REDIRECT,
        ssl_host=settings.SECURE_SSL_HOST or None,
        redirect_exempt=list(settings.SECURE_REDIRECT_EXEMPT) if security else [],
        headers=headers,
        hsts=hsts,
        append_slash=COMMON in middleware and settings.APPEND_SLASH,
        debug=settings.DEBUG,
        cors=cors_from_settings(),
        gzip=GZIP in middleware,
    )


def build_engine(
    urlconf: str | Any | None = None,
    *,
    limits: Limits | None = None,
    debug: bool | None = None,
    fallback: Any = _DJANGO,
    protections: Protections | None = None,
) -> Engine:
    """Compile the URL patterns into an engine. Sync views are rejected here, at start-up.

    Requests no route matches go to ``fallback``: by default Django itself, for ``ROOT_URLCONF``
    (``django_bolt.fallthrough``); None answers them with a JSON 404.
    """
    if fallback is _DJANGO:
        fallback = fallthrough_handler()
    specs = []
    middleware = middleware_paths()
    for route in iter_routes(load_urlpatterns(urlconf)):
        check_async(route.view, route.regex)
        if getattr(route.view, "bolt_websocket", False):
            handler = make_websocket_handler(route.view, route.python_converters, route.default_kwargs)
        else:
            handler = getattr(route.view, "bolt_static", None) or make_handler(
                route.view, route.python_converters, route.default_kwargs, middleware
            )
        # The label of the access log and the metrics: the URL name, else the pattern as written.
        label = route.name or route.route or route.regex
        specs.append((route.regex, view_methods(route.view), handler, route.engine_converters, label))
    return Engine(
        specs,
        _runtime,
        limits=limits or default_limits(),
        debug=settings.DEBUG if debug is None else debug,
        fallback=fallback,
        protections=protections or protections_from_settings(),
        websocket=websocket_config(),
    )
