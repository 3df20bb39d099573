"""Signed path search on small hand-made graphs whose answers are known."""

from __future__ import annotations

import networkx as nx
import pytest

from kg.model.errors import KGError
from kg.reasoning.paths import trace
from kg.reasoning.reach import downstream, upstream

SIGNS = {"increases": 1, "decreases": -1, "partOf": 0, "regulates": 0}


def _graph(*edges: tuple[str, str, str, str], evidence: int = 1) -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    for u, relation, v, key in edges:
        for node in (u, v):
            g.add_node(node, label=node, type="GeneOrProtein")
        g.add_edge(
            u, v, key=key, relation=relation, sign=SIGNS[relation],
            causal=relation != "partOf", contradicts=(),
            evidence=tuple(f"{key}-{i}" for i in range(1, evidence + 1)),
        )  # fmt: skip
    return g


@pytest.fixture
def chain() -> nx.MultiDiGraph:
    # A ⊣ B ⊣ C → D, and a direct A ⊣ D, and A → E ⊣ D
    return _graph(
        ("A", "decreases", "B", "ab"),
        ("B", "decreases", "C", "bc"),
        ("C", "increases", "D", "cd"),
        ("A", "decreases", "D", "ad"),
        ("A", "increases", "E", "ae"),
        ("E", "decreases", "D", "ed"),
        ("B", "partOf", "D", "b-part-d"),
    )


def test_paths_ranked_shortest_first_with_net_effect(chain: nx.MultiDiGraph) -> None:
    result = trace(chain, "A", "D")
    assert [p.nodes for p in result.paths] == [
        ("A", "D"), ("A", "E", "D"), ("A", "B", "C", "D"),
    ]  # fmt: skip
    assert [p.net_effect for p in result.paths] == ["decreases", "decreases", "increases"]
    assert result.net_effect == "mixed"
    assert result.consistent is False
    assert result.paths_with("increases") == (3,)
    assert result.paths_with("decreases") == (1, 2)
    assert result.paths[2].hops[0].evidence == ("ab-1",)


def test_non_causal_and_unsigned_edges_are_not_followed(chain: nx.MultiDiGraph) -> None:
    assert all(
        "b-part-d" not in {h.assertion for h in p.hops} for p in trace(chain, "A", "D").paths
    )
    assert "D" not in {r.node for r in downstream(chain, "B", max_hops=1)}


def test_equal_length_paths_rank_by_evidence_strength() -> None:
    g = _graph(("S", "increases", "X", "sx"), ("X", "increases", "T", "xt"))
    g.add_edge(
        "S",
        "Y",
        key="sy",
        relation="increases",
        sign=1,
        causal=True,
        contradicts=(),
        evidence=("e1", "e2"),
    )
    g.add_edge(
        "Y",
        "T",
        key="yt",
        relation="increases",
        sign=1,
        causal=True,
        contradicts=(),
        evidence=("e3", "e4"),
    )
    result = trace(g, "S", "T")
    assert [p.nodes for p in result.paths] == [("S", "Y", "T"), ("S", "X", "T")]
    weights = {"e1": 0.1, "e2": 0.1, "e3": 0.1, "e4": 0.1}
    result = trace(g, "S", "T", evidence_weight=weights)
    assert [p.nodes for p in result.paths] == [("S", "X", "T"), ("S", "Y", "T")]


def test_max_hops_via_avoid_and_limit(chain: nx.MultiDiGraph) -> None:
    assert [len(p.hops) for p in trace(chain, "A", "D", max_hops=2).paths] == [1, 2]
    assert [p.nodes for p in trace(chain, "A", "D", via=["C"]).paths] == [("A", "B", "C", "D")]
    assert [p.nodes for p in trace(chain, "A", "D", avoid=["E", "B"]).paths] == [("A", "D")]
    limited = trace(chain, "A", "D", limit=1)
    assert len(limited.paths) == 1
    assert limited.found == 3
    assert limited.net_effect == "mixed"


