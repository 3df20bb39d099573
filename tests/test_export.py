"""``kg export``: every format is read back by an independent reader and checked for content.

Turtle and N-Triples by raptor2's ``rapper`` (Debian ``raptor2-utils``), GraphML and node-link
JSON by networkx, JSON-LD by rdflib's JSON-LD parser, TSV by the csv module.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import click
import networkx as nx
import pytest
from click.testing import CliRunner
from rdflib import Graph

from kg.cli import cli
from kg.model import shipped
from kg.model.errors import KGError
from kg.model.vocab import PREFIXES
from kg.store import provenance, rdf
from kg.store.convert import to_networkx
from kg.views import export

PTEN_EDGE = ("miR-21", "PTEN", "mir21-represses-pten")
GRAPHML_NS = "{http://graphml.graphdrawing.org/xmlns}"


@pytest.fixture(scope="module")
def mechanisms(data: Graph) -> nx.MultiDiGraph:
    return to_networkx(data)


def _rapper() -> str:
    found = shutil.which("rapper")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("rapper (Debian raptor2-utils) is required under CI")
        pytest.skip("rapper not installed: apt-get install raptor2-utils")
    return found


def _rapper_read(path: Path, syntax: str) -> tuple[int, Graph]:
    """Parse ``path`` with rapper: the triple count it reports, and its own N-Triples output."""
    rapper = _rapper()
    counted = subprocess.run(
        [rapper, "-i", syntax, "-c", str(path)], capture_output=True, text=True, check=False
    )
    assert counted.returncode == 0, counted.stderr
    assert "error" not in counted.stderr.lower(), counted.stderr
    assert "warning" not in counted.stderr.lower(), counted.stderr
    last = counted.stderr.strip().splitlines()[-1]
    assert last.startswith("rapper: Parsing returned "), counted.stderr
    count = int(last.split()[3])
    dumped = subprocess.run(
        [rapper, "-q", "-i", syntax, "-o", "ntriples", str(path)],
        capture_output=True,
        check=True,
    )
    return count, Graph().parse(data=dumped.stdout.decode("utf-8"), format="nt")


def _write(tmp_path: Path, graph: Graph, fmt: str) -> Path:
    path = tmp_path / f"kg.{fmt}"
    export.write_atomic(export.export(graph, fmt), path)
    return path


@pytest.mark.parametrize(("fmt", "syntax"), [("ttl", "turtle"), ("nt", "ntriples")])
def test_rdf_read_by_rapper(tmp_path: Path, data: Graph, fmt: str, syntax: str) -> None:
    count, parsed = _rapper_read(_write(tmp_path, data, fmt), syntax)
    assert count == len(data)
    # Content, not just a count: rapper's own reading holds exactly the source triples.
    assert set(parsed) == set(data)


def test_turtle_with_ontology_read_by_rapper(tmp_path: Path) -> None:
    path = tmp_path / "all.ttl"
    result = CliRunner().invoke(
        cli, ["export", "--format", "ttl", "--with-ontology", "--out", str(path)]
    )
    assert result.exit_code == 0, result.output
    both = rdf.load([shipped.ontology_file(), *shipped.data_files()])
    count, parsed = _rapper_read(path, "turtle")
    assert count == len(both)
    assert set(parsed) == set(both)


# rdflib 7's own JSON-LD parser wraps the sink in a ConjunctiveGraph and warns about itself.
@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
def test_jsonld_read_by_rdflib(tmp_path: Path, data: Graph) -> None:
    path = _write(tmp_path, data, "jsonld")
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document["@context"] == PREFIXES
    parsed = Graph().parse(path, format="json-ld")
    assert len(parsed) == len(data)
    # No blank nodes in kg, so isomorphism is set equality (literal datatypes included).
    assert set(parsed) == set(data)


def test_graphml_read_by_networkx(tmp_path: Path, data: Graph, mechanisms: nx.MultiDiGraph) -> None:
    path = _write(tmp_path, data, "graphml")
    read = nx.read_graphml(path, force_multigraph=True)
    assert read.is_directed()
    assert read.number_of_nodes() == mechanisms.number_of_nodes()
    assert read.number_of_edges() == mechanisms.number_of_edges()
    assert set(read.edges(keys=True)) == set(mechanisms.edges(keys=True))
    edge = read.edges[PTEN_EDGE]
    assert edge["relation"] == "repressesTarget"
    assert edge["sign"] == -1
    assert edge["evidence_count"] == 2
    assert "as exosomal miR-21 inhibits phosphatase and tensin homolog (PTEN)" in edge["quotes"]
    assert "[20] Cheng et al. 2018" in edge["references"].split(export.JOIN)
    assert "rat" in edge["species"]
    assert read.nodes["miR-21"]["type"] == "MicroRNA"
    assert "hsa-miR-21-5p" in read.nodes["miR-21"]["synonyms"].split(export.JOIN)
    for _, attrs in read.nodes(data=True):
        assert all(isinstance(v, str | int | bool) for v in attrs.values())
    for _, _, attrs in read.edges(data=True):
        assert all(isinstance(v, str | int | bool) for v in attrs.values())
    # What Cytoscape reads: only GraphML's scalar types are declared, and edge ids are the
    # assertion ids.
    root = ET.parse(path).getroot()
    types = {k.get("attr.type") for k in root.iter(f"{GRAPHML_NS}key")}
    assert types <= {"string", "long", "int", "boolean"}
    ids = {e.get("id") for e in root.iter(f"{GRAPHML_NS}edge")}
    assert ids == {key for _, _, key in mechanisms.edges(keys=True)}


def test_nodelink_read_by_networkx(
    tmp_path: Path, data: Graph, mechanisms: nx.MultiDiGraph
) -> None:
    path = _write(tmp_path, data, "nodelink")
    read = nx.node_link_graph(json.loads(path.read_text(encoding="utf-8")), edges="edges")
    assert read.is_directed()
    assert read.is_multigraph()
    assert read.number_of_nodes() == mechanisms.number_of_nodes()
    assert read.number_of_edges() == mechanisms.number_of_edges()
    assert set(read.edges(keys=True)) == set(mechanisms.edges(keys=True))
    edge = read.edges[PTEN_EDGE]
    assert [e["evidence"] for e in edge["evidence"]] == list(
        mechanisms.edges[PTEN_EDGE]["evidence"]
    )
    first = edge["evidence"][0]
    assert first["quote"] == "as exosomal miR-21 inhibits phosphatase and tensin homolog (PTEN)"
    assert first["reference_numbers"] == [20]
    assert first["reference"] == ["[20] Cheng et al. 2018"]
    assert read.nodes["miR-21"]["label"] == "miR-21"


def test_tsv_read_by_csv(tmp_path: Path, data: Graph) -> None:
    path = _write(tmp_path, data, "tsv")
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle, delimiter="\t"))
    header, body = rows[0], rows[1:]
    assert tuple(header) == export.TSV_COLUMNS
    assert len(body) == len(provenance.read_evidence(data))
    assert all(len(row) == len(header) for row in body)
    records = [dict(zip(header, row, strict=True)) for row in body]
    assert len({r["evidence"] for r in records}) == len(records)
    pten = next(r for r in records if r["evidence"] == "mir21-represses-pten-1")
    assert pten["assertion"] == "mir21-represses-pten"
    assert (pten["subject"], pten["relation"], pten["sign"], pten["object"]) == (
        "miR-21",
        "repressesTarget",
        "-1",
        "PTEN",
    )
    assert pten["reference"] == "[20] Cheng et al. 2018"
    assert pten["level"] == "stated"
    assert pten["citation_mismatch"] == "false"
    assert any(r["citation_mismatch"] == "true" and r["citation_note"] for r in records)
    assert any(r["level"] == "inferred" and r["inference_reason"] for r in records)


def test_cli_writes_stdout_by_default() -> None:
    result = CliRunner().invoke(cli, ["export", "--format", "tsv"])
    assert result.exit_code == 0, result.output
    assert result.stdout.split("\n", 1)[0].split("\t") == list(export.TSV_COLUMNS)


def test_cli_data_option(tmp_path: Path) -> None:
    out = tmp_path / "refs.nt"
    refs = shipped.data_dir() / "references.ttl"
    result = CliRunner().invoke(
        cli, ["export", "--format", "nt", "--data", str(refs), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert len(Graph().parse(out, format="nt")) == len(rdf.load([refs]))


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kg", "export", *args], capture_output=True, text=True, check=False
    )


@pytest.mark.parametrize("where", ["missing-dir/out.ttl", "a-file/out.ttl", "a-dir"])
def test_unwritable_out_is_one_line_and_writes_nothing(tmp_path: Path, where: str) -> None:
    (tmp_path / "a-file").write_text("keep\n")
    (tmp_path / "a-dir").mkdir()
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    result = _run("--format", "ttl", "--out", str(tmp_path / where))
    assert result.returncode != 0
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert str(tmp_path / where) in lines[0]
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before
    assert (tmp_path / "a-file").read_text() == "keep\n"


def test_missing_data_file_is_one_line_and_keeps_old_output(tmp_path: Path) -> None:
    out = tmp_path / "out.ttl"
    out.write_text("previous export\n")
    result = _run("--format", "ttl", "--data", str(tmp_path / "nope.ttl"), "--out", str(out))
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"kg: error: {tmp_path / 'nope.ttl'}: no such file"
    ]
    assert out.read_text() == "previous export\n"
    assert sorted(tmp_path.iterdir()) == [out]


def test_with_ontology_needs_an_rdf_format() -> None:
    result = CliRunner().invoke(cli, ["export", "--format", "graphml", "--with-ontology"])
    assert result.exit_code == 2
    assert "--with-ontology" in result.stderr
    assert result.stdout == ""


def test_unknown_format_is_clicks_usage_error() -> None:
    result = CliRunner().invoke(cli, ["export", "--format", "xml"])
    assert result.exit_code == 2
    assert "'xml' is not one of" in result.stderr


def test_failed_replace_leaves_target_and_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out.tsv"
    target.write_text("old\n")

    def refuse(*_: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(KGError, match="No space left on device"):
        export.write_atomic("new\n", target)
    assert target.read_text() == "old\n"
    assert sorted(tmp_path.iterdir()) == [target]


def test_unknown_format_in_library_raises() -> None:
    with pytest.raises(KGError, match="unknown export format 'xml'"):
        export.export(Graph(), "xml")


def test_cli_formats_match_library() -> None:
    from kg.cli import export as cli_export

    command = cli_export.COMMANDS[0]
    choice = next(p for p in command.params if p.name == "fmt").type
    assert isinstance(choice, click.Choice)
    assert tuple(choice.choices) == export.FORMATS
