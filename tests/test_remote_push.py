"""`kg push` in chunks into Oxigraph server and Virtuoso (its Digest-authenticated Graph Store
endpoint, credentials from netrc): every triple arrives, once, and the summary says so."""

from __future__ import annotations

import json
import re
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.store.sparql import Engine, run_query
from kg.store.sparql.store import chunks
from kg.store.sparql.store import push as send
from tests.remote_servers import GRAPH, Remote, oxigraph, push, virtuoso


def _count(query_url: str, graph: str | None = None) -> int:
    params = {"query": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"}
    if graph:
        params["default-graph-uri"] = graph
    request = urllib.request.Request(
        query_url,
        data=urllib.parse.urlencode(params).encode(),
        headers={"Accept": "application/sparql-results+json"},
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        return int(json.loads(response.read())["results"]["bindings"][0]["n"]["value"])


@pytest.fixture(scope="module")
def local_count() -> int:
    with Engine.open() as engine:
        return int(run_query(engine, "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }").rows[0][0].value)


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Remote, Remote]]:
    directory = tmp_path_factory.mktemp("virtuoso")
    with oxigraph(load=False) as ox, virtuoso(directory, load=False) as vt:
        yield ox, vt


def test_chunks_keep_blank_nodes_together() -> None:
    data = b"".join(f"<s{i}> <p> <o> .\n".encode() for i in range(5))
    data += b"_:b <p> <o> .\n<x> <p> _:b .\n"
    parts = chunks(data, 3)
    assert [p.count(b"\n") for p in parts] == [3, 3, 1]
    assert parts[0].count(b"_:b") == 2
    assert b"".join(sorted(parts)).count(b"\n") == 7


def test_push_to_oxigraph_in_chunks(servers: tuple[Remote, Remote], local_count: int) -> None:
    ox = servers[0]
    out = push(ox.store or "", "--chunk", "4000")
    requests = -(-local_count // 4000)
    assert re.fullmatch(
        rf"pushed {local_count} triples to \S+ \(default graph\) in {requests} request\(s\), "
        r"[0-9.]+ s\n",
        out,
    ), out
    assert _count(ox.query) == local_count
    push(ox.store or "", "--chunk", "5000")  # the first chunk replaces: nothing doubles
    assert _count(ox.query) == local_count


def test_progress_reaches_the_total(servers: tuple[Remote, Remote], local_count: int) -> None:
    seen: list[tuple[int, int]] = []
    report = send(
        None, servers[0].store or "", chunk=6000, progress=lambda s, t: seen.append((s, t))
    )
    assert [s for s, _ in seen] == sorted(s for s, _ in seen)
    assert seen[-1] == (local_count, local_count)
    assert len(seen) == report.chunks == 3


def test_push_to_virtuoso_with_netrc(
    servers: tuple[Remote, Remote], local_count: int, tmp_path: Path
) -> None:
    vt = servers[1]
    netrc = tmp_path / "netrc"
    netrc.write_text("machine 127.0.0.1 login dba password dba\n")
    netrc.chmod(0o600)
    out = push(vt.store or "", "--graph", GRAPH, "--chunk", "5000", env={"NETRC": str(netrc)})
    assert f"pushed {local_count} triples" in out
    assert "in 4 request(s)" in out
    assert _count(vt.query, GRAPH) == local_count


def test_push_to_virtuoso_without_credentials_fails_in_one_line(
    servers: tuple[Remote, Remote], tmp_path: Path
) -> None:
    vt = servers[1]
    result = CliRunner().invoke(
        cli,
        ["push", "--endpoint", vt.store or "", "--graph", GRAPH],
        env={"NETRC": str(tmp_path / "none")},
    )
    assert result.exit_code == 7
    assert result.output.count("\n") == 1
    assert "credentials" in result.output
