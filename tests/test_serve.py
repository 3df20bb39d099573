"""`kg serve`: a real SPARQL client (SPARQLWrapper) gets the same rows as `kg sparql`, also
with 20 concurrent clients; refusals, timeouts and protocol details; the Host allowlist, CORS
values, protocol datasets, a base IRI, parser messages, a busy pool."""

from __future__ import annotations

import json
import select
import socket
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from click.testing import CliRunner
from SPARQLWrapper import JSON, POST, SPARQLWrapper

from kg.cli import cli
from kg.model import shipped
from kg.model.errors import KGError
from kg.store.endpoint import Settings, check_cors, make_app, negotiate
from kg.store.sparql import Engine, named_queries
from tests.support import Server, server_process

CROSS_JOIN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def _printed_url(server: Server) -> str | None:
    """The URL `kg serve` prints as its first line, once it has printed it."""
    first = server.log_text().partition("\n")
    return first[0].strip() if first[1] else None


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    """`kg serve` on a free loopback port, in its own process."""
    command = [sys.executable, "-m", "kg", "serve", "--port", "0", "--timeout", "2"]
    with server_process([*command, "--workers", "2"], url=_printed_url, timeout=60) as server:
        assert server.url.startswith("http://127.0.0.1:"), server.url
        assert server.url.endswith("/sparql"), server.url
        yield server.url


def _expected() -> dict[str, Any]:
    """What `kg sparql --named NAME --format json` prints, per named query."""
    runner = CliRunner()
    out = {}
    for name in named_queries():
        result = runner.invoke(cli, ["sparql", "--named", name, "--format", "json"])
        assert result.exit_code == 0, result.output
        out[name] = json.loads(result.output)
    return out


def _ask(url: str, query: str, *, post: bool = False) -> Any:
    client = SPARQLWrapper(url)
    client.setQuery(query)
    client.setReturnFormat(JSON)
    client.setTimeout(60)
    if post:
        client.setMethod(POST)
    return client.query().convert()


def test_sparqlwrapper_gets_the_same_rows_as_kg_sparql(endpoint: str) -> None:
    expected = _expected()
    for name, query in named_queries().items():
        got = _ask(endpoint, query.text, post=name.startswith("c"))
        assert got["head"]["vars"] == expected[name]["head"]["vars"], name
        assert got["results"]["bindings"] == expected[name]["results"]["bindings"], name


def test_twenty_concurrent_clients(endpoint: str) -> None:
    expected = _expected()
    queries = named_queries()

    def client(index: int) -> list[str]:
        wrong = []
        for name, query in queries.items():
            got = _ask(endpoint, query.text, post=index % 2 == 1)
            if got["results"]["bindings"] != expected[name]["results"]["bindings"]:
                wrong.append(name)
        return wrong

    with ThreadPoolExecutor(max_workers=20) as pool:
        results = list(pool.map(client, range(20)))
    assert results == [[]] * 20


