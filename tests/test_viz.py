"""kg.viz and `kg viz` without a browser: one self-contained file, no network references, the
embedded data complete and escaped, nothing written but the requested file."""

from __future__ import annotations

import json
import re
from importlib import resources
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from kg.cli import cli
from kg.curation.stats import stats
from kg.model import shipped
from kg.model.errors import KGError, NotFoundError
from kg.model.records import Evidence, Level, StudyType
from kg.reasoning.paths import trace
from kg.store import rdf
from kg.store.knowledge import Knowledge, evidence_filter, load_knowledge
from kg.views.layout import PHYSICS_LIMIT, layout
from kg.views.page import escape_json, graph_html, graph_page, trace_page

# vis-network's core-js polyfill holds the string "<script>" (harmless inside a script).
VIS_SCRIPT_TAGS = (
    (resources.files("pyvis") / "lib/vis-9.1.2/vis-network.min.js")
    .read_text(encoding="utf-8")
    .count("<script")
)
INJECTIONS = (
    "<img src=x onerror=alert(1)>",
    "</script><script>alert(1)</script>",
    "<!--<script>",
    "a & b \u2028 \u2029 > c",
)


@pytest.fixture(scope="module")
def kg() -> Knowledge:
    return load_knowledge()


def payload(html: str) -> dict[str, Any]:
    """The JSON document the page draws."""
    match = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', html, re.S)
    assert match, "no kg-data script"
    result: dict[str, Any] = json.loads(match.group(1))
    return result


