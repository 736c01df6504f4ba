"""Each request in its own context, through the test client (the same Rust pipeline, in process).

The client runs a request in a copy of the calling test's context: what the test set reaches the view, nothing
the view sets comes back, and nothing one request sets reaches the next.
"""

import threading

import pytest
from django.utils import translation

from django_bolt.test import BoltClient
from tests.app.models import Item
from tests.isolation.views import probe

URLS = "tests.isolation.bolt_urls"


@pytest.fixture
def client():
    return BoltClient(URLS)


def orm_request(client, token, language="en-us"):
    response = client.post("/isolation/orm/", {"token": token, "language": language}, format="json")
    assert response.status_code == 200, response.content
    return response.json()


def check_orm_answer(body, token, language):
    assert body["probe_before"] is None and body["probe_after"] == token
    assert body["language_before"] == "en-us" and body["language_after"] == language
    assert body["timezone_before"] == "UTC"
    assert (body["created"], body["exists"], body["first"], body["total"]) == (True, True, token, 5)
    assert body["names"] == [token, f"{token}-twin"] and body["counted"] == 2
    assert body["atomic_quantity"] == 2
    # Every thread-sensitive call of the request ran on one thread with one connection.
    assert len(body["threads"]) == 1 and body["connections"] == 1


@pytest.mark.parametrize("database", ["db", "transactional_db"])
def test_async_orm_methods_work_on_every_request(request, client, database):
    request.getfixturevalue(database)
    tokens = [f"tok{i:03d}" for i in range(12)]
    for index, token in enumerate(tokens):
        language = "fr" if index % 2 else "de"
        body = orm_request(client, token, language)
        check_orm_answer(body, token, language)
        # The test client runs sync work on the calling thread: the test's transaction sees it.
        assert body["threads"] == [threading.get_ident()]
    assert sorted(Item.objects.values_list("name", flat=True)) == tokens


def test_nothing_set_in_one_request_reaches_the_next(client):
    assert client.get("/isolation/context/", {"set": "first", "language": "fr"}).json() == {
        "probe": None,
        "language": "en-us",
    }
    assert client.get("/isolation/context/").json() == {"probe": None, "language": "en-us"}
    # ...nor flows back into the test.
    assert probe.get() is None
    assert translation.get_language() == "en-us"


def test_the_callers_context_reaches_the_view(client):
    token = probe.set("from-the-test")
    try:
        with translation.override("fr"):
            assert client.get("/isolation/context/", {"set": "changed"}).json() == {
                "probe": "from-the-test",
                "language": "fr",
            }
            assert translation.get_language() == "fr"
        assert probe.get() == "from-the-test"
    finally:
        probe.reset(token)


def test_sync_orm_call_in_an_async_action_names_the_fix(client, db, caplog, settings):
    response = client.get("/isolation/sync_orm/")
    assert response.status_code == 500
    assert response.json() == {"detail": "Internal Server Error"}
    [record] = [r for r in caplog.records if r.name == "django_bolt.request"]
    message = record.getMessage()
    assert "SynchronousOnlyOperation" in record.exc_text
    assert "await run_sync(...)" in message and "sync_to_async" in message and "aget" in message


def test_debug_body_names_the_fix(db, settings):
    settings.DEBUG = True
    client = BoltClient(URLS)  # DEBUG is read when the engine is built
    body = client.get("/isolation/sync_orm/").json()
    assert body["exception"].startswith("SynchronousOnlyOperation: ")
    assert "await run_sync(...)" in body["exception"]


def sync_override_cases():
    from django_bolt import generics, viewsets
    from django_bolt.response import Response

    class SyncList(generics.ListCreateAPIView):
        queryset = Item.objects.all()

        def list(self, request, *args, **kwargs):
            return Response([])

    class SyncDestroy(generics.DestroyAPIView):
        queryset = Item.objects.all()

        def destroy(self, request, *args, **kwargs):
            return Response(status=204)

    class SyncObjectPermissions(viewsets.BoltReadOnlyModelViewSet):
        queryset = Item.objects.all()

        def check_object_permissions(self, request, obj):
            pass

    return [
        (lambda: SyncList.as_view(), "SyncList.list()"),
        (lambda: SyncDestroy.as_view(), "SyncDestroy.destroy()"),
        (lambda: SyncObjectPermissions.as_view({"get": "list"}), "SyncObjectPermissions.check_object_permissions()"),
    ]


@pytest.mark.parametrize("case", range(3))
def test_sync_pipeline_overrides_are_refused_at_start_up(case):
    from django.core.exceptions import ImproperlyConfigured

    build, name = sync_override_cases()[case]
    with pytest.raises(ImproperlyConfigured, match=r"must be declared `async def`") as error:
        build()
    assert f".{name} (used by " in str(error.value)
