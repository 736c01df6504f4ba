"""
The Django/DRF URLconf (``ROOT_URLCONF``): the whole API as DRF serves it, under ``runserver`` or gunicorn, and
the admin. Under ``runbolt``, ``bolt_urls`` serves the migrated part of the API (same paths, same names) and
everything else falls through to this URLconf.
"""

from catalog import views
from django.contrib import admin
from django.urls import include, path
from rest_framework.authtoken.views import obtain_auth_token
from rest_framework.routers import DefaultRouter

router = DefaultRouter()
router.register("authors", views.AuthorViewSet)
router.register("books", views.BookViewSet)
router.register("reviews", views.ReviewViewSet)

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include(router.urls)),
    path("api/token/", obtain_auth_token, name="api-token"),
]
