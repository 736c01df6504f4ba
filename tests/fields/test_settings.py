"""django_bolt.settings.api_settings: BOLT first, then REST_FRAMEWORK, then defaults; lazy imports; reload."""

import pytest
from django.test import override_settings
from rest_framework.settings import DEFAULTS as DRF_DEFAULTS
from rest_framework.settings import IMPORT_STRINGS as DRF_IMPORT_STRINGS

from django_bolt.settings import DEFAULTS, IMPORT_STRINGS, APISettings, api_settings


def test_same_keys_as_drf_plus_bolt_keys():
    assert set(DEFAULTS) - set(DRF_DEFAULTS) == {
        "SYNC_WORKERS",
        "SYNC_MODE",
        "THREAD_SCHEDULING",
        "MIDDLEWARE",
        "MAX_BODY_SIZE",
        "MAX_HEADER_COUNT",
        "MAX_HEADER_SIZE",
        "MAX_URI_LENGTH",
        "BODY_TIMEOUT",
        "PARITY_RECORD_FILE",
        "PARITY_RECORD_PATHS",
        "METRICS_PATH",
        "SSE_PING_INTERVAL",
        "WEBSOCKET_MAX_MESSAGE_SIZE",
        "WEBSOCKET_PING_INTERVAL",
        "WEBSOCKET_PING_TIMEOUT",
        "WEBSOCKET_IDLE_TIMEOUT",
        "WEBSOCKET_CLOSE_TIMEOUT",
        "WEBSOCKET_WRITE_BUFFER_SIZE",
    }
    assert set(DRF_DEFAULTS) - set(DEFAULTS) == set()
    assert set(IMPORT_STRINGS) == set(DRF_IMPORT_STRINGS)


def test_plain_defaults_equal_drf():
    for key, value in DRF_DEFAULTS.items():
        if key in DRF_IMPORT_STRINGS:
            continue
        assert DEFAULTS[key] == value, key


def test_default_classes_point_to_django_bolt():
    for key in IMPORT_STRINGS:
        value = DEFAULTS[key]
        values = value if isinstance(value, list) else [value]
        for path in values:
            if path is not None and path != "django.contrib.auth.models.AnonymousUser":
                assert path.startswith("django_bolt."), (key, path)


def test_defaults():
    with override_settings(BOLT={}, REST_FRAMEWORK={}):
        assert api_settings.PAGE_SIZE is None
        assert api_settings.DEFAULT_PAGINATION_CLASS is None
        assert api_settings.SYNC_WORKERS == 8
        assert api_settings.NON_FIELD_ERRORS_KEY == "non_field_errors"
        assert api_settings.DATETIME_FORMAT == "iso-8601"
        assert api_settings.DURATION_FORMAT == "django"
        assert api_settings.COERCE_DECIMAL_TO_STRING is True
        from django.contrib.auth.models import AnonymousUser

        assert api_settings.UNAUTHENTICATED_USER is AnonymousUser


def test_bolt_wins_over_rest_framework():
    with override_settings(BOLT={"PAGE_SIZE": 5}, REST_FRAMEWORK={"PAGE_SIZE": 10, "SEARCH_PARAM": "q"}):
        assert api_settings.PAGE_SIZE == 5
        assert api_settings.SEARCH_PARAM == "q"
        assert api_settings.ORDERING_PARAM == "ordering"


def test_reloads_on_setting_changed():
    with override_settings(REST_FRAMEWORK={"PAGE_SIZE": 10}):
        assert api_settings.PAGE_SIZE == 10
        with override_settings(BOLT={"PAGE_SIZE": 3}):
            assert api_settings.PAGE_SIZE == 3
        assert api_settings.PAGE_SIZE == 10
    assert api_settings.PAGE_SIZE is None


def test_import_strings_are_imported_and_cached():
    with override_settings(
        BOLT={"EXCEPTION_HANDLER": "django_bolt.exceptions.server_error"},
        REST_FRAMEWORK={"DEFAULT_FILTER_BACKENDS": ["django_bolt.exceptions.bad_request"]},
    ):
        from django_bolt.exceptions import bad_request, server_error

        assert api_settings.EXCEPTION_HANDLER is server_error
        assert api_settings.DEFAULT_FILTER_BACKENDS == [bad_request]
        assert "EXCEPTION_HANDLER" in api_settings.__dict__  # cached as a plain attribute


def test_rest_framework_class_paths_are_kept():
    with override_settings(REST_FRAMEWORK={"DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAdminUser"]}):
        from rest_framework.permissions import IsAdminUser

        assert api_settings.DEFAULT_PERMISSION_CLASSES == [IsAdminUser]


def test_classes_given_directly_pass_through():
    sentinel = object()
    with override_settings(BOLT={"DEFAULT_THROTTLE_CLASSES": [sentinel]}):
        assert api_settings.DEFAULT_THROTTLE_CLASSES == [sentinel]


def test_bad_import_names_setting():
    with override_settings(BOLT={"EXCEPTION_HANDLER": "nowhere.handler"}):
        with pytest.raises(ImportError, match="Could not import 'nowhere.handler' for API setting 'EXCEPTION_HANDLER'"):
            getattr(api_settings, "EXCEPTION_HANDLER")  # noqa: B009


def test_unknown_setting():
    with pytest.raises(AttributeError, match="Invalid API setting: 'NOPE'"):
        getattr(api_settings, "NOPE")  # noqa: B009


@pytest.mark.parametrize("name", ["BOLT", "REST_FRAMEWORK"])
def test_removed_settings_rejected(name):
    with override_settings(**{name: {"PAGINATE_BY": 10}}):
        with pytest.raises(RuntimeError, match="The 'PAGINATE_BY' setting has been removed"):
            getattr(api_settings, "PAGE_SIZE")  # noqa: B009


def test_explicit_user_settings_instance():
    custom = APISettings({"PAGE_SIZE": 7}, DEFAULTS, IMPORT_STRINGS)
    assert custom.PAGE_SIZE == 7
    assert custom.SEARCH_PARAM == "search"


def test_user_settings_is_the_merged_dict():
    with override_settings(BOLT={"PAGE_SIZE": 5}, REST_FRAMEWORK={"PAGE_SIZE": 10, "SEARCH_PARAM": "q"}):
        assert api_settings.user_settings == {"PAGE_SIZE": 5, "SEARCH_PARAM": "q"}