def test_consistent_when_all_paths_agree(chain: nx.MultiDiGraph) -> None:
    result = trace(chain, "A", "D", max_hops=2)
    assert (result.net_effect, result.consistent) == ("decreases", True)


def test_no_path_is_an_empty_result(chain: nx.MultiDiGraph) -> None:
    result = trace(chain, "D", "A")
    assert result.paths == ()
    assert (result.net_effect, result.consistent, result.truncated) == (None, None, False)


def test_evidence_filter_drops_edges(chain: nx.MultiDiGraph) -> None:
    result = trace(chain, "A", "D", keep_evidence=lambda e: not e.startswith("ad"))
    assert ("A", "D") not in [p.nodes for p in result.paths]


def test_counts_every_path_and_the_time_limit_says_when_it_was_hit() -> None:
    # a layered graph with 4 * 4 * 4 = 64 paths of 4 hops
    edges = []
    for layer in range(3):
        for i in range(4):
            for j in range(4):
                u = "S" if layer == 0 else f"L{layer}-{i}"
                edges.append((u, "increases", f"L{layer + 1}-{j}", f"{u}>{layer + 1}-{j}"))
    edges += [(f"L3-{j}", "increases", "T", f"L3-{j}>T") for j in range(4)]
    g = _graph(*dict.fromkeys(edges))
    result = trace(g, "S", "T", limit=100)
    assert (result.found, result.count("increases")) == (64, (64, True))
    assert len(result.paths) == 64
    capped = trace(g, "S", "T", count_limit=10)
    assert capped.count("increases") == (10, False)
    assert not capped.truncated
    timed = trace(g, "S", "T", time_limit=0.0)
    assert timed.truncated
    assert "s (raise --time-limit)" in str(timed.reason)


def test_errors(chain: nx.MultiDiGraph) -> None:
    with pytest.raises(KGError, match="same entity"):
        trace(chain, "A", "A")
    with pytest.raises(KGError, match="'Z' has no mechanism edges"):
        trace(chain, "A", "Z")
    with pytest.raises(KGError, match="--avoid cannot name"):
        trace(chain, "A", "D", avoid=["A"])
    with pytest.raises(KGError, match="at least 1"):
        trace(chain, "A", "D", max_hops=0)


def test_downstream_and_upstream_with_net_signs(chain: nx.MultiDiGraph) -> None:
    down = {r.node: (r.hops, r.net_effect) for r in downstream(chain, "A")}
    # D: A ⊣ D and A → E ⊣ D decrease it, A ⊣ B ⊣ C → D (3 hops) increases it
    assert down == {
        "B": (1, "decreases"), "D": (1, "mixed"), "E": (1, "increases"), "C": (2, "increases"),
    }  # fmt: skip
    assert {r.node: r.net_effect for r in downstream(chain, "A", max_hops=2)}["D"] == "decreases"
    up = {r.node: (r.hops, r.net_effect) for r in upstream(chain, "D", max_hops=2)}
    assert up == {
        "A": (1, "decreases"),
        "C": (1, "increases"),
        "E": (1, "decreases"),
        "B": (2, "decreases"),
    }


def test_upstream_reports_mixed_when_shortest_paths_disagree() -> None:
    g = _graph(
        ("S", "increases", "X", "sx"), ("X", "increases", "T", "xt"),
        ("S", "increases", "Y", "sy"), ("Y", "decreases", "T", "yt"),
    )  # fmt: skip
    (reach,) = [r for r in upstream(g, "T") if r.node == "S"]
    assert (reach.hops, reach.net_effect) == (2, "mixed")


def test_no_pass_through_nodes_end_paths_but_never_relay_them(chain: nx.MultiDiGraph) -> None:
    result = trace(chain, "A", "D", no_pass_through=["E", "D"])
    assert [p.nodes for p in result.paths] == [("A", "D"), ("A", "B", "C", "D")]
    down = {r.node for r in downstream(chain, "A", no_pass_through=["B"])}
    assert down == {"B", "D", "E"}
