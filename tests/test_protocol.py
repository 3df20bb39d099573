"""The query cases of the W3C SPARQL 1.1 Protocol test suite, against `kg serve`.

The cases (tests/data/protocol/cases.tsv) re-create the suite's manifest: dataset tests name
graphs of tests/data/protocol/dataset.nq through default-graph-uri / named-graph-uri; update
tests are kept where the protocol asks for a 4xx, since this endpoint is read-only.
"""

from __future__ import annotations

import csv
import http.client
import json
import sys
import urllib.parse
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.support import Server, server_process

HERE = Path(__file__).parent / "data" / "protocol"
CASES = list(
    csv.DictReader((HERE / "cases.tsv").read_text(encoding="utf-8").splitlines(), delimiter="\t")
)
TABULAR = (
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
)
RDF = ("text/turtle", "application/rdf+xml", "application/n-triples", "application/ld+json")


def _printed_url(server: Server) -> str | None:
    """The URL `kg serve` prints as its first line, once it has printed it."""
    first = server.log_text().partition("\n")
    return first[0].strip() if first[1] else None


@contextmanager
def _kg_serve(*args: str) -> Iterator[Server]:
    command = [sys.executable, "-m", "kg", "serve", "--port", "0", *args]
    with server_process(command, url=_printed_url, timeout=60) as server:
        yield server


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[str, int]]:
    with _kg_serve("--data", str(HERE / "dataset.nq"), "--workers", "1") as server:
        parts = urllib.parse.urlsplit(server.url)
        assert parts.hostname is not None
        assert parts.port is not None
        yield parts.hostname, parts.port


def _boolean(media: str, body: bytes) -> bool:
    if media == "application/sparql-results+json":
        value = json.loads(body)["boolean"]
        assert isinstance(value, bool)
        return value
    assert media == "application/sparql-results+xml", media
    element = ET.fromstring(body).find("{http://www.w3.org/2005/sparql-results#}boolean")
    assert element is not None
    return element.text == "true"


def test_the_suite_has_every_query_case() -> None:
    names = {case["name"] for case in CASES}
    assert len(names) == len(CASES) == 27
    assert sum(name.startswith("query_") for name in names) == 13
    assert sum(name.startswith("bad_") for name in names) == 14


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_protocol_case(server: tuple[str, int], case: dict[str, str]) -> None:
    host, port = server
    body = case["body"].replace("\\n", "\n").encode(case["encoding"] or "utf-8")
    headers = {"Content-Type": case["content_type"]} if case["content_type"] else {}
    connection = http.client.HTTPConnection(host, port, timeout=30)
    try:
        connection.request(
            case["method"], case["path"], body=body if case["method"] != "GET" else None,
            headers=headers,
        )  # fmt: skip
        response = connection.getresponse()
        data = response.read()
    finally:
        connection.close()
    status = response.status
    if case["status"] == "4xx":
        assert 400 <= status < 500, (status, data)
        return
    assert 200 <= status < 400, (status, data)
    media = (response.getheader("Content-Type") or "").split(";")[0].strip()
    if case["format"] == "boolean":
        answer = _boolean(media, data)
        if case["boolean"] != "-":
            assert answer is (case["boolean"] == "true")
    elif case["format"] == "tabular":
        assert media in TABULAR, media
    else:
        assert media in RDF, media
