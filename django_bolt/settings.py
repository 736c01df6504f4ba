"""
API settings, read lazily from the Django settings.

Each key is looked up in ``settings.BOLT`` first, then in ``settings.REST_FRAMEWORK`` (so a DRF project keeps
working unchanged), then in ``DEFAULTS``. Dotted paths of the keys in ``IMPORT_STRINGS`` are imported on first
access; values are cached until Django's ``setting_changed`` signal fires for ``BOLT`` or ``REST_FRAMEWORK``.

    from django_bolt.settings import api_settings
    api_settings.DEFAULT_PERMISSION_CLASSES  # -> [django_bolt.permissions.AllowAny]
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.signals import setting_changed
from django.utils.module_loading import import_string

# Format names understood by the date/time/duration fields (same values as DRF's).
ISO_8601 = "iso-8601"
DJANGO_DURATION_FORMAT = "django"

DEFAULTS: dict[str, Any] = {
    # Base API policies
    "DEFAULT_RENDERER_CLASSES": ["django_bolt.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "django_bolt.parsers.JSONParser",
        "django_bolt.parsers.FormParser",
        "django_bolt.parsers.MultiPartParser",
    ],
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "django_bolt.authentication.SessionAuthentication",
        "django_bolt.authentication.BasicAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["django_bolt.permissions.AllowAny"],
    "DEFAULT_THROTTLE_CLASSES": [],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "django_bolt.negotiation.DefaultContentNegotiation",
    "DEFAULT_METADATA_CLASS": "django_bolt.metadata.SimpleMetadata",
    "DEFAULT_VERSIONING_CLASS": None,
    # Generic view behaviour
    "DEFAULT_PAGINATION_CLASS": None,
    "DEFAULT_FILTER_BACKENDS": [],
    # Schema
    "DEFAULT_SCHEMA_CLASS": "django_bolt.schemas.openapi.AutoSchema",
    # Throttling
    "DEFAULT_THROTTLE_RATES": {"user": None, "anon": None},
    "NUM_PROXIES": None,
    # Pagination
    "PAGE_SIZE": None,
    # Filtering
    "SEARCH_PARAM": "search",
    "ORDERING_PARAM": "ordering",
    # Versioning
    "DEFAULT_VERSION": None,
    "ALLOWED_VERSIONS": None,
    "VERSION_PARAM": "version",
    # Authentication
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "UNAUTHENTICATED_TOKEN": None,
    # View configuration
    "VIEW_NAME_FUNCTION": "django_bolt.views.get_view_name",
    "VIEW_DESCRIPTION_FUNCTION": "django_bolt.views.get_view_description",
    # Exception handling
    "EXCEPTION_HANDLER": "django_bolt.views.exception_handler",
    "NON_FIELD_ERRORS_KEY": "non_field_errors",
    "LIST_SERIALIZER_ERRORS_AS_DICT": True,
    # Testing
    "TEST_REQUEST_RENDERER_CLASSES": [
        "django_bolt.renderers.MultiPartRenderer",
        "django_bolt.renderers.JSONRenderer",
    ],
    "TEST_REQUEST_DEFAULT_FORMAT": "multipart",
    # Hyperlink settings
    "URL_FORMAT_OVERRIDE": "format",
    "FORMAT_SUFFIX_KWARG": "format",
    "URL_FIELD_NAME": "url",
    # Input and output formats
    "DATE_FORMAT": ISO_8601,
    "DATE_INPUT_FORMATS": [ISO_8601],
    "DATETIME_FORMAT": ISO_8601,
    "DATETIME_INPUT_FORMATS": [ISO_8601],
    "TIME_FORMAT": ISO_8601,
    "TIME_INPUT_FORMATS": [ISO_8601],
    "DURATION_FORMAT": DJANGO_DURATION_FORMAT,
    # Encoding
    "UNICODE_JSON": True,
    "COMPACT_JSON": True,
    "STRICT_JSON": True,
    "COERCE_DECIMAL_TO_STRING": True,
    "COERCE_BIGINT_TO_STRING": False,
    "UPLOADED_FILES_USE_URL": True,
    # Browsable API
    "HTML_SELECT_CUTOFF": 1000,
    "HTML_SELECT_CUTOFF_TEXT": "More than {count} items...",
    # Schemas
    "SCHEMA_COERCE_PATH_PK": True,
    "SCHEMA_COERCE_METHOD_NAMES": {"retrieve": "read", "destroy": "delete"},
    # Bolt only: threads of the sync bridge (``django_bolt.sync.run_sync``), each with its own DB connection.
    "SYNC_WORKERS": 8,
    # "thread": blocking work runs on the bridge pool; "inline": on the worker thread itself (SQLite only).
    "SYNC_MODE": "thread",
    # Bolt only: "auto" puts runbolt's threads under Linux's SCHED_BATCH policy (no preemption on wake-up, so the
    # GIL changes hands without a thread switching in only to block on it); "batch" requires it; "normal": as started.
    "THREAD_SCHEDULING": "auto",
    # Bolt only: async-capable Django middleware run around Bolt routes (the engine applies Security, Common and
    # XFrameOptions itself; everything else in MIDDLEWARE reaches only requests that fall through to Django).
    "MIDDLEWARE": [],
    # Bolt only: django_bolt.porting.recorder appends matching requests to this JSONL file (None: off).
    "PARITY_RECORD_FILE": None,
    "PARITY_RECORD_PATHS": ["/api/"],
    # Engine limits (enforced in Rust). MAX_BODY_SIZE None means Django's DATA_UPLOAD_MAX_MEMORY_SIZE.
    "MAX_BODY_SIZE": None,
    "MAX_HEADER_COUNT": 64,
    "MAX_HEADER_SIZE": 16_384,
    "MAX_URI_LENGTH": 8_192,
    "BODY_TIMEOUT": 30.0,
    # Bolt only: serve Prometheus metrics of every process at this path (e.g. "/metrics"; None: off).
    # `runbolt --metrics-path` overrides it.
    "METRICS_PATH": None,
    # Bolt only: seconds between heartbeat comments of an idle server-sent event stream (None: no heartbeats).
    "SSE_PING_INTERVAL": 15.0,
    # Bolt only: WebSockets (enforced in Rust). A message above the size is closed with 1009; a client silent for
    # the ping interval is pinged and closed with 1011 if nothing answers within the timeout; IDLE_TIMEOUT closes
    # a connection whose client sent no message for that long (0: never).
    "WEBSOCKET_MAX_MESSAGE_SIZE": 1_048_576,
    "WEBSOCKET_PING_INTERVAL": 20.0,
    "WEBSOCKET_PING_TIMEOUT": 20.0,
    "WEBSOCKET_IDLE_TIMEOUT": 0.0,
    "WEBSOCKET_CLOSE_TIMEOUT": 5.0,
    "WEBSOCKET_WRITE_BUFFER_SIZE": 262_144,
}

# Keys whose values may be dotted import paths (a string, or a list of strings).
IMPORT_STRINGS: list[str] = [
    "DEFAULT_RENDERER_CLASSES",
    "DEFAULT_PARSER_CLASSES",
    "DEFAULT_AUTHENTICATION_CLASSES",
    "DEFAULT_PERMISSION_CLASSES",
    "DEFAULT_THROTTLE_CLASSES",
    "DEFAULT_CONTENT_NEGOTIATION_CLASS",
    "DEFAULT_METADATA_CLASS",
    "DEFAULT_VERSIONING_CLASS",
    "DEFAULT_PAGINATION_CLASS",
    "DEFAULT_FILTER_BACKENDS",
    "DEFAULT_SCHEMA_CLASS",
    "EXCEPTION_HANDLER",
    "TEST_REQUEST_RENDERER_CLASSES",
    "UNAUTHENTICATED_USER",
    "UNAUTHENTICATED_TOKEN",
    "VIEW_NAME_FUNCTION",
    "VIEW_DESCRIPTION_FUNCTION",
]

# Keys DRF removed long ago; failing loudly beats silently ignoring them.
REMOVED_SETTINGS: list[str] = ["PAGINATE_BY", "PAGINATE_BY_PARAM", "MAX_PAGINATE_BY"]

SETTINGS_DOC = "https://www.django-rest-framework.org/api-guide/settings/"

# The Django settings this module reads, highest priority first.
USER_SETTING_NAMES: tuple[str, ...] = ("BOLT", "REST_FRAMEWORK")


def perform_import(val: Any, setting_name: str) -> Any:
    """Import a dotted path, or each dotted path of a list; other values pass through."""
    if val is None:
        return None
    if isinstance(val, str):
        return import_from_string(val, setting_name)
    if isinstance(val, (list, tuple)):
        return [import_from_string(item, setting_name) if isinstance(item, str) else item for item in val]
    return val


def import_from_string(val: str, setting_name: str) -> Any:
    """Import one dotted path, naming the setting in the error when it fails."""
    try:
        return import_string(val)
    except ImportError as e:
        raise ImportError(f"Could not import '{val}' for API setting '{setting_name}'. {type(e).__name__}: {e}.")


class APISettings:
    """
    Attribute access to the API settings, e.g. ``api_settings.PAGE_SIZE``.

    ``user_settings`` may be given explicitly (one dict, used instead of the Django settings); otherwise the
    ``BOLT`` and ``REST_FRAMEWORK`` dicts of the Django settings are consulted, in that order.
    """

    def __init__(
        self,
        user_settings: dict[str, Any] | None = None,
        defaults: dict[str, Any] | None = None,
        import_strings: list[str] | None = None,
    ) -> None:
        if user_settings:
            self._user_settings = self._check_user_settings(user_settings)
        self.defaults = defaults or DEFAULTS
        self.import_strings = import_strings or IMPORT_STRINGS
        self._cached_attrs: set[str] = set()

    @property
    def user_settings(self) -> dict[str, Any]:
        """The user's settings: ``REST_FRAMEWORK`` overlaid with ``BOLT`` (so ``BOLT`` wins key by key)."""
        if not hasattr(self, "_user_settings"):
            merged: dict[str, Any] = {}
            for name in reversed(USER_SETTING_NAMES):
                merged.update(self._check_user_settings(getattr(settings, name, None) or {}))
            self._user_settings = merged
        return self._user_settings

    def __getattr__(self, attr: str) -> Any:
        if attr.startswith("_") or attr not in self.defaults:
            raise AttributeError(f"Invalid API setting: '{attr}'")
        try:
            val = self.user_settings[attr]
        except KeyError:
            val = self.defaults[attr]
        if attr in self.import_strings:
            val = perform_import(val, attr)
        # Cache on the instance: later reads don't go through __getattr__ at all.
        self._cached_attrs.add(attr)
        setattr(self, attr, val)
        return val

    @staticmethod
    def _check_user_settings(user_settings: dict[str, Any]) -> dict[str, Any]:
        for setting in REMOVED_SETTINGS:
            if setting in user_settings:
                message = f"The '{setting}' setting has been removed. "
                raise RuntimeError(message + f"Please refer to '{SETTINGS_DOC}' for available settings.")
        return user_settings

    def reload(self) -> None:
        """Forget cached values so the next access re-reads the Django settings."""
        for attr in self._cached_attrs:
            delattr(self, attr)
        self._cached_attrs.clear()
        if hasattr(self, "_user_settings"):
            delattr(self, "_user_settings")


api_settings = APISettings(None, DEFAULTS, IMPORT_STRINGS)


def reload_api_settings(*args: Any, setting: str, **kwargs: Any) -> None:
    """``setting_changed`` receiver: ``override_settings(BOLT=...)`` or ``(REST_FRAMEWORK=...)`` reloads."""
    if setting in USER_SETTING_NAMES:
        api_settings.reload()


setting_changed.connect(reload_api_settings)
