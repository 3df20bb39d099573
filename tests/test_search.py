"""The exact signed search against brute-force enumeration on random small graphs, and on a
lattice built to defeat enumeration."""

from __future__ import annotations

import math
from collections.abc import Iterator
from unittest.mock import patch

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.reasoning import search
from kg.reasoning.paths import trace
from kg.reasoning.reach import downstream, upstream
from kg.reasoning.signed import Effect, SignedView

NODES = [f"n{i}" for i in range(7)]


@st.composite
def graphs(draw: st.DrawFn) -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    g.add_nodes_from(NODES)
    edges = draw(
        st.lists(
            st.tuples(
                st.sampled_from(NODES),
                st.sampled_from(NODES),
                st.sampled_from([1, -1, 1, -1, 0]),
                st.integers(1, 3),
            ),
            max_size=22,
        )
    )
    for i, (u, v, sign, n_evidence) in enumerate(edges):
        if u != v:
            g.add_edge(
                u, v, key=f"a{i}", relation="r", sign=sign, causal=sign != 0, contradicts=(),
                evidence=tuple(f"a{i}-{k}" for k in range(n_evidence)),
            )  # fmt: skip
    return g


def _brute(
    g: nx.MultiDiGraph,
    source: str,
    target: str,
    max_hops: int,
    *,
    via: frozenset[str] = frozenset(),
    avoid: frozenset[str] = frozenset(),
    stop: frozenset[str] = frozenset(),
) -> Iterator[tuple[tuple[str, ...], int]]:
    """Every simple signed path as (assertion ids, sign), by plain enumeration."""

    def walk(
        node: str, seen: list[str], keys: list[str], sign: int
    ) -> Iterator[tuple[tuple[str, ...], int]]:
        if keys and node == target:
            if via <= set(seen):
                yield tuple(keys), sign
            return
        if keys and node in stop:
            return
        if len(keys) == max_hops:
            return
        for _, v, key, data in g.out_edges(node, keys=True, data=True):
            if not data["causal"] or v in seen or v in avoid:
                continue
            yield from walk(v, [*seen, v], [*keys, key], sign * data["sign"])

    yield from walk(source, [source], [], 1)


def _cost(g: nx.MultiDiGraph, keys: tuple[str, ...]) -> tuple[float, int]:
    """The rank of a path (lower first): −log of its score, then its hops. Without records
    each evidence scores 1/2 and a hop's evidence combine by noisy-or: 1 − (1/2)^n."""
    lookup = {k: d for _, _, k, d in g.edges(keys=True, data=True)}
    cost = 0.0
    for key in keys:
        cost += -math.log(1 - 0.5 ** len(lookup[key]["evidence"]))
    return round(cost, 9), len(keys)


EFFECT: dict[int, Effect] = {1: "increases", -1: "decreases"}


@settings(max_examples=400, deadline=None)
@given(
    g=graphs(),
    max_hops=st.integers(1, 5),
    via_node=st.sampled_from(NODES[2:]),
    stop=st.sets(st.sampled_from(NODES[2:]), max_size=1),
    limit=st.integers(1, 4),
    budget=st.sampled_from([0, 3, search.SCAN_BUDGET]),
)
def test_trace_matches_brute_force(
    *, g: nx.MultiDiGraph, max_hops: int, via_node: str, stop: set[str], limit: int, budget: int
) -> None:
    # a small scan budget leaves most nodes beyond the bound's horizon: still exact
    with patch.object(search, "SCAN_BUDGET", budget):
        _check_trace(g, max_hops, via_node, stop, limit)


