"""Relational fields against DRF's, on real rows (Item; auth's Permission → ContentType FK; User.groups M2M)."""

import decimal

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured
from django.http import QueryDict
from django.test import RequestFactory, override_settings

from tests.app.models import Item
from tests.fields.parity import both, pairs, validation_errors

pytestmark = pytest.mark.django_db

# Django routes for the DRF twins, plus bolt routes (ROOT_BOLTCONF) that only django_bolt's fields see.
URLCONFS = override_settings(ROOT_URLCONF="tests.fields.urls", ROOT_BOLTCONF="tests.fields.bolt_urls")


class Parent:
    parent = None

    def __init__(self, context=None, partial=False):
        self._context = context or {}
        self.partial = partial


def rel(impl, name, field_name="item", context=None, **kwargs):
    field = getattr(impl.relations, name)(**kwargs)
    field.bind(field_name, Parent(context))
    return field


@pytest.fixture
def items():
    return [Item.objects.create(name=n, price=decimal.Decimal("1.00")) for n in ("alpha", "beta", "gamma")]


@both
def test_primary_key_related_field(impl, items):
    field = rel(impl, "PrimaryKeyRelatedField", queryset=Item.objects.all())
    assert field.run_validation(items[1].pk) == items[1]
    assert field.run_validation(str(items[1].pk)) == items[1]
    assert field.to_representation(items[2]) == items[2].pk
    missing = max(i.pk for i in items) + 100
    assert validation_errors(impl, lambda: field.run_validation(missing)) == [
        (f'Invalid pk "{missing}" - object does not exist.', "does_not_exist")
    ]
    for data, type_name in [("abc", "str"), (True, "bool"), ([1], "list"), ({"a": 1}, "dict")]:
        assert validation_errors(impl, lambda data=data: field.run_validation(data)) == [
            (f"Incorrect type. Expected pk value, received {type_name}.", "incorrect_type")
        ]
    assert validation_errors(impl, lambda: field.run_validation(None)) == [("This field may not be null.", "null")]
    assert validation_errors(impl, lambda: field.run_validation("")) == [("This field may not be null.", "null")]
    assert validation_errors(impl, lambda: field.run_validation()) == [("This field is required.", "required")]
    nullable = rel(impl, "PrimaryKeyRelatedField", queryset=Item.objects.all(), allow_null=True)
    assert nullable.run_validation("") is None


@both
def test_primary_key_pk_field(impl, items):
    field = rel(impl, "PrimaryKeyRelatedField", queryset=Item.objects.all(), pk_field=impl.fields.CharField())
    assert field.to_representation(items[0]) == str(items[0].pk)
    assert field.run_validation(f" {items[0].pk} ") == items[0]


@both
def test_queryset_is_fresh_each_time(impl, items):
    field = rel(impl, "PrimaryKeyRelatedField", queryset=Item.objects.all())
    assert field.get_queryset() is not field.get_queryset()
    created = Item.objects.create(name="late", price=1)
    assert field.run_validation(created.pk) == created
    manager_field = rel(impl, "PrimaryKeyRelatedField", queryset=Item.objects)
    assert manager_field.run_validation(created.pk) == created
    assert repr(manager_field) == "PrimaryKeyRelatedField(queryset=Item.objects.all())"


@both
def test_pk_only_optimization_reads_fk_column(impl, django_assert_num_queries):
    permission = Permission.objects.select_related(None).first()
    permission = Permission.objects.get(pk=permission.pk)
    field = rel(impl, "PrimaryKeyRelatedField", "content_type", queryset=ContentType.objects.all())
    with django_assert_num_queries(0):
        value = field.get_attribute(permission)
        assert type(value).__name__ == "PKOnlyObject"
        assert field.to_representation(value) == permission.content_type_id
        assert str(value) == str(permission.content_type_id)


@both
def test_slug_related_field(impl, items):
    field = rel(impl, "SlugRelatedField", slug_field="name", queryset=Item.objects.all())
    assert field.run_validation("beta") == items[1]
    assert field.to_representation(items[2]) == "gamma"
    assert validation_errors(impl, lambda: field.run_validation("zeta")) == [
        ("Object with name=zeta does not exist.", "does_not_exist")
    ]
    by_pk = rel(impl, "SlugRelatedField", slug_field="pk", queryset=Item.objects.all())
    assert validation_errors(impl, lambda: by_pk.run_validation("x")) == [("Invalid value.", "invalid")]
    Item.objects.create(name="beta", price=1)
    with pytest.raises(Item.MultipleObjectsReturned):
        field.run_validation("beta")
    with pytest.raises(AssertionError, match="The `slug_field` argument is required."):
        impl.relations.SlugRelatedField(queryset=Item.objects.all())


