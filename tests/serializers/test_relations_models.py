"""
ModelSerializer on models with relations and uniqueness rules (``tests.serializers_app``), against DRF:
FK / to_field FK / M2M / through M2M / reverse relations / multi-table inheritance, UniqueConstraint with
conditions, custom messages and nulls_distinct, unique_together, unique_for_date, float columns.

Needs ``tests.serializers_app`` in INSTALLED_APPS (skipped otherwise).
"""

import datetime

import pytest
from django.apps import apps

from tests.serializers.twins import assert_same_data, assert_same_validation, pairs, twins

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not apps.is_installed("tests.serializers_app"), reason="tests.serializers_app is not in INSTALLED_APPS"
    ),
]

if apps.is_installed("tests.serializers_app"):
    from tests.serializers_app.models import Author, Book, Club, Edition, Membership, Profile, Tag
else:  # pragma: no cover
    Author = Book = Club = Edition = Membership = Profile = Tag = None


def model_serializer(model, **meta):
    def make(s):
        attrs = {"Meta": type("Meta", (), {"model": model, **meta})}
        return type(f"{model.__name__}Serializer", (s.ModelSerializer,), attrs)

    return twins(make)


def summary(serializer):
    out = {}
    for name, field in serializer.fields.items():
        keys = ("read_only", "required", "allow_null", "allow_blank", "max_length", "label", "help_text", "source")
        options = {key: getattr(field, key, None) for key in keys}
        options["validators"] = sorted(type(v).__name__ for v in field.validators)
        options["default"] = repr(field.default) if type(field.default).__name__ != "type" else "empty"
        for attr in ("slug_field", "allow_empty"):
            if hasattr(field, attr):
                options[attr] = getattr(field, attr)
        if hasattr(field, "child_relation"):
            options["child"] = type(field.child_relation).__name__
        out[name] = (type(field).__name__, options)
    return out


@pytest.mark.parametrize(
    "model, meta",
    [
        ("Book", {"fields": "__all__"}),
        ("Book", {"fields": "__all__", "depth": 1}),
        ("Book", {"exclude": ["tags"], "read_only_fields": ["status"]}),
        ("Edition", {"fields": "__all__"}),
        ("Edition", {"fields": ["book", "number", "slug", "released"]}),
        ("Edition", {"fields": ["number", "isbn"]}),
        ("Club", {"fields": "__all__"}),
        ("Author", {"fields": ["id", "name", "books", "edited", "clubs"]}),
        ("Profile", {"fields": "__all__"}),
        ("Membership", {"fields": "__all__"}),
    ],
)
def test_generated_fields_and_validators_match_drf(model, meta):
    drf_cls, bolt_cls = model_serializer(apps.get_model("serializers_app", model), **meta)
    expected, actual = drf_cls(), bolt_cls()
    assert summary(actual) == summary(expected)
    assert [repr(v).replace("django_bolt", "rest_framework") for v in actual.validators] == [
        repr(v) for v in expected.validators
    ] or [type(v).__name__ for v in actual.validators] == [type(v).__name__ for v in expected.validators]


@pytest.fixture
def library():
    ann, bob = Author.objects.create(name="Ann"), Author.objects.create(name="Bob", email="b@example.com")
    red, blue = Tag.objects.create(label="red"), Tag.objects.create(label="blue")
    first = Book.objects.create(title="One", author=ann, editor=bob, status="published", code="A1", rating=4.5)
    first.tags.set([red, blue])
    Book.objects.create(title="Two", author=None, rating=1e-05, pages=10)
    Book.objects.create(title="Three", author=bob, rating=1e16)
    Edition.objects.create(book=first, number=1, isbn=None, released=datetime.date(2020, 1, 1), slug="one")
    club = Club.objects.create(name="club")
    Membership.objects.create(club=club, author=ann)
    Profile.objects.create(name="Pro", bio="b")
    return {"ann": ann, "bob": bob, "red": red, "blue": blue, "first": first, "club": club}


@pytest.mark.parametrize(
    "model, meta, queryset",
    [
        ("Book", {"fields": "__all__"}, lambda: Book.objects.all()),
        ("Book", {"fields": ["id", "title", "author", "rating", "pages"]}, lambda: Book.objects.all()),
        ("Book", {"fields": "__all__"}, lambda: Book.objects.prefetch_related("tags")),
        ("Book", {"fields": "__all__", "depth": 1}, lambda: Book.objects.select_related("author")),
        ("Book", {"fields": "__all__", "depth": 2}, lambda: Book.objects.all()),
        ("Author", {"fields": ["id", "name", "books", "edited", "clubs"]}, lambda: Author.objects.all()),
        ("Edition", {"fields": "__all__"}, lambda: Edition.objects.all()),
        ("Club", {"fields": "__all__"}, lambda: Club.objects.all()),
        ("Profile", {"fields": "__all__"}, lambda: Profile.objects.all()),
    ],
)
def test_data_matches_drf(library, model, meta, queryset):
    pair = model_serializer(apps.get_model("serializers_app", model), **meta)
    assert_same_data(pair, queryset(), many=True)
    assert_same_data(pair, list(queryset()), many=True)
    assert_same_data(pair, queryset().first())


