"""kg import --format indra: INDRA Statements JSON in, with provenance and entity
reconciliation; each rejected statement reported as FILE:#N; kg's own export round-trips."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.curation.indra import read_indra
from kg.curation.validate import validate
from kg.model import shipped
from kg.store import rdf
from kg.store.knowledge import Knowledge, derive, load_knowledge
from kg.views.formats.common import groundings


@pytest.fixture(scope="module")
def view() -> Knowledge:
    return load_knowledge()


def _signed(view: Knowledge) -> set[tuple[str, str, str, int]]:
    return {
        (u, v, d["relation"], d["sign"])
        for u, v, d in view.mechanisms.edges(data=True)
        if d["causal"] and d["sign"] != 0
    }


def _agent(name: str, **refs: str) -> dict[str, Any]:
    return {"name": name, "db_refs": {"TEXT": name, **refs}}


def _statement(kind: str, subj: Any, obj: Any, *evidence: dict[str, Any]) -> dict[str, Any]:
    return {"type": kind, "subj": subj, "obj": obj, "evidence": list(evidence)}


def _evidence(text: str = "X inhibits Y in cells", pmid: str = "12345678") -> dict[str, Any]:
    return {"source_api": "reach", "source_id": "r1", "text": text, "pmid": pmid}


def test_export_then_import_gives_the_same_signed_edges(view: Knowledge, tmp_path: Path) -> None:
    runner = CliRunner()
    exported, out = tmp_path / "kg.indra.json", tmp_path / "back.ttl"
    done = runner.invoke(cli, ["export", "--format", "indra", "--out", str(exported)])
    assert done.exit_code == 0, done.output
    done = runner.invoke(cli, ["import", str(exported), "--format", "indra", "--out", str(out)])
    assert done.exit_code == 0, done.output
    statements = json.loads(exported.read_text(encoding="utf-8"))
    evidence = sum(len(s["evidence"]) for s in statements)
    n = len(statements)
    assert done.stdout.startswith(f"imported {n} statement(s) of {n} ({evidence} evidence) as ")
    back = derive(rdf.load([out]))
    assert _signed(back) == _signed(view)
    assert len(_signed(view)) > 300
    assert back.evidence
    assert all(e.source == "kg" for e in back.evidence.values())
    report = validate([out])
    assert report.ok, report.problems[:5]


def _first_with(view: Knowledge, namespace: str) -> tuple[str, str]:
    """A shipped entity grounded in ``namespace`` and its identifier there."""
    for node in sorted(view.mechanisms):
        found = groundings(view, node)
        if namespace in found:
            return node, found[namespace]
    raise AssertionError(f"no shipped entity has a {namespace} identifier")


def _unused_hgnc(view: Knowledge) -> tuple[str, str]:
    """An HGNC record of kg's table that no shipped entity has: (number, symbol)."""
    used = {x for n in view.mechanisms for x in view.mechanisms.nodes[n]["xrefs"]}
    with gzip.open(shipped.identifiers_dir() / "hgnc.tsv.gz", "rt", encoding="utf-8") as handle:
        next(handle)
        for line in handle:
            curie, label, _ = line.rstrip("\n").split("\t")
            if curie not in used:
                return curie.partition(":")[2], label
    raise AssertionError("every HGNC record is used")


