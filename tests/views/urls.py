"""Bolt routes of tests/views."""

from django_bolt.routers import SimpleRouter
from django_bolt.urls import path
from tests.views import planned, views

router = SimpleRouter()
router.register("books", views.BookViewSet)

urlpatterns = [
    path("fail/<str:how>/", views.CreateThenFail.as_view()),
    path("who/", views.Who.as_view(), name="who"),
    path("db-guarded/", views.DBGuarded.as_view()),
    path("throttled/", views.Throttled.as_view()),
    path("plain/", views.Plain.as_view()),
    path("session/", views.Session.as_view()),
    path("session/refuse/", views.SessionThenRefuse.as_view()),
    path("planned/echo/", planned.Echo.as_view()),
    path("planned/query-negotiated/", planned.EchoQueryNegotiated.as_view()),
    path("planned/echo.<str:format>", planned.Echo.as_view()),
    path("planned/own-dispatch/", planned.EchoOwnDispatch.as_view()),
    path("planned/own-dispatch.<str:format>", planned.EchoOwnDispatch.as_view()),
    path("planned/own-check-permissions/", planned.OwnCheckPermissions.as_view()),
    path("planned/own-get-permissions/", planned.OwnGetPermissions.as_view()),
    path("planned/own-initial/", planned.OwnInitial.as_view()),
    path("planned/defaults/", planned.DefaultPolicies.as_view()),
    *router.urls,
]
