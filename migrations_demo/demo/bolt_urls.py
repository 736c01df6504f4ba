"""
The routes ``runbolt`` serves (``ROOT_BOLTCONF``): the endpoints migrated so far, with the paths and URL names
they have in ``urls``. ``reviews`` keeps its DRF classes (the compat step); ``api/token/`` and the admin are not
migrated: runbolt hands them to Django (the fall-through). The live routes at the end are new, Bolt only.
"""

from catalog import bolt_live, bolt_views

from django_bolt.routers import DefaultRouter
from django_bolt.schemas.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from django_bolt.urls import include, path

router = DefaultRouter()
router.register("authors", bolt_views.AuthorViewSet)
router.register("books", bolt_views.BookViewSet)
router.register("reviews", bolt_views.ReviewViewSet)

urlpatterns = [
    path("api/", include(router.urls)),
    # The OpenAPI document of everything runbolt serves (Bolt routes and the fall-through), and its pages.
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/schema/swagger-ui/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("api/schema/redoc/", SpectacularRedocView.as_view(url_name="schema"), name="redoc"),
    # Bolt only (catalog.bolt_live): live book changes over server-sent events, and a WebSocket with a chat.
    path("api/live/books/", bolt_live.BookChangesView.as_view(), name="book-changes"),
    path("ws/catalog/", bolt_live.CatalogRoomConsumer.as_view(), name="catalog-room"),
]
