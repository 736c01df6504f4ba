from compat.versioning_views import drf_urlpatterns as urlpatterns  # noqa: F401
