"""Upstream and downstream: what a node affects, or what affects it, within a few hops.

The net effect on (or of) each entity is taken over *all simple paths* of at most
``max_hops`` hops, exactly: ``mixed`` when some path increases and another decreases. A
breadth-first search over (node, sign) states bounds which signs walks can reach; a sign
whose first walk repeats a node is confirmed or ruled out by the exact search of
:mod:`kg.reasoning.search`. The path shown is the best-evidenced of the shortest paths.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from itertools import islice
from typing import TYPE_CHECKING, Literal

from kg.reasoning.hierarchy import widen
from kg.reasoning.scores import rater_for
from kg.reasoning.search import Deadline, Query, TimeLimitError, best_paths, bounds
from kg.reasoning.signed import Edge, Effect, Hop, MechanismPath, Rater, SignedView, check_nodes

if TYPE_CHECKING:
    import networkx as nx

    from kg.model.records import Evidence

__all__ = ["Reach", "Reached", "downstream", "upstream"]


@dataclass(frozen=True)
class Reach:
    """A node reached from (downstream) or reaching (upstream) the query node.

    ``hops``: the fewest hops; ``path``: the best-evidenced shortest path; ``net_effect``:
    over all simple paths within the bound (``complete`` is False when the time limit left
    a sign undecided).
    """

    node: str
    hops: int
    net_effect: Effect | Literal["mixed"]
    path: MechanismPath
    complete: bool = True


class Reached(list[Reach]):
    """The entities reached, sorted by hops then id; ``left_out`` lists the as-printed
    assertions within the bound that the evidence filter left out, ``kinds`` the kinds of
    the query entity that were included."""

    left_out: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()


_State = tuple[str, int]


def _walk(states: dict[_State, tuple[_State | None, Hop | None]], state: _State) -> list[Hop]:
    hops: list[Hop] = []
    current: _State | None = state
    while current is not None:
        parent, hop = states[current]
        if hop is not None:
            hops.append(hop)
        current = parent
    return hops[::-1]


def _simple(hops: list[Hop]) -> bool:
    nodes = {h.subject for h in hops} | {h.object for h in hops}
    return len(nodes) == len(hops) + 1  # a walk that repeats a node visits fewer


def _signs(
    view: SignedView,
    states: dict[_State, tuple[_State | None, Hop | None]],
    query: Query,
    deadline: Deadline,
) -> tuple[set[int], bool]:
    """The signs of the simple paths to the query's one target, and whether all were
    decided: a sign no walk reaches is out; one whose first walk is simple is in; the
    exact search decides the others."""
    (node,) = query.targets
    signs, complete = set(), True
    for sign in (1, -1):
        if (node, sign) not in states:
            continue
        if _simple(_walk(states, (node, sign))):
            signs.add(sign)
            continue
        try:
            table = bounds(view, query, deadline)
            if any(True for _ in islice(best_paths(view, query, table, deadline, sign=sign), 1)):
                signs.add(sign)
        except TimeLimitError:
            complete = False
    return signs, complete


def _reach(
    view: SignedView,
    query_node: str,
    starts: frozenset[str],
    max_hops: int,
    *,
    forward: bool,
    stop: frozenset[str],
    deadline: Deadline,
) -> Reached:
    states: dict[_State, tuple[_State | None, Hop | None]] = {(s, 1): (None, None) for s in starts}
    best: dict[str, tuple[float, int, tuple[Hop, ...]]] = dict.fromkeys(starts, (0.0, 0, ()))
    frontier: list[_State] = sorted(states)
    for depth in range(1, max_hops + 1):
        layer: list[_State] = []
        for node, sign in frontier:
            if node in stop and node not in starts:
                continue  # reported, never relayed
            cost_here, _, hops_here = best[node]
            edges: list[Edge] = view.edges(node, forward=forward)
            for edge in edges:
                other = edge.other
                if other in starts:
                    continue
                state = (other, sign * edge.hop.sign)
                if state not in states:
                    states[state] = ((node, sign), edge.hop)
                    layer.append(state)
                if best.get(other, (0.0, depth, ()))[1] < depth or len(hops_here) != depth - 1:
                    continue
                hops = (*hops_here, edge.hop) if forward else (edge.hop, *hops_here)
                current = best.get(other)
                if current is None or cost_here + edge.cost < current[0]:
                    best[other] = (cost_here + edge.cost, depth, hops)
        frontier = sorted(layer)
    found = Reached()
    for node in sorted(best, key=lambda n: (best[n][1], n)):
        _cost, hops_n, hops = best[node]
        if not hops:
            continue
        query = Query(starts, frozenset((node,)), max_hops, stop=stop, forward=forward)
        signs, complete = _signs(view, states, query, deadline)
        effect: Effect | Literal["mixed"] = (
            "mixed" if len(signs) > 1 else "increases" if 1 in signs else "decreases"
        )
        scores = [view.score(h) for h in hops]
        end = hops[0].subject if forward else hops[-1].object
        kind = None if end == query_node else end
        path = MechanismPath(
            hops,
            (min(scores), view.path_score(MechanismPath(hops))),
            source_kind=kind if forward else None,
            target_kind=None if forward else kind,
        )
        found.append(Reach(node, hops_n, effect, path, complete))
    found.left_out = _left_out(view, best, max_hops, forward=forward)
    found.kinds = tuple(sorted(starts - {query_node}))
    return found


def _left_out(
    view: SignedView,
    best: Mapping[str, tuple[float, int, tuple[Hop, ...]]],
    max_hops: int,
    *,
    forward: bool,
) -> tuple[str, ...]:
    """As-printed assertions dropped by the filter that leave (downstream) or enter
    (upstream) a node reached in fewer than ``max_hops`` hops."""
    return tuple(
        sorted(
            key
            for key, (u, v, _) in view.left_out.items()
            if (near := u if forward else v) in best and best[near][1] < max_hops
        )
    )


def _run(
    graph: nx.MultiDiGraph,
    node: str,
    *,
    forward: bool,
    max_hops: int,
    keep_evidence: Callable[[str], bool] | None,
    evidence_weight: Mapping[str, float] | None,
    evidence: Mapping[str, Evidence] | None,
    no_pass_through: Iterable[str],
    exact: bool,
    time_limit: float,
    view: SignedView | None,
    rater: Rater | None,
) -> Reached:
    check_nodes(graph, [node])
    base = view or SignedView(
        graph, keep_evidence, evidence_weight, evidence,
        rater=rater or rater_for(graph, evidence, evidence_weight),
    )  # fmt: skip
    starts = widen(graph, node, exact=exact)
    stop = frozenset(no_pass_through) - starts
    return _reach(
        base, node, starts, max_hops, forward=forward, stop=stop, deadline=Deadline(time_limit)
    )


def downstream(
    graph: nx.MultiDiGraph,
    source: str,
    *,
    max_hops: int = 3,
    keep_evidence: Callable[[str], bool] | None = None,
    evidence_weight: Mapping[str, float] | None = None,
    evidence: Mapping[str, Evidence] | None = None,
    no_pass_through: Iterable[str] = (),
    exact: bool = False,
    time_limit: float = 5.0,
    view: SignedView | None = None,
    rater: Rater | None = None,
) -> Reached:
    """What ``source`` (and, unless ``exact``, its kinds) affects: every node within
    ``max_hops``, its net effect over all simple paths, and its best-evidenced shortest path
    (the highest evidence score among the shortest; ``rater``, ``evidence_weight`` as for
    :func:`kg.reasoning.paths.trace`). Nodes in ``no_pass_through`` are reported but not
    expanded.

    Example:
        >>> import networkx as nx
        >>> g = nx.MultiDiGraph()
        >>> for u, v, s in [("A", "B", 1), ("B", "C", -1), ("A", "C", 1)]:
        ...     _ = g.add_edge(u, v, key=u + v, relation="r", sign=s, causal=True,
        ...                    evidence=(u + v,), contradicts=())
        >>> [(r.node, r.hops, r.net_effect) for r in downstream(g, "A")]
        [('B', 1, 'increases'), ('C', 1, 'mixed')]
    """
    return _run(
        graph, source, forward=True, max_hops=max_hops, keep_evidence=keep_evidence,
        evidence_weight=evidence_weight, evidence=evidence, no_pass_through=no_pass_through,
        exact=exact, time_limit=time_limit, view=view, rater=rater,
    )  # fmt: skip


def upstream(
    graph: nx.MultiDiGraph,
    target: str,
    *,
    max_hops: int = 3,
    keep_evidence: Callable[[str], bool] | None = None,
    evidence_weight: Mapping[str, float] | None = None,
    evidence: Mapping[str, Evidence] | None = None,
    no_pass_through: Iterable[str] = (),
    exact: bool = False,
    time_limit: float = 5.0,
    view: SignedView | None = None,
    rater: Rater | None = None,
) -> Reached:
    """What regulates ``target`` (and, unless ``exact``, its kinds): every node within
    ``max_hops`` upstream, its net effect on the target over all simple paths, and its
    best-evidenced shortest path."""
    return _run(
        graph, target, forward=False, max_hops=max_hops, keep_evidence=keep_evidence,
        evidence_weight=evidence_weight, evidence=evidence, no_pass_through=no_pass_through,
        exact=exact, time_limit=time_limit, view=view, rater=rater,
    )  # fmt: skip
