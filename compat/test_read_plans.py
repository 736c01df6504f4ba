"""A DRF serializer made by a Bolt view reads through Bolt's compiled plan when its output cannot differ from
DRF's, and through DRF's own code otherwise; either way the data is DRF's, value for value."""

from __future__ import annotations

import datetime
import json

import pytest
from django.test import override_settings
from rest_framework import serializers

from compat.harness import Call, Parity
from django_bolt.compat.read_plans import adapt, twin_class
from django_bolt.renderers import JSONRenderer
from tests.app.models import Item
from tests.serializers_app.models import Author, Book, Edition, Tag


class AuthorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Author
        fields = ["id", "name", "email", "born"]


class BookSerializer(serializers.ModelSerializer):
    author = AuthorSerializer(read_only=True)
    editions = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    tag_labels = serializers.SlugRelatedField(source="tags", slug_field="label", many=True, read_only=True)
    author_name = serializers.CharField(source="author.name", read_only=True, default=None)
    status_label = serializers.ChoiceField(source="status", choices=Book.STATUSES, read_only=True)

    class Meta:
        model = Book
        fields = ["id", "title", "author", "editor", "tags", "status", "status_label", "rating", "pages"]
        fields += ["editions", "tag_labels", "author_name"]


class EditionSerializer(serializers.ModelSerializer):
    when = serializers.DateField(source="released", read_only=True, format="%Y/%m/%d")
    book_title = serializers.StringRelatedField(source="book")

    class Meta:
        model = Edition
        fields = ["id", "book", "number", "isbn", "released", "slug", "when", "book_title"]


class TagSerializer(serializers.ModelSerializer):
    class Meta:
        model = Tag
        fields = ["id", "label"]


class BookTitleSerializer(serializers.ModelSerializer):
    tags = TagSerializer(many=True, read_only=True)

    class Meta:
        model = Book
        fields = ["id", "title", "tags"]


class AuthorWithBooks(serializers.ModelSerializer):
    books = BookTitleSerializer(many=True, read_only=True)

    class Meta:
        model = Author
        fields = ["id", "name", "books"]


class ItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = Item
        fields = "__all__"


class WithMethod(AuthorSerializer):
    shout = serializers.SerializerMethodField()

    class Meta(AuthorSerializer.Meta):
        fields = [*AuthorSerializer.Meta.fields, "shout"]

    def get_shout(self, obj):
        return obj.name.upper()


class CustomRepresentation(AuthorSerializer):
    def to_representation(self, instance):
        return {"who": instance.name}


class UpperField(serializers.CharField):
    def to_representation(self, value):
        return value.upper()


class WithCustomField(AuthorSerializer):
    name = UpperField()


@pytest.fixture
def books(db):
    ann = Author.objects.create(name="Ann", email="ann@example.com", born=datetime.date(1970, 5, 1))
    bob = Author.objects.create(name="Bob")
    tags = [Tag.objects.create(label=label) for label in ("sf", "classic")]
    dune = Book.objects.create(title="Dune", author=ann, editor=bob, status="published", rating=4.5, pages=412)
    dune.tags.set(tags)
    Book.objects.create(title="Untitled")
    Edition.objects.create(book=dune, number=1, released=datetime.date(1965, 8, 1), slug="first")
    Item.objects.create(name="pen", price="1.50", quantity=3)
    Item.objects.create(name="ink", description="blue", price="12.00", is_active=False)
    return Book.objects.order_by("id")


def both(serializer_class, instance, **kwargs):
    drf = serializer_class(instance, **kwargs).data
    bolt = adapt(serializer_class(instance, **kwargs)).data
    return drf, bolt


@pytest.mark.parametrize("cls", [AuthorSerializer, BookSerializer, EditionSerializer, AuthorWithBooks, ItemSerializer])
def test_plain_model_serializers_read_through_a_bolt_plan(books, cls):
    assert twin_class(cls) is not None
    instances = cls.Meta.model.objects.order_by("id")
    drf, bolt = both(cls, instances, many=True)
    assert JSONRenderer().render(bolt) == JSONRenderer().render(drf)
    assert json.loads(JSONRenderer().render(bolt))  # some rows
    drf, bolt = both(cls, instances.first())
    assert bolt == drf and type(bolt) is type(drf)  # ReturnDict, bound to the DRF serializer


@pytest.mark.parametrize("cls", [WithMethod, CustomRepresentation, WithCustomField])
def test_serializers_whose_output_may_differ_keep_drfs_path(books, cls):
    assert twin_class(cls) is None
    drf, bolt = both(cls, Author.objects.all(), many=True)
    assert bolt == drf


def test_fields_changed_after_creation_are_honoured(books):
    serializer = adapt(AuthorSerializer(Author.objects.first()))
    serializer.fields.pop("email")
    assert "email" not in serializer.data


