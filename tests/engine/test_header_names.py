"""Header names with an underscore are dropped before Python sees them (gunicorn, nginx and runserver do the
same): in META `X_Remote_User` would otherwise pose as `X-Remote-User`."""

import pytest
from django.contrib.auth.models import User

from django_bolt.authentication import RemoteUserAuthentication
from django_bolt.response import Response
from django_bolt.test import BoltClient
from django_bolt.urls import path
from django_bolt.views import APIView


class HeaderRemoteUser(RemoteUserAuthentication):
    header = "HTTP_X_REMOTE_USER"


class WhoAmI(APIView):
    authentication_classes = [HeaderRemoteUser]
    permission_classes: list = []

    async def get(self, request):
        meta = sorted(key for key in request.META if key.startswith("HTTP_X_") and key != "HTTP_X_REQUEST_ID")
        return Response({"user": str(request.user), "meta": meta})


class Urls:
    urlpatterns = [path("whoami", WhoAmI.as_view())]


@pytest.fixture
def client(db, settings):
    settings.AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.RemoteUserBackend"]
    User.objects.create_user("admin")
    User.objects.create_user("alice")
    return BoltClient(Urls)


def test_underscored_header_cannot_pose_as_the_dashed_one(client):
    body = client.get("/whoami", headers={"X_Remote_User": "admin"}).json()
    assert body == {"user": "AnonymousUser", "meta": []}
    body = client.get("/whoami", headers={"X_Remote_User": "admin", "X-Remote-User": "alice"}).json()
    assert body == {"user": "alice", "meta": ["HTTP_X_REMOTE_USER"]}
    body = client.get("/whoami", headers={"X_Forwarded_For": "10.0.0.1"}).json()
    assert body["meta"] == []
