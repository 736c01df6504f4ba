"""django_bolt.exceptions / status, checked side by side with DRF's own modules."""

import pytest
from rest_framework import exceptions as drf_exceptions
from rest_framework import status as drf_status

from django_bolt import exceptions as bolt_exceptions
from django_bolt import status as bolt_status
from django_bolt.utils.serializer_helpers import ReturnDict, ReturnList

both = pytest.mark.parametrize("exc", [bolt_exceptions, drf_exceptions], ids=["bolt", "drf"])


def test_status_constants_match_drf():
    drf_names = {name: getattr(drf_status, name) for name in dir(drf_status) if name.startswith("HTTP_")}
    bolt_names = {name: getattr(bolt_status, name) for name in dir(bolt_status) if name.startswith("HTTP_")}
    assert bolt_names == drf_names
    for helper in ("is_informational", "is_success", "is_redirect", "is_client_error", "is_server_error"):
        for code in (99, 100, 199, 200, 204, 299, 300, 399, 400, 404, 499, 500, 599, 600):
            assert getattr(bolt_status, helper)(code) == getattr(drf_status, helper)(code), (helper, code)


@both
def test_error_detail_equality_and_repr(exc):
    detail = exc.ErrorDetail("Too long.", code="max_length")
    assert detail == "Too long."
    assert detail == exc.ErrorDetail("Too long.", code="max_length")
    assert detail != exc.ErrorDetail("Too long.", code="other")
    assert detail != "Other."
    assert not (detail != "Too long.")
    assert hash(detail) == hash("Too long.")
    assert repr(detail) == "ErrorDetail(string='Too long.', code='max_length')"
    assert isinstance(detail, str)
    assert detail.code == "max_length"


def test_error_detail_compares_code_with_drf_error_detail():
    assert bolt_exceptions.ErrorDetail("x", "a") == drf_exceptions.ErrorDetail("x", "a")
    assert bolt_exceptions.ErrorDetail("x", "a") != drf_exceptions.ErrorDetail("x", "b")


TABLE = [
    # (class name, args, status, detail, code)
    ("APIException", (), 500, "A server error occurred.", "error"),
    ("ParseError", (), 400, "Malformed request.", "parse_error"),
    ("AuthenticationFailed", (), 401, "Incorrect authentication credentials.", "authentication_failed"),
    ("NotAuthenticated", (), 401, "Authentication credentials were not provided.", "not_authenticated"),
    ("PermissionDenied", (), 403, "You do not have permission to perform this action.", "permission_denied"),
    ("NotFound", (), 404, "Not found.", "not_found"),
    ("MethodNotAllowed", ("DELETE",), 405, 'Method "DELETE" not allowed.', "method_not_allowed"),
    ("NotAcceptable", (), 406, "Could not satisfy the request Accept header.", "not_acceptable"),
    ("UnsupportedMediaType", ("text/plain",), 415, 'Unsupported media type "text/plain" in request.',
     "unsupported_media_type"),
    ("Throttled", (), 429, "Request was throttled.", "throttled"),
    ("Throttled", (1,), 429, "Request was throttled. Expected available in 1 second.", "throttled"),
    ("Throttled", (0.2,), 429, "Request was throttled. Expected available in 1 second.", "throttled"),
    ("Throttled", (2,), 429, "Request was throttled. Expected available in 2 seconds.", "throttled"),
    ("Throttled", (59.01,), 429, "Request was throttled. Expected available in 60 seconds.", "throttled"),
    ("Throttled", (0,), 429, "Request was throttled. Expected available in 0 seconds.", "throttled"),
]  # fmt: skip


@both
@pytest.mark.parametrize("name,args,status_code,detail,code", TABLE)
def test_exception_table(exc, name, args, status_code, detail, code):
    error = getattr(exc, name)(*args)
    assert error.status_code == status_code
    assert error.detail == detail
    assert error.detail.code == code
    assert type(error.detail).__name__ == "ErrorDetail"
    assert str(error) == detail
    assert error.get_codes() == code
    assert error.get_full_details() == {"message": detail, "code": code}


