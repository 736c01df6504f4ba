"""Authentication and permissions of the migrated endpoints (Token + Session, ``IsAuthenticatedOrReadOnly``)."""

import pytest
from catalog.models import Author

NOT_PROVIDED = {"detail": "Authentication credentials were not provided."}


def test_reading_is_anonymous(api, catalog):
    assert api.get("/api/books/").status_code == 200
    assert api.get("/api/authors/").status_code == 200


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", "/api/authors/"),
        ("patch", "/api/authors/{pk}/"),
        ("put", "/api/authors/{pk}/"),
        ("delete", "/api/authors/{pk}/"),
    ],
)
def test_writing_needs_credentials(api, catalog, method, path):
    pk = catalog.authors["Terry Pratchett"].pk
    response = getattr(api, method)(path.format(pk=pk), {"name": "Anonymous"}, format="json")
    # TokenAuthentication comes first and has a WWW-Authenticate challenge: 401, not 403.
    assert response.status_code == 401
    assert response.json() == NOT_PROVIDED
    assert response["WWW-Authenticate"] == "Token"
    assert Author.objects.get(pk=pk).name == "Terry Pratchett"


@pytest.mark.parametrize(
    ("header", "detail"),
    [
        ("Token 0000000000000000000000000000000000000000", "Invalid token."),
        ("Token", "Invalid token header. No credentials provided."),
        ("Token a b", "Invalid token header. Token string should not contain spaces."),
    ],
)
def test_bad_tokens(api, catalog, header, detail):
    api.credentials(HTTP_AUTHORIZATION=header)
    # Even a safe method fails: a bad credential is an error, not an anonymous request.
    response = api.get("/api/books/")
    assert response.status_code == 401
    assert response.json() == {"detail": detail}
    assert response["WWW-Authenticate"] == "Token"


def test_inactive_user_token(api, catalog):
    alice = catalog.users["alice"]
    alice.is_active = False
    alice.save()
    api.credentials(**catalog.auth("alice"))
    response = api.get("/api/books/")
    assert response.status_code == 401
    assert response.json() == {"detail": "User inactive or deleted."}


def test_other_authorization_schemes_are_ignored(api, catalog):
    api.credentials(HTTP_AUTHORIZATION="Bearer abc")
    response = api.post("/api/authors/", {"name": "x"}, format="json")
    assert response.status_code == 401
    assert response.json() == NOT_PROVIDED


def test_session_login(api, catalog):
    api.force_login(catalog.users["bob"])
    response = api.post("/api/authors/", {"name": "Iain M. Banks", "country": "GB"}, format="json")
    assert response.status_code == 201
    assert Author.objects.filter(name="Iain M. Banks").exists()


def test_session_login_enforces_csrf(make_api, catalog):
    client = make_api(enforce_csrf_checks=True)
    client.force_login(catalog.users["bob"])
    response = client.post("/api/authors/", {"name": "Iain M. Banks"}, format="json")
    assert response.status_code == 403
    assert response.json() == {"detail": "CSRF Failed: CSRF cookie not set."}
    assert not Author.objects.filter(name="Iain M. Banks").exists()
    # A token is not subject to CSRF.
    client.logout()
    client.credentials(**catalog.auth("bob"))
    assert client.post("/api/authors/", {"name": "Iain M. Banks"}, format="json").status_code == 201
