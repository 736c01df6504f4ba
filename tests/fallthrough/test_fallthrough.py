"""Requests no Bolt route matches are answered by Django itself, through MIDDLEWARE, as under gunicorn.

In process through BoltClient (the engine's own pipeline), side by side with Django's test Client (the reference
handler) where the answers must match.
"""

import re
import threading

import pytest
from django.contrib.auth.models import User
from django.test import Client

from django_bolt.test import BoltClient
from tests.app.models import Item


@pytest.fixture
def bolt():
    return BoltClient()


@pytest.fixture
def items(db):
    return [Item.objects.create(name=f"item{i}", price="1.50", quantity=i) for i in range(3)]


def same(bolt_response, django_response, headers=("Content-Type", "Location", "Allow", "WWW-Authenticate")):
    assert bolt_response.status_code == django_response.status_code
    for name in headers:
        assert bolt_response.headers.get(name) == django_response.headers.get(name), name
    assert bolt_response.content == django_response.content


def test_bolt_routes_are_still_served_by_bolt(bolt):
    assert bolt.get("/bolt/hello").json() == {"served_by": "bolt"}


def test_unmatched_url_gets_djangos_own_404(bolt, db):
    response = bolt.get("/no/such/page/")
    same(response, Client().get("/no/such/page/"))
    assert response.status_code == 404 and b"Not Found" in response.content
    assert response["X-Frame-Options"] == "DENY" and response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    "path", ["/plain/sync/", "/plain/async/", "/plain/redirect/", "/drf/items/", "/drf/items/1/", "/drf/", "/plain"]
)
def test_plain_and_drf_views_answer_as_under_django(bolt, items, path):
    same(bolt.get(path, HTTP_ACCEPT="application/json"), Client().get(path, HTTP_ACCEPT="application/json"))


def test_sync_views_run_on_the_calling_thread_under_the_test_client(bolt, items):
    # (on a server they run on a sync-bridge thread: see the live test)
    assert bolt.get("/plain/sync/").json() == {
        "thread": threading.current_thread().name,
        "items": 3,
        "user": "AnonymousUser",
    }


def test_drf_viewset_writes_and_errors(bolt, items):
    user = User.objects.create_user("ann", password="pw")
    assert bolt.post("/drf/items/", {"name": "x"}, format="json").status_code == 403
    bolt.force_login(user)
    response = bolt.post("/drf/items/", {"name": "x"}, format="json")
    assert response.status_code == 400 and response.json() == {"price": ["This field is required."]}
    response = bolt.post("/drf/items/", {"name": "new", "price": "2.00"}, format="json")
    assert response.status_code == 201 and response.json()["name"] == "new"
    assert Item.objects.filter(name="new").exists()


def test_streaming_responses_are_streamed(bolt, items):
    assert bolt.get("/plain/stream/").content == b"item0\nitem1\nitem2\nend\n"
    assert bolt.get("/plain/astream/").content == b"part0\npart1\npart2\n"


def test_file_response_keeps_its_length(bolt, db):
    response = bolt.get("/plain/file/1/")
    assert response.status_code == 200 and len(response.content) == 1 << 20


def test_uncaught_exception_is_djangos_500(bolt, db):
    response = bolt.get("/plain/boom/")
    same(response, Client(raise_request_exception=False).get("/plain/boom/"))
    assert response.status_code == 500


def test_upload_goes_through_djangos_upload_handlers(bolt, db):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("notes.txt", b"x" * 5000)
    response = bolt.post("/plain/upload/", {"file": upload, "note": "hi"}, format="multipart")
    assert response.json() == {"name": "notes.txt", "size": 5000, "field": "hi"}


def test_cookies_and_append_slash(bolt, db):
    response = bolt.get("/plain/cookie/")
    assert response.headers.getlist("Set-Cookie") == ["flavour=oat; HttpOnly; Path=/; SameSite=Lax"]
    response = bolt.get("/plain/sync?x=1")
    assert (response.status_code, response["Location"]) == (301, "/plain/sync/?x=1")


def test_static_files_in_debug(settings, db):
    settings.DEBUG = True
    bolt = BoltClient()
    response = bolt.get("/static/site.css")
    assert response.status_code == 200 and response.content == b"body { color: #123; }\n"
    assert bolt.get("/static/missing.css").status_code == 404
    settings.DEBUG = False
    assert BoltClient().get("/static/site.css").status_code == 404


def test_admin_login_in_a_browser_like_session(bolt, db):
    User.objects.create_superuser("admin", "admin@example.com", "secret")
    bolt.enforce_csrf_checks = True
    form = bolt.get("/admin/login/?next=/admin/")
    assert form.status_code == 200
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', form.content).group(1).decode()
    assert "csrftoken" in bolt.cookies
    refused = BoltClient(enforce_csrf_checks=True).post(
        "/admin/login/?next=/admin/",
        data="username=admin&password=secret",
        content_type="application/x-www-form-urlencoded",
    )
    assert refused.status_code == 403  # no CSRF cookie
    response = bolt.post(
        "/admin/login/?next=/admin/",
        data=f"csrfmiddlewaretoken={token}&username=admin&password=secret&next=/admin/",
        content_type="application/x-www-form-urlencoded",
    )
    assert (response.status_code, response["Location"]) == (302, "/admin/")
    assert "sessionid" in bolt.cookies
    page = bolt.get("/admin/")
    assert page.status_code == 200 and b"Site administration" in page.content


def test_an_unported_project_without_bolt_urls_is_served_whole(db, settings):
    # No ROOT_BOLTCONF and no bolt_urls module beside the settings: day one of a migration.
    settings.ROOT_BOLTCONF = None
    settings.SETTINGS_MODULE = "unported_project.settings"
    bolt = BoltClient()
    assert bolt.engine.route_count == 0
    assert bolt.get("/drf/items/", HTTP_ACCEPT="application/json").status_code == 200
    assert bolt.get("/bolt/hello").status_code == 404
