"""Server-sent events in process: the wire format of an event, and an `@action` streaming through the test client
(the same engine pipeline as the server) with content negotiation as a browser's EventSource does it."""

import threading
import time

import pytest

from django_bolt.decorators import action
from django_bolt.renderers import JSONRenderer
from django_bolt.routers import SimpleRouter
from django_bolt.sse import (
    EventBroadcast,
    EventStreamRenderer,
    EventStreamResponse,
    ServerSentEvent,
    last_event_id,
)
from django_bolt.test import BoltClient
from django_bolt.viewsets import BoltViewSet


def test_event_wire_format():
    event = ServerSentEvent(data="line one\nline two", event="note", id="7", retry=3000, comment="hi")
    assert event.encode() == b": hi\nevent: note\nid: 7\nretry: 3000\ndata: line one\ndata: line two\n\n"
    assert ServerSentEvent(data={"a": [1, "é"]}).encode() == 'data: {"a":[1,"é"]}\n\n'.encode()
    assert ServerSentEvent(comment="keep-alive").encode() == b": keep-alive\n\n"
    with pytest.raises(ValueError):
        ServerSentEvent(data=1, id="1\n2").encode()
    with pytest.raises(ValueError):
        ServerSentEvent(data=1, event="a\rb").encode()


class FeedViewSet(BoltViewSet):
    permission_classes: list = []

    @action(detail=False, renderer_classes=[JSONRenderer, EventStreamRenderer])
    async def feed(self, request):
        start = int(last_event_id(request) or 0) + 1

        async def events():
            for n in range(start, start + 2):
                yield ServerSentEvent(data={"n": n}, id=str(n))
            yield "plain text"

        return EventStreamResponse(events(), ping_interval=None)

    @action(detail=False)
    async def json_only(self, request):
        return EventStreamResponse(["x"])


FEED = EventBroadcast()


class LiveViewSet(BoltViewSet):
    permission_classes: list = []

    @action(detail=False, renderer_classes=[JSONRenderer, EventStreamRenderer])
    async def live(self, request):
        return FEED.response(ping_interval=None)


router = SimpleRouter()
router.register("bc", LiveViewSet, basename="bc")
router.register("sse", FeedViewSet, basename="sse")


class Urls:
    urlpatterns = router.urls


@pytest.fixture
def client():
    return BoltClient(Urls)


def test_an_action_streams_events(client):
    response = client.get("/sse/feed/", headers={"Accept": "text/event-stream", "Last-Event-ID": "4"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/event-stream"
    assert response["Cache-Control"] == "no-cache"
    assert response.content == b'id: 5\ndata: {"n":5}\n\nid: 6\ndata: {"n":6}\n\ndata: plain text\n\n'


def test_negotiation_refuses_event_stream_without_its_renderer(client):
    # As in DRF: a view whose renderers cannot produce the Accept'ed type answers 406.
    assert client.get("/sse/json_only/", headers={"Accept": "text/event-stream"}).status_code == 406
    assert client.get("/sse/json_only/").status_code == 200


def test_a_broadcast_reaches_its_subscribers_from_another_thread(client):
    def publisher():
        deadline = time.monotonic() + 5
        while FEED.subscribers == 0 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert FEED.publish(ServerSentEvent(data={"n": 1}, id="1")) == 1
        FEED.publish("two")
        FEED.close()

    thread = threading.Thread(target=publisher)
    thread.start()
    response = client.get("/bc/live/", headers={"Accept": "text/event-stream"})
    thread.join()
    assert response.status_code == 200
    assert response["Content-Type"] == "text/event-stream"
    assert response.content == b'id: 1\ndata: {"n":1}\n\ndata: two\n\n'
    assert FEED.subscribers == 0
