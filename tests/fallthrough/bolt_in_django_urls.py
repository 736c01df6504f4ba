"""A Django URLconf that routes to Bolt views (as a project served by gunicorn mid-migration might)."""

from django.urls import path

from django_bolt import serializers
from django_bolt.permissions import IsAuthenticatedOrReadOnly
from django_bolt.viewsets import BoltModelViewSet
from tests.app.models import Item


class ItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = Item
        fields = ["id", "name", "price", "quantity"]


class ItemViewSet(BoltModelViewSet):
    queryset = Item.objects.order_by("id")
    serializer_class = ItemSerializer
    permission_classes = [IsAuthenticatedOrReadOnly]


urlpatterns = [
    path("items/", ItemViewSet.as_view({"get": "list", "post": "create"})),
    path("items/<int:pk>/", ItemViewSet.as_view({"get": "retrieve", "delete": "destroy"})),
]
