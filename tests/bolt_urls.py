"""Routes for the engine tests (`ROOT_BOLTCONF` of the test settings)."""

from tests import engine_views as views

from django_bolt.urls import path, re_path

urlpatterns = [
    path("hello", views.hello),
    path("echo", views.echo),
    path("items/<int:item_id>", views.item),
    path("uuid/<uuid:key>", views.by_uuid),
    re_path(r"^slow/(?P<ms>[0-9]+)/$", views.slow),
    path("boom", views.boom),
    path("stream", views.stream),
    path("astream", views.astream),
    path("only-get", views.only_get),
    path("sleep-sync", views.sleep_sync),
    path("headers", views.headers),
]