@both
def test_slug_related_nested_slug(impl):
    permission = Permission.objects.first()
    field = rel(
        impl, "SlugRelatedField", "perm", slug_field="content_type__app_label", queryset=Permission.objects.all()
    )
    assert field.to_representation(permission) == permission.content_type.app_label


@both
def test_string_related_field(impl, items):
    field = rel(impl, "StringRelatedField")
    assert field.read_only and field.to_representation(items[0]) == "alpha"


@both
def test_queryset_assertions(impl):
    with pytest.raises(AssertionError, match="Relational field must provide a `queryset` argument"):
        impl.relations.PrimaryKeyRelatedField()
    with pytest.raises(AssertionError, match="should not provide a `queryset` argument, when setting read_only"):
        impl.relations.PrimaryKeyRelatedField(queryset=Item.objects.all(), read_only=True)

    class Custom(impl.relations.PrimaryKeyRelatedField):
        def get_queryset(self):
            return Item.objects.filter(name="beta")

    assert Custom().get_queryset().query.where


@both
def test_many_related_field(impl, items):
    field = rel(impl, "PrimaryKeyRelatedField", "items", queryset=Item.objects.all(), many=True)
    assert type(field).__name__ == "ManyRelatedField"
    assert type(field.child_relation).__name__ == "PrimaryKeyRelatedField"
    assert field.child_relation.parent is field
    assert field.run_validation([items[0].pk, str(items[2].pk)]) == [items[0], items[2]]
    assert field.run_validation([]) == []
    assert field.to_representation(items[:2]) == [items[0].pk, items[1].pk]
    assert validation_errors(impl, lambda: field.run_validation("1")) == [
        ('Expected a list of items but got type "str".', "not_a_list")
    ]
    assert validation_errors(impl, lambda: field.run_validation(5)) == [
        ('Expected a list of items but got type "int".', "not_a_list")
    ]
    # The first bad item stops validation (no per-index errors, unlike ListField).
    assert validation_errors(impl, lambda: field.run_validation([items[0].pk, "x", 99999])) == [
        ("Incorrect type. Expected pk value, received str.", "incorrect_type")
    ]
    strict = rel(impl, "PrimaryKeyRelatedField", "items", queryset=Item.objects.all(), many=True, allow_empty=False)
    assert validation_errors(impl, lambda: strict.run_validation([])) == [("This list may not be empty.", "empty")]
    assert repr(strict) == (
        "ManyRelatedField(allow_empty=False, child_relation=PrimaryKeyRelatedField(allow_empty=False, "
        "queryset=<QuerySet [<Item: alpha>, <Item: beta>, <Item: gamma>]>))"
    )


@both
def test_many_related_kwargs_split(impl):
    field = impl.relations.StringRelatedField(many=True, label="Things", help_text="h", required=False)
    # read_only is set by the child class itself, so the list wrapper does not inherit it.
    assert (field.label, field.help_text, field.read_only, field.required) == ("Things", "h", False, False)
    assert field.child_relation.read_only


@both
def test_many_related_get_attribute(impl):
    user = User.objects.create(username="u")
    groups = [Group.objects.create(name=n) for n in ("b", "a")]
    user.groups.set(groups)
    field = rel(impl, "PrimaryKeyRelatedField", "groups", queryset=Group.objects.all(), many=True)
    assert sorted(field.to_representation(field.get_attribute(user))) == sorted(g.pk for g in groups)
    assert field.get_attribute(User(username="unsaved")) == []
    names = rel(impl, "SlugRelatedField", "groups", slug_field="name", many=True, read_only=True)
    assert sorted(names.to_representation(names.get_attribute(user))) == ["a", "b"]
    with pytest.raises(AttributeError, match="Got AttributeError when attempting to get a value for field `nope`"):
        rel(impl, "StringRelatedField", "nope", many=True).get_attribute(user)
    with pytest.raises(impl.fields.SkipField):
        rel(impl, "StringRelatedField", "nope", many=True, required=False).get_attribute(user)
    assert rel(impl, "StringRelatedField", "nope", many=True, default=list).get_attribute(user) == []


