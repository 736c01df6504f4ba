"""Hostile request bodies get DRF's 400, never a 500: JSON nested thousands deep."""

from django_bolt.response import Response
from django_bolt.test import BoltClient
from django_bolt.urls import path
from django_bolt.views import APIView


class Echo(APIView):
    authentication_classes: list = []
    permission_classes: list = []

    async def post(self, request):
        return Response({"type": type(request.data).__name__})


class Urls:
    urlpatterns = [path("echo-data", Echo.as_view())]


def test_json_nested_thousands_deep_is_a_parse_error():
    client = BoltClient(Urls)
    for depth in (10_000, 100_000):
        response = client.post("/echo-data", data=b"[" * depth + b"]" * depth, content_type="application/json")
        assert (response.status_code, response.json()) == (
            400,
            {"detail": "JSON parse error - the document is nested too deeply"},
        )
    ok = client.post("/echo-data", data=b"[" * 50 + b"]" * 50, content_type="application/json")
    assert ok.json() == {"type": "list"}


def test_too_many_form_fields_or_parts_is_a_400(settings):
    from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

    client = BoltClient(Urls)
    form = "&".join(f"f{i}=x" for i in range(5_000)).encode()
    response = client.post("/echo-data", data=form, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert "DATA_UPLOAD_MAX_NUMBER_FIELDS" in response.json()["detail"]
    parts = encode_multipart(BOUNDARY, {f"f{i}": "x" for i in range(5_000)})
    response = client.post("/echo-data", data=parts, content_type=MULTIPART_CONTENT)
    assert response.status_code == 400 and "DATA_UPLOAD_MAX_NUMBER_FIELDS" in response.json()["detail"]
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = None  # the limit is Django's setting: without it, accepted
    response = client.post("/echo-data", data=form, content_type="application/x-www-form-urlencoded")
    assert response.json() == {"type": "QueryDict"}
