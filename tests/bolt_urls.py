"""Routes for the engine tests (`ROOT_BOLTCONF` of the test settings)."""

from django.urls import register_converter

from django_bolt.urls import fixed, include, path, re_path
from tests import engine_views as views


class EvenConverter:
    """Matches digits; ``to_python`` refuses odd numbers (``ValueError``): Django's "this pattern does not match"."""

    regex = "[0-9]+"

    def to_python(self, value: str) -> int:
        if int(value) % 2:
            raise ValueError(f"{value} is odd")
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(EvenConverter, "even")

urlpatterns = [
    path("hello", views.hello),
    path("echo", views.echo),
    path("items/<int:item_id>", views.item),
    # An odd number is refused by the first pattern and taken by the second; "only-even" has no second one.
    path("parity/<even:number>", views.parity, {"parity": "even"}),
    path("parity/<int:number>", views.parity, {"parity": "odd"}),
    path("only-even/<even:number>", views.parity, {"parity": "even"}),
    path("method/<even:number>", views.parity, {"parity": "even"}),
    path("method/<int:number>", views.only_get),
    path("uuid/<uuid:key>", views.by_uuid),
    re_path(r"^slow/(?P<ms>[0-9]+)/$", views.slow),
    path("boom", views.boom),
    path("stream", views.stream),
    path("astream", views.astream),
    path("astream-fails", views.astream_fails),
    path("feed", views.feed),
    path("feed/publish", views.feed_publish),
    path("stream-forever", views.stream_forever),
    path("stream-state", views.stream_state),
    path("events", views.events),
    path("only-get", views.only_get),
    path("sleep-sync", views.sleep_sync),
    path("headers", views.headers),
    path("host", views.host),
    path("", include("tests.websockets.consumers")),
    fixed("health", b'{"status":"ok"}', headers={"Cache-Control": "no-store"}),
]
