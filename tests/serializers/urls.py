"""Named detail routes for the hyperlinked serializer tests (``@pytest.mark.urls``)."""

from django.http import HttpResponse
from django.urls import path


def detail(request, pk):
    return HttpResponse()


urlpatterns = [
    path("items/<int:pk>/", detail, name="item-detail"),
    path("users/<int:pk>/", detail, name="user-detail"),
    path("groups/<int:pk>/", detail, name="group-detail"),
    path("permissions/<int:pk>/", detail, name="permission-detail"),
    path("types/<int:pk>/", detail, name="contenttype-detail"),
]
