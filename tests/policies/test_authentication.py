"""Authentication and permissions beyond the DRF twins: query counts, sync/async custom classes."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import override_settings
from rest_framework.authtoken.models import Token

from compat.harness import bolt_client
from tests.policies import fixtures
from tests.policies.fixtures import session_for

fast_hasher, users = fixtures.fast_hasher, fixtures.users

URLS = "tests.policies.custom_urls"


@pytest.fixture
def client(db):
    with override_settings(ROOT_BOLTCONF=URLS):
        yield bolt_client(URLS)


def test_anonymous_request_runs_no_query(client, django_assert_num_queries):
    # Session + Basic (the defaults) without credentials: nothing to look up.
    with django_assert_num_queries(0):
        response = client.get("/default-auth/")
    assert response.status_code == 200
    assert response.headers["Vary"] == "Cookie"  # the session was consulted, as Django's lazy user does


def test_credentials_cost_one_lookup(client, users, django_assert_num_queries):
    with django_assert_num_queries(1):
        token = client.get("/credentials/", headers={"Authorization": f"Bearer {users.tokens['alice']}"})
    assert token.status_code == 200  # the token row and its user in one query
    with django_assert_num_queries(1):
        basic = client.get("/default-auth/", headers=fixtures.basic("alice", "pw-alice"))
    assert basic.json() == {"user": "alice", "auth": "None"}
    with django_assert_num_queries(2):  # session row, then user row
        session = client.get("/default-auth/", headers={"Cookie": f"sessionid={users.sessions['alice']}"})
    assert session.json() == {"user": "alice", "auth": "None"}


def test_async_authenticator(client, users):
    assert client.get("/async-auth/", headers={"X-User": "alice"}).json() == {"user": "alice", "auth": "async"}
    failed = client.get("/async-auth/", headers={"X-User": "nobody"})
    assert (failed.status_code, failed.json()) == (401, {"detail": "No such user."})
    assert failed.headers["WWW-Authenticate"] == "X-User"
    assert client.get("/async-auth/").status_code == 401


def test_sync_authenticator_reading_the_database(client, users):
    assert client.get("/sync-auth/", headers={"X-User": "admin"}).json() == {"user": "admin", "auth": "sync"}
    # No authenticate_header: the 401 becomes 403.
    assert client.get("/sync-auth/").status_code == 403


def test_overridden_authenticate_credentials_is_used(client, users):
    key = users.tokens["alice"]
    response = client.get("/credentials/", headers={"Authorization": f"Bearer {key}"})
    assert response.json() == {"user": "alice", "auth": f"custom:{key[:4]}"}
    invalid = client.get("/credentials/", headers={"Authorization": "Bearer nope"})
    assert (invalid.status_code, invalid.json(), invalid.headers["WWW-Authenticate"]) == (
        401,
        {"detail": "Invalid token."},
        "Bearer",
    )


def test_sync_permission_reading_the_database(client, users):
    admin = client.get("/staff-db/", headers={"Authorization": f"Token {users.tokens['admin']}"})
    assert admin.status_code == 200
    alice = client.get("/staff-db/", headers={"Authorization": f"Token {users.tokens['alice']}"})
    assert (alice.status_code, alice.json()) == (403, {"reason": "staff only"})


def test_composed_async_and_sync_permissions(client, users):
    # IsAuthenticated & (AsyncNever | StaffByDB): the async operand is awaited, the DB one runs in the bridge.
    assert (
        client.get("/async-composed/", headers={"Authorization": f"Token {users.tokens['admin']}"}).status_code == 200
    )
    refused = client.get("/async-composed/", headers={"Authorization": f"Token {users.tokens['alice']}"})
    assert (refused.status_code, refused.json()) == (
        403,
        {"detail": "You do not have permission to perform this action."},
    )
    assert client.get("/async-composed/").status_code == 401


def test_token_of_deleted_user_and_rotated_key(client, users):
    alice_key = users.tokens["alice"]
    Token.objects.filter(key=alice_key).delete()
    assert client.get("/credentials/", headers={"Authorization": f"Bearer {alice_key}"}).status_code == 401
    User.objects.filter(username="admin").update(is_active=False)
    inactive = client.get("/staff-db/", headers={"Authorization": f"Token {users.tokens['admin']}"})
    assert (inactive.status_code, inactive.json()) == (401, {"detail": "User inactive or deleted."})


def test_session_of_changed_password_is_dropped(client, users):
    key = users.sessions["alice"]
    users.alice.set_password("new-password")
    users.alice.save()
    # Django invalidates sessions whose auth hash no longer matches: anonymous again (and the cookie cleared).
    response = client.get("/default-auth/", headers={"Cookie": f"sessionid={key}"})
    assert response.json() == {"user": "AnonymousUser", "auth": "None"}
    assert session_for(users.alice) != key


def test_lazy_authentication_queries_only_when_the_user_is_read(client, users, django_assert_num_queries):
    alice = {"Authorization": f"Token {users.tokens['alice']}"}
    with django_assert_num_queries(0):
        assert client.get("/lazy/", headers=alice).json() == {"user": "not asked"}
        # Never authenticated, so a bad token is not even noticed (as in DRF with this override).
        assert client.get("/lazy/", headers={"Authorization": "Token bad"}).status_code == 200
    with django_assert_num_queries(1):
        assert client.get("/lazy/?who=1", headers=alice).json() == {"user": "alice"}
    with django_assert_num_queries(1):
        # IsAuthenticated reads request.user: the lookup happens then (in the sync bridge).
        assert client.get("/lazy-guarded/", headers=alice).json() == {"user": "not asked"}
    bad = client.get("/lazy-guarded/", headers={"Authorization": "Token bad"})
    assert (bad.status_code, bad.json()) == (401, {"detail": "Invalid token."})


def test_token_lookup_reuses_its_compiled_statement(client, users):
    from django_bolt import prepared_queries

    alice = {"Authorization": f"Bearer {users.tokens['alice']}"}
    for _ in range(2):  # compiled on the second sighting
        assert client.get("/credentials/", headers=alice).status_code == 200
    before = prepared_queries.stats["object"]
    assert client.get("/credentials/", headers=alice).json()["user"] == "alice"
    unknown = client.get("/credentials/", headers={"Authorization": "Bearer not-a-key"})
    assert (unknown.status_code, unknown.json()) == (401, {"detail": "Invalid token."})
    assert prepared_queries.stats["object"] == before + 2
    # Changes to the rows are seen at once: the statement is re-executed, not its result kept.
    Token.objects.filter(key=users.tokens["alice"]).delete()
    assert client.get("/credentials/", headers=alice).status_code == 401
    User.objects.filter(username="admin").update(is_active=False)
    admin = client.get("/credentials/", headers={"Authorization": f"Bearer {users.tokens['admin']}"})
    assert (admin.status_code, admin.json()) == (401, {"detail": "User inactive or deleted."})


def test_token_lookup_follows_a_settings_change(client, users, settings):
    from django_bolt import authentication, prepared_queries

    alice = {"Authorization": f"Bearer {users.tokens['alice']}"}
    for _ in range(2):
        assert client.get("/credentials/", headers=alice).status_code == 200
    kept = authentication._token_lookups[Token]._templates.copy()
    settings.TIME_ZONE = "Asia/Tokyo"  # compiled SQL may depend on settings: compiled again, once
    compiled = prepared_queries.stats["object_compiled"]
    for _ in range(3):
        assert client.get("/credentials/", headers=alice).json()["user"] == "alice"
    assert prepared_queries.stats["object_compiled"] == compiled + 1
    assert authentication._token_lookups[Token]._templates.keys() - kept.keys()


def test_token_model_with_a_custom_manager_takes_djangos_path(users):
    from django.db import models

    from django_bolt import authentication

    class Filtering(models.Manager):
        def get_queryset(self):
            return super().get_queryset().exclude(user__username="alice")

    class Tokens:
        DoesNotExist = Token.DoesNotExist
        objects = Filtering()
        objects.model = Token

    assert authentication._token_with_user(Tokens, users.tokens["admin"]).user.username == "admin"
    with pytest.raises(Token.DoesNotExist):
        authentication._token_with_user(Tokens, users.tokens["alice"])
    assert Tokens not in authentication._token_lookups