@both
def test_many_related_html_input(impl, items):
    field = rel(impl, "PrimaryKeyRelatedField", "items", queryset=Item.objects.all(), many=True)
    assert field.get_value(QueryDict(f"items={items[0].pk}&items={items[1].pk}")) == [
        str(items[0].pk),
        str(items[1].pk),
    ]
    assert field.get_value(QueryDict("")) == []
    partial = impl.relations.PrimaryKeyRelatedField(queryset=Item.objects.all(), many=True)
    partial.bind("items", Parent(partial=True))
    assert partial.get_value(QueryDict("")) is impl.fields.empty
    assert field.get_value({"items": [1]}) == [1]


@both
def test_choices(impl, items):
    field = rel(impl, "PrimaryKeyRelatedField", queryset=Item.objects.all())
    assert field.choices == {i.pk: str(i) for i in items}
    assert field.get_choices(cutoff=1) == {items[0].pk: "alpha"}
    many = rel(impl, "SlugRelatedField", slug_field="name", queryset=Item.objects.all(), many=True, html_cutoff=2)
    assert many.grouped_choices == {"alpha": "alpha", "beta": "beta", "gamma": "gamma"}
    options = list(many.iter_options())
    assert [o.value for o in options] == ["alpha", "beta", "n/a"]
    assert options[-1].display_text == "More than 2 items..."
    assert rel(impl, "StringRelatedField").choices == {}


def request(path="/", **extra):
    req = RequestFactory().get(path, HTTP_HOST="api.example.com", **extra)
    # Serializer contexts hold a DRF/bolt Request, which exposes the query string as query_params.
    req.query_params = req.GET
    return req


@both
@URLCONFS
def test_hyperlinked_related_field_output(impl, items):
    item = items[0]
    field = rel(
        impl, "HyperlinkedRelatedField", view_name="item-detail", read_only=True, context={"request": request()}
    )
    link = field.to_representation(item)
    assert link == f"http://api.example.com/items/{item.pk}/"
    assert type(link).__name__ == "Hyperlink" and link.name == "alpha" and link.obj is item and link.is_hyperlink
    with_format = rel(
        impl,
        "HyperlinkedRelatedField",
        view_name="item-detail",
        read_only=True,
        context={"request": request(), "format": "json"},
    )
    assert with_format.to_representation(item) == f"http://api.example.com/items/{item.pk}.json"
    override = rel(
        impl,
        "HyperlinkedRelatedField",
        view_name="item-detail",
        read_only=True,
        context={"request": request("/?format=api")},
    )
    assert override.to_representation(item) == f"http://api.example.com/items/{item.pk}/?format=api"
    by_name = rel(
        impl,
        "HyperlinkedRelatedField",
        view_name="item-by-name",
        lookup_field="name",
        read_only=True,
        context={"request": request()},
    )
    assert by_name.to_representation(item) == "http://api.example.com/named/alpha/"
    assert by_name.use_pk_only_optimization() is False and field.use_pk_only_optimization() is True
    assert field.to_representation(Item(name="unsaved", price=1)) is None


@both
@URLCONFS
def test_hyperlinked_related_field_misconfigured(impl, items):
    field = rel(impl, "HyperlinkedRelatedField", view_name="nope", read_only=True, context={"request": request()})
    with pytest.raises(ImproperlyConfigured, match='using view name "nope"') as info:
        field.to_representation(items[0])
    assert "WARNING" not in str(info.value)
    bare = rel(impl, "HyperlinkedRelatedField", view_name="item-detail", read_only=True)
    with pytest.raises(AssertionError, match="requires the request in the serializer context"):
        bare.to_representation(items[0])
    with pytest.raises(AssertionError, match="The `view_name` argument is required."):
        impl.relations.HyperlinkedRelatedField(read_only=True)


