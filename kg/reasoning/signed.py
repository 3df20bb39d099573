"""The signed view of a mechanism graph: hops, paths and their net effect.

Only causal, signed edges (``sign`` ±1) are followed; each hop keeps the assertion and the
evidence ids behind it, so every step of a path can be shown with who showed it. A
:class:`SignedView` reads the networkx graph lazily (only the nodes a search reaches) and
keeps what it read, so one view serves every query of a process on the same filters.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, NamedTuple, Protocol

from kg.model.errors import KGError
from kg.model.records import Evidence, Level

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["UNWEIGHTED", "Coherence", "Edge", "Effect", "Hop", "MechanismPath", "Rater",
           "SignedView", "ceiling", "check_nodes", "cost_of", "effect_of"]  # fmt: skip

Effect = Literal["increases", "decreases"]
#: How the hops of a path hang together: all supported by one study, all in one cell type,
#: or stitched across contexts (the ``--coherence`` values, best first).
Coherence = Literal["study", "cell-type", "stitched"]
#: The relation of the entity hierarchy: ``subject kindOf object``.
KIND_OF = "kindOf"


def effect_of(sign: int) -> Effect:
    """``increases`` for +1, ``decreases`` for -1."""
    return "increases" if sign > 0 else "decreases"


@dataclass(frozen=True)
class Hop:
    """One step of a path: an assertion ``subject relation object`` and its evidence ids.

    ``as_printed`` lists those of the evidence ids that read the review's words literally
    where the curation adopted another reading (only present with ``--evidence all``).
    """

    subject: str
    object: str
    assertion: str
    relation: str
    sign: int
    evidence: tuple[str, ...]
    as_printed: tuple[str, ...] = field(default=(), compare=False)


@dataclass(frozen=True)
class MechanismPath:
    """A chain of hops from a source to a target.

    ``strength`` is (weakest hop score, path score): the path score is what paths rank by
    (:mod:`kg.reasoning.scores`: the product of the hop scores, and the cross-context factor).
    ``source_kind``/``target_kind`` name the kind of the queried entity the path really
    starts or ends at (``BM-MSC-derived exosomes`` for a query on ``MSC-derived exosomes``),
    None when it is the queried entity itself. ``coherence`` says whether one study or one
    cell type supports every hop; ``studies``/``cell_types`` are the ones shared by all hops.
    """

    hops: tuple[Hop, ...]
    strength: tuple[float, float] = field(default=(0.0, 0.0), compare=False)
    source_kind: str | None = field(default=None, compare=False)
    target_kind: str | None = field(default=None, compare=False)
    coherence: Coherence = field(default="stitched", compare=False)
    studies: tuple[str, ...] = field(default=(), compare=False)
    cell_types: tuple[str, ...] = field(default=(), compare=False)

    @property
    def nodes(self) -> tuple[str, ...]:
        """Source, intermediate nodes and target, in order."""
        return (self.hops[0].subject, *(h.object for h in self.hops))

    @property
    def sign(self) -> int:
        """The product of the hop signs."""
        return math.prod(h.sign for h in self.hops)

    @property
    def net_effect(self) -> Effect:
        """``increases`` when the product of signs is +1, else ``decreases``."""
        return effect_of(self.sign)

    @property
    def as_printed(self) -> bool:
        """Whether some hop rests on an as-printed reading."""
        return any(h.as_printed for h in self.hops)


class Edge(NamedTuple):
    """A signed edge as the search sees it: the node at the other end, the hop, its ranking
    cost (lower is better: ``-log(score)``, so that a path's cost is ``-log`` of the product
    of its hop scores), its score in [0, 1] and its sign."""

    other: str
    hop: Hop
    cost: float
    score: float
    sign: int


class Rater(Protocol):
    """What ranks paths: a score in [0, 1] for each hop, and a factor in [0, 1] a whole path
    adds to the product of its hops' scores (so that the product bounds the path's score
    and the search's cost bound holds); :class:`kg.reasoning.scores.Scorer` is one."""

    def hop_value(self, hop: Hop) -> float:
        """The score of one hop."""

    def path_factor(self, path: MechanismPath) -> float:
        """The factor of a whole path (1 when none)."""

    def hop_ceiling(self, graph: nx.MultiDiGraph) -> float:
        """A score no hop of ``graph`` can exceed (1 when nothing tighter is known), found
        without reading every hop: the search's cost bound before a view is built."""


