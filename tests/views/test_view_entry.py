"""The engine calls a class-based view through its entry (``bolt_enter``); a wrapper of the callback is still
called itself, and path kwargs, converters and default kwargs reach the view as through the callback."""

from __future__ import annotations

import functools
import types

from django_bolt.response import Response
from django_bolt.routers import SimpleRouter
from django_bolt.test import BoltClient
from django_bolt.urls import path
from django_bolt.views import APIView
from django_bolt.viewsets import ViewSet


class Echo(APIView):
    authentication_classes: list = []
    permission_classes: list = []

    async def get(self, request, **kwargs):
        return Response({"kwargs": kwargs, "view_kwargs": self.kwargs})


class HeaderEdits(APIView):
    """Edits its own ``headers`` in the handler: finalize adds them as DRF's finalize_response does."""

    authentication_classes: list = []
    permission_classes: list = []

    async def get(self, request):
        if "edit" in request.query_params:
            self.headers["X-View"] = "added"
        response = Response({})
        response["Allow"] = "replaced by the view's"
        response["X-Own"] = "kept"
        return response


class Things(ViewSet):
    authentication_classes: list = []
    permission_classes: list = []

    async def list(self, request):
        return Response({"action": self.action})


def stamped(view):
    """A decorator as projects write them: ``functools.wraps`` copies the callback's attributes."""

    @functools.wraps(view)
    async def wrapper(request, *args, **kwargs):
        response = await view(request, *args, **kwargs)
        response["X-Stamped"] = "yes"
        return response

    return wrapper


router = SimpleRouter()
router.register("things", Things, basename="thing")
things_list = router.urls[0].callback

urlpatterns = [
    path("echo/<int:pk>/", Echo.as_view()),
    path("defaults/", Echo.as_view(), {"extra": "given"}),
    path("stamped/", stamped(Echo.as_view())),
    path("stamped-things/", stamped(things_list)),
    path("headers/", HeaderEdits.as_view()),
    *router.urls,
]


def client():
    return BoltClient(types.SimpleNamespace(urlpatterns=urlpatterns))


def test_entry_names_its_view():
    view = Echo.as_view()
    assert view.bolt_enter.view is view
    assert stamped(view).bolt_enter.view is view  # copied by wraps: not the wrapper's own


def test_path_kwargs_and_default_kwargs_reach_the_view():
    answer = client().get("/echo/7/").json()
    assert answer == {"kwargs": {"pk": 7}, "view_kwargs": {"pk": 7}}
    assert client().get("/defaults/").json() == {"kwargs": {"extra": "given"}, "view_kwargs": {"extra": "given"}}


def test_a_wrapped_callback_is_called_itself():
    response = client().get("/stamped/")
    assert response.status_code == 200 and response["X-Stamped"] == "yes"
    response = client().get("/stamped-things/")
    assert response.json() == {"action": "list"} and response["X-Stamped"] == "yes"


def test_viewset_entry_binds_the_action():
    response = client().get("/things/")
    assert response.json() == {"action": "list"}
    assert response["Allow"] == "GET, HEAD, OPTIONS"


def test_view_headers_finalized_as_drf():
    for _ in range(2):
        plain = client().get("/headers/")
        assert plain["Allow"] == "GET, HEAD, OPTIONS" and plain["X-Own"] == "kept" and "X-View" not in plain
        edited = client().get("/headers/?edit=1")
        assert edited["Allow"] == "GET, HEAD, OPTIONS" and edited["X-View"] == "added"