def _get(url: str, query: str, accept: str = "*/*") -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(
        f"{url}?{urllib.parse.urlencode({'query': query})}", headers={"Accept": accept}
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def test_timeout_is_503_and_the_next_query_works(endpoint: str) -> None:
    status, _, body = _get(endpoint, CROSS_JOIN)
    assert status == 503
    assert b"timeout" in body
    status, _, body = _get(endpoint, "ASK { ?s ?p ?o }")
    assert status == 200
    assert json.loads(body) == {"head": {}, "boolean": True}


def test_refusals(endpoint: str) -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    listener.setblocking(False)
    port = listener.getsockname()[1]
    try:
        status, _, body = _get(
            endpoint, f"SELECT * {{ SERVICE <http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }}"
        )
        assert status == 403
        assert b"SERVICE" in body
        assert _get(endpoint, "ASK {}")[0] == 200
        ready, _, _ = select.select([listener], [], [], 0.3)
        assert ready == [], "the endpoint connected to the SERVICE address"
    finally:
        listener.close()
    assert _get(endpoint, "SELECT * FROM <file:///etc/passwd> { ?s ?p ?o }")[0] == 403
    assert _get(endpoint, "INSERT DATA { <http://a> <http://b> <http://c> }")[0] == 403
    status, _, body = _get(endpoint, "SELECT * { ?s ?p }")
    assert status == 400
    assert body.startswith(b"query:1:")


def test_protocol_details(endpoint: str) -> None:
    status, headers, body = _get(endpoint, "SELECT ?l { kg:increases rdfs:label ?l }", "text/csv")
    assert status == 200
    assert headers["Content-Type"].startswith("text/csv")
    assert body == b"l\r\nincreases\r\n"
    assert "Access-Control-Allow-Origin" not in headers
    status, headers, body = _get(endpoint, "CONSTRUCT WHERE { kg:increases rdfs:label ?l }")
    assert status == 200
    assert headers["Content-Type"].startswith("text/turtle")
    assert _get(endpoint, "ASK {}", "image/png")[0] == 406
    request = urllib.request.Request(
        endpoint, data=b"ASK {}", headers={"Content-Type": "application/sparql-query"}
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        assert json.loads(response.read())["boolean"] is True
    request = urllib.request.Request(
        endpoint, data=b"INSERT DATA {}", headers={"Content-Type": "application/sparql-update"}
    )
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(request, timeout=60)
    assert caught.value.code == 403
    caught.value.close()
    root = endpoint.rsplit("/", 1)[0] + "/other"
    with pytest.raises(urllib.error.HTTPError) as missing:
        urllib.request.urlopen(root, timeout=60)
    assert missing.value.code == 404
    missing.value.close()


def test_cors_only_when_asked() -> None:
    env = {
        "REQUEST_METHOD": "GET", "PATH_INFO": "/sparql", "QUERY_STRING": "query=ASK%7B%7D",
        "wsgi.input": None, "HTTP_ACCEPT": "application/sparql-results+json",
    }  # fmt: skip
    seen: list[dict[str, str]] = []

    def start(status: str, headers: list[tuple[str, str]], _exc: object = None) -> Any:
        assert status.startswith("200")
        seen.append(dict(headers))

    with Engine.open([shipped.ontology_file()]) as engine:
        body = b"".join(make_app(engine, Settings(cors="https://example.org"))(env, start))
        plain = b"".join(make_app(engine)(env, start))
    assert body == plain
    assert seen[0]["Access-Control-Allow-Origin"] == "https://example.org"
    assert "Access-Control-Allow-Origin" not in seen[1]


def test_negotiation() -> None:
    assert negotiate("application/sparql-results+xml", "SELECT") == "xml"
    assert negotiate("text/tab-separated-values", "ASK") == "tsv"
    assert negotiate("application/n-triples", "CONSTRUCT") == "nt"
    assert negotiate("text/turtle;q=0.1, application/rdf+xml", "DESCRIBE") == "rdfxml"
    assert negotiate("", "SELECT", "csv") == "csv"
    assert negotiate("text/csv;q=0", "SELECT") is None


def test_threads_are_cleaned_up() -> None:
    assert all(not t.name.startswith("waitress") for t in threading.enumerate())


def _call(
    app: Any,
    query: str = "ASK {}",
    *,
    method: str = "GET",
    path: str = "/sparql",
    extra: str = "",
    **headers: str,
) -> tuple[str, dict[str, str], bytes]:
    env = {
        "REQUEST_METHOD": method, "PATH_INFO": path, "SERVER_PORT": "7879",
        "QUERY_STRING": urllib.parse.urlencode({"query": query}) + extra,
        "wsgi.input": None, "wsgi.url_scheme": "http",
        **{f"HTTP_{k.upper()}": v for k, v in headers.items()},
    }  # fmt: skip
    seen: list[tuple[str, dict[str, str]]] = []

    def start(status: str, headers: list[tuple[str, str]], _exc: object = None) -> Any:
        seen.append((status, dict(headers)))

    body = b"".join(app(env, start))
    return seen[0][0], seen[0][1], body


@pytest.fixture(scope="module")
def small() -> Iterator[Engine]:
    with Engine.open([shipped.ontology_file()]) as engine:
        yield engine


def test_host_header_allowlist(small: Engine) -> None:
    app = make_app(small)
    for host in ("127.0.0.1:7879", "localhost:7879", "[::1]:7879", "LOCALHOST"):
        assert _call(app, host=host)[0].startswith("200"), host
    status, _, body = _call(app, host="attacker.example:7879")
    assert status.startswith("403")
    assert b"DNS rebinding" in body
    assert b"--allow-host" in body
    allowed = make_app(small, Settings(hosts=("kg.lab.example",)))
    assert _call(allowed, host="kg.lab.example:80")[0].startswith("200")
    assert _call(allowed, host="other.example")[0].startswith("403")
    assert _call(make_app(small, Settings(hosts=("*",))), host="x.example")[0].startswith("200")


@pytest.mark.parametrize(
    "origin", ["", "example.org", "http://example.org/x", "http://a b", "http://e\r\nX: 1",
               "ftp://example.org", "http://example.org:99999", "http://user@example.org"],
)  # fmt: skip
def test_cors_values_are_validated(origin: str) -> None:
    with pytest.raises(KGError, match="is not an origin"):
        Settings(cors=origin)


def test_cors_accepts_origins_and_star() -> None:
    assert check_cors("*") == "*"
    assert check_cors("http://127.0.0.1:8888") == "http://127.0.0.1:8888"


def test_trailing_slash_base_iri_and_protocol_dataset(small: Engine) -> None:
    app = make_app(small)
    assert _call(app, path="/sparql/")[0].startswith("200")
    assert _call(app, path="/sparql//")[0].startswith("404")
    status, _, body = _call(app, "SELECT ?x { BIND(<rel> AS ?x) }")
    assert status.startswith("200")
    assert json.loads(body)["results"]["bindings"][0]["x"]["value"] == ("http://127.0.0.1:7879/rel")
    # the default graph named by the protocol replaces the store's default graph
    empty = "&default-graph-uri=" + urllib.parse.quote("http://example.org/no-such-graph")
    status, _, body = _call(app, "ASK { ?s ?p ?o }", extra=empty)
    assert status.startswith("200")
    assert json.loads(body)["boolean"] is False
    status, _, body = _call(app, "ASK { ?s ?p ?o }", extra="&default-graph-uri=not%20an%20iri")
    assert status.startswith("400")
    assert b"not an absolute IRI" in body
    # FROM is refused unless the protocol names the dataset (which then replaces it)
    assert _call(app, "ASK FROM <http://example.org/g> { }")[0].startswith("403")
    assert _call(app, "ASK FROM <http://example.org/g> { }", extra=empty)[0].startswith("200")


def test_syntax_errors_say_what_is_wrong(small: Engine) -> None:
    status, _, body = _call(make_app(small), "SELECT * {\n  ?s a nope:Thing }")
    assert status.startswith("400")
    assert body == (
        b"query:2:8: undeclared prefix 'nope:'; declare it with PREFIX nope: <...> "
        b"before the query\n"
    )


def test_a_query_waiting_for_a_busy_pool_gets_503_with_retry_after(small: Engine) -> None:
    worker = small.acquire(1.0)  # the only worker is busy
    try:
        status, headers, body = _call(make_app(small, Settings(wait=0.2)))
    finally:
        small.release(worker)
    assert status.startswith("503")
    assert headers["Retry-After"] == "1"
    assert b"busy" in body
    assert b"closed" not in body
    assert _call(make_app(small))[0].startswith("200")


def test_oversized_query_is_413(small: Engine) -> None:
    status, _, body = _call(make_app(small), "ASK {" + " " * 200_000 + "}")
    assert status.startswith("413")
    assert b"byte limit" in body
