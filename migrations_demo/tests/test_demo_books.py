"""``/api/books/``: migrated to Bolt. Every test runs against DRF and against Bolt (the ``api`` fixture)."""

from decimal import Decimal

import pytest
from catalog.models import Book

SOLARIS = {
    "id": None,  # filled in per test: ids come from the seed
    "title": "Solaris",
    "isbn": "9780156027601",
    "price": "12.00",
    "published": "1961-06-01",
    "in_stock": True,
    "author": {"id": None, "name": "Stanisław Lem", "country": "PL"},
    "average_rating": 3.0,
}


def solaris(catalog):
    book = catalog.book("Solaris")
    return {**SOLARIS, "id": book.pk, "author": {**SOLARIS["author"], "id": book.author_id}}


def titles(response):
    return [item["title"] for item in response.json()["results"]]


# -- reading --


def test_list_is_paginated(api, catalog):
    response = api.get("/api/books/", {"page_size": 2})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 5
    assert body["next"] == "http://testserver/api/books/?page=2&page_size=2"
    assert body["previous"] is None
    assert [item["title"] for item in body["results"]] == ["A Wizard of Earthsea", "The Dispossessed"]

    last = api.get("/api/books/", {"page_size": 2, "page": 3}).json()
    assert last["next"] is None
    assert last["previous"] == "http://testserver/api/books/?page=2&page_size=2"
    assert [item["title"] for item in last["results"]] == ["Solaris"]


def test_list_item_shape(api, catalog):
    response = api.get("/api/books/", {"search": "solaris"})
    assert response.json() == {"count": 1, "next": None, "previous": None, "results": [solaris(catalog)]}


def test_page_out_of_range(api, catalog):
    response = api.get("/api/books/", {"page": 9})
    assert response.status_code == 404
    assert response.json() == {"detail": "Invalid page."}


def test_page_size_is_capped(api, catalog):
    Book.objects.bulk_create(
        Book(
            title=f"Filler {i}", isbn=f"97800000{i:05d}", price=Decimal("1.00"), author=catalog.authors["Stanisław Lem"]
        )
        for i in range(120)
    )
    body = api.get("/api/books/", {"page_size": 500}).json()
    assert body["count"] == 125
    assert len(body["results"]) == 100


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"search": "pratchett"}, ["Guards! Guards!", "Small Gods"]),  # through the author
        ({"search": "the dis"}, ["The Dispossessed"]),  # terms AND-ed, each icontains
        ({"search": "9780156027601"}, ["Solaris"]),  # exact ISBN
        ({"search": "978015602760"}, []),  # "=isbn": no partial match
        (
            {"ordering": "-price"},
            ["Solaris", "The Dispossessed", "Small Gods", "Guards! Guards!", "A Wizard of Earthsea"],
        ),
        (
            {"ordering": "published"},
            ["Solaris", "A Wizard of Earthsea", "The Dispossessed", "Guards! Guards!", "Small Gods"],
        ),
        (
            {"ordering": "isbn"},
            ["A Wizard of Earthsea", "The Dispossessed", "Guards! Guards!", "Small Gods", "Solaris"],
        ),
        ({"in_stock": "false"}, ["Small Gods"]),
        ({"search": "pratchett", "in_stock": "true", "ordering": "-title"}, ["Guards! Guards!"]),
    ],
)
def test_search_ordering_filter(api, catalog, query, expected):
    response = api.get("/api/books/", query)
    assert response.status_code == 200
    assert titles(response) == expected


def test_retrieve(api, catalog):
    book = catalog.book("Solaris")
    response = api.get(f"/api/books/{book.pk}/")
    assert response.status_code == 200
    assert response.json() == solaris(catalog)
    wizard = api.get(f"/api/books/{catalog.book('A Wizard of Earthsea').pk}/").json()
    assert wizard["average_rating"] == 4.5


@pytest.mark.parametrize(
    ("lookup", "detail"),
    [("999", "No Book matches the given query."), ("abc", "Not found.")],  # "abc" is no pk: a bare Http404
)
def test_retrieve_missing(api, catalog, lookup, detail):
    response = api.get(f"/api/books/{lookup}/")
    assert response.status_code == 404
    assert response.json() == {"detail": detail}


