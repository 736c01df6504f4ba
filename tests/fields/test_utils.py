"""django_bolt.utils helpers against rest_framework.utils."""

import copy
import pickle

import pytest
from django.http import QueryDict
from django.utils.translation import gettext_lazy
from rest_framework.utils import formatting as drf_formatting
from rest_framework.utils import html as drf_html
from rest_framework.utils import humanize_datetime as drf_humanize
from rest_framework.utils import json as drf_json
from rest_framework.utils import representation as drf_representation
from rest_framework.utils import serializer_helpers as drf_helpers
from rest_framework.utils import urls as drf_urls

from django_bolt.utils import formatting, html, humanize_datetime, json, representation, serializer_helpers, urls
from tests.app.models import Item

HTML = [pytest.param(html, id="bolt"), pytest.param(drf_html, id="drf")]


@pytest.mark.parametrize("mod", HTML)
def test_parse_html_list(mod):
    data = QueryDict("x[1]=b&x[0]=a&x[10]=c&y=1&x[2]name=n&x[2]qty=2")
    result = mod.parse_html_list(data, prefix="x")
    assert result[:2] == ["a", "b"] and result[3] == "c"
    assert dict(result[2].items()) == {"name": "n", "qty": "2"}
    assert mod.parse_html_list(QueryDict("y=1"), prefix="x") is None
    assert mod.parse_html_list(QueryDict("y=1"), prefix="x", default=[]) == []
    assert mod.parse_html_list({"a.b[0]": 1}, prefix="a.b") == [1]
    assert mod.is_html_input(QueryDict("")) and not mod.is_html_input({})


@pytest.mark.parametrize("mod", HTML)
def test_parse_html_dict(mod):
    data = QueryDict("p.a=1&p.a=2&p.b.c=3&q=4")
    result = mod.parse_html_dict(data, prefix="p")
    assert result.getlist("a") == ["1", "2"] and result["b.c"] == "3"
    assert mod.parse_html_dict(QueryDict("q=1"), prefix="p") == {}
    assert mod.parse_html_dict(QueryDict("q=1"), prefix="p", default=None) is None


@pytest.mark.parametrize("fmt", [formatting, drf_formatting])
def test_lazy_format(fmt):
    value = fmt.lazy_format(gettext_lazy("At most {n}."), n=3)
    assert str(value) == "At most 3." and str(value) == "At most 3."
    assert fmt.lazy_format("%(a)s-{b}", b=2) % {"a": 1} == "1-2"


@pytest.mark.parametrize("mod", [humanize_datetime, drf_humanize])
def test_humanize(mod):
    assert mod.datetime_formats(["iso-8601", "%d/%m/%Y %I:%M %p"]) == (
        "YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z], DD/MM/YYYY hh:mm [AM|PM]"
    )
    assert mod.date_formats(["iso-8601", "%A %B %y"]) == "YYYY-MM-DD, [Monday-Sunday] [January-December] YY"
    assert mod.time_formats(["iso-8601", "%H%M%S.%f%z"]) == "hh:mm[:ss[.uuuuuu]], hhmmss.uuuuuu[+HHMM|-HHMM]"


@pytest.mark.django_db
@pytest.mark.parametrize("mod", [representation, drf_representation])
def test_smart_repr(mod):
    assert mod.smart_repr(Item.objects) == "Item.objects.all()"
    assert mod.smart_repr(gettext_lazy("text")) == "'text'"
    assert mod.smart_repr(object()) == "<object object>"
    assert mod.smart_repr([1, "a"]) == "[1, 'a']"


@pytest.mark.parametrize("mod", [json, drf_json])
def test_strict_json(mod):
    with pytest.raises(ValueError):
        mod.dumps(float("nan"))
    with pytest.raises(ValueError, match="Out of range float values are not JSON compliant: 'Infinity'"):
        mod.loads("[Infinity]")
    assert mod.loads('{"a": 1.5}') == {"a": 1.5}
    assert mod.dumps({"a": 1}) == '{"a": 1}'


@pytest.mark.parametrize("mod", [urls, drf_urls])
def test_query_params(mod):
    assert mod.replace_query_param("http://x/p?b=2&a=1&page=3#f", "page", 4) == "http://x/p?a=1&b=2&page=4#f"
    assert mod.replace_query_param("/p", "page", "x y") == "/p?page=x+y"
    assert mod.remove_query_param("/p?a=1&page=3&a=2", "page") == "/p?a=1&a=2"
    assert mod.replace_query_param("/p?flag=", "page", 1) == "/p?flag=&page=1"
    for _ in range(2):  # the same URL edited again (a page's next and previous links): its parse unchanged
        assert mod.replace_query_param("/p?page=2&a=1", "page", 3) == "/p?a=1&page=3"
        assert mod.remove_query_param("/p?page=2&a=1", "page") == "/p?a=1"
        assert mod.replace_query_param("/p?page=2&a=1", "a", 9) == "/p?a=9&page=2"


@pytest.mark.parametrize("mod", [serializer_helpers, drf_helpers])
def test_return_containers(mod):
    data = mod.ReturnDict({"a": 1}, serializer="S")
    assert data == {"a": 1} and data.serializer == "S" and repr(data) == "{'a': 1}"
    assert data.copy().serializer == "S" and (data | {"b": 2}).serializer == "S"
    merged = {"z": 0} | data
    assert merged == {"z": 0, "a": 1} and merged.serializer == "S"
    assert type(pickle.loads(pickle.dumps(data))) is dict
    items = mod.ReturnList([1], serializer="L")
    assert items == [1] and items.serializer == "L" and repr(items) == "[1]"
    assert type(pickle.loads(pickle.dumps(items))) is list
    assert copy.deepcopy(data) == {"a": 1}


@pytest.mark.parametrize("mod", [serializer_helpers, drf_helpers])
def test_binding_dict(mod):
    from django_bolt.fields import CharField

    parent = type("P", (), {"parent": None})()
    fields = mod.BindingDict(parent)
    fields["name"] = CharField()
    assert fields["name"].field_name == "name" and fields["name"].parent is parent
    assert list(fields) == ["name"] and len(fields) == 1
    assert repr(fields) == "{'name': CharField()}"
    del fields["name"]
    assert len(fields) == 0


@pytest.mark.parametrize("mod", [serializer_helpers, drf_helpers])
def test_bound_fields(mod):
    from django_bolt.fields import CharField, JSONField

    field = CharField(label="Name")
    field.bind("name", type("P", (), {"parent": None})())
    bound = mod.BoundField(field, None, ["err"], prefix="user.")
    assert (bound.name, bound.label, bound.value, bound.errors) == ("user.name", "Name", None, ["err"])
    assert bound.as_form_field().value == ""
    assert bound._proxy_class is CharField
    assert repr(bound) == "<BoundField value=None errors=['err']>"
    json_field = JSONField()
    json_field.bind("data", None)
    assert mod.JSONBoundField(json_field, {"b": 1, "a": [1]}, None).as_form_field().value == (
        '{\n    "a": [\n        1\n    ],\n    "b": 1\n}'
    )

    class Nested:
        field_name = "user"
        fields = {"name": field, "data": json_field}

    nested = mod.NestedBoundField(Nested(), {"name": "ann", "data": {"x": 1}}, {"name": ["bad"]})
    assert [type(b).__name__ for b in nested] == ["BoundField", "JSONBoundField"]
    assert (nested["name"].name, nested["name"].value, nested["name"].errors) == ("user.name", "ann", ["bad"])
    assert nested.as_form_field().value == {"name": "ann", "data": {"x": 1}}
    assert mod.NestedBoundField(Nested(), "", None).value == {}
