"""HyperlinkedModelSerializer against DRF: url field, hyperlinked relations, validation of URLs."""

import decimal

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.test import RequestFactory
from rest_framework.request import Request

from tests.app.models import Item
from tests.serializers.twins import assert_same_data, assert_same_validation, twins

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.serializers.urls")]


def hyperlinked(model, **meta):
    def make(s):
        attrs = {"Meta": type("Meta", (), {"model": model, **meta})}
        return type(f"{model.__name__}Hyperlinked", (s.HyperlinkedModelSerializer,), attrs)

    return twins(make)


@pytest.fixture
def context():
    # A DRF Request (query_params, GET and build_absolute_uri), as a view would pass.
    return {"request": Request(RequestFactory().get("/api/"))}


def test_url_field_and_generated_fields():
    drf_cls, bolt_cls = hyperlinked(Item, fields="__all__")
    assert list(bolt_cls().fields) == list(drf_cls().fields) == [
        "url", "name", "description", "price", "quantity", "is_active", "created_at",
    ]  # fmt: skip
    assert type(bolt_cls().fields["url"]).__name__ == "HyperlinkedIdentityField"
    assert bolt_cls().fields["url"].view_name == "item-detail"


def test_data_matches_drf(context):
    Item.objects.create(name="a", price=decimal.Decimal("1"))
    Item.objects.create(name="b", price=decimal.Decimal("2"))
    pair = hyperlinked(Item, fields="__all__")
    data = assert_same_data(pair, Item.objects.all(), many=True, context=context)
    assert data[0]["url"].startswith("http://testserver/items/")
    assert_same_data(pair, Item.objects.first(), context=context)


def test_relations_are_hyperlinks(context):
    group = Group.objects.create(name="g")
    user = User.objects.create_user("ann")
    user.groups.set([group])
    assert_same_data(
        hyperlinked(User, fields=["url", "username", "groups"]), User.objects.all(), many=True, context=context
    )
    assert_same_data(
        hyperlinked(Permission, fields="__all__"), Permission.objects.all()[:5], many=True, context=context
    )
    assert_same_data(
        hyperlinked(Permission, fields="__all__", depth=1), Permission.objects.all()[:3], many=True, context=context
    )


def test_hyperlinked_input_validation(context):
    group = Group.objects.create(name="g")
    pair = hyperlinked(User, fields=["url", "username", "groups"])
    for groups in (
        [f"http://testserver/groups/{group.pk}/"],
        ["http://testserver/groups/999/"],
        ["http://testserver/items/1/"],
        ["/nowhere/"],
        [1],
    ):
        assert_same_validation(pair, {"username": "new", "groups": groups}, context=context)


def test_missing_request_in_context_fails_like_drf():
    Item.objects.create(name="a", price=decimal.Decimal("1"))
    drf_cls, bolt_cls = hyperlinked(Item, fields="__all__")
    with pytest.raises(AssertionError, match="request"):
        bolt_cls(Item.objects.first()).data  # noqa: B018
    with pytest.raises(AssertionError, match="request"):
        drf_cls(Item.objects.first()).data  # noqa: B018
