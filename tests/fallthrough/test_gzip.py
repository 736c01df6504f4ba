"""GZipMiddleware on Bolt routes, applied by the engine: what Django's middleware does (size floor, Vary,
Content-Encoding, BREACH padding), with brotli when the client accepts it."""

import gzip
import json

import pytest

from django_bolt.test import BoltClient


@pytest.fixture
def client(db, settings):
    settings.MIDDLEWARE = ["django.middleware.gzip.GZipMiddleware", *settings.MIDDLEWARE]
    return BoltClient()


def test_large_bodies_are_gzipped_like_django(client):
    response = client.get("/bolt/big", headers={"Accept-Encoding": "gzip, deflate"})
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    body = json.loads(gzip.decompress(response.content))
    assert len(body["rows"]) == 40
    # Django's BREACH mitigation: a random-length file name, so two answers differ in length now and then.
    lengths = {len(client.get("/bolt/big", headers={"Accept-Encoding": "gzip"}).content) for _ in range(8)}
    assert len(lengths) > 1


def test_small_or_unaccepted_bodies_stay_plain(client):
    small = client.get("/bolt/hello", headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in small and small.json() == {"served_by": "bolt"}
    refused = client.get("/bolt/big", headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in refused and refused["Vary"].endswith("Accept-Encoding")
    assert len(refused.json()["rows"]) == 40


def test_brotli_when_accepted(client):
    brotli = pytest.importorskip("brotli")
    response = client.get("/bolt/big", headers={"Accept-Encoding": "gzip, br"})
    assert response["Content-Encoding"] == "br"
    assert len(json.loads(brotli.decompress(response.content))["rows"]) == 40


def test_fall_through_responses_are_djangos_own(client):
    response = client.get("/drf/", headers={"Accept-Encoding": "gzip", "Accept": "application/json"})
    assert "Content-Encoding" not in response  # Django's middleware: under 200 bytes
