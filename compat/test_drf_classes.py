"""A Bolt viewset keeping the team's DRF classes answers like the DRF viewset, error paths included: DRF
serializer validation errors, TokenAuthentication failures (401 + WWW-Authenticate), DRF pagination (DRF's
Response), DRF exceptions raised in actions, DRF's Response returned from actions — and with DRF's own
``exception_handler`` configured."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import override_settings
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from compat.app.models import Book
from compat.harness import Call, Parity, bolt_client


@pytest.fixture
def token(db) -> str:
    for i, (title, price) in enumerate([("Dune", "9.50"), ("Emma", "4.25"), ("Solaris", "12.00")]):
        Book.objects.create(title=title, author=f"A{i}", price=price)
    return Token.objects.create(user=User.objects.create_user("reader")).key


def calls(token: str) -> list[Call]:
    auth = {"Authorization": f"Token {token}"}
    book = Book.objects.order_by("id").first()
    return [
        Call("GET", "/drfbooks/"),
        Call("GET", "/drfbooks/?page=2"),
        Call("GET", "/drfbooks/?page=9"),
        Call("GET", "/drfbooks/?size=1&page=3"),
        Call("GET", f"/drfbooks/{book.pk}/"),
        Call("GET", "/drfbooks/99999/"),
        Call("GET", f"/drfbooks/{book.pk}/summary/"),
        Call("POST", "/drfbooks/", {"title": "New", "price": "1.00"}),
        Call("POST", "/drfbooks/", {"title": "New", "price": "1.00"}, headers={"Authorization": "Token nope"}),
        Call("POST", "/drfbooks/", {"title": "forbidden", "price": "x"}, headers=auth),
        Call("POST", "/drfbooks/", {"title": ""}, headers=auth),
        Call("POST", "/drfbooks/", {"title": "New", "price": "1.00"}, headers=auth),
        Call("PATCH", f"/drfbooks/{book.pk}/", {"price": "-"}),
        Call("PATCH", f"/drfbooks/{book.pk}/", {"price": "-"}, headers=auth),
        Call("PATCH", "/drfbooks/", {"price": "-"}, headers=auth),
        Call("POST", "/drfbooks/", '{"title": "x", "price": "1"}', content_type="", headers=auth),
        Call("POST", "/drfbooks/", {"title": "Form", "price": "2.00"}, format="multipart", headers=auth),
        Call(
            "POST", "/drfbooks/", "title=Url&price=3.00", content_type="application/x-www-form-urlencoded", headers=auth
        ),
        Call("POST", "/drfbooks/", "<a/>", content_type="application/xml", headers=auth),
        Call("POST", "/drfbooks/", '{"title": ', content_type="application/json", headers=auth),
        Call("GET", "/drfbooks/", headers={"Accept": "application/xml"}),
        Call("GET", "/drfbooks/", headers={"Accept": "text/html;q=0.5, application/json"}),
        Call("GET", "/drfbooks/?format=xml"),
        Call("GET", "/drfbooks/?price=xyz"),
        Call("GET", "/drfbooks/?price=9.50"),
        Call("GET", "/drfbooks/?search=ma&ordering=-price"),
        Call("GET", "/drfbooks/?ordering=nope"),
        Call("POST", f"/drfbooks/{book.pk}/rename/", {"title": "Dune Messiah"}, headers=auth),
        Call("POST", f"/drfbooks/{book.pk}/rename/", {"title": "forbidden"}, headers=auth),
        *(Call("GET", f"/drfbooks/fail/{kind}/") for kind in ("not_found", "denied", "throttled", "invalid", "parse")),
    ]


def snapshot():
    return list(Book.objects.order_by("id").values_list("title", "price"))


def test_bolt_viewset_with_drf_classes_matches_drf(token):
    Parity("compat.drf_classes_drf_urls", "compat.drf_classes_bolt_urls").assert_same(*calls(token), db=snapshot)


def test_the_same_viewset_ported_to_bolts_classes_matches_drf(token):
    # The third way: every class Bolt's own (compat.drf_classes_native); the same requests, the same answers.
    Parity("compat.drf_classes_drf_urls", "compat.drf_classes_native").assert_same(*calls(token), db=snapshot)


def test_with_drfs_own_exception_handler(token):
    settings = {"REST_FRAMEWORK": {"EXCEPTION_HANDLER": "rest_framework.views.exception_handler"}}
    Parity("compat.drf_classes_drf_urls", "compat.drf_classes_bolt_urls", settings=settings).assert_same(
        *calls(token), db=snapshot
    )


def test_runbolt_names_the_drf_classes_bolt_routes_use():
    from compat.drf_classes import bolt_urlpatterns
    from django_bolt.compat.report import drf_classes_in_use

    assert drf_classes_in_use(bolt_urlpatterns) == [
        "compat.drf_classes.BookSerializer",
        "compat.drf_classes.Pages",
        "compat.drf_classes.Throttle",
        "django_filters.rest_framework.backends.DjangoFilterBackend",
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.filters.OrderingFilter",
        "rest_framework.filters.SearchFilter",
        "rest_framework.negotiation.DefaultContentNegotiation",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.MultiPartParser",
        "rest_framework.permissions.IsAuthenticated",
        "rest_framework.permissions.IsAuthenticatedOrReadOnly",
        "rest_framework.renderers.JSONRenderer",
        "rest_framework_simplejwt.authentication.JWTAuthentication",
    ]


def test_options_describes_a_drf_serializer_as_drf_does(token):
    auth = {"HTTP_AUTHORIZATION": f"Token {token}"}
    with override_settings(ROOT_URLCONF="compat.drf_classes_drf_urls"):
        drf = APIClient().options("/drfbooks/", **auth).json()
    with override_settings(ROOT_BOLTCONF="compat.drf_classes_bolt_urls"):
        bolt = bolt_client("compat.drf_classes_bolt_urls").options("/drfbooks/", **auth).json()
    assert bolt["actions"] == drf["actions"]
    assert bolt["actions"]["POST"]["price"]["type"] == "decimal"


def test_simplejwt_and_drf_throttles_kept_as_they_are(token):
    from django.core.cache import cache
    from rest_framework_simplejwt.tokens import AccessToken, RefreshToken

    class FreshThrottles(Parity):
        def _side(self, *args, **kwargs):
            cache.clear()  # each side starts with an empty throttle history
            return super()._side(*args, **kwargs)

    user = User.objects.get(username="reader")
    bearer = {"Authorization": f"Bearer {AccessToken.for_user(user)}"}
    FreshThrottles("compat.drf_classes_drf_urls", "compat.drf_classes_bolt_urls").assert_same(
        Call("GET", "/jwtbooks/"),
        Call("GET", "/jwtbooks/", headers={"Authorization": "Bearer not.a.token"}),
        Call("GET", "/jwtbooks/", headers={"Authorization": f"Bearer {RefreshToken.for_user(user)}"}),
        Call("GET", "/jwtbooks/", headers=bearer),
        Call("GET", "/jwtbooks/", headers=bearer),
        Call("GET", "/jwtbooks/", headers=bearer),  # the third in a minute: throttled, with Retry-After
    )


def test_a_drf_field_in_a_bolt_serializer_is_refused_at_class_creation():
    from rest_framework import serializers as drf_serializers

    from django_bolt import serializers

    with pytest.raises(TypeError, match=r"Tagged\.tags is a DRF field \(rest_framework\.fields\.ListField\)"):

        class Tagged(serializers.Serializer):
            name = serializers.CharField()
            tags = drf_serializers.ListField(child=drf_serializers.CharField())
