"""One view, three ways — DRF with DRF's versioning, Bolt with Bolt's, Bolt keeping DRF's — for each scheme."""

from __future__ import annotations

from django.urls import include, path, re_path
from rest_framework import versioning as drf_versioning
from rest_framework.renderers import JSONRenderer as DRFJSONRenderer
from rest_framework.response import Response as DRFResponse
from rest_framework.views import APIView as DRFAPIView

from django_bolt import versioning as bolt_versioning
from django_bolt.renderers import JSONRenderer
from django_bolt.response import Response
from django_bolt.reverse import reverse as bolt_reverse
from django_bolt.views import APIView

SCHEMES = ("URLPathVersioning", "NamespaceVersioning", "QueryParameterVersioning", "AcceptHeaderVersioning",
           "HostNameVersioning")  # fmt: skip


def _configured(scheme: type) -> type:
    return type(scheme.__name__, (scheme,), {"allowed_versions": ["v1", "v2"], "default_version": "v1"})


def drf_view(scheme_name: str) -> type:
    from rest_framework.reverse import reverse

    class Versioned(DRFAPIView):
        versioning_class = _configured(getattr(drf_versioning, scheme_name))
        renderer_classes = [DRFJSONRenderer]
        authentication_classes: list = []
        permission_classes: list = []

        def get(self, request, *args, **kwargs):
            url = reverse(f"{scheme_name}-thing", kwargs={"pk": 7}, request=request)
            return DRFResponse({"version": request.version, "url": url})

    return Versioned


def bolt_view(scheme_name: str, versioning: object) -> type:
    class Versioned(APIView):
        versioning_class = _configured(getattr(versioning, scheme_name))
        renderer_classes = [JSONRenderer]
        authentication_classes: list = []
        permission_classes: list = []

        async def get(self, request, *args, **kwargs):
            url = bolt_reverse(f"{scheme_name}-thing", kwargs={"pk": 7}, request=request)
            return Response({"version": request.version, "url": url})

    return Versioned


def patterns(make) -> list:
    urls = []
    for name in SCHEMES:
        view = make(name).as_view()
        if name == "URLPathVersioning":
            urls += [
                re_path(rf"^(?P<version>[^/]+)/{name}/$", view),
                re_path(rf"^(?P<version>[^/]+)/{name}/(?P<pk>\d+)/$", view, name=f"{name}-thing"),
            ]
        elif name == "NamespaceVersioning":
            inner = ([path("", view), path("<int:pk>/", view, name=f"{name}-thing")], "versioned")
            urls += [
                path(f"v1/{name}/", include(inner, namespace="v1")),
                path(f"v2/{name}/", include(inner, namespace="v2")),
                path(f"v9/{name}/", include(inner, namespace="v9")),
            ]
        else:
            urls += [path(f"{name}/", view), path(f"{name}/<int:pk>/", view, name=f"{name}-thing")]
    return urls


drf_urlpatterns = patterns(drf_view)
bolt_urlpatterns = patterns(lambda name: bolt_view(name, bolt_versioning))
bolt_compat_urlpatterns = patterns(lambda name: bolt_view(name, drf_versioning))
