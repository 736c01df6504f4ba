"""The APIView pipeline — authentication, permissions, throttles, exceptions, parsers, negotiation — vs DRF."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from compat.conftest import book_rows
from compat.harness import Call, Parity


def test_authentication_and_permissions(parity, books):
    cheap, expensive = books[0].pk, books[1].pk
    good = {"X-Token": "good"}
    parity.assert_same(
        Call("GET", "/guarded/"),
        Call("GET", "/guarded/", headers={"X-Token": "bad"}),
        Call("GET", "/guarded/", headers=good),
        Call("GET", f"/guarded/{cheap}/", headers=good),
        Call("GET", f"/guarded/{expensive}/", headers=good),
        Call("DELETE", f"/guarded/{expensive}/", headers=good),
        Call("DELETE", f"/guarded/{cheap}/"),
        Call("PUT", f"/guarded/{expensive}/", {"title": "x", "price": "1.00"}, headers=good),
        db=book_rows,
    )


def test_wrong_method_after_authentication_and_permissions(parity, books):
    # DRF runs the pipeline before looking for a handler: 401 for an anonymous client, 405 once allowed.
    parity.assert_same(
        Call("DELETE", "/guarded/"),
        Call("DELETE", "/guarded/", headers={"X-Token": "bad"}),
        Call("DELETE", "/guarded/", headers={"X-Token": "good"}),
        Call("POST", f"/guarded/{books[0].pk}/", {}, headers={"X-Token": "good"}),
        Call("HEAD", "/guarded/"),
        Call("PUT", "/throttled/", {}),
        Call("PATCH", "/silent/", {}),
    )


def test_unauthenticated_without_challenge_is_403(parity):
    parity.assert_same(
        Call("GET", "/silent/"),
        Call("GET", "/silent/", headers={"X-Token": "bad"}),
        Call("GET", "/silent/", headers={"X-Token": "good"}),
    )


def test_throttles(parity):
    parity.assert_same(Call("GET", "/throttled/"), Call("POST", "/throttled/", {"a": 1}))


def test_exceptions(parity):
    parity.assert_same(
        *(
            Call("GET", f"/errors/{kind}/")
            for kind in ("http404", "denied", "validation", "throttled", "parse", "other")
        )
    )


def custom_handler(exc, context):
    """An EXCEPTION_HANDLER that wraps the default answer (works with either framework's default)."""
    from django_bolt.views import APIView as BoltView

    view = context["view"]
    if isinstance(view, BoltView):
        from django_bolt.views import exception_handler
    else:
        from rest_framework.views import exception_handler
    response = exception_handler(exc, context)
    if response is not None:
        response.data = {"error": response.data, "view": type(view).__name__}
    return response


def test_exception_handler_setting(books):
    path = "compat.test_pipeline.custom_handler"
    parity = Parity(settings={"REST_FRAMEWORK": {"EXCEPTION_HANDLER": path}})
    parity.assert_same(Call("GET", "/errors/denied/"), Call("GET", "/books/999/"), Call("POST", "/books/", {}))


def test_parsers(parity):
    upload = {"title": "x", "tags": ["a", "b"]}
    parity.assert_same(
        Call("POST", "/echo/", {"a": [1, "é"], "b": None}),
        Call("POST", "/echo/", upload, format="multipart"),
        Call("POST", "/echo/", b"a=1&a=2&b=%C3%A9", content_type="application/x-www-form-urlencoded"),
        Call("POST", "/echo/", b"{}", content_type="application/json; charset=latin-1"),
        Call("POST", "/echo/", b"{}", content_type="application/json; charset=bz2_codec"),
        Call("POST", "/echo/", b"--x\r\nbroken", content_type="multipart/form-data; boundary=x"),
        Call("POST", "/echo/", b"<a/>", content_type="application/xml"),
    )


def test_multipart_files(db):
    def upload():
        # Fresh file objects per side (reading one leaves it at EOF); the big one is spooled to disk.
        small = SimpleUploadedFile("a.txt", b"hello")
        big = SimpleUploadedFile("big.bin", b"x" * 100_000)
        return {"title": "t", "doc": small, "blob": big}

    parity = Parity(settings={"FILE_UPLOAD_MAX_MEMORY_SIZE": 10_000})
    parity.assert_same(Call("POST", "/echo/", upload, format="multipart"))


def test_negotiation_and_vary(parity):
    parity.assert_same(
        Call("GET", "/multi/"),
        Call("GET", "/multi/", headers={"Accept": "text/plain"}),
        Call("GET", "/multi/?format=txt"),
        Call("GET", "/multi/", headers={"Accept": "image/png"}),
        Call("GET", "/multi/", headers={"Accept": "text/*, application/json"}),
    )


def test_function_view(parity):
    # DRF builds the Allow list of @api_view from a set (its order changes with PYTHONHASHSEED); bolt keeps
    # the standard method order, so Allow is checked separately.
    calls = [
        Call("GET", "/function/", ignore_headers=("Allow",)),
        Call("POST", "/function/", {"x": 1}, ignore_headers=("Allow",)),
        Call("PUT", "/function/", {"x": 1}, ignore_headers=("Allow",)),
        Call("OPTIONS", "/function/", ignore_headers=("Allow",)),
    ]
    pairs = parity.assert_same(*calls)
    for pair in pairs:
        assert set(pair.drf.headers["Allow"].split(", ")) == set(pair.bolt.headers["Allow"].split(", "))
        assert pair.bolt.headers["Allow"] == "GET, POST, OPTIONS"


def test_generic_views(parity, books):
    pk = books[1].pk
    parity.assert_same(
        Call("GET", "/paged/"),
        Call("GET", "/paged/?limit=1"),
        Call("POST", "/paged/", {"title": "new", "price": "3.00"}),
        Call("GET", f"/detail/{pk}/"),
        Call("PATCH", f"/detail/{pk}/", {"in_stock": False}),
        Call("DELETE", f"/detail/{pk}/"),
        Call("GET", f"/detail/{pk}/"),
        Call("OPTIONS", "/paged/", exact_bytes=False),
        db=book_rows,
    )


def test_file_upload_parser(parity):
    parity.assert_same(
        Call("PUT", "/upload/report.txt/", b"hello world", content_type="text/plain"),
        Call(
            "PUT",
            "/upload/",
            b"\x00\x01binary",
            content_type="application/octet-stream",
            headers={"Content-Disposition": 'attachment; filename="a.bin"'},
        ),
        Call(
            "PUT",
            "/upload/",
            b"data",
            content_type="text/plain",
            headers={"Content-Disposition": "attachment; filename*=UTF-8''caf%C3%A9.txt"},
        ),
        Call("PUT", "/upload/", b"data", content_type="text/plain"),
    )
