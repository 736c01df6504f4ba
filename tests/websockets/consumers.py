"""Consumers the WebSocket tests drive, in process and through the live server."""

import asyncio
import time

from django.urls import path

from django_bolt.authentication import TokenAuthentication
from django_bolt.permissions import AllowAny, IsAuthenticated
from django_bolt.sync import run_sync
from django_bolt.websockets import JsonWebSocketConsumer, WebSocketConsumer

# What consumers saw, for the tests to assert on (cleared by each test that reads it).
events: list = []


class EchoConsumer(WebSocketConsumer):
    permission_classes = [AllowAny]
    authentication_classes: list = []

    async def connect(self):
        protocol = "echo.v1" if "echo.v1" in self.subprotocols else None
        await self.accept(subprotocol=protocol)
        events.append(("connect", self.kwargs.get("room")))

    async def receive(self, text_data=None, bytes_data=None):
        if text_data == "close me":
            await self.close(4001, "asked to")
        elif text_data == "fail":
            raise RuntimeError("consumer failed")
        elif text_data is not None:
            await self.send(text_data=text_data)
        else:
            await self.send(bytes_data=bytes_data)

    async def disconnect(self, code):
        events.append(("disconnect", code, self.kwargs.get("room")))


class SlowConsumer(WebSocketConsumer):
    """Each message takes a while: a stuck consumer must not block other connections."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    async def receive(self, text_data=None, bytes_data=None):
        try:
            await asyncio.sleep(float(text_data))
            await self.send(text_data=f"slept {text_data}")
        finally:
            events.append(("slow finally", text_data))

    async def disconnect(self, code):
        events.append(("disconnect", code))


class PrivateConsumer(JsonWebSocketConsumer):
    """Token authentication and IsAuthenticated at the handshake, as on an APIView."""

    authentication_classes = [TokenAuthentication]
    permission_classes = [IsAuthenticated]

    async def connect(self):
        await self.accept()
        await self.send_json({"user": self.request.user.username})

    async def receive_json(self, content):
        await self.send_json({"echo": content, "user": self.request.user.username})


class RefusingConsumer(WebSocketConsumer):
    permission_classes = [AllowAny]
    authentication_classes: list = []

    async def connect(self):
        await self.close()


class BridgeConsumer(WebSocketConsumer):
    """Each message does blocking work on the sync bridge (as ORM calls do)."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    async def receive(self, text_data=None, bytes_data=None):
        await run_sync(time.sleep, 0.01)
        await self.send(text_data=f"bridged {text_data}")


class BrokenConsumer(WebSocketConsumer):
    """Its message handler fails before returning an awaitable."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    def websocket_receive(self, data):
        raise ValueError("broken before awaiting")


class FloodConsumer(WebSocketConsumer):
    """Sends much more than the write buffer holds: `send` waits for a slow reader."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    async def receive(self, text_data=None, bytes_data=None):
        chunk = "x" * 65536
        for _ in range(int(text_data)):
            await self.send(text_data=chunk)
        await self.send(text_data="done")


async def state(request):
    """What the consumers of this process saw (the live tests read it over HTTP)."""
    return {"events": events}


urlpatterns = [
    path("ws/state/", state),
    path("ws/echo/", EchoConsumer.as_view(), name="ws-echo"),
    path("ws/rooms/<str:room>/", EchoConsumer.as_view(), name="ws-room"),
    path("ws/slow/", SlowConsumer.as_view()),
    path("ws/private/", PrivateConsumer.as_view()),
    path("ws/refuse/", RefusingConsumer.as_view()),
    path("ws/flood/", FloodConsumer.as_view()),
    path("ws/broken/", BrokenConsumer.as_view()),
    path("ws/bridge/", BridgeConsumer.as_view()),
]
