"""ViewSet, @action and router mechanics (names, checks, attributes), and reverse()."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings
from django.urls import NoReverseMatch
from django.urls import reverse as django_reverse

from compat.app.models import Book
from django_bolt import viewsets
from django_bolt.decorators import action, api_view
from django_bolt.response import Response
from django_bolt.reverse import bolt_urlpatterns, reverse
from django_bolt.routers import DefaultRouter, SimpleRouter
from django_bolt.views import APIView
from tests.views.views import BookViewSet


class SyncListViewSet(viewsets.GenericViewSet):
    queryset = Book.objects.all()

    def list(self, request):
        return Response([])


class SyncActionViewSet(viewsets.ViewSet):
    @action(detail=False)
    def report(self, request):
        return Response({})


def test_sync_actions_are_refused_at_registration():
    with pytest.raises(ImproperlyConfigured, match=r"SyncListViewSet.list\(\) must be declared `async def`"):
        SyncListViewSet.as_view({"get": "list"})
    with pytest.raises(ImproperlyConfigured, match=r"SyncListViewSet.list\(\)"):
        SimpleRouter().register("x", SyncListViewSet)
    with pytest.raises(ImproperlyConfigured, match=r"SyncActionViewSet.report\(\)"):
        SimpleRouter().register("y", SyncActionViewSet, basename="y")


def test_sync_handlers_and_function_views_are_refused():
    class SyncView(APIView):
        def get(self, request):
            return Response({})

    with pytest.raises(ImproperlyConfigured, match=r"SyncView.get\(\) must be declared `async def`"):
        SyncView.as_view()
    with pytest.raises(ImproperlyConfigured, match="must be declared `async def`"):
        api_view(["GET"])(lambda request: None)


def test_as_view_checks_and_attributes():
    with pytest.raises(TypeError, match="The `actions` argument must be provided"):
        BookViewSet.as_view()
    with pytest.raises(TypeError, match="You tried to pass in the get method name"):
        BookViewSet.as_view({"get": "list"}, get="x")
    with pytest.raises(TypeError, match=r"BookViewSet\(\) received an invalid keyword 'nope'"):
        BookViewSet.as_view({"get": "list"}, nope=1)
    with pytest.raises(TypeError, match="mutually exclusive"):
        BookViewSet.as_view({"get": "list"}, name="a", suffix="b")
    view = BookViewSet.as_view({"get": "list", "post": "create"}, suffix="List")
    assert view.cls is BookViewSet
    assert view.initkwargs == {"suffix": "List"}
    assert view.actions == {"get": "list", "post": "create", "head": "list"}
    assert view.bolt_methods == ["GET", "POST", "HEAD", "OPTIONS"]


def test_router_urls_and_names():
    router = DefaultRouter()
    router.register("books", BookViewSet)
    names = [(p.pattern.regex.pattern, p.name) for p in router.urls]
    assert ("^books/$", "book-list") in names
    assert ("^books/list-meta/$", "book-list-meta") in names
    assert ("^books/(?P<pk>[^/.]+)/$", "book-detail") in names
    assert ("^books/(?P<pk>[^/.]+)/links/$", "book-links") in names
    assert ("^books\\.(?P<format>[a-z0-9]+)/?$", "book-list") in names
    assert ("^\\.(?P<format>[a-z0-9]+)/?$", "api-root") in names
    with pytest.raises(ImproperlyConfigured, match='Router with basename "book" is already registered'):
        router.register("again", BookViewSet)
    with pytest.raises(AssertionError, match="`basename` argument not specified"):
        router.register("plain", viewsets.ViewSet)


def test_router_options():
    router = SimpleRouter(trailing_slash=False, use_regex_path=False)
    router.register("books", BookViewSet)
    routes = {p.name: str(p.pattern) for p in router.urls}
    assert routes["book-list"] == "books"
    assert routes["book-detail"] == "books/<str:pk>"

    class ExistingRouteAction(viewsets.ViewSet):
        @action(detail=False)
        async def list(self, request):
            return Response([])

    with pytest.raises(ImproperlyConfigured, match="as they are existing routes: list"):
        SimpleRouter().get_routes(ExistingRouteAction)


def test_action_attributes():
    links = BookViewSet.links
    assert (links.detail, links.url_path, links.url_name, dict(links.mapping)) == (
        True,
        "links",
        "links",
        {"get": "links"},
    )
    assert BookViewSet.list_meta.kwargs == {"name": "Meta Listing", "description": None}
    assert {a.__name__ for a in BookViewSet.get_extra_actions()} == {"links", "list_meta"}
    with pytest.raises(AssertionError, match="missing required argument: 'detail'"):
        action()


def test_viewset_request_attributes(client):
    Book.objects.create(title="dune", price=Decimal("1.00"))
    response = client.get("/books/dune/links/")
    assert response.json() == {
        "self": "http://testserver/books/dune/",
        "extra": {"Links": "http://testserver/books/dune/links/"},
        "action": "links",
        "name": "Links",
    }
    assert client.get("/books/list-meta/").json() == {"action": "list_meta", "basename": "book", "detail": False}


def test_sync_get_object_override_and_async_perform_create(client):
    Book.objects.create(title="dune", price=Decimal("1.00"))
    assert client.get("/books/dune/").json()["title"] == "dune"
    assert client.delete("/books/dune/").status_code == 204
    created = client.post("/books/", {"title": "emma", "price": "2.00"}, format="json")
    assert created.status_code == 201
    assert Book.objects.get(title="emma").author == "async-hook"


@override_settings(ROOT_BOLTCONF="tests.views.urls", ROOT_URLCONF="compat.drf_urls")
def test_reverse_prefers_bolt_routes_then_django():
    assert reverse("book-detail", args=["x"]) == "/books/x/"
    assert reverse("who") == "/who/"
    # Not a bolt route: found in Django's URLconf.
    assert reverse("paged") == "/paged/"
    with pytest.raises(NoReverseMatch):
        reverse("nothing")


@override_settings(ROOT_BOLTCONF="tests.views.urls")
def test_bolt_urlpatterns_for_django_reverse():
    import types

    from django.urls import clear_url_caches

    module = types.ModuleType("bolt_in_django")
    module.urlpatterns = bolt_urlpatterns()
    import sys

    sys.modules["bolt_in_django"] = module
    try:
        with override_settings(ROOT_URLCONF="bolt_in_django"):
            clear_url_caches()
            assert django_reverse("book-list") == "/books/"
            assert django_reverse("who") == "/who/"
    finally:
        del sys.modules["bolt_in_django"]
        clear_url_caches()
