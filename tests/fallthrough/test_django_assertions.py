"""BoltClient responses work with Django's test assertions (assertContains, assertRedirects)."""

import pytest
from django.test import SimpleTestCase

from django_bolt.test import BoltClient


@pytest.fixture
def case():
    return SimpleTestCase()


def test_assert_contains_and_redirects(db, case, settings):
    client = BoltClient()
    case.assertContains(client.get("/bolt/hello"), "bolt")
    case.assertNotContains(client.get("/bolt/hello"), "django")
    case.assertContains(client.get("/no/such/"), "Not Found", status_code=404)
    case.assertRedirects(client.get("/bolt/items"), "/bolt/items/", status_code=301)
    case.assertRedirects(client.get("/plain/redirect/"), "/plain/sync/?from=redirect")
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True
    assert BoltClient().get("/bolt/hello", secure=True).status_code == 200
