from django.contrib import admin
from django.urls import include, path
from rest_framework.routers import DefaultRouter

from tests.fallthrough import views

router = DefaultRouter()
router.register("items", views.ItemViewSet, basename="item")

urlpatterns = [
    path("admin/", admin.site.urls),
    path("drf/", include(router.urls)),
    path("api-auth/", include("rest_framework.urls")),
    path("plain/sync/", views.sync_view),
    path("plain/async/", views.async_view),
    path("plain/stream/", views.stream_view),
    path("plain/astream/", views.astream_view),
    path("plain/file/<int:megabytes>/", views.file_view),
    path("plain/redirect/", views.redirect_view),
    path("plain/boom/", views.boom_view),
    path("plain/upload/", views.upload_view),
    path("plain/cookie/", views.cookie_view),
]
