"""Every command with ``--endpoint`` prints what it prints on the embedded graph, against three
real servers holding the shipped graph: Oxigraph server, Virtuoso and ``kg serve``."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from kg.cli import cli
from tests.remote_servers import Remote, kg_serve, oxigraph, virtuoso

SERVERS = ("oxigraph", "virtuoso", "kg serve")

COMMANDS = {
    # --time-limit 60 everywhere: the equality must not depend on how loaded the machine is
    "trace": ["trace", "miR-21", "apoptosis", "--format", "json", "--time-limit", "60"],
    "trace-filtered": [
        "trace", "TNF-alpha", "apoptosis", "--cell-type", "nucleus pulposus cell",
        "--evidence", "stated", "--max-hops", "4", "--format", "json", "--time-limit", "60",
    ],
    "trace-via": [
        "trace", "miR-21", "apoptosis", "--via", "PTEN", "--format", "tsv", "--time-limit", "60",
    ],
    "upstream": ["upstream", "NLRP3", "--format", "json"],
    "downstream": ["downstream", "miR-21", "--max-hops", "2", "--format", "json"],
    "conflicts": ["conflicts", "--format", "json"],
    "sparql-table3": ["sparql", "--named", "table3", "--format", "json"],
    "sparql-evidence": [
        "sparql", "--named", "entity-evidence", "--param", "entity=PTEN", "--format", "json",
    ],
    "sparql-construct": [
        "sparql", "CONSTRUCT { ent:PTEN ?p ?o } WHERE { ent:PTEN ?p ?o }", "--format", "nt",
    ],
    "export-nodelink": ["export", "--format", "nodelink"],
    "export-tsv": ["export", "--format", "tsv"],
}  # fmt: skip


PAGES = {
    "focus": ["viz", "--focus", "miR-21", "--hops", "2", "--out"],
    "trace": ["trace", "miR-21", "apoptosis", "--time-limit", "60", "--html"],
}


def _run(args: list[str]) -> str:
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Remote]]:
    """The three servers, started once for this module."""
    with (
        oxigraph() as ox,
        virtuoso(tmp_path_factory.mktemp("virtuoso")) as vt,
        kg_serve() as ks,
    ):
        yield {"oxigraph": ox, "virtuoso": vt, "kg serve": ks}


def _lines(text: str) -> Any:
    return sorted(text.splitlines())


@pytest.mark.parametrize("command", sorted(COMMANDS))
@pytest.mark.parametrize("server", SERVERS)
def test_command_output_equals_the_embedded_one(
    servers: dict[str, Remote], server: str, command: str
) -> None:
    args = COMMANDS[command]
    local = _run(args)
    remote = _run([*args, *servers[server].args()])
    if command == "sparql-construct":  # a graph: the same triples, in any order
        assert _lines(remote) == _lines(local)
        assert len(_lines(local)) > 3
    else:
        assert remote == local
    if args[-1] == "json" or command == "export-nodelink":
        assert json.loads(local)  # not an empty answer


def _page_data(path: Path) -> Any:
    """The JSON data of a kg page, whole (entity cards included: the server counts what
    they say over its whole graph, kg.store.remote_cards)."""
    found = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>',
                      path.read_text(encoding="utf-8"), re.S)  # fmt: skip
    assert found, f"{path}: no kg-data script"
    return json.loads(found.group(1))


@pytest.mark.parametrize("page", ["focus", "trace"])
@pytest.mark.parametrize("server", SERVERS)
def test_viz_pages_equal_the_embedded_ones(
    servers: dict[str, Remote], server: str, page: str, tmp_path: Path
) -> None:
    command = PAGES[page]
    _run([*command, str(tmp_path / "local.html")])
    _run([*command, str(tmp_path / "remote.html"), *servers[server].args()])
    local, remote = _page_data(tmp_path / "local.html"), _page_data(tmp_path / "remote.html")
    assert remote == local
    assert len(local["edges"]) > 10
    cards = [n["card"] for n in local["nodes"]]
    assert any(c["regulated_by"]["total"] > 5 for c in cards)  # hubs beyond the page
    assert any(c["contradictions"] for c in cards)
    assert any(c["kinds"] for c in cards)


def test_every_named_query_matches_on_every_server(servers: dict[str, Remote]) -> None:
    names = [line.split()[0] for line in _run(["sparql", "--list"]).splitlines() if line[:1] != " "]
    assert len(names) >= 5
    for name in names:
        args = ["sparql", "--named", name, "--format", "json"]
        if name == "entity-evidence":
            args += ["--param", "entity=miR-21"]
        local = _run(args)
        for server in SERVERS:
            assert _run([*args, *servers[server].args()]) == local, (name, server)


@pytest.mark.parametrize("server", SERVERS)
def test_light_evidence_scores_as_the_whole_records(
    servers: dict[str, Remote], server: str
) -> None:
    """The search ranks remote paths by the records it fetched light: each must get the score
    its whole record gets (citation mismatch and the review mark included)."""
    import kg
    from kg.reasoning.scores import Scorer
    from kg.store.remote import Client, Endpoint
    from kg.store.remote_evidence import read_light

    remote = servers[server]
    graph = dict(zip(remote.options[::2], remote.options[1::2], strict=True)).get("--graph")
    local = kg.load()
    light = read_light(Client(Endpoint(remote.query, graph=graph)), sorted(local.evidence))
    whole, fetched = Scorer(local.mechanisms, local.evidence), Scorer(local.mechanisms, light)
    differ = [
        eid
        for eid in sorted(local.evidence)
        if fetched.evidence(eid).parts != whole.evidence(eid).parts
    ]
    assert differ == []
    assert sum(r.citation_mismatch for r in light.values()) == 169
    assert any(r.cites_review for r in light.values())
