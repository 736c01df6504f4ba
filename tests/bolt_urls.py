"""Routes for the engine tests (`ROOT_BOLTCONF` of the test settings)."""

from django_bolt.urls import fixed, include, path, re_path
from tests import engine_views as views

urlpatterns = [
    path("hello", views.hello),
    path("echo", views.echo),
    path("items/<int:item_id>", views.item),
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
