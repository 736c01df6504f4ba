from compat.taggit_views import bolt_native_urlpatterns as urlpatterns  # noqa: F401