@both
def test_throttled_keeps_wait_and_custom_detail(exc):
    error = exc.Throttled(wait=3.5, detail="Slow down.", code="slow")
    assert error.wait == 4
    assert error.detail == "Slow down. Expected available in 4 seconds."
    assert error.detail.code == "slow"
    assert exc.Throttled().wait is None


@both
def test_custom_detail_and_code(exc):
    error = exc.PermissionDenied("Nope.", code="nope")
    assert (error.detail, error.detail.code) == ("Nope.", "nope")
    error = exc.MethodNotAllowed("GET", detail="custom")
    assert (error.detail, error.detail.code) == ("custom", "method_not_allowed")
    error = exc.NotAcceptable(available_renderers=["r"])
    assert error.available_renderers == ["r"]


@both
@pytest.mark.parametrize(
    "detail,expected",
    [
        (None, ["Invalid input."]),
        ("Bad.", ["Bad."]),
        (("a", "b"), ["a", "b"]),
        (["a"], ["a"]),
        ({"name": "x"}, {"name": "x"}),
        ({"name": ["x", "y"], "nested": {"deep": ["z"]}}, {"name": ["x", "y"], "nested": {"deep": ["z"]}}),
        ({"items": {0: ["e"]}}, {"items": {0: ["e"]}}),
        (5, ["5"]),
    ],
)
def test_validation_error_normalises_detail(exc, detail, expected):
    error = exc.ValidationError(detail)
    assert error.status_code == 400
    assert error.detail == expected
    assert type(error.detail) is type(expected)


@both
def test_validation_error_codes_and_full_details(exc):
    error = exc.ValidationError({"name": ["Required."], "age": [exc.ErrorDetail("Too big.", code="max_value")]})
    assert error.get_codes() == {"name": ["invalid"], "age": ["max_value"]}
    assert error.get_full_details() == {
        "name": [{"message": "Required.", "code": "invalid"}],
        "age": [{"message": "Too big.", "code": "max_value"}],
    }
    error = exc.ValidationError("x", code="custom")
    assert error.get_codes() == ["custom"]
    assert str(error) == "[ErrorDetail(string='x', code='custom')]"


def test_validation_error_params():
    error = bolt_exceptions.ValidationError("Value %(value)s is wrong.", code="wrong", params={"value": 3})
    assert error.detail == ["Value 3 is wrong."]
    assert error.detail[0].code == "wrong"
    error = bolt_exceptions.ValidationError({"a": ["%(n)s"]}, params={"n": "x"})
    assert error.detail == {"a": ["x"]}


def test_validation_error_keeps_return_containers():
    errors = ReturnDict({"name": ["bad"]}, serializer="S")
    detail = bolt_exceptions.ValidationError(errors).detail
    assert isinstance(detail, ReturnDict) and detail.serializer == "S"
    errors = ReturnList([{"name": ["bad"]}], serializer="L")
    detail = bolt_exceptions.ValidationError(errors).detail
    assert isinstance(detail, ReturnList) and detail.serializer == "L"


@both
def test_lazy_strings_become_error_details(exc):
    from django.utils.translation import gettext_lazy

    error = exc.ValidationError({"x": [gettext_lazy("This field is required.")]}, code="required")
    assert error.detail["x"][0] == "This field is required."
    assert type(error.detail["x"][0]).__name__ == "ErrorDetail"
    assert error.detail["x"][0].code == "required"


@both
def test_error_handlers(exc):
    assert exc.server_error(None).status_code == 500
    assert exc.server_error(None).content == b'{"error": "Server Error (500)"}'
    assert exc.bad_request(None, Exception()).status_code == 400
    assert exc.bad_request(None, Exception()).content == b'{"error": "Bad Request (400)"}'
