"""URLs of the bolt twins (same paths and names on both sides)."""

from compat import bolt_views as views
from django_bolt.routers import DefaultRouter
from django_bolt.urls import path, re_path

router = DefaultRouter()
router.register("books", views.BookViewSet)
router.register("titles", views.ReadOnlyBookViewSet, basename="title")
router.register("guarded", views.GuardedBookViewSet, basename="guarded")
router.register("default", views.DefaultPolicyBookViewSet, basename="default")
router.register("private", views.PrivateBookViewSet, basename="private")

urlpatterns = [
    path("silent/", views.SilentGuardedView.as_view()),
    path("throttled/", views.ThrottledView.as_view()),
    path("paged/", views.PagedBooks.as_view(), name="paged"),
    re_path(r"^detail/(?P<book_id>[0-9]+)/$", views.BookDetail.as_view(), name="book-by-id"),
    path("errors/<str:kind>/", views.Errors.as_view()),
    path("echo/", views.Echo.as_view()),
    path("multi/", views.MultiRenderer.as_view()),
    path("function/", views.function_view),
    path("token/", views.TokenWhoAmI.as_view()),
    path("upload/", views.Upload.as_view()),
    path("upload/<str:filename>/", views.Upload.as_view()),
    *router.urls,
]
