"""``/api/reviews/``: not migrated yet, so these tests run against DRF only (``drf_api``)."""

import pytest
from catalog.models import Review


def test_list_and_filters(drf_api, catalog):
    body = drf_api.get("/api/reviews/").json()
    assert body["count"] == 4
    assert [(item["username"], item["rating"]) for item in body["results"]] == [
        ("alice", 5),
        ("bob", 4),
        ("alice", 4),
        ("bob", 3),
    ]
    assert "user" not in body["results"][0]  # the hidden field is write-only
    assert [item["comment"] for item in drf_api.get("/api/reviews/", {"search": "ocean"}).json()["results"]] == [
        "Puzzling ocean."
    ]
    ordered = drf_api.get("/api/reviews/", {"ordering": "rating"}).json()["results"]
    assert [item["rating"] for item in ordered] == [3, 4, 4, 5]


def test_create_as_the_authenticated_reader(drf_api, catalog, review_rows):
    book = catalog.book("Small Gods")
    drf_api.credentials(**catalog.auth("bob"))
    response = drf_api.post("/api/reviews/", {"book": book.pk, "rating": 5, "comment": "Om!"}, format="json")
    assert response.status_code == 201
    review = Review.objects.get(book=book)
    assert response.json() == {
        "id": review.pk,
        "book": book.pk,
        "username": "bob",
        "rating": 5,
        "comment": "Om!",
        "created": review.created.isoformat().replace("+00:00", "Z"),
    }
    assert review_rows()[-1] == (review.pk, book.pk, "bob", 5, "Om!")


def test_one_review_per_reader_and_book(drf_api, catalog, review_rows):
    before = review_rows()
    drf_api.credentials(**catalog.auth("alice"))
    response = drf_api.post("/api/reviews/", {"book": catalog.book("Solaris").pk, "rating": 2}, format="json")
    assert response.status_code == 201
    response = drf_api.post("/api/reviews/", {"book": catalog.book("Solaris").pk, "rating": 3}, format="json")
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["The fields user, book must make a unique set."]}
    assert len(review_rows()) == len(before) + 1


@pytest.mark.parametrize(
    ("rating", "error"),
    [
        (0, "Ensure this value is greater than or equal to 1."),
        (6, "Ensure this value is less than or equal to 5."),
        ("five", "A valid integer is required."),
    ],
)
def test_rating_is_validated(drf_api, catalog, rating, error):
    drf_api.credentials(**catalog.auth("bob"))
    response = drf_api.post("/api/reviews/", {"book": catalog.book("Small Gods").pk, "rating": rating}, format="json")
    assert response.status_code == 400
    assert response.json() == {"rating": [error]}


def test_only_the_reviewer_may_change_a_review(drf_api, catalog):
    review = Review.objects.get(user__username="alice", book=catalog.book("A Wizard of Earthsea"))
    drf_api.credentials(**catalog.auth("bob"))
    response = drf_api.patch(f"/api/reviews/{review.pk}/", {"rating": 1}, format="json")
    assert response.status_code == 403
    assert response.json() == {"detail": "Only the author of a review may change it."}
    assert drf_api.delete(f"/api/reviews/{review.pk}/").status_code == 403
    review.refresh_from_db()
    assert review.rating == 5

    drf_api.credentials(**catalog.auth("alice"))
    response = drf_api.patch(f"/api/reviews/{review.pk}/", {"rating": 4, "comment": "Still a classic."}, format="json")
    assert response.status_code == 200
    assert (response.json()["rating"], response.json()["comment"]) == (4, "Still a classic.")
    assert drf_api.delete(f"/api/reviews/{review.pk}/").status_code == 204
    assert not Review.objects.filter(pk=review.pk).exists()


def test_reviews_feed_the_book_average(drf_api, api, catalog):
    """A review written through DRF shows in the average the migrated books endpoint computes."""
    book = catalog.book("The Dispossessed")
    assert api.get(f"/api/books/{book.pk}/").json()["average_rating"] is None
    drf_api.credentials(**catalog.auth("alice"))
    drf_api.post("/api/reviews/", {"book": book.pk, "rating": 4}, format="json")
    drf_api.credentials(**catalog.auth("bob"))
    drf_api.post("/api/reviews/", {"book": book.pk, "rating": 5}, format="json")
    assert api.get(f"/api/books/{book.pk}/").json()["average_rating"] == 4.5


def test_obtain_token(drf_api, catalog):
    response = drf_api.post("/api/token/", {"username": "alice", "password": "demo-password"}, format="json")
    assert response.status_code == 200
    assert response.json() == {"token": catalog.tokens["alice"]}
