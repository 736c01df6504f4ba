from compat.taggit_views import drf_urlpatterns as urlpatterns  # noqa: F401
