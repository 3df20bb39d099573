"""What goes wrong with a remote store is one line on stderr, exit code 7, nothing written:
refused, slow, wrong URL, not SPARQL, untrusted TLS, not kg's graph, data changed meanwhile."""

from __future__ import annotations

import http.server
import socket
import ssl
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.store.remote import Client, Endpoint, parse_header
from kg.store.remote_neighbourhoods import fetch_between
from kg.store.remote_query import select_batched
from kg.store.remote_views import open_remote
from kg.store.sparql.check import EndpointError
from tests.remote_servers import Remote, oxigraph, push
from tests.support import free_port

TRACE = ["trace", "miR-21", "apoptosis", "--time-limit", "60"]  # never cut by a busy machine


@pytest.fixture(scope="module")
def loaded() -> Iterator[Remote]:
    with oxigraph() as server:
        yield server


@pytest.fixture(scope="module")
def empty() -> Iterator[Remote]:
    with oxigraph(load=False) as server:
        yield server


def _fails(args: list[str], *expected: str) -> str:
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 7, result.output
    assert result.output.startswith("kg: error: ")
    assert result.output.count("\n") == 1, result.output
    for words in expected:
        assert words in result.output, result.output
    return result.output


def test_refused() -> None:
    _fails([*TRACE, "--endpoint", f"http://127.0.0.1:{free_port()}/query"], "connection refused")


def test_slow_server_times_out() -> None:
    with socket.socket() as silent:  # accepts connections, never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/sparql"
        _fails([*TRACE, "--endpoint", url, "--endpoint-timeout", "0.5"], "no answer within 0.5 s")


def test_wrong_path_is_404(loaded: Remote) -> None:
    url = loaded.query.replace("/query", "/nowhere")
    _fails([*TRACE, "--endpoint", url], "404 Not Found", "Oxigraph: /query")


class _Html(http.server.BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        body = b"<!DOCTYPE html><html><body>Welcome</body></html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args: object) -> None:
        return


@contextmanager
def _html_server(context: ssl.SSLContext | None = None) -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Html)
    if context is not None:
        server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        scheme = "https" if context else "http"
        yield f"{scheme}://127.0.0.1:{server.server_address[1]}/sparql"
    finally:
        server.shutdown()
        server.server_close()


def test_a_web_page_is_not_sparql() -> None:
    with _html_server() as url:
        _fails([*TRACE, "--endpoint", url], "not SPARQL results (text/html")


def test_an_untrusted_certificate_is_refused(tmp_path: Path) -> None:
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    made = subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key),
         "-out", str(cert), "-days", "1", "-subj", "/CN=127.0.0.1"],
        capture_output=True, check=False, timeout=60,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    with _html_server(context) as url:
        _fails([*TRACE, "--endpoint", url], "TLS certificate not trusted")


def test_a_graph_without_kg_assertions_says_so(empty: Remote) -> None:
    _fails([*TRACE, *empty.args()], "no kg assertions found", "not kg's graph")


def test_a_named_graph_that_is_not_there_says_so(loaded: Remote) -> None:
    args = [*TRACE, *loaded.args(), "--graph", "https://example.org/nothing"]
    _fails(args, "graph <https://example.org/nothing>", "no kg assertions found")


@pytest.mark.parametrize("cache", [False, True])
def test_data_changed_while_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cache: bool
) -> None:
    """Said in one line; with ``--cache`` nothing read meanwhile is kept."""
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    with oxigraph() as server:
        kg = open_remote(Endpoint(server.query, cache=cache))
        extra = tmp_path / "extra.ttl"
        extra.write_text(
            "@prefix kg: <https://w3id.org/kg-ivd/vocab#> .\n"
            "<https://w3id.org/kg-ivd/assertion/new> a kg:Assertion .\n"
        )
        push(server.store or "", "--append", "--data", str(extra))
        with pytest.raises(EndpointError, match="the data changed while kg was reading it"):
            fetch_between(kg, "miR-21", "apoptosis", max_hops=3)
    assert not (tmp_path / "cache").exists() or not any((tmp_path / "cache").iterdir())


def test_header_is_sent_and_checked(loaded: Remote) -> None:
    assert parse_header("Authorization: Bearer x y") == ("Authorization", "Bearer x y")
    result = CliRunner().invoke(cli, [*TRACE, *loaded.args(), "--header", "no colon"])
    assert result.exit_code == 2
    assert "expected 'Name: value'" in result.output
    ok = CliRunner().invoke(cli, [*TRACE, *loaded.args(), "--header", "X-Token: abc"])
    assert ok.exit_code == 0, ok.output


def test_options_need_an_endpoint() -> None:
    result = CliRunner().invoke(cli, [*TRACE, "--graph", "https://example.org/g"])
    assert result.exit_code == 2
    assert "need --endpoint" in result.output


def test_endpoint_from_the_environment(loaded: Remote) -> None:
    result = CliRunner().invoke(cli, [*TRACE, "--limit", "1"], env={"KG_ENDPOINT": loaded.query})
    assert result.exit_code == 0, result.output
    assert result.output.startswith("miR-21 → apoptosis: net effect DECREASES")


def test_requests_are_batched_and_counted(loaded: Remote) -> None:
    client = Client(Endpoint(loaded.query))
    iris = [f"https://w3id.org/kg-ivd/entity/{n}" for n in ("miR-21", "PTEN", "TNF", "nothing")]
    rows = select_batched(
        client,
        "SELECT ?s (COUNT(?o) AS ?n) { {values} ?s ?p ?o } GROUP BY ?s",
        "s",
        iris,
        size=2,
    )
    assert client.requests == 2
    assert {r["s"].rsplit("/", 1)[1] for r in rows} == {"miR-21", "PTEN", "TNF"}


def test_parallel_batches_keep_the_order(loaded: Remote, monkeypatch: pytest.MonkeyPatch) -> None:
    from kg.store import remote_query

    iris = [f"https://w3id.org/kg-ivd/entity/{n}" for n in ("miR-21", "PTEN", "TNF", "IVDD")]
    query = "SELECT ?s ?p ?o { {values} ?s ?p ?o }"
    together = select_batched(Client(Endpoint(loaded.query)), query, "s", iris, size=1)
    monkeypatch.setattr(remote_query, "PARALLEL", 1)
    one_by_one = select_batched(Client(Endpoint(loaded.query)), query, "s", iris, size=1)
    assert together == one_by_one
    assert len({row["s"] for row in together}) == 4


def test_a_deadline_bounds_every_request(loaded: Remote) -> None:
    client = Client(Endpoint(loaded.query), deadline=0.0)
    with pytest.raises(EndpointError, match="time limit"):
        client.ask("ASK {}")
    assert client.requests == 0


def test_not_an_http_url() -> None:
    _fails([*TRACE, "--endpoint", "file:///etc/passwd"], "not an http(s) URL")
