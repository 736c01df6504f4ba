"""The DRF twin of the benchmarked endpoints, served by gunicorn."""

from django.urls import path
from rest_framework.response import Response
from rest_framework.views import APIView

from bench import policies_bench, viewsets_bench


class Hello(APIView):
    authentication_classes: list = []
    permission_classes: list = []

    def get(self, request):
        return Response({"message": "Hello, world!"})


urlpatterns = [
    path("hello", Hello.as_view()),
    *viewsets_bench.drf_patterns(),
    *policies_bench.drf_patterns(),
]
