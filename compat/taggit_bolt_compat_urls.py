from compat.taggit_views import bolt_compat_urlpatterns as urlpatterns  # noqa: F401
