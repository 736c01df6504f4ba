"""The Django URLconf at the end (step 3): the DRF API is gone; DRF's token view and the admin stay on Django."""

from django.contrib import admin
from django.urls import path
from rest_framework.authtoken.views import obtain_auth_token

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/token/", obtain_auth_token, name="api-token"),
]
