"""django-taggit's DRF serializer field and mixin kept in a Bolt view (compat), and their Bolt port
(``django_bolt.contrib.taggit``), answer as the DRF viewset does: tags listed, set from a list or a JSON string,
every invalid form refused with taggit's messages."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from compat.app.models import Article
from compat.harness import Call, Parity


@pytest.fixture
def articles(db):
    first = Article.objects.create(title="Dune")
    first.tags.add("sf", "classic")
    Article.objects.create(title="Plain")
    return first.pk


def calls(pk: int) -> list[Call]:
    return [
        Call("GET", "/articles/"),
        Call("GET", f"/articles/{pk}/"),
        Call("POST", "/articles/", {"title": "New", "tags": ["a", "b"]}),
        Call("POST", "/articles/", {"title": "Str", "tags": '["x", "y"]'}),
        Call("POST", "/articles/", {"title": "Empty", "tags": ""}),
        Call("POST", "/articles/", {"title": "Bad", "tags": "not json"}),
        Call("POST", "/articles/", {"title": "Bad", "tags": 5}),
        Call("POST", "/articles/", {"title": "Bad", "tags": ["ok", 3]}),
        Call("POST", "/articles/", {"title": "Bad", "tags": ["x" * 300]}),
        Call("POST", "/articles/", {"title": "Form", "tags": ["f1", "f2"]}, format="multipart"),
        Call("PATCH", f"/articles/{pk}/", {"tags": ["replaced"]}),
        Call("PUT", f"/articles/{pk}/", {"title": "Dune 2"}),
    ]


def snapshot():
    return [(a.title, sorted(a.tags.names())) for a in Article.objects.order_by("id")]


@pytest.mark.parametrize("bolt_urlconf", ["compat.taggit_bolt_compat_urls", "compat.taggit_bolt_native_urls"])
def test_taggit_serializers_answer_as_drf(articles, bolt_urlconf):
    Parity("compat.taggit_drf_urls", bolt_urlconf).assert_same(*calls(articles), db=snapshot)


def test_drf_taggit_mixin_in_a_bolt_serializer_is_refused_at_class_creation():
    from taggit.serializers import TaggitSerializer

    from django_bolt import serializers

    with pytest.raises((TypeError, ImproperlyConfigured)):

        class Mixed(TaggitSerializer, serializers.ModelSerializer):
            class Meta:
                model = Article
                fields = ["id", "title"]
