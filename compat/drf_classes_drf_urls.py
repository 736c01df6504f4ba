from compat.drf_classes import drf_urlpatterns as urlpatterns  # noqa: F401
