"""WebSocket consumers through the test client: the same engine pipeline as the server, without a socket."""

import pytest

from django_bolt.test import BoltClient, WebSocketClosed, WebSocketRejected
from tests.websockets import consumers

URLS = "tests.websockets.consumers"


@pytest.fixture
def client():
    consumers.events.clear()
    return BoltClient(URLS)


def test_echo_text_and_binary(client):
    with client.websocket_connect("/ws/rooms/lobby/") as ws:
        ws.send_text("héllo")
        assert ws.receive_text() == "héllo"
        ws.send_bytes(b"\x00\x01")
        assert ws.receive_bytes() == b"\x00\x01"
    assert consumers.events == [("connect", "lobby"), ("disconnect", 1000, "lobby")]


def test_subprotocol_is_chosen_by_the_consumer(client):
    with client.websocket_connect("/ws/echo/", subprotocols=["other", "echo.v1"]) as ws:
        assert ws.accepted_subprotocol == "echo.v1"


def test_fragmented_message_is_joined(client):
    with client.websocket_connect("/ws/echo/") as ws:
        ws.send_frame(1, b"frag", fin=False)
        ws.send_frame(9, b"ping in between")
        ws.send_frame(0, b"mented", fin=True)
        assert ws.receive_text() == "fragmented"


def test_consumer_closes_with_its_code(client):
    with client.websocket_connect("/ws/echo/") as ws:
        ws.send_text("close me")
        with pytest.raises(WebSocketClosed) as closed:
            ws.receive()
        assert (closed.value.code, closed.value.reason) == (4001, "asked to")
    assert consumers.events[-1] == ("disconnect", 4001, None)


def test_consumer_exception_closes_with_1011(client):
    with client.websocket_connect("/ws/echo/") as ws:
        ws.send_text("fail")
        with pytest.raises(WebSocketClosed) as closed:
            ws.receive()
        assert closed.value.code == 1011
    assert consumers.events[-1] == ("disconnect", 1011, None)


def test_a_handler_failing_to_start_closes_with_1011_within_the_close_timeout(settings):
    settings.BOLT = {"WEBSOCKET_CLOSE_TIMEOUT": 0.2}
    ws = BoltClient(URLS).websocket_connect("/ws/broken/")
    ws.send_text("hello")
    opcode, payload = ws._socket.receive_frame(2.0)
    assert (opcode, int.from_bytes(payload[:2], "big")) == (8, 1011)
    # The client never answers the Close: the server gives up after its close timeout and ends the connection.
    assert ws._socket.receive_frame(2.0) == (-1, b"")


def test_refusal_in_connect_is_http_403(client):
    with pytest.raises(WebSocketRejected) as rejected:
        client.websocket_connect("/ws/refuse/")
    assert rejected.value.response.status_code == 403
    assert rejected.value.response.json() == {"detail": "WebSocket connection refused."}


@pytest.mark.django_db
def test_authentication_and_permissions_at_the_handshake(client, django_user_model):
    with pytest.raises(WebSocketRejected) as rejected:
        client.websocket_connect("/ws/private/")
    response = rejected.value.response
    assert response.status_code == 401
    assert response.json() == {"detail": "Authentication credentials were not provided."}
    assert response["WWW-Authenticate"] == "Token"

    from rest_framework.authtoken.models import Token

    user = django_user_model.objects.create_user("ada", password="pw")
    token = Token.objects.create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    with client.websocket_connect("/ws/private/") as ws:
        assert ws.receive_json() == {"user": "ada"}
        ws.send_json({"n": 1})
        assert ws.receive_json() == {"echo": {"n": 1}, "user": "ada"}
        ws.send_text("not json")
        with pytest.raises(WebSocketClosed) as closed:
            ws.receive()
        assert closed.value.code == 1007


def test_plain_http_to_a_websocket_route_is_426(client):
    response = client.get("/ws/echo/")
    assert response.status_code == 426
    assert response["Upgrade"] == "websocket"
    assert client.post("/ws/echo/").status_code == 405


