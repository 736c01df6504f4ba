"""The two URLconfs: the migrated endpoints keep their paths and URL names."""

from django.urls import reverse

MIGRATED = [
    "author-list",
    "author-detail",
    "book-list",
    "book-detail",
    "book-restock",
    "book-reviews",
    "review-list",
    "review-detail",
]


def test_url_names_are_kept():
    for name in MIGRATED:
        kwargs = {"pk": 7} if not name.endswith("-list") else {}
        assert reverse(name, kwargs=kwargs, urlconf="demo.urls") == reverse(
            name, kwargs=kwargs, urlconf="demo.bolt_urls"
        )
    assert reverse("book-restock", kwargs={"pk": 7}, urlconf="demo.bolt_urls") == "/api/books/7/restock/"


def test_api_root_is_the_same_on_both(api):
    # Every router prefix has moved (reviews through the compat step): both roots list the same endpoints.
    response = api.get("/api/")
    assert response.status_code == 200
    assert response.json() == {
        "authors": "http://testserver/api/authors/",
        "books": "http://testserver/api/books/",
        "reviews": "http://testserver/api/reviews/",
    }


def test_format_suffix(api, catalog):
    book = catalog.book("Solaris")
    response = api.get(f"/api/books/{book.pk}.json")
    assert response.status_code == 200
    assert response.json()["title"] == "Solaris"
