"""The DRF twin of the benchmarked endpoints, served by gunicorn."""

from django.urls import path
from rest_framework.response import Response
from rest_framework.views import APIView


class Hello(APIView):
    def get(self, request):
        return Response({"message": "Hello, world!"})


urlpatterns = [path("hello", Hello.as_view())]