def _check_trace(
    g: nx.MultiDiGraph, max_hops: int, via_node: str, stop: set[str], limit: int
) -> None:
    source, target = "n0", "n1"
    via = (
        frozenset({via_node})
        if via_node not in stop and len(g) > 3 and max_hops > 2
        else frozenset()
    )
    brute = list(_brute(g, source, target, max_hops, via=via, stop=frozenset(stop)))
    result = trace(
        g, source, target, max_hops=max_hops, limit=limit, via=via, no_pass_through=stop,
        time_limit=60,
    )  # fmt: skip
    assert not result.truncated
    assert set(result.reachable) == {EFFECT[s] for _, s in brute}
    for sign in (1, -1):
        assert result.count(EFFECT[sign]) == (sum(1 for _, s in brute if s == sign), True)
    by_keys = dict(brute)
    shown = [tuple(h.assertion for h in p.hops) for p in result.paths]
    assert len(shown) == len(set(shown)) == min(limit, len(brute))
    for path, keys in zip(result.paths, shown, strict=True):
        assert keys in by_keys
        assert path.sign == by_keys[keys]
        assert len(set(path.nodes)) == len(path.nodes) <= max_hops + 1
    if brute:
        ranks = sorted(_cost(g, k) for k, _ in brute)
        shown_ranks = [_cost(g, k) for k in shown]
        assert shown_ranks[0] == ranks[0]  # the best-scored path comes first
        assert shown_ranks == sorted(shown_ranks)
        # the shown paths are the best ones, except that a sign's best path may replace the
        # worst shown path of a sign shown more than once
        if len({s for _, s in brute}) == 1:
            assert shown_ranks == ranks[: len(shown)]
        assert {EFFECT[s] for _, s in brute} <= set(result.effects) or limit < 2


@settings(max_examples=300, deadline=None)
@given(
    graphs(),
    st.integers(1, 4),
    st.sets(st.sampled_from(NODES[1:]), max_size=1),
    st.sampled_from([0, search.SCAN_BUDGET]),
)
def test_reach_matches_brute_force(
    g: nx.MultiDiGraph, max_hops: int, stop: set[str], budget: int
) -> None:
    with patch.object(search, "SCAN_BUDGET", budget):
        _check_reach(g, max_hops, stop)


def _check_reach(g: nx.MultiDiGraph, max_hops: int, stop: set[str]) -> None:
    down = {r.node: r for r in downstream(g, "n0", max_hops=max_hops, no_pass_through=stop)}
    up = {r.node: r for r in upstream(g, "n0", max_hops=max_hops, no_pass_through=stop)}
    rev = g.reverse(copy=True)
    for node in NODES[1:]:
        for reached, graph in ((down, g), (up, rev)):
            brute = list(_brute(graph, "n0", node, max_hops, stop=frozenset(stop)))
            if not brute:
                assert node not in reached
                continue
            r = reached[node]
            signs = {s for _, s in brute}
            assert r.net_effect == (EFFECT[signs.pop()] if len(signs) == 1 else "mixed")
            assert r.hops == len(r.path.hops) == min(len(k) for k, _ in brute)
            assert r.complete


def _lattice(n: int) -> nx.MultiDiGraph:
    """An n x n grid, S at one corner and T at the other, steps right or down: C(2n, n)
    paths of 2n hops. One hop out of the far corner of the first row decreases; only one
    path (along the first row, then down the last column) passes that corner."""
    g = nx.MultiDiGraph()

    def add(u: str, v: str, sign: int) -> None:
        g.add_edge(u, v, key=f"{u}>{v}", relation="r", sign=sign, causal=True,
                   evidence=(f"{u}>{v}",), contradicts=())  # fmt: skip

    def name(i: int, j: int) -> str:
        return "S" if (i, j) == (0, 0) else "T" if (i, j) == (n, n) else f"{i}.{j}"

    for i in range(n + 1):
        for j in range(n + 1):
            if j < n:
                add(name(i, j), name(i, j + 1), 1)
            if i < n:
                add(name(i, j), name(i + 1, j), -1 if (i, j) == (0, n) else 1)
    return g


def test_lattice_with_one_path_of_the_other_sign_answers_mixed_and_shows_it() -> None:
    n = 15
    g = _lattice(n)
    assert math.comb(2 * n, n) >= 10**8
    result = trace(g, "S", "T", max_hops=2 * n, limit=5, time_limit=60)
    assert result.net_effect == "mixed"
    assert not result.truncated
    (odd,) = [p for p in result.paths if p.net_effect == "decreases"]
    corner = [f"0.{j}" for j in range(1, n + 1)] + [f"{i}.{n}" for i in range(1, n)]
    assert odd.nodes == ("S", *corner, "T")
    assert result.count("decreases") == (1, True)
    assert result.count("increases") == (100, False)
    assert trace(g, "S", "T", max_hops=2 * n - 1).net_effect is None


def test_a_view_is_reused_across_calls() -> None:
    g = _lattice(3)
    view = SignedView(g)
    first = trace(g, "S", "T", max_hops=6, view=view)
    again = trace(g, "S", "T", max_hops=6, view=view)
    assert first == again
    assert view.out("S") is view.out("S")
