"""The Bolt side of the HTTP benchmarks."""

from bench import policies_bench, streaming_views, viewsets_bench
from django_bolt.urls import fixed, path

HELLO = b'{"message":"Hello, world!"}'


async def hello(request):
    return {"message": "Hello, world!"}


urlpatterns = [
    path("hello", hello),
    fixed("rust-hello", HELLO),
    *viewsets_bench.bolt_patterns(),
    *policies_bench.bolt_patterns(),
    *streaming_views.bolt_patterns(),
]
