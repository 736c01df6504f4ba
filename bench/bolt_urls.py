"""The Bolt side of the HTTP benchmarks."""

from django_bolt.urls import fixed, path

HELLO = b'{"message":"Hello, world!"}'


async def hello(request):
    return {"message": "Hello, world!"}


urlpatterns = [
    path("hello", hello),
    fixed("rust-hello", HELLO),
]
