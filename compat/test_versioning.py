"""Versioning parity: each DRF scheme against Bolt's native class and against DRF's class kept in a Bolt view
(version detection, errors, and reverse() keeping the version)."""

from __future__ import annotations

import pytest

from compat.harness import Call, Parity


def calls() -> list[Call]:
    return [
        Call("GET", "/v1/URLPathVersioning/"),
        Call("GET", "/v2/URLPathVersioning/"),
        Call("GET", "/v3/URLPathVersioning/"),
        Call("GET", "/v1/NamespaceVersioning/"),
        Call("GET", "/v2/NamespaceVersioning/"),
        Call("GET", "/v9/NamespaceVersioning/"),
        Call("GET", "/QueryParameterVersioning/"),
        Call("GET", "/QueryParameterVersioning/?version=v2"),
        Call("GET", "/QueryParameterVersioning/?version=v7"),
        Call("GET", "/AcceptHeaderVersioning/"),
        Call("GET", "/AcceptHeaderVersioning/", headers={"Accept": "application/json; version=v2"}),
        Call("GET", "/AcceptHeaderVersioning/", headers={"Accept": "application/json; version=v5"}),
        Call("GET", "/HostNameVersioning/"),
        Call("GET", "/HostNameVersioning/", headers={"Host": "v2.example.com"}),
        Call("GET", "/HostNameVersioning/", headers={"Host": "v8.example.com"}),
    ]


@pytest.mark.parametrize("bolt_urls", ["compat.versioning_bolt_urls", "compat.versioning_bolt_compat_urls"])
def test_versioning_matches_drf(db, settings, bolt_urls):
    settings.ALLOWED_HOSTS = ["*"]
    Parity("compat.versioning_drf_urls", bolt_urls).assert_same(*calls())