def test_agents_reconcile_with_kg_entities(view: Knowledge, tmp_path: Path) -> None:
    pairs = {ns: _first_with(view, ns) for ns in ("HGNC", "MIRBASE", "GO", "MESH", "FPLX")}
    number, symbol = _unused_hgnc(view)
    agents = [_agent(f"name-{ns}", **{ns: ident}) for ns, (_, ident) in pairs.items()]
    new_gene = _agent(symbol, HGNC=number, UP="P00000")
    loose = _agent("some unheard-of process")
    stmts = [_statement("Activation", agents[0], a, _evidence()) for a in agents[1:]]
    stmts += [
        _statement("Inhibition", new_gene, agents[0], _evidence("text", "111")),
        _statement("IncreaseAmount", loose, new_gene, _evidence("more text", "222")),
    ]
    path = tmp_path / "stmts.json"
    path.write_text(json.dumps(stmts), encoding="utf-8")
    result = read_indra(path)
    assert result.bad == ()
    edges = {(a.subject, a.object) for a in result.assertions}
    hgnc = pairs["HGNC"][0]
    assert {(hgnc, pairs[ns][0]) for ns in ("MIRBASE", "GO", "MESH", "FPLX")} <= edges
    gene = next(e for e in result.entities.values() if e.label == symbol)
    assert gene.type == "GeneOrProtein"
    assert gene.xrefs == (f"HGNC:{number}",)
    assert gene.note is not None
    assert "UP:P00000" in gene.note
    process = next(e for e in result.entities.values() if e.label == "some unheard-of process")
    assert process.id not in view.mechanisms
    assert process.xrefs == ()
    ev = next(a for a in result.assertions if a.subject == gene.id).evidence[0]
    assert (ev.source, ev.source_record, ev.quote, ev.pmids) == ("reach", "r1", "text", ("111",))
    out = tmp_path / "out.ttl"
    done = CliRunner().invoke(cli, ["import", str(path), "--format", "indra", "--out", str(out)])
    assert done.exit_code == 0, done.output
    report = validate([out])
    assert report.ok, report.problems[:5]


def test_each_rejected_statement_is_reported_and_nothing_written(tmp_path: Path) -> None:
    good = _statement("Activation", _agent("PTEN", HGNC="9588"), _agent("x"), _evidence())
    stmts = [
        good,
        _statement("Complex", _agent("a"), _agent("b"), _evidence()),
        {"type": "Inhibition", "subj": _agent("a"), "obj": _agent("b"), "evidence": []},
        _statement("Inhibition", None, _agent("b"), _evidence()),
        _statement("Activation", _agent("a"), _agent("b"), {"text": "no source"}),
    ]
    path, out = tmp_path / "bad.json", tmp_path / "bad.ttl"
    path.write_text(json.dumps(stmts), encoding="utf-8")
    runner = CliRunner()
    done = runner.invoke(cli, ["import", str(path), "--format", "indra", "--out", str(out)])
    assert done.exit_code != 0
    lines = done.stderr.splitlines()
    assert [line.split(": ")[0] for line in lines[:4]] == [f"{path}:#{n}" for n in (2, 3, 4, 5)]
    assert "'Complex'" in lines[0]
    assert "Traceback" not in done.output
    assert not out.exists()
    done = runner.invoke(
        cli, ["import", str(path), "--format", "indra", "--out", str(out), "--skip-bad"]
    )
    assert done.exit_code == 0, done.output
    assert out.exists()
    assert len(derive(rdf.load([out])).mechanisms.edges) == 1


def test_a_file_that_is_not_statements_is_one_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('[{"type": "Activation",', encoding="utf-8")
    done = CliRunner().invoke(
        cli, ["import", str(path), "--format", "indra", "--out", str(tmp_path / "o.ttl")]
    )
    assert done.exit_code != 0
    assert done.stderr.startswith(f"kg: error: {path}:1: not JSON")
    assert "Traceback" not in done.output


def test_kg_evidence_citing_the_review_itself_keeps_it(tmp_path: Path) -> None:
    notes = {"section": "1", "cites_review": True}
    ev = {"source_api": "kg", "source_id": "e1", "text": "a sentence", "annotations": notes}
    stmt = _statement("Activation", _agent("PTEN", HGNC="9588"), _agent("new thing"), ev)
    path, out = tmp_path / "review.json", tmp_path / "review.ttl"
    path.write_text(json.dumps([stmt]), encoding="utf-8")
    result = read_indra(path)
    assert result.bad == ()
    evidence = result.assertions[0].evidence[0]
    assert evidence.cites_review
    assert evidence.references == ()
    done = CliRunner().invoke(cli, ["import", str(path), "--format", "indra", "--out", str(out)])
    assert done.exit_code == 0, done.output
    assert next(iter(derive(rdf.load([out])).evidence.values())).cites_review