def test_method_not_allowed(api, catalog):
    # Permissions are checked before the method: an anonymous DELETE is refused as unauthenticated.
    response = api.delete("/api/books/")
    assert response.status_code == 401
    assert response.json() == {"detail": "Authentication credentials were not provided."}
    api.credentials(**catalog.auth("alice"))
    response = api.delete("/api/books/")
    assert response.status_code == 405
    assert response.json() == {"detail": 'Method "DELETE" not allowed.'}
    assert response["Allow"] == "GET, POST, HEAD, OPTIONS"


# -- writing --

NEW_BOOK = {"title": "The Cyberiad", "isbn": "9780156027595", "price": "11.50", "published": "1965-01-01"}


def test_create(api, catalog):
    lem = catalog.authors["Stanisław Lem"]
    api.credentials(**catalog.auth("alice"))
    response = api.post("/api/books/", {**NEW_BOOK, "author_id": lem.pk}, format="json")
    assert response.status_code == 201
    created = Book.objects.get(isbn=NEW_BOOK["isbn"])
    assert response.json() == {
        "id": created.pk,
        **NEW_BOOK,
        "in_stock": True,
        "author": {"id": lem.pk, "name": "Stanisław Lem", "country": "PL"},
        "average_rating": None,
    }
    assert "Location" not in response.headers
    assert (created.title, created.price, created.author_id) == ("The Cyberiad", Decimal("11.50"), lem.pk)


def test_create_with_form_data(api, catalog):
    api.credentials(**catalog.auth("alice"))
    data = {**NEW_BOOK, "author_id": catalog.authors["Stanisław Lem"].pk, "in_stock": "false"}
    response = api.post("/api/books/", data, format="multipart")
    assert response.status_code == 201
    assert response.json()["in_stock"] is False
    assert Book.objects.get(isbn=NEW_BOOK["isbn"]).in_stock is False


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        (
            {},
            {
                "title": ["This field is required."],
                "isbn": ["This field is required."],
                "price": ["This field is required."],
                "author_id": ["This field is required."],
            },
        ),
        (
            {**NEW_BOOK, "isbn": "9780156027601", "author_id": 1},
            {"isbn": ["book with this ISBN already exists."]},
        ),
        ({**NEW_BOOK, "price": "-1", "author_id": 1}, {"price": ["Price must be positive."]}),
        (
            {**NEW_BOOK, "price": "12345678.999", "author_id": 1},
            {"price": ["Ensure that there are no more than 8 digits in total."]},
        ),
        ({**NEW_BOOK, "author_id": 999}, {"author_id": ['Invalid pk "999" - object does not exist.']}),
        (
            {**NEW_BOOK, "title": "", "published": "yesterday", "author_id": "x"},
            {
                "title": ["This field may not be blank."],
                "published": ["Date has wrong format. Use one of these formats instead: YYYY-MM-DD."],
                "author_id": ["Incorrect type. Expected pk value, received str."],
            },
        ),
    ],
)
def test_create_invalid(api, catalog, book_rows, data, errors):
    if data.get("author_id") == 1:
        data = {**data, "author_id": catalog.authors["Stanisław Lem"].pk}
    before = book_rows()
    api.credentials(**catalog.auth("alice"))
    response = api.post("/api/books/", data, format="json")
    assert response.status_code == 400
    assert response.json() == errors
    assert book_rows() == before


