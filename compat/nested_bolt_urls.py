from compat.nested_views import bolt_urlpatterns as urlpatterns  # noqa: F401
