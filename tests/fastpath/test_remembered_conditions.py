"""A lookup's condition remembered per value and connection answers as Django's for every value, and only for
Django's lookups on fields whose value preparation reads nothing but the value."""

from __future__ import annotations

import types

import pytest
from django.db import connections, models
from django.db.models.lookups import Exact

from django_bolt import prepared_lookups as lookups
from django_bolt import prepared_queries as queries
from tests.app.models import Item


def _template(lookup_field, value):
    source = Item.objects.order_by("id")
    queryset = source.all()
    queries.mark_source(queryset, source)
    return lookups._build_object_query(queryset, lookup_field, value, "default", queries._signature(queryset))


def _answer(call):
    try:
        return call()
    except Exception as exc:  # what Django refuses with (ValueError for "abc" on an integer key)
        return type(exc)


@pytest.mark.parametrize(
    ("lookup_field", "values"),
    [
        ("pk", ["3", 7, "99999999999999999999", "-1", "abc", " 4 ", "0x10"]),
        ("name", ["Ünïcode — item", "", "x" * 300, "Item 1"]),
    ],
)
def test_each_value_answers_as_django(items, lookup_field, values):
    template = _template(lookup_field, values[0])
    assert template.pure_condition()
    db = connections["default"]
    for value in values * 2:  # the second round from the remembered conditions
        rows = template.rows(value, db)
        django = _answer(lambda value=value: list(Item.objects.filter(**{lookup_field: value}).values_list("id")))
        if rows is queries.MISS:  # left to Django's path, which answers (refusing the value, or with its rows)
            continue
        assert sorted(row[0] for row in rows) == sorted(row[0] for row in django)
    remembered = template._conditions[db]
    assert all(type(key[1]) in (str, int) for key in remembered)
    if lookup_field == "pk":  # refused or overflowing values are never remembered
        assert (str, "abc") not in remembered and (str, "99999999999999999999") not in remembered


def test_remembered_per_value_type(items):
    template = _template("pk", "1")
    db = connections["default"]
    template.rows("1", db)
    template.rows(1, db)
    assert {(str, "1"), (int, 1)} <= set(template._conditions[db])


def test_bounded(items, monkeypatch):
    monkeypatch.setattr(lookups, "_CONDITIONS_MAX", 2)
    template = _template("pk", "1")
    db = connections["default"]
    for value in ("1", "2", "3"):
        template.rows(value, db)
    assert len(template._conditions[db]) <= 2


class TenantIntegerField(models.IntegerField):
    """A project's field preparing a value from something besides it."""

    def get_prep_value(self, value):
        return super().get_prep_value(value)


def _pure(field, lookup_class=Exact):
    shape = types.SimpleNamespace(lhs=types.SimpleNamespace(output_field=field), lookup_class=lookup_class, _pure=None)
    return lookups.RowQuery.pure_condition(shape)


def test_which_conditions_are_remembered():
    assert _pure(models.AutoField(primary_key=True))
    assert _pure(models.BigIntegerField())
    assert _pure(models.CharField(max_length=3))
    assert _pure(models.SlugField())
    assert _pure(models.UUIDField())
    assert not _pure(models.DateTimeField())  # reads the timezone setting, warns about naive values
    assert not _pure(models.DecimalField())
    assert not _pure(models.BooleanField())
    assert not _pure(TenantIntegerField())

    class ProjectExact(Exact):
        def get_prep_lookup(self):
            return super().get_prep_lookup()

    ProjectExact.__module__ = "myproject.lookups"
    assert not _pure(models.IntegerField(), ProjectExact)
