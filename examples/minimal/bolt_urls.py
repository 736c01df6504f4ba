"""A notes API: list, create, retrieve, an extra action, and a live feed of changes (server-sent events), served by
runbolt. The feed is in-process: every subscriber of this process hears every change made through it (several
processes would share changes through a broker such as Redis pub/sub)."""

import asyncio

from django_bolt import serializers
from django_bolt.decorators import action
from django_bolt.exceptions import NotFound
from django_bolt.renderers import JSONRenderer
from django_bolt.response import Response
from django_bolt.routers import DefaultRouter
from django_bolt.sse import EventStreamRenderer, EventStreamResponse, ServerSentEvent
from django_bolt.viewsets import BoltViewSet

NOTES: dict[int, dict] = {1: {"id": 1, "text": "Try runbolt", "done": False}}
# Each open feed: its worker's event loop and its queue (worker threads each run their own loop).
SUBSCRIBERS: set[tuple[asyncio.AbstractEventLoop, asyncio.Queue]] = set()


def publish(kind: str, note: dict) -> None:
    for loop, queue in list(SUBSCRIBERS):
        loop.call_soon_threadsafe(queue.put_nowait, (kind, dict(note)))


class NoteSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    text = serializers.CharField(max_length=200)
    done = serializers.BooleanField(default=False)


class NoteViewSet(BoltViewSet):
    def note(self, pk: str) -> dict:
        try:
            return NOTES[int(pk)]
        except (KeyError, ValueError):
            raise NotFound() from None

    async def list(self, request):
        return Response(NoteSerializer(list(NOTES.values()), many=True).data)

    async def create(self, request):
        serializer = NoteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        note = {"id": max(NOTES, default=0) + 1, **serializer.validated_data}
        NOTES[note["id"]] = note
        publish("created", note)
        return Response(NoteSerializer(note).data, status=201)

    async def retrieve(self, request, pk=None):
        return Response(NoteSerializer(self.note(pk)).data)

    @action(detail=True, methods=["post"])
    async def finish(self, request, pk=None):
        note = self.note(pk)
        note["done"] = True
        publish("finished", note)
        return Response(NoteSerializer(note).data)

    @action(detail=False, renderer_classes=[JSONRenderer, EventStreamRenderer])
    async def changes(self, request):
        """Server-sent events: one per note created or finished, from now until the client leaves."""
        subscriber = (asyncio.get_running_loop(), asyncio.Queue())
        SUBSCRIBERS.add(subscriber)

        async def feed():
            try:
                while True:
                    kind, note = await subscriber[1].get()
                    yield ServerSentEvent(data=NoteSerializer(note).data, event=kind, id=str(note["id"]))
            finally:
                SUBSCRIBERS.discard(subscriber)  # runs when the client disconnects

        return EventStreamResponse(feed())


router = DefaultRouter()
router.register("notes", NoteViewSet, basename="note")
urlpatterns = router.urls