def test_nested_declared_serializers(library):
    def make(s):
        class TagSerializer(s.ModelSerializer):
            class Meta:
                model = Tag
                fields = ["label"]

        class BookSerializer(s.ModelSerializer):
            tags = TagSerializer(many=True, read_only=True)
            author_name = s.CharField(source="author.name", default=None)

            class Meta:
                model = Book
                fields = ["title", "tags", "author_name"]

        class AuthorSerializer(s.ModelSerializer):
            books = BookSerializer(many=True, read_only=True)

            class Meta:
                model = Author
                fields = ["name", "books"]

        return AuthorSerializer

    pair = twins(make)
    assert_same_data(pair, Author.objects.all(), many=True)
    assert_same_data(pair, Author.objects.prefetch_related("books__tags"), many=True)


@pytest.mark.parametrize(
    "data",
    [
        {"title": "One", "author": "@ann"},
        {"title": "One", "author": None},
        {"title": "New", "author": "@ann", "tags": ["@red", 999], "editor": "Nobody", "status": "gone"},
        {"title": "x", "rating": "fast", "pages": -1},
        {"title": "y", "code": "A1", "status": "published"},
        {"title": "y", "code": "A1", "status": "draft"},
        {"title": "z", "editor": "Bob", "tags": []},
    ],
)
def test_book_validation_matches_drf(library, data):
    def resolve(value):
        if isinstance(value, list):
            return [resolve(item) for item in value]
        return library[value[1:]].pk if isinstance(value, str) and value.startswith("@") else value

    data = {key: resolve(value) for key, value in data.items()}
    assert_same_validation(model_serializer(Book, fields="__all__"), data)


def test_unique_constraint_custom_message_and_code(library):
    expected, actual = assert_same_validation(
        model_serializer(Book, fields="__all__"), {"title": "One", "author": library["ann"].pk}
    )
    assert pairs(actual.errors) == {"non_field_errors": [("This author already wrote that title.", "duplicate_title")]}


@pytest.mark.parametrize(
    "data",
    [
        {"book": "FIRST", "number": 1, "released": "2021-01-01", "slug": "s"},
        {"book": "FIRST", "number": 2, "released": "2020-01-01", "slug": "one"},
        {"book": "FIRST", "number": 3, "released": "2020-01-02", "slug": "one", "isbn": None},
        {"book": "FIRST", "number": 4, "released": "2020-01-02", "slug": "two", "isbn": "123"},
        {"number": 1, "slug": "x"},
    ],
)
def test_edition_validation_matches_drf(library, data):
    data = {key: library["first"].pk if value == "FIRST" else value for key, value in data.items()}
    assert_same_validation(model_serializer(Edition, fields="__all__"), data)


def test_create_update_with_relations_write_same_rows(library):
    pair = model_serializer(Book, fields="__all__")
    data = {"author": library["bob"].pk, "editor": "Ann", "tags": [library["red"].pk]}
    expected, actual = pair[0](data={**data, "title": "drf"}), pair[1](data={**data, "title": "bolt"})
    assert expected.is_valid() and actual.is_valid(), actual.errors
    drf_book, bolt_book = expected.save(code="C"), actual.save(code="C")

    def row(book):
        values = Book.objects.filter(pk=book.pk).values("author", "editor", "status", "rating", "code")[0]
        return values, sorted(book.tags.values_list("label", flat=True))

    assert row(bolt_book) == row(drf_book)
    update = {"tags": [library["blue"].pk], "author": None}
    for cls, book in ((pair[0], drf_book), (pair[1], bolt_book)):
        serializer = cls(book, data=update, partial=True)
        assert serializer.is_valid(), serializer.errors
        serializer.save()
    assert row(bolt_book) == row(drf_book)


def test_through_relation_is_read_only(library):
    pair = model_serializer(Club, fields="__all__")
    expected, actual = assert_same_validation(pair, {"name": "new", "members": [library["ann"].pk]})
    assert "members" not in actual.validated_data
