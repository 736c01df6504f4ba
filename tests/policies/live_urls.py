"""Routes served by the live (multi-process) throttle test: each answer names the process that served it."""

import os
import threading

from django_bolt.permissions import AllowAny
from django_bolt.renderers import JSONRenderer
from django_bolt.response import Response
from django_bolt.throttling import AnonRateThrottle
from django_bolt.urls import path
from django_bolt.views import APIView

LIVE_RATE = 20


class LiveThrottle(AnonRateThrottle):
    scope = "live"
    rate = f"{LIVE_RATE}/min"

    def allow_request(self, request, view):
        allowed = super().allow_request(request, view)
        # Reached only once the cache was used: tells the test which thread did the Redis round-trip.
        request.throttle_thread = threading.current_thread().name
        return allowed


class Throttled(APIView):
    renderer_classes = [JSONRenderer]
    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [LiveThrottle]

    async def get(self, request):
        return Response({"pid": os.getpid(), "throttle_thread": request.throttle_thread})


urlpatterns = [path("live/throttled/", Throttled.as_view())]