def test_malformed_json(api, catalog):
    api.credentials(**catalog.auth("alice"))
    response = api.post("/api/books/", "{nope", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"].startswith("JSON parse error - ")


def test_update(api, catalog):
    book = catalog.book("Small Gods")
    api.credentials(**catalog.auth("bob"))
    data = {"title": "Small Gods (2nd ed.)", "isbn": book.isbn, "price": "10.50", "author_id": book.author_id}
    response = api.put(f"/api/books/{book.pk}/", data, format="json")
    assert response.status_code == 200
    body = response.json()
    assert (body["title"], body["price"], body["published"], body["in_stock"]) == (
        "Small Gods (2nd ed.)",
        "10.50",
        "1992-05-01",  # not sent, kept (PUT of a ModelSerializer leaves unsent optional fields alone)
        False,
    )
    book.refresh_from_db()
    assert (book.title, book.price) == ("Small Gods (2nd ed.)", Decimal("10.50"))


def test_update_requires_all_fields(api, catalog):
    book = catalog.book("Small Gods")
    api.credentials(**catalog.auth("bob"))
    response = api.put(f"/api/books/{book.pk}/", {"title": "x"}, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "isbn": ["This field is required."],
        "price": ["This field is required."],
        "author_id": ["This field is required."],
    }


def test_partial_update(api, catalog):
    book = catalog.book("Guards! Guards!")
    pratchett = catalog.authors["Terry Pratchett"]
    api.credentials(**catalog.auth("alice"))
    response = api.patch(f"/api/books/{book.pk}/", {"price": "7.25", "in_stock": False}, format="json")
    assert response.status_code == 200
    assert response.json() == {
        "id": book.pk,
        "title": "Guards! Guards!",
        "isbn": "9780062225740",
        "price": "7.25",
        "published": "1989-11-01",
        "in_stock": False,
        "author": {"id": pratchett.pk, "name": "Terry Pratchett", "country": "GB"},
        "average_rating": 4.0,
    }
    book.refresh_from_db()
    assert (book.price, book.in_stock) == (Decimal("7.25"), False)


def test_partial_update_moves_book_to_another_author(api, catalog):
    book = catalog.book("Solaris")
    le_guin = catalog.authors["Ursula K. Le Guin"]
    api.credentials(**catalog.auth("alice"))
    response = api.patch(f"/api/books/{book.pk}/", {"author_id": le_guin.pk}, format="json")
    assert response.status_code == 200
    assert response.json()["author"] == {"id": le_guin.pk, "name": "Ursula K. Le Guin", "country": "US"}
    book.refresh_from_db()
    assert book.author_id == le_guin.pk


def test_destroy(api, catalog):
    book = catalog.book("Solaris")
    api.credentials(**catalog.auth("alice"))
    response = api.delete(f"/api/books/{book.pk}/")
    assert response.status_code == 204
    assert response.content == b""
    assert not Book.objects.filter(pk=book.pk).exists()
    assert not book.reviews.exists()  # cascade
    assert api.delete(f"/api/books/{book.pk}/").status_code == 404


# -- the custom actions --


def test_restock_by_staff(api, catalog):
    book = catalog.book("Small Gods")
    api.credentials(**catalog.auth("admin"))
    response = api.post(f"/api/books/{book.pk}/restock/")
    assert response.status_code == 200
    assert response.json()["in_stock"] is True
    assert response.json()["title"] == "Small Gods"
    book.refresh_from_db()
    assert book.in_stock is True


def test_restock_needs_staff(api, catalog):
    book = catalog.book("Small Gods")
    api.credentials(**catalog.auth("alice"))
    response = api.post(f"/api/books/{book.pk}/restock/")
    assert response.status_code == 403
    assert response.json() == {"detail": "You do not have permission to perform this action."}
    book.refresh_from_db()
    assert book.in_stock is False


def test_restock_anonymous_and_missing(api, catalog):
    response = api.post(f"/api/books/{catalog.book('Small Gods').pk}/restock/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    api.credentials(**catalog.auth("admin"))
    assert api.post("/api/books/999/restock/").status_code == 404
    assert api.get(f"/api/books/{catalog.book('Small Gods').pk}/restock/").status_code == 405


def test_reviews_of_a_book(api, catalog):
    book = catalog.book("A Wizard of Earthsea")
    response = api.get(f"/api/books/{book.pk}/reviews/")
    assert response.status_code == 200
    body = response.json()
    assert (body["count"], body["next"], body["previous"]) == (2, None, None)
    expected = [
        {
            "id": review.pk,
            "book": book.pk,
            "username": review.user.username,
            "rating": review.rating,
            "comment": review.comment,
            "created": review.created.isoformat().replace("+00:00", "Z"),
        }
        for review in book.reviews.order_by("-rating")
    ]
    assert body["results"] == expected
    assert [item["username"] for item in body["results"]] == ["alice", "bob"]
    assert api.get(f"/api/books/{book.pk}/reviews/", {"page_size": 1}).json()["next"] == (
        f"http://testserver/api/books/{book.pk}/reviews/?page=2&page_size=1"
    )
    assert api.get("/api/books/999/reviews/").status_code == 404
