"""The Rust pipeline through the in-process transport: routing, limits, dispatch, responses."""

import pytest

from django_bolt.test import BoltClient


@pytest.fixture(scope="module")
def client():
    return BoltClient()


def test_hello(client):
    response = client.get("/hello")
    assert response.status_code == 200
    assert response.content == b'{"message":"Hello, world!"}'
    assert response["Content-Type"] == "application/json"


def test_unknown_path_falls_through_to_djangos_404(client):
    response = client.get("/nope")
    assert response.status_code == 404
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert b"<h1>Not Found</h1>" in response.content


def test_without_fallthrough_an_unknown_path_is_drf_404():
    from django_bolt.conf import build_engine
    from django_bolt.test import BoltClient

    response = BoltClient(engine=build_engine(fallback=None)).get("/nope")
    assert (response.status_code, response.json()) == (404, {"detail": "Not found."})


def test_a_converter_refusing_the_path_passes_it_to_the_next_route(client):
    # Django: a ValueError from to_python means the pattern does not match; resolution goes on.
    assert client.get("/parity/4").json() == {"number": 4, "parity": "even"}
    assert client.get("/parity/3").json() == {"number": 3, "parity": "odd"}
    assert client.post("/parity/3").json() == {"number": 3, "parity": "odd"}


def test_a_converter_refusing_the_path_with_no_route_after_it_falls_through():
    from django_bolt.conf import build_engine

    response = BoltClient().get("/only-even/3")
    assert response.status_code == 404 and b"<h1>Not Found</h1>" in response.content  # Django's 404
    assert BoltClient().get("/only-even/2").json() == {"number": 2, "parity": "even"}
    response = BoltClient(engine=build_engine(fallback=None)).get("/only-even/3")
    assert (response.status_code, response.json()) == (404, {"detail": "Not found."})


def test_the_route_after_a_refusing_one_answers_its_own_methods(client):
    assert client.get("/method/3").json() == {"ok": True}
    response = client.post("/method/3")
    assert response.status_code == 405 and response["Allow"] == "GET, OPTIONS"
    assert client.post("/method/2").json() == {"number": 2, "parity": "even"}


def test_wrong_method_is_405_with_allow(client):
    response = client.delete("/only-get")
    assert response.status_code == 405
    assert response.json() == {"detail": 'Method "DELETE" not allowed.'}
    assert response["Allow"] == "GET, OPTIONS"


def test_head_is_served_by_get_without_body(client):
    response = client.head("/only-get")
    assert response.status_code == 200
    assert response.content == b""


def test_int_converter_gives_int_and_uuid_converter_gives_uuid(client):
    assert client.get("/items/42").json() == {"id": 42, "type": "int"}
    assert client.get("/items/123456789012345678901234567890").json()["type"] == "int"
    response = client.get("/uuid/12345678-1234-5678-1234-567812345678")
    assert response.json() == {"key": "12345678-1234-5678-1234-567812345678", "type": "UUID"}
    assert client.get("/items/abc").status_code == 404


def test_query_body_and_client(client):
    response = client.post("/echo?a=1&a=2&b=%C3%A9+x", data=b"raw body", content_type="text/plain")
    assert response.json() == {
        "method": "POST",
        "path": "/echo",
        "query": {"a": ["1", "2"], "b": ["é x"]},
        "body": "raw body",
        "content_type": "text/plain",
        "client": ["127.0.0.1", 50000],
    }


def test_percent_encoded_path_is_decoded_before_matching(client):
    assert client.get("/hell%6F").status_code == 200


def test_really_awaiting_handler(client):
    assert client.get("/slow/5/").json() == {"slept_ms": 5}


def test_sync_bridge(client):
    assert client.get("/sleep-sync?ms=1").json() == {"slept_ms": 1}


def test_exception_is_logged_500_json(client, caplog):
    response = client.get("/boom")
    assert response.status_code == 500
    assert response.json() == {"detail": "Internal Server Error"}
    assert "kaboom" in caplog.text


def test_streaming_sync_and_async(client):
    assert client.get("/stream").content == b"chunk0\nchunk1\nchunk2\n"
    assert client.get("/astream").content == b"achunk0\nachunk1\nachunk2\n"


def test_response_headers_and_status(client):
    response = client.get("/headers", HTTP_X_CUSTOM="abc")
    assert response.status_code == 201
    assert response["X-Reply"] == "yes"
    assert response.json() == {"x": "abc"}


def test_fixed_route_is_answered_by_the_engine(client):
    response = client.get("/health")
    assert response.status_code == 200
    assert response.content == b'{"status":"ok"}'
    assert response["Cache-Control"] == "no-store"
    assert response["Content-Type"] == "application/json"
    assert client.post("/health").status_code == 405


def test_caller_host_header_replaces_the_default(client):
    assert client.get("/host").json() == {"host": "testserver"}
    assert client.get("/host", headers={"Host": "api.example.com"}).json() == {"host": "api.example.com"}


def test_spaces_and_non_ascii_in_paths_are_encoded(client):
    response = client.get("/echo?q=a b&r=é")
    assert response.json()["query"] == {"q": ["a b"], "r": ["é"]}


def test_invalid_target_is_an_error_not_a_crash(client):
    with pytest.raises(ValueError, match="invalid request target"):
        client.transport.request("GET", "/a b", [], b"", None)


def test_response_supports_in_for_headers(client):
    response = client.get("/headers")
    assert "X-Reply" in response and "x-reply" in response and "Location" not in response
