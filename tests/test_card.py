"""kg.views.card and `kg show`: the entity card, against counts made from the graph here."""

from __future__ import annotations

import json

import networkx as nx
import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.model.records import Evidence
from kg.store.knowledge import Knowledge, load_knowledge
from kg.views.card import card_json, card_text, entity_card, registry_url
from kg.views.evidence import reference_label


@pytest.fixture(scope="module")
def kg() -> Knowledge:
    return load_knowledge()


def test_every_shipped_identifier_links_to_its_registry(kg: Knowledge) -> None:
    curies = {x for _, xs in kg.entities.nodes(data="xrefs") for x in xs or ()}
    assert curies
    missing = sorted(c for c in curies if registry_url(c) is None)
    assert missing == []
    assert registry_url("mesh:D017209") == "https://meshb.nlm.nih.gov/record/ui?ui=D017209"


@pytest.mark.parametrize("node", ["PTEN", "miR-21", "MSC-exosome", "apoptosis"])
def test_card_counts_match_the_graph(kg: Knowledge, node: str) -> None:
    graph = kg.mechanisms
    card = entity_card(kg, node)
    out = [(v, d["sign"]) for _, v, d in graph.out_edges(node, data=True) if d["causal"]]
    into = [(u, d["sign"]) for u, _, d in graph.in_edges(node, data=True) if d["causal"]]
    assert card.regulates["total"] == len({v for v, _ in out})
    assert card.regulates["decreases"] == len({v for v, s in out if s < 0})
    assert card.regulated_by["total"] == len({u for u, _ in into})
    assert card.regulated_by["increases"] == len({u for u, s in into if s > 0})
    evidence = {e for *_, d in graph.edges(node, data=True) for e in d["evidence"]}
    evidence |= {e for *_, d in graph.in_edges(node, data=True) for e in d["evidence"]}
    numbers = sorted({n for e in evidence for n in kg.evidence[e].references})
    labels = [reference_label(kg, n) for n in numbers]
    assert list(card.references) == labels[:30]
    assert card.more_references == max(0, len(labels) - 30)


def _hierarchy() -> Knowledge:
    graph = nx.MultiDiGraph()
    nodes = {
        "bm-exo": ("BM-MSC-derived exosomes", "ExtracellularVesicle"),
        "msc-exo": ("MSC-derived exosomes", "ExtracellularVesicle"),
        "apo": ("apoptosis", "BiologicalProcess"),
    }
    for node, (label, kind) in nodes.items():
        graph.add_node(node, label=label, type=kind, synonyms=(), xrefs=())
    evidence = {f"e{i}": Evidence(f"e{i}", f"quote {i}", "s", (7,)) for i in range(3)}
    edges = [
        ("bm-exo", "msc-exo", "kind", "kindOf", 0, False, ()),
        ("msc-exo", "apo", "down", "decreases", -1, True, ("up",)),
        ("bm-exo", "apo", "up", "increases", 1, True, ("down",)),
    ]
    for (u, v, key, relation, sign, causal, against), eid in zip(edges, evidence, strict=True):
        graph.add_edge(u, v, key=key, relation=relation, sign=sign, causal=causal,
                       evidence=(eid,), contradicts=against)  # fmt: skip
    return Knowledge(paths=(), mechanisms=graph, entities=graph, evidence=evidence, references={})


def test_kinds_and_contradictions() -> None:
    knowledge = _hierarchy()
    parent, child = entity_card(knowledge, "msc-exo"), entity_card(knowledge, "bm-exo")
    assert (parent.kinds, parent.kind_of) == (("bm-exo",), ())
    assert (child.kinds, child.kind_of) == ((), ("msc-exo",))
    assert child.regulates == {"total": 1, "increases": 1, "decreases": 0, "unsigned": 0}
    assert parent.contradictions == (("down", "up"),)
    assert entity_card(knowledge, "apo").contradictions == (("down", "up"), ("up", "down"))
    text = card_text(knowledge, "bm-exo")
    assert "is a kind of: MSC-derived exosomes" in text
    assert "up is contradicted by down" in text
    assert card_json(knowledge, "apo")["regulated_by"]["total"] == 2


def test_cli_text_and_json(kg: Knowledge) -> None:
    result = CliRunner().invoke(cli, ["show", "hsa-miR-21-5p"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == "miR-21 (micro RNA, id miR-21)"
    assert (
        "identifier: mirbase:MI0000077  https://www.mirbase.org/hairpin/MI0000077" in result.output
    )
    result = CliRunner().invoke(cli, ["show", "PTEN", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == card_json(kg, "PTEN")


def test_cli_unknown_entity_is_one_line_with_a_suggestion() -> None:
    result = CliRunner().invoke(cli, ["show", "PTNE"])
    assert result.exit_code == 2
    assert result.output.strip().count("\n") == 0
    assert "did you mean 'PTEN'" in result.output
    assert "Traceback" not in result.output
