"""
Bolt routes for the hyperlinked relation tests (used through override_settings(ROOT_BOLTCONF=...)).

Bolt URL patterns are ordinary Django URL objects; plain ``django.urls.path`` keeps this module independent of
the engine build.
"""

from django.http import HttpResponse
from django.urls import path


def view(request, *args, **kwargs):
    return HttpResponse()


urlpatterns = [path("things/<int:pk>/", view, name="thing-detail")]