def synthetic(n: int, *, labels: tuple[str, ...] = ()) -> Knowledge:
    """A chain-plus-shortcuts graph of ``n`` nodes; the first nodes get ``labels``."""
    graph = nx.MultiDiGraph()
    evidence: dict[str, Evidence] = {}
    for i in range(n):
        label = labels[i] if i < len(labels) else f"node {i}"
        graph.add_node(f"n{i}", label=label, type="GeneOrProtein", synonyms=(f"syn{i}",))
    for i in range(1, n):
        for j, (u, v) in enumerate([(i - 1, i), (i // 2, i)]):
            eid = f"ev{i}-{j}"
            quote = labels[i % len(labels)] if labels else f"quote {i}"
            evidence[eid] = Evidence(
                eid,
                quote,
                "8.2",
                (1,),
                level=Level.STATED if i % 3 else Level.CURATOR_INFERRED,
                study_types=(StudyType.IN_VITRO,),
                inference_reason=None if i % 3 else "inferred",
            )
            graph.add_edge(
                f"n{u}",
                f"n{v}",
                key=f"a{i}-{j}",
                relation="increases" if j else "decreases",
                sign=1 if j else -1,
                causal=True,
                evidence=(eid,),
                contradicts=(),
            )
    return Knowledge(paths=(), mechanisms=graph, entities=graph, evidence=evidence, references={})


def test_whole_graph_embeds_every_node_and_edge(kg: Knowledge) -> None:
    page = graph_page(kg)
    data = payload(page.html)
    graph = kg.mechanisms
    assert page.nodes == len(data["nodes"]) == graph.number_of_nodes()
    assert page.edges == len(data["edges"]) == graph.number_of_edges()
    assert {e["assertion"] for e in data["edges"]} == {k for _, _, k in graph.edges(keys=True)}
    cited = {eid for e in data["edges"] for eid in e["evidence"]}
    assert cited == set(data["evidence"])
    assert data["physics"] is (graph.number_of_nodes() <= PHYSICS_LIMIT)


@pytest.mark.parametrize("hops", [1, 2])
def test_focus_embeds_the_neighbourhood(kg: Knowledge, hops: int) -> None:
    data = payload(graph_page(kg, focus="miR-21", hops=hops).html)
    expected = nx.ego_graph(kg.mechanisms.to_undirected(as_view=True), "miR-21", radius=hops)
    assert {n["id"] for n in data["nodes"]} == set(expected)
    assert len(data["edges"]) == kg.mechanisms.subgraph(expected).number_of_edges()
    assert [n["id"] for n in data["nodes"] if n["mark"] == "focus"] == ["miR-21"]


def test_focus_on_unknown_node_is_an_error(kg: Knowledge) -> None:
    with pytest.raises(KGError, match="no-such-node"):
        graph_page(kg, focus="no-such-node")


def test_evidence_record_has_display_fields(kg: Knowledge) -> None:
    data = payload(graph_page(kg, focus="PTEN", hops=1).html)
    edge = next(e for e in data["edges"] if e["assertion"] == "mir21-represses-pten")
    assert (edge["sign"], edge["words"]) == (-1, "targets and represses")
    record = data["evidence"][edge["evidence"][0]]
    assert record["citation"] == "[20] Cheng et al. 2018, J. Cell. Mol. Med."
    assert record["quote"] in {kg.evidence[e].quote for e in edge["evidence"]}
    assert {"section", "study_type", "species", "cell_type", "level", "flags"} <= set(record)


def test_evidence_filter_drops_edges_without_matching_evidence(kg: Knowledge) -> None:
    keep = evidence_filter(kg.evidence, study_types=[StudyType.CLINICAL])
    data = payload(graph_page(kg, keep_evidence=keep).html)
    assert 0 < len(data["edges"]) < kg.mechanisms.number_of_edges()
    for edge in data["edges"]:
        assert all("clinical" in data["evidence"][e]["study_type"] for e in edge["evidence"])
    touched = {e["from"] for e in data["edges"]} | {e["to"] for e in data["edges"]}
    assert {n["id"] for n in data["nodes"]} == touched


def test_trace_page_marks_the_paths(kg: Knowledge) -> None:
    result = trace(kg.mechanisms, "miR-21", "apoptosis")
    data = payload(trace_page(kg, result, hops=1).html)
    hops = {(h.subject, h.object, h.assertion) for p in result.paths for h in p.hops}
    assert {(e["from"], e["to"], e["assertion"]) for e in data["edges"] if e["path"]} == hops
    marks = {n["id"]: n["mark"] for n in data["nodes"]}
    assert (marks["miR-21"], marks["apoptosis"], marks["PTEN"]) == ("source", "target", "path")
    assert len(data["paths"]) == len(result.paths)
    assert data["paths"][0]["text"].startswith("miR-21")


def test_page_is_one_file_without_network_references(kg: Knowledge) -> None:
    html = graph_page(kg, focus="miR-21").html
    assert html.startswith("<!DOCTYPE html>")
    assert "default-src 'none'" in html
    tags = re.findall(r"<(script|link|iframe|img|object|embed|base)\b[^>]*>", html, re.I)
    assert [t.lower() for t in tags] == ["script"] * (3 + VIS_SCRIPT_TAGS)
    assert not re.search(r"<script[^>]*\bsrc\s*=", html, re.I)
    assert not re.search(r"""(?:src|href|action)\s*=\s*["']?\s*(?:https?:)?//""", html, re.I)
    assert not re.search(r"@import", html, re.I)
    urls = re.findall(r"url\(\s*['\"]?([^'\")]{0,12})", html)
    assert urls
    assert all(u.startswith("data:") for u in urls)


def test_cli_writes_only_the_requested_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["viz", "--out", "graph.html"])
    assert result.exit_code == 0, result.output
    assertions = stats(rdf.load(shipped.data_files())).totals["assertions"]
    assert f"{assertions} assertions" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.html"]
    assert not (tmp_path / "lib").exists()
    out = tmp_path / "sub"
    out.mkdir()
    result = CliRunner().invoke(
        cli, ["viz", "-o", "sub/f.html", "--focus", "hsa-miR-21-5p", "--hops", "1"]
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["f.html"]
    data = payload((out / "f.html").read_text(encoding="utf-8"))
    assert [n["id"] for n in data["nodes"] if n["mark"] == "focus"] == ["miR-21"]


def test_cli_unknown_focus_suggests(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["viz", "--out", str(tmp_path / "x.html"), "--focus", "PTNE"])
    assert result.exit_code == 2
    assert "did you mean" in result.output
    assert not (tmp_path / "x.html").exists()


def test_cli_filters(tmp_path: Path) -> None:
    out = tmp_path / "f.html"
    args = ["viz", "-o", str(out), "--study-type", "clinical", "--evidence", "stated"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    data = payload(out.read_text(encoding="utf-8"))
    assert data["edges"]
    assert all(r["level"] == "stated" for r in data["evidence"].values())


def test_missing_directory_is_a_user_error(kg: Knowledge, tmp_path: Path) -> None:
    with pytest.raises(NotFoundError):
        graph_html(kg, tmp_path / "nope" / "x.html", focus="miR-21")


@given(st.text())
def test_escape_json_round_trips_and_hides_markup(text: str) -> None:
    value = {"label": text, "list": [text, "</script>"]}
    escaped = escape_json(value)
    assert not set("<>&\u2028\u2029") & set(escaped)
    assert json.loads(escaped) == value


def test_injection_labels_and_quotes_stay_data() -> None:
    knowledge = synthetic(6, labels=INJECTIONS)
    html = graph_page(knowledge).html
    for text in INJECTIONS:
        assert text not in html
    assert html.lower().count("<script") == 3 + VIS_SCRIPT_TAGS
    assert html.lower().count("</script") == 3
    data = payload(html)
    assert {n["label"] for n in data["nodes"]} >= set(INJECTIONS)
    assert {r["quote"] for r in data["evidence"].values()} >= set(INJECTIONS)


def test_large_graph_gets_a_precomputed_layout_and_no_physics() -> None:
    knowledge = synthetic(PHYSICS_LIMIT + 50)
    page = graph_page(knowledge)
    data = payload(page.html)
    assert data["physics"] is False
    assert page.nodes == PHYSICS_LIMIT + 50 == len({(n["x"], n["y"]) for n in data["nodes"]})
    assert page.edges == knowledge.mechanisms.number_of_edges()


def test_layout_is_deterministic_and_separates_components() -> None:
    graph = nx.MultiDiGraph([("a", "b"), ("b", "c"), ("x", "y")])
    graph.add_node("lonely")
    first, second = layout(graph), layout(graph)
    assert first == second
    assert set(first) == {"a", "b", "c", "x", "y", "lonely"}
    assert len(set(first.values())) == 6