def test_bad_handshakes(client):
    with pytest.raises(WebSocketRejected) as rejected:
        client.websocket_connect("/ws/echo/", headers={"Sec-WebSocket-Version": "8"})
    assert rejected.value.response.status_code == 426
    assert rejected.value.response["Sec-WebSocket-Version"] == "13"
    with pytest.raises(WebSocketRejected) as rejected:
        client.websocket_connect("/ws/echo/", headers={"Sec-WebSocket-Key": "short"})
    assert rejected.value.response.status_code == 400


def test_origin_must_be_an_allowed_host(client, settings):
    settings.ALLOWED_HOSTS = ["testserver", ".example.com"]
    client = BoltClient(URLS)
    with client.websocket_connect("/ws/echo/", headers={"Origin": "https://app.example.com"}):
        pass
    with pytest.raises(WebSocketRejected) as rejected:
        client.websocket_connect("/ws/echo/", headers={"Origin": "https://evil.test"})
    assert rejected.value.response.status_code == 403
    assert rejected.value.response.json() == {"detail": "Origin not allowed."}


def test_origin_allowed_by_django_cors_headers(settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.MIDDLEWARE = ["corsheaders.middleware.CorsMiddleware", *settings.MIDDLEWARE]
    settings.CORS_ALLOWED_ORIGINS = ["https://app.partner.test"]
    client = BoltClient(URLS)
    with client.websocket_connect("/ws/echo/", headers={"Origin": "https://app.partner.test"}) as ws:
        ws.send_text("hi")
        assert ws.receive_text() == "hi"
    with pytest.raises(WebSocketRejected) as rejected:
        client.websocket_connect("/ws/echo/", headers={"Origin": "https://other.partner.test"})
    assert rejected.value.response.status_code == 403


@pytest.mark.parametrize(
    ("frame", "code"),
    [
        (bytes([0x81, 0x02]) + b"hi", 1002),  # unmasked
        (bytes([0x81, 0x82, 0, 0, 0, 0, 0xFF, 0xFE]), 1007),  # text that is not UTF-8
        (bytes([0x83, 0x80, 0, 0, 0, 0]), 1002),  # reserved opcode
        (bytes([0x82, 0xFF, 0, 0, 0, 0, 0x40, 0, 0, 0]), 1009),  # a 1 GiB message announced
        (bytes([0x80, 0x80, 0, 0, 0, 0]), 1002),  # a continuation with nothing to continue
        (bytes([0x09, 0x80, 0, 0, 0, 0]), 1002),  # a fragmented ping
    ],
)
def test_bad_frames_close_with_the_rfc_code(client, frame, code):
    with client.websocket_connect("/ws/echo/") as ws:
        ws.send_raw(frame)
        with pytest.raises(WebSocketClosed) as closed:
            ws.receive()
        assert closed.value.code == code
    assert consumers.events[-1] == ("disconnect", code, None)


def test_oversized_message_is_refused(client, settings):
    settings.BOLT = {"WEBSOCKET_MAX_MESSAGE_SIZE": 100}
    client = BoltClient(URLS)
    with client.websocket_connect("/ws/echo/") as ws:
        ws.send_text("x" * 100)
        assert ws.receive_text() == "x" * 100
        ws.send_frame(1, b"x" * 60, fin=False)
        ws.send_frame(0, b"x" * 60, fin=True)
        with pytest.raises(WebSocketClosed) as closed:
            ws.receive()
        assert closed.value.code == 1009


def test_client_drop_is_1006_and_cancels_a_running_message(client):
    ws = client.websocket_connect("/ws/slow/")
    ws.send_text("30")
    with pytest.raises(TimeoutError):
        ws.receive(timeout=0.2)
    ws._socket.drop_connection()
    ws._drain()
    assert consumers.events == [("slow finally", "30"), ("disconnect", 1006)]


def test_send_waits_for_a_slow_reader(client):
    with client.websocket_connect("/ws/flood/") as ws:
        ws.send_text("40")  # 40 × 64 KiB: ten times the write buffer
        received = [ws.receive_text() for _ in range(41)]
        assert received[-1] == "done"
        assert all(len(message) == 65536 for message in received[:-1])
