"""``trace``: the net effect of a source on a target over simple signed paths, and the best
of those paths with their evidence.

"All paths agree" means all simple paths within ``max_hops``: the net effects are decided
exactly (:mod:`kg.reasoning.search`), never from a sample of paths. Only the *count* of
paths of each sign stops at ``count_limit`` ("at least N").
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from kg.model.errors import UsageError
from kg.reasoning.coherence import CoherenceFilter
from kg.reasoning.hierarchy import widen
from kg.reasoning.scores import Score, Scorer, rater_for
from kg.reasoning.search import Deadline, Query, TimeLimitError
from kg.reasoning.signed import (
    Effect,
    MechanismPath,
    Rater,
    SignedView,
    check_nodes,
    effect_of,
)
from kg.reasoning.tracer import Tracer

if TYPE_CHECKING:
    import networkx as nx

    from kg.model.records import Evidence

__all__ = ["Trace", "trace"]


@dataclass(frozen=True)
class Trace:
    """The result of :func:`trace`.

    ``reachable``: the net effects some simple path within the bound has (exact unless
    ``truncated``; ``undecided`` lists those the time limit left open). ``counts``: paths of
    each effect, as (effect, number, exact); not exact means "at least number".
    ``paths``: the paths shown (``effects`` their net effects), coherent ones first, then
    fewest hops, then best evidence; the best path of each reachable effect is always among
    them when ``limit`` allows. ``source_kinds``/``target_kinds``: the kinds of the queried
    entities the search included. ``left_out``: as-printed assertions between source and
    target within the bound that the evidence filter left out. ``within_one_study``: when
    the answer is mixed, the net effects over the paths one study supports (what
    ``--coherence study`` would answer), else None. ``stitched``: with a coherence filter,
    the paths of each effect it left out because no one study or cell type supports all
    their hops, as (effect, number, exact); None when not counted (no filter, or time ran
    out). ``scores``: the evidence score of each path shown, with its breakdown (empty when
    paths were ranked by plain weights, without evidence records).
    """

    source: str
    target: str
    paths: tuple[MechanismPath, ...]
    effects: tuple[Effect, ...]
    truncated: bool = False
    reason: str | None = None
    reachable: tuple[Effect, ...] = ()
    undecided: tuple[Effect, ...] = ()
    counts: tuple[tuple[Effect, int, bool], ...] = ()
    source_kinds: tuple[str, ...] = ()
    target_kinds: tuple[str, ...] = ()
    left_out: tuple[str, ...] = ()
    coherence: CoherenceFilter = "any"
    max_hops: int = 5
    within_one_study: tuple[Effect, ...] | None = None
    stitched: tuple[tuple[Effect, int, bool], ...] | None = None
    scores: tuple[Score, ...] = ()

    @property
    def found(self) -> int:
        """How many paths were counted (see :meth:`count`; may be a lower bound)."""
        return sum(n for _, n, _ in self.counts)

    @property
    def counted_fully(self) -> bool:
        """Whether every count is exact."""
        return all(exact for _, _, exact in self.counts)

    def count(self, effect: Effect) -> tuple[int, bool]:
        """(number of paths with this net effect, whether that number is exact)."""
        for e, n, exact in self.counts:
            if e == effect:
                return n, exact
        return 0, effect not in self.undecided

    @property
    def net_effect(self) -> Effect | Literal["mixed"] | None:
        """The common net effect of all simple paths within the bound, ``mixed`` if they
        disagree, None if there is none."""
        if not self.reachable:
            return None
        return self.reachable[0] if len(self.reachable) == 1 else "mixed"

    @property
    def consistent(self) -> bool | None:
        """Whether all paths agree on the net effect (None when there is no path)."""
        return None if not self.reachable else len(self.reachable) == 1

    def paths_with(self, effect: Effect) -> tuple[int, ...]:
        """1-based ranks, among the paths shown, of those with this net effect."""
        return tuple(i for i, e in enumerate(self.effects, 1) if e == effect)


def trace(
    graph: nx.MultiDiGraph,
    source: str,
    target: str,
    *,
    max_hops: int = 5,
    limit: int = 10,
    via: Iterable[str] = (),
    avoid: Iterable[str] = (),
    keep_evidence: Callable[[str], bool] | None = None,
    evidence_weight: Mapping[str, float] | None = None,
    evidence: Mapping[str, Evidence] | None = None,
    time_limit: float = 5.0,
    no_pass_through: Iterable[str] = (),
    coherence: CoherenceFilter = "any",
    exact: bool = False,
    count_limit: int = 100,
    view: SignedView | None = None,
    rater: Rater | None = None,
) -> Trace:
    """The net effects of ``source`` on ``target`` over simple signed paths of at most
    ``max_hops`` hops, and the top ``limit`` of those paths.

    Nodes in ``no_pass_through`` may start or end a path but never relay one (the CLI
    passes disease nodes: "miR-21 ⊣ IVDD → TNF" is a feedback loop, not a mechanism).
    Unless ``exact``, a query end also stands for its kinds (``kindOf`` edges).
    ``coherence`` keeps only paths supported within one study (``study``) or within one
    study or cell type (``cell-type``, the default of ``kg trace`` and :func:`kg.trace`: a
    chain no single context supports is left out, and counted in ``stitched``); ``any``, the
    default here (a bare graph may have no evidence records to judge contexts by), keeps every
    path. ``evidence`` (the
    records) gives each path its coherence and marks as-printed hops. Paths rank by their
    evidence score, highest first (:mod:`kg.reasoning.search`): ``rater`` scores them (by
    default a :class:`kg.reasoning.scores.Scorer` with the shipped weights when there are
    records, else ``evidence_weight`` per evidence). ``view`` reuses a :class:`SignedView`
    built for the same graph and filters (``keep_evidence``, ``evidence_weight``,
    ``evidence`` and ``rater`` are then ignored). ``time_limit`` bounds the search; the
    result says when it was hit.

    Example:
        >>> from kg.store.knowledge import load_knowledge
        >>> kg = load_knowledge()
        >>> result = trace(kg.mechanisms, "miR-21", "apoptosis", via=["PTEN"], max_hops=3)
        >>> [p.nodes for p in result.paths]
        [('miR-21', 'PTEN', 'PI3K-AKT', 'apoptosis')]
        >>> result.net_effect
        'decreases'
    """
    if max_hops < 1 or limit < 1 or count_limit < 1:
        raise UsageError("--max-hops and --limit must be at least 1")
    if coherence not in ("study", "cell-type", "any"):
        raise UsageError(f"--coherence must be study, cell-type or any, not {coherence!r}")
    via_list, avoid_set = list(dict.fromkeys(via)), set(avoid)
    check_nodes(graph, [source, target, *via_list, *avoid_set])
    if source == target:
        raise UsageError("source and target are the same entity")
    if {source, target} & avoid_set:
        raise UsageError("--avoid cannot name the source or the target")
    if len(via_list) > 6:
        raise UsageError("at most 6 --via entities")
    sources = widen(graph, source, exact=exact) - avoid_set
    targets = widen(graph, target, exact=exact) - avoid_set
    if sources & targets:
        raise UsageError(f"{source!r} and {target!r} overlap in the entity hierarchy; use --exact")
    base = view or SignedView(
        graph, keep_evidence, evidence_weight, evidence,
        rater=rater or rater_for(graph, evidence, evidence_weight),
    )  # fmt: skip
    query = Query(
        sources, targets, max_hops, tuple(via_list), frozenset(avoid_set),
        frozenset(no_pass_through) - sources - targets,
    )  # fmt: skip
    tracer = Tracer(base, query, Deadline(time_limit), (source, target), coherence)
    reason = None
    try:
        tracer.decide(limit)
    except TimeLimitError as stop:
        reason = str(stop)
    shown = tracer.top(limit) if reason is None else tracer.top_found(limit)
    counts = tracer.count(count_limit) if reason is None else tracer.partial_counts()
    within: tuple[Effect, ...] | None = None
    if reason is None and coherence == "any" and len(tracer.reachable) > 1 and base.evidence:
        within = _within_one_study(base, query, tracer.deadline, (source, target), limit)
    stitched = None
    if reason is None and coherence != "any":
        stitched = _stitched(
            base, query, tracer.deadline, (source, target), counts, count_limit=count_limit
        )
    return Trace(
        source,
        target,
        shown,
        tuple(p.net_effect for p in shown),
        truncated=reason is not None,
        reason=reason,
        reachable=tuple(effect_of(s) for s in (-1, 1) if s in tracer.reachable),
        undecided=tuple(effect_of(s) for s in (-1, 1) if s in tracer.open),
        counts=counts,
        source_kinds=tuple(sorted(sources - {source})),
        target_kinds=tuple(sorted(targets - {target})),
        left_out=tracer.left_out(),
        coherence=coherence,
        max_hops=max_hops,
        within_one_study=within,
        stitched=stitched,
        scores=tuple(base.rater.path(p) for p in shown) if isinstance(base.rater, Scorer) else (),
    )


def _stitched(
    base: SignedView,
    query: Query,
    deadline: Deadline,
    ends: tuple[str, str],
    kept: tuple[tuple[Effect, int, bool], ...],
    *,
    count_limit: int,
) -> tuple[tuple[Effect, int, bool], ...] | None:
    """Paths of each effect a coherence filter left out: all paths (``--coherence any``)
    minus those it kept, as (effect, number, exact); None if time ran out."""
    tracer = Tracer(base, query, deadline, ends, "any")
    try:
        tracer.decide(1)
        everything = tracer.count(count_limit)
    except TimeLimitError:
        return None
    shown = {effect: (n, exact) for effect, n, exact in kept}
    left = []
    for effect, n, exact in everything:
        n_kept, kept_exact = shown.get(effect, (0, True))
        if n > n_kept:  # a lower bound when either count is one
            left.append((effect, n - n_kept, exact and kept_exact))
    return tuple(left)


def _within_one_study(
    base: SignedView, query: Query, deadline: Deadline, ends: tuple[str, str], limit: int
) -> tuple[Effect, ...] | None:
    """The net effects over the paths one study supports (None if time ran out)."""
    tracer = Tracer(base, query, deadline, ends, "study")
    try:
        tracer.decide(limit)
    except TimeLimitError:
        return None
    return tuple(effect_of(s) for s in (-1, 1) if s in tracer.reachable)
