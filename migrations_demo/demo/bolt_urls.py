"""
The routes ``runbolt`` serves (``ROOT_BOLTCONF``): the endpoints migrated so far, with the paths and URL names
they have in ``urls``. ``reviews`` and ``api/token/`` are not migrated yet; they are served by DRF.
"""

from catalog import bolt_views

from django_bolt.routers import DefaultRouter
from django_bolt.urls import include, path

router = DefaultRouter()
router.register("authors", bolt_views.AuthorViewSet)
router.register("books", bolt_views.BookViewSet)

urlpatterns = [
    path("api/", include(router.urls)),
]
