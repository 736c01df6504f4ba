"""URLconf for the hyperlinked relation tests (used through override_settings(ROOT_URLCONF=...))."""

from django.http import HttpResponse
from django.urls import path, re_path


def view(request, *args, **kwargs):
    return HttpResponse()


urlpatterns = [
    path("items/<int:pk>/", view, name="item-detail"),
    re_path(r"^items/(?P<pk>[0-9]+)\.(?P<format>[a-z0-9]+)/?$", view, name="item-detail"),
    path("named/<str:name>/", view, name="item-by-name"),
    path("other/<int:pk>/", view, name="other-detail"),
]
