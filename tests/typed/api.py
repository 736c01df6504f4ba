"""The Item API twice with typed models instead of serializers: pydantic (``/pyitems/``) and msgspec
(``/msitems/``), each a plain ``BoltModelViewSet`` naming the model as its ``serializer_class``."""

from __future__ import annotations

import datetime
import decimal
from typing import Annotated

import msgspec
from pydantic import BaseModel, ConfigDict, Field, model_validator

from django_bolt.routers import SimpleRouter
from django_bolt.viewsets import BoltModelViewSet
from tests.app.models import Item


class Tag(BaseModel):
    label: str = Field(min_length=1)


class ItemModel(BaseModel):
    """An item of the inventory."""

    model_config = ConfigDict(from_attributes=True)

    id: int | None = None
    name: str = Field(max_length=100)
    description: str = ""
    price: decimal.Decimal = Field(max_digits=10, decimal_places=2)
    quantity: int = Field(default=0, ge=0)
    is_active: bool = True
    created_at: datetime.datetime | None = None
    tags: list[Tag] = []

    @model_validator(mode="after")
    def free_items_are_inactive(self) -> ItemModel:
        if self.price == 0 and self.is_active:
            raise ValueError("A free item cannot be active.")
        return self


class ItemStruct(msgspec.Struct, kw_only=True):
    """An item of the inventory."""

    id: int | None = None
    name: Annotated[str, msgspec.Meta(max_length=100)]
    description: str = ""
    price: decimal.Decimal
    quantity: Annotated[int, msgspec.Meta(ge=0)] = 0
    is_active: bool = True
    created_at: datetime.datetime | None = None


class Open:
    queryset = Item.objects.order_by("id")
    authentication_classes: list = []
    permission_classes: list = []
    pagination_class = None


class PydanticItemViewSet(Open, BoltModelViewSet):
    serializer_class = ItemModel


class MsgspecItemViewSet(Open, BoltModelViewSet):
    serializer_class = ItemStruct


router = SimpleRouter()
router.register("pyitems", PydanticItemViewSet, basename="pyitem")
router.register("msitems", MsgspecItemViewSet, basename="msitem")
urlpatterns = router.urls
