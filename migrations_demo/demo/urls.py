"""
The Django/DRF URLconf (``ROOT_URLCONF``): the whole API as DRF serves it, under ``runserver`` or gunicorn.
``bolt_urls`` serves the migrated part of it (same paths, same names) under ``runbolt``.
"""

from catalog import views
from django.urls import include, path
from rest_framework.authtoken.views import obtain_auth_token
from rest_framework.routers import DefaultRouter

router = DefaultRouter()
router.register("authors", views.AuthorViewSet)
router.register("books", views.BookViewSet)
router.register("reviews", views.ReviewViewSet)

urlpatterns = [
    path("api/", include(router.urls)),
    path("api/token/", obtain_auth_token, name="api-token"),
]