#: The score of a piece of evidence a plain :class:`SignedView` has no weight for.
UNWEIGHTED = 0.5


class _Weighted:
    """The rater of a graph without evidence records: each evidence an independent source of
    score ``weight[eid]`` (:data:`UNWEIGHTED` when absent), combined by noisy-or."""

    def __init__(self, weight: Mapping[str, float]) -> None:
        self.weight = weight

    def hop_value(self, hop: Hop) -> float:
        return 1.0 - math.prod(1.0 - self.weight.get(e, UNWEIGHTED) for e in hop.evidence)

    def path_factor(self, path: MechanismPath) -> float:  # noqa: ARG002 - no path factor
        return 1.0

    def hop_ceiling(self, graph: nx.MultiDiGraph) -> float:
        return ceiling(graph, max([UNWEIGHTED, *self.weight.values()]))


def ceiling(graph: nx.MultiDiGraph, best: float) -> float:
    """The most a hop can score when no evidence scores above ``best``: the noisy-or of the
    most evidence one edge of ``graph`` has, each at ``best``."""
    most = max((len(d) for _, _, d in graph.edges(data="evidence", default=())), default=1)
    return 1.0 - (1.0 - best) ** max(most, 1)


def cost_of(score: float) -> float:
    """The additive ranking cost of a score: ``-log(score)`` (infinite for 0)."""
    return -math.log(score) if score > 0 else math.inf


def _contexts(record: Evidence | None) -> tuple[frozenset[str], frozenset[str]]:
    """The studies (Table 3 study, cited references, PubMed ids) and cell types of evidence.

    Evidence that cites only the review itself names no study: the review is not one study.
    """
    if record is None:
        return frozenset(), frozenset()
    studies = {f"ref:{n}" for n in record.references} | {f"PMID:{p}" for p in record.pmids}
    if record.study:
        studies.add(f"study:{record.study}")
    return frozenset(studies), frozenset(record.cell_types)


