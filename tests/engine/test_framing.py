"""The engine's framing stage against a live runbolt (issue 14): smuggling through a bare LF or chunked trailers is
refused with one 400 and a close, an over-long URI gets 414, URL bytes gunicorn accepts reach the app, and every
refusal is logged."""

import json

import pytest

from django_bolt.pytest_plugin import LiveServer

from .live import exchange, wait_for

pytestmark = pytest.mark.live


@pytest.fixture(scope="module")
def server():
    with LiveServer(["--request-timeout", "2"]) as live:
        yield live


def statuses(reply: bytes) -> list[int]:
    return [int(reply[i + 9 : i + 12]) for i in range(len(reply)) if reply.startswith(b"HTTP/1.1 ", i)]


def logged(server, text: str) -> bool:
    return wait_for(lambda: any(text in line for line in server.output), 2.0)


def test_bare_lf_in_the_head_is_refused_and_the_hidden_request_never_runs(server):
    # The case: with LF alone ending a line, a parser that splits on it sees a body; one that does not sees a
    # second request (`GET /admin`) hidden after the first.
    hidden = b"GET /echo?hidden=1 HTTP/1.1\r\nHost: x\r\n\r\n"
    payload = b"GET /hello HTTP/1.1\r\nHost: x\r\nDummy: y\nContent-Length: %d\r\n\r\n" % len(hidden) + hidden
    reply = exchange(server, payload)
    assert statuses(reply) == [400]
    assert b"connection: close" in reply.lower()
    body = json.loads(reply.split(b"\r\n\r\n", 1)[1])
    assert body == {"detail": "Malformed request: bare LF in the request head."}
    assert logged(server, "refused: bare LF in the request head (400)")


def test_a_request_line_among_chunked_trailers_is_refused(server):
    payload = (
        b"POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Type: text/plain\r\n\r\n"
        b"3\r\nabc\r\n0\r\nGET /echo?smuggled=1 HTTP/1.1\r\nHost: x\r\n\r\n"
    )
    reply = exchange(server, payload)
    # The body never completes, so the request is answered 400 by the body reader; the smuggled one never runs.
    assert statuses(reply) == [400]
    assert b"smuggled" not in reply
    assert logged(server, "refused: trailer line without a colon (400)")


@pytest.mark.parametrize(
    "trailer",
    [b" folded: yes", b"X-Null: a\x00b", b"X-Ctl\x01: 1", b"no-colon-here"],
    ids=["obs-fold", "nul", "bad-name", "no-colon"],
)
def test_invalid_trailers_are_refused(server, trailer):
    payload = b"POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n" + trailer
    assert statuses(exchange(server, payload + b"\r\n\r\n")) == [400]


def test_valid_trailers_and_pipelining_still_work(server):
    payload = (
        b"POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Type: text/plain\r\n\r\n"
        b"3\r\nabc\r\n0\r\nX-Checksum: 1234\r\n\r\n"
        b"GET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    )
    reply = exchange(server, payload)
    assert statuses(reply) == [200, 200]
    assert b'"body":"abc"' in reply


def test_a_bad_request_after_good_ones_is_refused_after_their_answers(server):
    payload = b"GET /hello HTTP/1.1\r\nHost: x\r\n\r\n" * 2 + b"GET /hello HTTP/1.1\r\nHost: x\nX: y\r\n\r\n"
    assert statuses(exchange(server, payload)) == [200, 200, 400]


def test_an_over_long_uri_gets_414_even_beyond_the_parsers_buffer(server):
    for length in (9_000, 70_000, 200_000):
        reply = exchange(server, b"GET /" + b"a" * length + b" HTTP/1.1\r\nHost: x\r\n\r\n")
        assert statuses(reply) == [414], length
    assert logged(server, "refused: request target too long (414)")


def test_url_characters_gunicorn_accepts_reach_the_app(server):
    reply = exchange(server, b'GET /echo?q=<b>`x`{1}|"\xc3\xa9 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')
    assert statuses(reply) == [200]
    assert json.loads(reply.split(b"\r\n\r\n", 1)[1])["query"] == {"q": ['<b>`x`{1}|"é']}
    # In the path too: Django's resolver answers (404), not the parser.
    reply = exchange(server, b"GET /items/<1> HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    assert statuses(reply) == [404]


@pytest.mark.parametrize(
    ("payload", "status"),
    [
        (b"POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n", 400),
        (b"POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", 501),
        (b"POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, gzip\r\n\r\n", 400),
        (b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3, 4\r\n\r\nabcd", 400),
        (b"GET /hello HTTP/2.0\r\nHost: x\r\n\r\n", 505),
        (b"GET /hello HTTP/1.1\r\nHost: x\r\n" + b"X-H: v\r\n" * 200 + b"\r\n", 431),
    ],
    ids=["te-and-length", "unsupported-coding", "chunked-not-last", "lengths-differ", "http2-version", "headers"],
)
def test_framing_conflicts_get_their_status(server, payload, status):
    assert statuses(exchange(server, payload)) == [status]


def test_the_server_keeps_serving(server):
    assert statuses(exchange(server, b"GET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")) == [200]
