"""Plain Django and DRF views, none of them ported: runbolt reaches them through the fall-through."""

import asyncio
import os
import tempfile
import threading

from django.http import FileResponse, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST
from rest_framework import serializers, viewsets
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.permissions import IsAuthenticatedOrReadOnly

from tests.app.models import Item


def sync_view(request):
    return JsonResponse(
        {"thread": threading.current_thread().name, "items": Item.objects.count(), "user": str(request.user)}
    )


async def async_view(request):
    await asyncio.sleep(0)
    return JsonResponse({"count": await Item.objects.acount(), "path": request.path})


def stream_view(request):
    def rows():
        for item in Item.objects.order_by("id"):
            yield f"{item.name}\n"
        yield "end\n"

    return StreamingHttpResponse(rows(), content_type="text/plain")


async def astream_view(request):
    async def parts():
        for i in range(3):
            await asyncio.sleep(0)
            yield f"part{i}\n"

    return StreamingHttpResponse(parts(), content_type="text/plain")


def big_file_path(megabytes: int) -> str:
    path = os.path.join(tempfile.gettempdir(), f"bolt-fallthrough-{megabytes}mb.bin")
    if not os.path.exists(path) or os.path.getsize(path) != megabytes << 20:
        with open(path + ".tmp", "wb") as out:
            block = bytes(range(256)) * 4096
            for _ in range(megabytes):
                out.write(block)
        os.replace(path + ".tmp", path)
    return path


def file_view(request, megabytes):
    return FileResponse(open(big_file_path(megabytes), "rb"), content_type="application/octet-stream")


def redirect_view(request):
    return redirect("/plain/sync/?from=redirect")


def boom_view(request):
    raise RuntimeError("fall-through boom")


@require_POST
def upload_view(request):
    upload = request.FILES["file"]
    return JsonResponse({"name": upload.name, "size": upload.size, "field": request.POST.get("note")})


def cookie_view(request):
    response = HttpResponse("cookie set", content_type="text/plain")
    response.set_cookie("flavour", "oat", httponly=True, samesite="Lax")
    return response


class ItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = Item
        fields = ["id", "name", "price", "quantity"]


class ItemViewSet(viewsets.ModelViewSet):
    # Named here: DRF binds REST_FRAMEWORK's defaults when rest_framework.views is first imported.
    authentication_classes = [SessionAuthentication, TokenAuthentication]
    permission_classes = [IsAuthenticatedOrReadOnly]
    queryset = Item.objects.order_by("id")
    serializer_class = ItemSerializer
