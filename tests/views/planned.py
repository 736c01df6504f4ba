"""Views of test_route_plan: twins that differ only in taking the compiled pipeline or their own dispatch."""

from __future__ import annotations

from django_bolt import exceptions, negotiation, renderers
from django_bolt.permissions import AllowAny, BasePermission
from django_bolt.response import Response
from django_bolt.views import APIView


class TextRenderer(renderers.BaseRenderer):
    media_type = "text/plain"
    format = "txt"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return repr(data)


class Echo(APIView):
    """Two renderers (so ``Vary: Accept``), AllowAny, no authenticators: every skippable stage skipped."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    renderer_classes = [renderers.JSONRenderer, TextRenderer]

    async def get(self, request, **kwargs):
        response = Response({"user": str(request.user), "version": request.version, "format": self.format_kwarg})
        response["Vary"] = "Cookie"
        return response

    async def post(self, request, **kwargs):
        return Response(request.data, status=201)


class EchoOwnDispatch(Echo):
    """The same view dispatched by ``APIView.dispatch`` (an override takes it off the plan)."""

    async def dispatch(self, request, *args, **kwargs):
        return await super().dispatch(request, *args, **kwargs)


class Deny(BasePermission):
    message = "no entry"

    def has_permission(self, request, view):
        return False


class OwnCheckPermissions(APIView):
    """Empty policy lists, but the stage is overridden: it must still run."""

    authentication_classes: list = []
    permission_classes: list = []

    def check_permissions(self, request):
        raise exceptions.PermissionDenied("checked by the override")

    async def get(self, request):
        return Response({})


class OwnGetPermissions(APIView):
    authentication_classes: list = []
    permission_classes: list = []

    def get_permissions(self):
        return [Deny()]

    async def get(self, request):
        return Response({})


class OwnInitial(APIView):
    """Overrides a hook the plan stands in for: dispatched by its own ``dispatch``."""

    authentication_classes: list = []
    permission_classes: list = []

    async def initial(self, request, *args, **kwargs):
        await super().initial(request, *args, **kwargs)
        self.headers["X-Initial"] = "ran"

    async def get(self, request):
        return Response({})


class DefaultPolicies(APIView):
    """Reads every policy from the settings."""

    async def get(self, request):
        return Response({"ok": True})


class QueryNegotiation(negotiation.DefaultContentNegotiation):
    """Chooses by ``?accept=`` rather than the header: its answers must not be remembered per header."""

    def get_accept_list(self, request):
        return [request.query_params.get("accept", "*/*")]


class EchoQueryNegotiated(Echo):
    content_negotiation_class = QueryNegotiation
