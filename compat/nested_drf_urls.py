from compat.nested_views import drf_urlpatterns as urlpatterns  # noqa: F401
