"""Django Ninja (a peer), served as ASGI by uvicorn: async hello and the 100-row list."""

from datetime import datetime
from decimal import Decimal

from django.urls import path
from items.models import Item
from ninja import NinjaAPI, Schema

api = NinjaAPI()


class ItemOut(Schema):
    id: int
    name: str
    description: str
    price: Decimal
    quantity: int
    is_active: bool
    created_at: datetime


@api.get("/hello")
async def hello(request):
    return {"message": "Hello, world!"}


@api.get("/vs/items/", response=list[ItemOut])
async def items(request):
    return [item async for item in Item.objects.order_by("id")[:100]]


urlpatterns = [path("", api.urls)]
