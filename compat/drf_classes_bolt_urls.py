from compat.drf_classes import bolt_urlpatterns as urlpatterns  # noqa: F401
