from compat.versioning_views import bolt_urlpatterns as urlpatterns  # noqa: F401
