"""The Bolt side of the HTTP benchmarks."""

from django_bolt.response import Response
from django_bolt.routers import SimpleRouter
from django_bolt.urls import fixed, path
from django_bolt.viewsets import BoltViewSet

HELLO = b'{"message":"Hello, world!"}'


async def hello(request):
    return {"message": "Hello, world!"}


class HelloViewSet(BoltViewSet):
    async def list(self, request):
        return Response({"message": "Hello, world!"})


router = SimpleRouter(trailing_slash=False)
router.register("vs-hello", HelloViewSet, basename="hello")

urlpatterns = [
    path("hello", hello),
    fixed("rust-hello", HELLO),
    *router.urls,
]
