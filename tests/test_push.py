"""`kg push` into a real Oxigraph server (the `oxigraph` CLI from the PyPI package of that
name, a test extra): the pushed graph answers every named query with the local rows."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.store.sparql import Engine, named_queries, run_query, serialize
from tests.support import free_port, server_process


def _oxigraph() -> str:
    local = Path(sys.executable).parent / "oxigraph"
    found = str(local) if local.is_file() else shutil.which("oxigraph")
    assert found, "the `oxigraph` server is missing: pip install -e '.[test]' installs it"
    return found


@pytest.fixture(scope="module")
def oxigraph_server() -> Iterator[str]:
    """A real `oxigraph serve` (in-memory) on a free loopback port; yields its base URL."""
    base = f"http://127.0.0.1:{free_port()}"
    command = [_oxigraph(), "serve", "--bind", base.removeprefix("http://")]
    probe = f"{base}/query?query=ASK%7B%7D"
    with server_process(command, url=probe, timeout=10):
        yield base


def _remote(base: str, query: str) -> Any:
    request = urllib.request.Request(
        f"{base}/query",
        data=urllib.parse.urlencode({"query": query}).encode(),
        headers={"Accept": "application/sparql-results+json"},
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())


def test_pushed_graph_answers_every_named_query_like_the_local_store(
    oxigraph_server: str,
) -> None:
    result = CliRunner().invoke(cli, ["push", "--endpoint", f"{oxigraph_server}/store"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("pushed ")
    with Engine.open() as engine:
        local_count = run_query(engine, "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }").rows[0][0]
        remote_count = _remote(oxigraph_server, "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }")
        assert remote_count["results"]["bindings"][0]["n"]["value"] == local_count.value
        for name, query in named_queries().items():
            local = json.loads(serialize(run_query(engine, query.text), "json"))
            remote = _remote(oxigraph_server, query.text)
            assert remote["head"]["vars"] == local["head"]["vars"], name
            assert remote["results"]["bindings"] == local["results"]["bindings"], name
            assert local["results"]["bindings"] or name in ("contradictions",), name


def test_push_into_a_named_graph(oxigraph_server: str) -> None:
    graph = "https://w3id.org/kg-ivd/graph/test"
    result = CliRunner().invoke(
        cli, ["push", "--endpoint", f"{oxigraph_server}/store", "--graph", graph]
    )
    assert result.exit_code == 0, result.output
    answer = _remote(
        oxigraph_server, f"SELECT (COUNT(*) AS ?n) {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    )
    assert int(answer["results"]["bindings"][0]["n"]["value"]) > 1000


def test_push_to_nothing_fails_with_its_exit_code() -> None:
    port = free_port()
    result = subprocess.run(
        [sys.executable, "-m", "kg", "push", "--endpoint", f"http://127.0.0.1:{port}/store",
         "--timeout", "5"],
        capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert result.returncode == 7
    assert result.stderr.count("\n") == 1
    assert "cannot reach" in result.stderr
