"""Pagination and filter parity: envelopes, links, invalid pages/cursors, search, ordering, django-filter."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import pytest

from compat.harness import Call
from tests.policies import fixtures
from tests.policies.parity import PolicyParity

books = fixtures.books


@pytest.fixture
def parity(db) -> PolicyParity:
    return PolicyParity()


def test_page_number(parity, books):
    parity.assert_same(
        Call("GET", "/pages/number/"),
        Call("GET", "/pages/number/?page=2"),
        Call("GET", "/pages/number/?page=4"),
        Call("GET", "/pages/number/?page=last"),
        Call("GET", "/pages/number/?page=5"),
        Call("GET", "/pages/number/?page=0"),
        Call("GET", "/pages/number/?page=abc"),
        Call("GET", "/pages/number/?page="),
        Call("GET", "/pages/number/?size=3&page=2"),
        Call("GET", "/pages/number/?size=50"),
        Call("GET", "/pages/number/?size=0"),
        Call("GET", "/pages/number/?size=-1"),
        Call("GET", "/pages/number/?page=2&other=x&other=y"),
    )


def test_limit_offset(parity, books):
    parity.assert_same(
        Call("GET", "/pages/limit/"),
        Call("GET", "/pages/limit/?offset=2"),
        Call("GET", "/pages/limit/?offset=1"),
        Call("GET", "/pages/limit/?limit=3&offset=3"),
        Call("GET", "/pages/limit/?limit=10"),
        Call("GET", "/pages/limit/?offset=6"),
        Call("GET", "/pages/limit/?offset=7"),
        Call("GET", "/pages/limit/?offset=100"),
        Call("GET", "/pages/limit/?offset=-3"),
        Call("GET", "/pages/limit/?limit=0&offset=x"),
    )


def follow(parity: PolicyParity, start: str, key: str) -> list[str]:
    """The chain of ``key`` links from ``start``, as paths (both sides must produce the same chain)."""
    paths, path = [], start
    for _ in range(10):
        pair = parity.assert_same(Call("GET", path))[0]
        link = json.loads(pair.bolt.body)[key]
        if link is None:
            return paths
        parts = urlsplit(link)
        path = f"{parts.path}?{parts.query}"
        paths.append(path)
    raise AssertionError("link chain does not end")


@pytest.mark.parametrize("route", ["/pages/cursor/", "/pages/cursor-id/", "/pages/cursor/?size=3"])
def test_cursor_walk(parity, books, route):
    # Walk forward to the end, then back to the start: every page and link equal to DRF's.
    forward = follow(parity, route, "next")
    assert forward
    backward = follow(parity, forward[-1], "previous")
    assert backward


def test_cursor_errors_and_ordering(parity, books):
    parity.assert_same(
        Call("GET", "/pages/cursor/?cursor=garbage"),
        Call("GET", "/pages/cursor/?cursor=bz1hYmM="),
        Call("GET", "/pages/cursor/?cursor=cj0x"),
        Call("GET", "/pages/cursor/?cursor=bz0xMDAwMA=="),
        Call("GET", "/pages/cursor-ordering/?ordering=price"),
        Call("GET", "/pages/cursor-ordering/?ordering=-title"),
        Call("GET", "/pages/cursor-ordering/?ordering=unknown"),
    )


def test_search(parity, books):
    parity.assert_same(
        Call("GET", "/filters/search/?search=dune"),
        Call("GET", "/filters/search/?search=DUNE%20herbert"),
        Call("GET", "/filters/search/?search=sag"),
        Call("GET", "/filters/search/?search=aus,emma"),
        Call("GET", "/filters/search/?search=%22pale%20blue%22"),
        Call("GET", "/filters/search/?search=fi"),
        Call("GET", "/filters/search/?search=fic"),
        Call("GET", "/filters/search/?search="),
        Call("GET", "/filters/search/?search=%00"),
        Call("GET", "/filters/search/?search=nothing"),
        Call("GET", f"/filters/search-pk/?search={books[2].pk}"),
    )


def test_ordering(parity, books):
    parity.assert_same(
        Call("GET", "/filters/ordering/"),
        Call("GET", "/filters/ordering/?ordering=price"),
        Call("GET", "/filters/ordering/?ordering=-price,title"),
        Call("GET", "/filters/ordering/?ordering=author"),
        Call("GET", "/filters/ordering/?ordering=author,-title"),
        Call("GET", "/filters/ordering/?ordering="),
        Call("GET", "/filters/ordering-all/?ordering=-author,id"),
        Call("GET", "/filters/ordering-all/?ordering=nope"),
        Call("GET", "/filters/ordering-default/"),
        Call("GET", "/filters/ordering-default/?ordering=-price,-id"),
        Call("GET", "/filters/ordering-default/?ordering=published"),
    )


def test_django_filter(parity, books):
    parity.assert_same(
        Call("GET", "/filters/django/?genre=doc"),
        Call("GET", "/filters/django/?in_stock=false"),
        Call("GET", "/filters/django/?in_stock=true&genre=fic"),
        Call("GET", "/filters/django/?genre=poetry"),
        Call("GET", "/filters/django/?in_stock=maybe"),
        Call("GET", "/filters/django-class/?min_price=9&max_price=20"),
        Call("GET", "/filters/django-class/?min_price=abc"),
        Call("GET", "/filters/django-class/?genre=doc&max_price=50"),
        Call("GET", "/filters/all/?genre=fic&search=dune&ordering=-price"),
        Call("GET", "/filters/all/?genre=fic&ordering=price&page=2"),
    )
