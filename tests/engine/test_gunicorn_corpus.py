"""
gunicorn's own HTTP/1.1 request corpus (``tests/requests/{valid,invalid}`` of its sdist, MIT licence, fetched from
PyPI at test time) against a live runbolt: every invalid request must be refused (a 4xx, the framing stage's
refusal, or the connection closed without an answer), every valid one answered (anything but a refusal by the
parser or the framing stage). Cases that depend on a gunicorn setting (``cfg`` in the case file: proxy protocol,
custom limits, obsolete folding) are left out.

Where runbolt differs from gunicorn is listed (``KNOWN_ACCEPTED``, ``KNOWN_REFUSED_VALID``); the test fails when
either list changes. Figures: 32/32 invalid refused, 26/30 valid answered (24/30 before the framing stage).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from django_bolt.pytest_plugin import LiveServer

from .live import exchange

pytestmark = pytest.mark.live

GUNICORN = "gunicorn==23.0.0"
# Valid per gunicorn, refused by runbolt's framing stage on purpose (docs/deviations.md): `Transfer-Encoding:
# identity` beside a length (009: both framings named, 400) and `gzip, chunked` (025, 025_line: 501, a transfer
# coding the server does not decode); and 099, whose corpus body is shorter than its Content-Length (the server
# waits). Fails when the list changes.
KNOWN_REFUSED_VALID = {"valid/009", "valid/025", "valid/025_line", "valid/099"}
# Invalid per gunicorn, answered by runbolt today: none.
KNOWN_ACCEPTED: set[str] = set()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("gunicorn")
    download = subprocess.run(
        [sys.executable, "-m", "pip", "download", "-q", GUNICORN, "--no-binary", ":all:", "--no-deps", "-d", target],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    if download.returncode != 0:
        if os.environ.get("CI"):
            pytest.fail(f"cannot fetch gunicorn's sdist from PyPI: {download.stderr[-500:]}")
        pytest.skip("gunicorn's sdist is not reachable (no network to PyPI)")
    [archive] = target.glob("gunicorn-*.tar.gz")
    with tarfile.open(archive) as tar:
        members = [m for m in tar.getmembers() if "/tests/requests/" in m.name and m.isfile()]
        tar.extractall(target, members=members, filter="data")
    return next(target.glob("gunicorn-*/tests/requests"))


def cases(corpus: Path, kind: str) -> list[tuple[str, bytes]]:
    found = []
    for http in sorted((corpus / kind).glob("*.http")):
        if "cfg" in http.with_suffix(".py").read_text():
            continue  # depends on a gunicorn setting
        # gunicorn's notation (tests/treq.py): newlines are cosmetic, escapes spell the bytes.
        data = http.read_bytes().replace(b"\n", b"").replace(b"\\r\\n", b"\r\n")
        data = data.replace(b"\\0", b"\000").replace(b"\\n", b"\n").replace(b"\\t", b"\t")
        line_end = data.find(b"\r\n")
        if data[:line_end].endswith(b"HTTP/1.1") and b"\r\nhost:" not in data.lower():
            # HTTP/1.1 needs a Host (RFC 9112: else 400); add one so the case tests what it is about.
            data = data[: line_end + 2] + b"Host: corpus\r\n" + data[line_end + 2 :]
        found.append((f"{kind}/{http.stem}", data))
    return found


def refused(reply: bytes) -> bool:
    return reply == b"" or reply[9:10] == b"4" or framing_refused(reply)  # "HTTP/1.1 4.."


def framing_refused(reply: bytes) -> bool:
    """The engine's framing stage refused the connection's input (its own JSON answer, then a close)."""
    head = reply.split(b"\r\n\r\n", 1)[0].lower()
    return (
        head[9:12] in (b"400", b"414", b"431", b"501", b"505")
        and b"connection: close" in head
        and (b'{"detail":"malformed request' in reply.lower() or head[9:12] != b"400")
    )


def parser_refused(reply: bytes) -> bool:
    """The HTTP parser's own refusal (an empty 400 and a close), as opposed to an answer from the application (the
    corpus's requests mostly lack a Host header or hit no route: Django's 400 and 404 pages are answers)."""
    head = reply.split(b"\r\n\r\n", 1)[0].lower()
    return reply == b"" or (head.startswith(b"http/1.1 400") and b"content-length: 0" in head) or framing_refused(reply)


def test_gunicorns_request_corpus(corpus):
    invalid, valid = cases(corpus, "invalid"), cases(corpus, "valid")
    from concurrent.futures import ThreadPoolExecutor

    # The workers answer many connections at once; each exchange may wait out the keep-alive quiet period.
    with LiveServer(["--request-timeout", "2", "--workers", "2"]) as server, ThreadPoolExecutor(16) as pool:
        ask = lambda case: exchange(server, case[1])  # noqa: E731
        invalid_replies = dict(zip([n for n, _ in invalid], pool.map(ask, invalid), strict=True))
        valid_replies = dict(zip([n for n, _ in valid], pool.map(ask, valid), strict=True))
    accepted = {name for name, reply in invalid_replies.items() if not refused(reply)}
    rejected_valid = sorted(name for name, reply in valid_replies.items() if parser_refused(reply))
    print(
        f"\ngunicorn corpus: invalid {len(invalid) - len(accepted)}/{len(invalid)} refused; "
        f"valid {len(valid) - len(rejected_valid)}/{len(valid)} answered; refused: {rejected_valid}; "
        f"invalid accepted: {sorted(accepted)}"
    )
    assert accepted - KNOWN_ACCEPTED == set(), "invalid requests runbolt now accepts"
    assert KNOWN_ACCEPTED - accepted == set(), "now refused: remove them from KNOWN_ACCEPTED"
    assert set(rejected_valid) - KNOWN_REFUSED_VALID == set(), "valid requests runbolt now refuses"
    assert KNOWN_REFUSED_VALID - set(rejected_valid) == set(), "now answered: remove them from KNOWN_REFUSED_VALID"
