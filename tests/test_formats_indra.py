"""kg's INDRA export read by INDRA itself: stmts_from_json, the belief engine given priors for
kg's evidence, the IndraNet assembler and INDRA's signed path search."""

from __future__ import annotations

import importlib.util
import itertools
import json
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from kg.model.identifiers import load_tables
from kg.store.knowledge import Knowledge, load_knowledge
from kg.views.formats.indra import STATEMENT_TYPES, indra_json
from tests.support import require

KG_PRIORS = {"rand": {"kg": 0.05}, "syst": {"kg": 0.01}}


@pytest.fixture(scope="module")
def view() -> Knowledge:
    return load_knowledge()


@pytest.fixture(scope="module")
def statements(view: Knowledge) -> list[Any]:
    try:
        from indra.statements import stmts_from_json
    except ImportError:
        require("indra is not installed (pip install -e '.[test]')")
    return list(stmts_from_json(json.loads(indra_json(view))))


def _model_checker() -> ModuleType:
    """INDRA's model_checker module, loaded from its file: the package's __init__ also imports
    the PySB checker, whose Kappa and pygraphviz dependencies a signed search does not need."""
    import indra

    path = Path(indra.__file__).parent / "explanation" / "model_checker" / "model_checker.py"
    spec = importlib.util.spec_from_file_location("indra_model_checker", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_signed_assertion_loads_as_a_statement(
    view: Knowledge, statements: list[Any]
) -> None:
    signed = [
        (key, d) for _, _, key, d in view.mechanisms.edges(keys=True, data=True)
        if d["causal"] and d["relation"] in STATEMENT_TYPES
    ]  # fmt: skip
    assert len(statements) == len(signed) > 300
    by_assertion = {s.evidence[0].annotations["kg_assertion"]: s for s in statements}
    for key, attrs in signed:
        stmt = by_assertion[key]
        assert type(stmt).__name__ == STATEMENT_TYPES[attrs["relation"]]
        assert [e.source_id for e in stmt.evidence] == list(attrs["evidence"])
        for ev in stmt.evidence:
            assert ev.source_api == "kg"
            assert ev.text == view.evidence[ev.source_id].quote


def test_evidence_carries_reference_and_context(statements: list[Any]) -> None:
    stmt = next(s for s in statements if s.evidence[0].source_id == "mir21-represses-pten-1")
    assert type(stmt).__name__ == "DecreaseAmount"
    ev = stmt.evidence[0]
    assert ev.text_refs == {"DOI": "10.3390/ijms23137306"}
    assert ev.annotations["references"] == ["[20] Cheng et al. 2018"]
    assert ev.annotations["species"] == ["rat"]
    assert ev.annotations["cell_types"] == ["nucleus pulposus cell"]


def test_agents_are_grounded_to_identifiers_kg_checked(statements: list[Any]) -> None:
    tables = load_tables()
    prefixes = {"HGNC": "HGNC:", "MIRBASE": "mirbase:", "MESH": "mesh:", "FPLX": "fplx:", "GO": ""}
    grounded = 0
    for stmt in statements:
        for agent in stmt.agent_list():
            for namespace, prefix in prefixes.items():
                if namespace in agent.db_refs:
                    grounded += 1
                    assert tables.lookup(prefix + agent.db_refs[namespace]) is not None
    assert grounded > 300
    mir21 = next(a for s in statements for a in s.agent_list() if a.name == "miR-21")
    assert mir21.db_refs["MIRBASE"] == "MI0000077"


def test_belief_engine_needs_priors_for_kg(statements: list[Any]) -> None:
    from indra.belief import BeliefEngine, SimpleScorer

    with pytest.raises(Exception, match="missing probability parameter for source: kg"):
        BeliefEngine().set_prior_probs(statements)
    BeliefEngine(SimpleScorer(KG_PRIORS)).set_prior_probs(statements)
    one = next(s for s in statements if len(s.evidence) == 1)
    two = next(s for s in statements if len(s.evidence) == 2)
    assert one.belief == pytest.approx(1 - 0.05 - 0.01)
    assert one.belief < two.belief < 1


def test_indra_signed_path_search_finds_mir21_pten_pi3k_apoptosis(statements: list[Any]) -> None:
    from indra.assemblers.indranet import IndraNetAssembler
    from indra.belief import BeliefEngine, SimpleScorer
    from indra.explanation.pathfinding import bfs_search

    BeliefEngine(SimpleScorer(KG_PRIORS)).set_prior_probs(statements)
    net = IndraNetAssembler(statements).make_model(method="df")
    signed = net.to_signed_graph(flattening_method="complementary_belief")
    assert signed.number_of_edges() == len(statements)
    nodes = _model_checker().signed_edges_to_signed_nodes(signed, copy_edge_data={"belief"})
    # sign 1: the search ends on apoptosis *decreased* (INDRA: 0 = up, 1 = down).
    found = bfs_search(nodes, ("miR-21", 0), depth_limit=3, sign=1, max_per_node=1000)
    paths = [p for p in itertools.islice(found, 5000) if p[-1] == ("apoptosis", 1)]
    expected = (("miR-21", 0), ("PTEN", 1), ("PI3K/AKT signaling pathway", 0), ("apoptosis", 1))
    assert expected in paths
    up = bfs_search(nodes, ("miR-21", 0), depth_limit=3, sign=0, max_per_node=1000)
    assert expected not in list(itertools.islice(up, 5000))
