"""``/api/authors/``: migrated to Bolt. Every test runs against DRF and against Bolt (the ``api`` fixture)."""

import pytest
from catalog.models import Author, Book


def test_list(api, catalog):
    response = api.get("/api/authors/")
    assert response.status_code == 200
    authors = catalog.authors
    assert response.json() == {
        "count": 3,
        "next": None,
        "previous": None,
        "results": [
            {"id": authors["Ursula K. Le Guin"].pk, "name": "Ursula K. Le Guin", "country": "US"},
            {"id": authors["Terry Pratchett"].pk, "name": "Terry Pratchett", "country": "GB"},
            {"id": authors["Stanisław Lem"].pk, "name": "Stanisław Lem", "country": "PL"},
        ],
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"search": "gb"}, ["Terry Pratchett"]),
        ({"search": "LEM"}, ["Stanisław Lem"]),
        ({"search": "stanisław"}, ["Stanisław Lem"]),
        ({"ordering": "name"}, ["Stanisław Lem", "Terry Pratchett", "Ursula K. Le Guin"]),
        ({"ordering": "-id"}, ["Stanisław Lem", "Terry Pratchett", "Ursula K. Le Guin"]),
        ({"ordering": "country"}, ["Ursula K. Le Guin", "Terry Pratchett", "Stanisław Lem"]),  # not allowed: ignored
    ],
)
def test_search_and_ordering(api, catalog, query, expected):
    assert [item["name"] for item in api.get("/api/authors/", query).json()["results"]] == expected


def test_retrieve(api, catalog):
    lem = catalog.authors["Stanisław Lem"]
    response = api.get(f"/api/authors/{lem.pk}/")
    assert response.status_code == 200
    assert response.json() == {"id": lem.pk, "name": "Stanisław Lem", "country": "PL"}
    assert api.get("/api/authors/0/").json() == {"detail": "No Author matches the given query."}


def test_create_update_destroy(api, catalog):
    api.credentials(**catalog.auth("alice"))
    response = api.post("/api/authors/", {"name": "Octavia E. Butler"}, format="json")
    assert response.status_code == 201
    butler = Author.objects.get(name="Octavia E. Butler")
    assert response.json() == {"id": butler.pk, "name": "Octavia E. Butler", "country": ""}

    response = api.patch(f"/api/authors/{butler.pk}/", {"country": "US"}, format="json")
    assert response.json() == {"id": butler.pk, "name": "Octavia E. Butler", "country": "US"}
    response = api.put(f"/api/authors/{butler.pk}/", {"name": "Octavia Butler"}, format="json")
    assert response.json() == {"id": butler.pk, "name": "Octavia Butler", "country": "US"}
    assert Author.objects.filter(pk=butler.pk).values_list("name", "country").get() == ("Octavia Butler", "US")

    assert api.delete(f"/api/authors/{butler.pk}/").status_code == 204
    assert not Author.objects.filter(pk=butler.pk).exists()


def test_destroy_cascades_to_books(api, catalog):
    pratchett = catalog.authors["Terry Pratchett"]
    api.credentials(**catalog.auth("bob"))
    assert api.delete(f"/api/authors/{pratchett.pk}/").status_code == 204
    assert sorted(Book.objects.values_list("title", flat=True)) == [
        "A Wizard of Earthsea",
        "Solaris",
        "The Dispossessed",
    ]


def test_validation(api, catalog):
    api.credentials(**catalog.auth("alice"))
    response = api.post("/api/authors/", {"name": "x" * 101, "country": None}, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "name": ["Ensure this field has no more than 100 characters."],
        "country": ["This field may not be null."],
    }
    assert Author.objects.count() == 3