@both
@URLCONFS
def test_hyperlinked_related_field_input(impl, items):
    field = rel(
        impl,
        "HyperlinkedRelatedField",
        view_name="item-detail",
        queryset=Item.objects.all(),
        context={"request": request()},
    )
    pk = items[1].pk
    assert field.run_validation(f"http://api.example.com/items/{pk}/") == items[1]
    assert field.run_validation(f"/items/{pk}/") == items[1]
    cases = [
        ("http://api.example.com/nowhere/", [("Invalid hyperlink - No URL match.", "no_match")]),
        ("/other/1/", [("Invalid hyperlink - Incorrect URL match.", "incorrect_match")]),
        ("/items/99999/", [("Invalid hyperlink - Object does not exist.", "does_not_exist")]),
        (5, [("Incorrect type. Expected URL string, received int.", "incorrect_type")]),
    ]
    for data, expected in cases:
        assert validation_errors(impl, lambda data=data: field.run_validation(data)) == expected
    by_name = rel(
        impl,
        "HyperlinkedRelatedField",
        view_name="item-by-name",
        lookup_field="name",
        queryset=Item.objects.all(),
        context={"request": request()},
    )
    assert by_name.run_validation("/named/gamma/") == items[2]


@both
@URLCONFS
def test_hyperlinked_identity_field(impl, items):
    field = rel(impl, "HyperlinkedIdentityField", "url", view_name="item-detail", context={"request": request()})
    assert field.read_only and field.source == "*"
    assert field.to_representation(field.get_attribute(items[2])) == f"http://api.example.com/items/{items[2].pk}/"
    assert field.use_pk_only_optimization() is False
    with pytest.raises(AssertionError, match="The `view_name` argument is required."):
        impl.relations.HyperlinkedIdentityField()


@both
def test_hyperlink_pickles_as_str(impl):
    import pickle

    link = impl.relations.Hyperlink("http://x/1/", "obj")
    assert pickle.loads(pickle.dumps(link)) == "http://x/1/"


def test_error_codes_as_pairs_structure():
    # Guard for the helper itself: nested dict/list details keep codes.
    from django_bolt.exceptions import ValidationError

    assert pairs(ValidationError({"a": ["x"]}).detail) == {"a": [("x", "invalid")]}


class PrefixVersioning:
    """A versioning scheme in the shape DRF's views attach to the request."""

    def reverse(self, viewname, args=None, kwargs=None, request=None, format=None, **extra):
        from django.urls import reverse as django_reverse

        return request.build_absolute_uri("/v2" + django_reverse(viewname, args=args, kwargs=kwargs))

    def get_versioned_viewname(self, viewname, request):
        return viewname


@both
@URLCONFS
def test_hyperlinks_go_through_the_versioning_scheme(impl, items):
    req = request()
    req.versioning_scheme = PrefixVersioning()
    field = rel(impl, "HyperlinkedIdentityField", "url", view_name="item-detail", context={"request": req})
    assert field.to_representation(items[0]) == f"http://api.example.com/v2/items/{items[0].pk}/"
    writable = rel(
        impl, "HyperlinkedRelatedField", view_name="item-detail", queryset=Item.objects.all(), context={"request": req}
    )
    assert writable.run_validation(f"/items/{items[0].pk}/") == items[0]


@both
def test_html_cutoff_settings(impl):
    with override_settings(REST_FRAMEWORK={"HTML_SELECT_CUTOFF": "2", "HTML_SELECT_CUTOFF_TEXT": "{count}+"}):
        field = impl.relations.PrimaryKeyRelatedField(queryset=Item.objects.all())
        assert (field.html_cutoff, str(field.html_cutoff_text)) == (2, "{count}+")
        many = impl.relations.PrimaryKeyRelatedField(queryset=Item.objects.all(), many=True)
        assert (many.html_cutoff, str(many.html_cutoff_text)) == (2, "{count}+")
    field = impl.relations.PrimaryKeyRelatedField(queryset=Item.objects.all(), html_cutoff=5)
    assert (field.html_cutoff, str(field.html_cutoff_text)) == (5, "More than {count} items...")


@URLCONFS
def test_hyperlinks_to_bolt_routes(items):
    """Routes served by the engine (ROOT_BOLTCONF) are linked to and resolved like Django ones."""
    from django_bolt import relations

    field = relations.HyperlinkedRelatedField(view_name="thing-detail", queryset=Item.objects.all())
    field.bind("thing", Parent({"request": request()}))
    assert field.to_representation(items[0]) == f"http://api.example.com/things/{items[0].pk}/"
    assert field.run_validation(f"http://api.example.com/things/{items[1].pk}/") == items[1]
    # Django's own routes still resolve.
    django_field = relations.HyperlinkedRelatedField(view_name="item-detail", queryset=Item.objects.all())
    django_field.bind("item", Parent({"request": request()}))
    assert django_field.run_validation(f"/items/{items[2].pk}/") == items[2]