def test_output_settings_that_differ_between_drf_and_bolt_keep_drfs_path(books):
    with override_settings(BOLT={"COERCE_DECIMAL_TO_STRING": False}):
        assert twin_class(AuthorSerializer) is None
    assert twin_class(AuthorSerializer) is not None


def test_bolt_viewset_keeping_a_drf_serializer_answers_as_drf(token_book_rows):
    # compat's drfbooks viewsets (a plain DRF ModelSerializer) now read through the plan: same bytes as DRF.
    from compat.drf_classes import BookSerializer as CompatBookSerializer

    assert twin_class(CompatBookSerializer) is not None
    Parity("compat.drf_classes_drf_urls", "compat.drf_classes_bolt_urls").assert_same(
        Call("GET", "/drfbooks/"), Call("GET", "/drfbooks/?page=2"), Call("GET", f"/drfbooks/{token_book_rows}/")
    )


@pytest.fixture
def token_book_rows(db):
    from compat.app.models import Book as CompatBook

    for title, price in [("Dune", "9.50"), ("Emma", "4.25"), ("Solaris", "12.00")]:
        CompatBook.objects.create(title=title, price=price, published=datetime.date(2001, 1, 2))
    return CompatBook.objects.order_by("id").first().pk


def _item_viewsets():
    from rest_framework import pagination, viewsets
    from rest_framework.routers import SimpleRouter as DRFRouter

    from django_bolt import pagination as bolt_pagination
    from django_bolt.routers import SimpleRouter
    from django_bolt.viewsets import BoltModelViewSet

    class Policies:
        queryset = Item.objects.order_by("id")
        serializer_class = ItemSerializer  # DRF's, on both sides
        authentication_classes: list = []
        permission_classes: list = []

    class DRFPages(pagination.PageNumberPagination):
        page_size = 2

    class BoltPages(bolt_pagination.PageNumberPagination):
        page_size = 2

    class DRFItems(Policies, viewsets.ModelViewSet):
        pagination_class = DRFPages

    class BoltItems(Policies, BoltModelViewSet):
        pagination_class = BoltPages

    drf, bolt = DRFRouter(), SimpleRouter()
    drf.register("items", DRFItems, basename="item")
    bolt.register("items", BoltItems, basename="item")
    return type("DRFUrls", (), {"urlpatterns": drf.urls}), type("BoltUrls", (), {"urlpatterns": bolt.urls})


def test_compat_reads_take_the_compiled_row_and_page_paths(books):
    # A Bolt viewset keeping a plain DRF serializer: retrieve reads the row's columns, a page of Bolt's
    # PageNumberPagination reads its columns (no instances), through the serializer's twin — DRF's bytes.
    from django.test import Client

    from django_bolt import prepared_queries as queries
    from django_bolt.test import BoltClient

    for i in range(3):
        Item.objects.create(name=f"nib {i}", price=f"{i}.25", quantity=i)
    drf_urls, bolt_urls = _item_viewsets()
    bolt = BoltClient(bolt_urls)
    pk = Item.objects.order_by("id").first().pk
    paths = [f"/items/{pk}/", "/items/", "/items/?page=3"]
    for path in paths * 2:  # compiled on the second sighting
        bolt.get(path)
    before = queries.stats.copy()
    ours = [bolt.get(path) for path in paths]
    assert queries.stats["row"] - before["row"] == 1
    assert queries.stats["columns"] - before["columns"] == 2
    assert queries.stats["counted_by_page"] - before["counted_by_page"] == 1  # page 3 of 5 rows: partial
    with override_settings(ROOT_URLCONF=drf_urls):
        theirs = [Client().get(path) for path in paths]
    assert [(r.status_code, r.content) for r in ours] == [(r.status_code, r.content) for r in theirs]


def test_drfs_data_containers_are_encoded_by_msgspec(books):
    from unittest import mock

    from django_bolt.utils import json_bytes

    data = ItemSerializer(Item.objects.order_by("id"), many=True).data
    with mock.patch.object(json_bytes, "_stdlib_json", side_effect=AssertionError("stdlib json used")):
        body = json_bytes.encode_json(data)
    assert body == JSONRenderer().render(data) and body.startswith(b'[{"id":')


def test_only_drf_serializer_classes_are_twinned_for_the_row_path():
    # column_plan() asks compat for any class a view names as its serializer: a class that is not a DRF
    # serializer must not be built (its __init__ could do anything).
    from django_bolt.serializers.plans import lists

    built = []

    class NotASerializer:
        def __init__(self, *args, **kwargs):
            built.append(self)

    assert lists.column_plan(NotASerializer, Item) is None
    assert built == []
    assert lists.column_plan(ItemSerializer, Item) is not None