class SignedView:
    """The causal, signed edges of a mechanism graph under one evidence filter, read lazily.

    ``keep`` drops evidence (an edge with none left is not followed); ``rater`` scores the
    hops and paths the search ranks (a :class:`kg.reasoning.scores.Scorer`); without one,
    ``weight`` scores each evidence (see :class:`_Weighted`). ``evidence`` gives the records,
    for the contexts of :meth:`within` and the as-printed marks. Keep the view to reuse
    what it read.
    """

    def __init__(
        self,
        graph: nx.MultiDiGraph,
        keep: Callable[[str], bool] | None = None,
        weight: Mapping[str, float] | None = None,
        evidence: Mapping[str, Evidence] | None = None,
        *,
        rater: Rater | None = None,
        context: tuple[str, str] | None = None,
        parent: SignedView | None = None,
    ) -> None:
        self.graph = graph
        self.evidence = evidence
        self.context = context
        self._keep = keep
        self._weight = weight or {}
        self.rater: Rater = rater if rater is not None else _Weighted(self._weight)
        self._parent = parent
        self._out: dict[str, list[Edge]] = {}
        self._in: dict[str, list[Edge]] = {}
        self._children: dict[tuple[str, str], SignedView] = {}
        self._least: float | None = None
        self._ctx_out: dict[str, dict[tuple[str, str], list[Edge]]] = {}
        self._ctx_in: dict[str, dict[tuple[str, str], list[Edge]]] = {}
        self._hop_ctx: dict[str, tuple[frozenset[str], frozenset[str]]] = {}
        self._ctx: dict[str, tuple[frozenset[str], frozenset[str]]] = {}
        #: Signed assertions whose as-printed evidence ``keep`` dropped, among those read so
        #: far: assertion id -> (subject, object, evidence ids).
        self.left_out: dict[str, tuple[str, str, tuple[str, ...]]] = {}

    # -- edges -----------------------------------------------------------------------------

    def _edge(
        self, u: str, v: str, key: str, data: Mapping[str, Any], forward: bool
    ) -> Edge | None:
        sign = data.get("sign", 0)
        if not data.get("causal") or sign == 0:
            return None
        evidence = tuple(data["evidence"])
        records = self.evidence
        if self._keep is not None:
            kept = tuple(e for e in evidence if self._keep(e))
            if records is not None and len(kept) < len(evidence):
                dropped = tuple(
                    e for e in evidence
                    if e not in kept and (r := records.get(e)) is not None and _printed(r)
                )  # fmt: skip
                if dropped:
                    self.left_out[key] = (u, v, dropped)
            evidence = kept
        if not evidence:
            return None
        printed: tuple[str, ...] = ()
        if records is not None:
            printed = tuple(
                e for e in evidence if (r := records.get(e)) is not None and _printed(r)
            )
        hop = Hop(u, v, key, str(data["relation"]), int(sign), evidence, printed)
        score = self.rater.hop_value(hop)
        return Edge(v if forward else u, hop, cost_of(score), score, hop.sign)

    def _by_context(self, node: str, forward: bool) -> dict[tuple[str, str], list[Edge]]:
        """The edges of ``node`` grouped by the studies and cell types of their evidence
        (an edge is in every group one of its evidence belongs to). Built once per node."""
        cache = self._ctx_out if forward else self._ctx_in
        groups = cache.get(node)
        if groups is None:
            groups = {}
            for edge in self.edges(node, forward=forward):
                studies, cells = self.hop_contexts(edge.hop)
                for study in studies:
                    groups.setdefault(("study", study), []).append(edge)
                for cell in cells:
                    groups.setdefault(("cell-type", cell), []).append(edge)
            cache[node] = groups
        return groups

    def out(self, node: str) -> list[Edge]:
        """Signed edges leaving ``node``, sorted by successor and assertion."""
        found = self._out.get(node)
        if found is None:
            if self._parent is not None:
                assert self.context is not None
                found = self._parent._by_context(node, True).get(self.context, [])
            else:
                edges = (
                    self._edge(u, v, key, data, True)
                    for u, v, key, data in self.graph.out_edges(node, keys=True, data=True)
                )
                found = sorted(
                    (e for e in edges if e is not None), key=lambda e: (e.other, e.hop.assertion)
                )
            self._out[node] = found
        return found

    def into(self, node: str) -> list[Edge]:
        """Signed edges entering ``node``, sorted by predecessor and assertion."""
        found = self._in.get(node)
        if found is None:
            if self._parent is not None:
                assert self.context is not None
                found = self._parent._by_context(node, False).get(self.context, [])
            else:
                edges = (
                    self._edge(u, v, key, data, False)
                    for u, v, key, data in self.graph.in_edges(node, keys=True, data=True)
                )
                found = sorted(
                    (e for e in edges if e is not None), key=lambda e: (e.other, e.hop.assertion)
                )
            self._in[node] = found
        return found

    def build(self) -> SignedView:
        """Read every edge now, in one pass (rather than node by node as searches reach
        them): worth it before many queries on a large graph. Returns the view."""
        if self._parent is not None:
            return self
        out: dict[str, list[Edge]] = {}
        into: dict[str, list[Edge]] = {}
        for u, v, key, data in self.graph.edges(keys=True, data=True):
            edge = self._edge(u, v, key, data, True)
            if edge is not None:
                out.setdefault(u, []).append(edge)
                into.setdefault(v, []).append(edge._replace(other=u))
        order = _order
        for node in self.graph:
            self._out[node] = sorted(out.get(node, ()), key=order)
            self._in[node] = sorted(into.get(node, ()), key=order)
        # every edge is read: its least cost is the tightest bound of a hop's cost
        self._least = min((e.cost for edges in out.values() for e in edges), default=0.0)
        return self

    def edges(self, node: str, *, forward: bool) -> list[Edge]:
        """:meth:`out` when ``forward``, else :meth:`into`."""
        return self.out(node) if forward else self.into(node)

    def least_cost(self) -> float:
        """A lower bound on the cost of every hop: the least cost of all edges once
        :meth:`build` read them; before, the cost of the rater's :meth:`Rater.hop_ceiling`."""
        if self._least is None:
            parent = self._parent
            if parent is not None:
                self._least = parent.least_cost()
            else:
                self._least = cost_of(min(self.rater.hop_ceiling(self.graph), 1.0))
        return self._least

    def score(self, hop: Hop) -> float:
        """The score of a hop, as the search ranks it."""
        return self.rater.hop_value(hop)

    def path_cost(self, path: MechanismPath) -> float:
        """The ranking cost of a path (lowest first): ``-log`` of its score, summed hop by
        hop from the source as the search sums it, plus ``-log`` of the path's own factor."""
        cost = 0.0
        for hop in path.hops:
            cost += cost_of(self.rater.hop_value(hop))
        return cost + cost_of(self.rater.path_factor(path))

    def path_score(self, path: MechanismPath) -> float:
        """The score of a path: the product of its hops' scores times the path's factor."""
        return math.prod(self.rater.hop_value(h) for h in path.hops) * self.rater.path_factor(path)

    # -- contexts --------------------------------------------------------------------------

    def contexts_of(self, eid: str) -> tuple[frozenset[str], frozenset[str]]:
        """(studies, cell types) of one piece of evidence (empty without records)."""
        found = self._ctx.get(eid)
        if found is None:
            found = _contexts(self.evidence.get(eid) if self.evidence is not None else None)
            self._ctx[eid] = found
        return found

    def hop_contexts(self, hop: Hop) -> tuple[frozenset[str], frozenset[str]]:
        """The studies and cell types of any of a hop's evidence."""
        if self._parent is not None:
            return self._parent.hop_contexts(hop)
        found = self._hop_ctx.get(hop.assertion)
        if found is None:
            found = self._hop_ctx[hop.assertion] = self._contexts_of_hop(hop)
        return found

    def _contexts_of_hop(self, hop: Hop) -> tuple[frozenset[str], frozenset[str]]:
        studies: set[str] = set()
        cells: set[str] = set()
        for eid in hop.evidence:
            s, c = self.contexts_of(eid)
            studies |= s
            cells |= c
        return frozenset(studies), frozenset(cells)

    def within(self, kind: str, value: str) -> SignedView:
        """The view restricted to the edges that one study (``kind="study"``) or one cell type
        (``kind="cell-type"``) supports (each keeps all its evidence, so paths rank as in the
        whole view); kept, so a repeated query reuses it."""
        if self._parent is not None:
            raise ValueError("within() applies to an unrestricted view")
        child = self._children.get((kind, value))
        if child is None:
            child = SignedView(
                self.graph, self._keep, self._weight, self.evidence,
                rater=self.rater, context=(kind, value), parent=self,
            )  # fmt: skip
            self._children[(kind, value)] = child
        return child


def _order(edge: Edge) -> tuple[str, str]:
    return edge.other, edge.hop.assertion


def _printed(record: Evidence) -> bool:
    return record.level is Level.AS_PRINTED


def check_nodes(graph: nx.MultiDiGraph, nodes: Iterable[str]) -> None:
    """Raise :class:`KGError` naming the first node that is not in the graph."""
    for node in nodes:
        if node not in graph:
            raise KGError(f"{node!r} has no mechanism edges in the graph")
