"""Predict what a perturbation does: the signed effect on every process, outcome and disease.

The semantics, in one place (``kg predict``, :func:`kg.predict` and ``kg explain`` use them):

1. A **perturbation** is an entity pushed up (+1) or down (−1), e.g. ``miR-21=up``.
2. **Targets** are the named outcomes, or else every biological process and disease reached
   within ``max_hops`` signed, causal hops (the same search as ``kg downstream``; paths do
   not pass *through* disease nodes, and as-printed evidence is left out).
3. For each perturbation and target, the paths are those of ``kg trace`` (simple: no node
   twice; bounded by hops and time; a general entity stands for its kinds; any context, a
   path whose hops share no species is marked by the score's cross-context factor). Each
   path votes for *direction × product of its signs* (up or down) with its evidence score
   (:mod:`kg.reasoning.scores`).
4. Per target, the score of a side (up, down) is 1 − Π(1 − bₚ) over the perturbations,
   bₚ being the best score of perturbation p's paths on that side: several perturbations
   that agree strengthen each other, and one perturbation with many paths counts once.
5. The **predicted direction** is the side with the higher score (``unresolved`` on a tie);
   the **supporting path** is the best-scored path of that side, the **opposing path** the
   best of the other side. A prediction is **conflicting** when both sides have a path.

Example:
    >>> import kg
    >>> graph = kg.load()
    >>> forecast = predict(graph, [Perturbation("miR-21", 1)], outcomes=["apoptosis"])
    >>> p = forecast.predictions[0]
    >>> p.direction, [len(s.path.hops) for s in p.supporting if "PTEN" in s.path.nodes][:1]
    ('down', [3])
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from kg.model.errors import UsageError
from kg.reasoning.paths import Trace, trace
from kg.reasoning.reach import downstream
from kg.reasoning.scores import Score, Scorer, Weights
from kg.reasoning.signed import MechanismPath, SignedView

if TYPE_CHECKING:
    from kg.store.knowledge import Knowledge

__all__ = [
    "OUTCOME_TYPES",
    "Direction",
    "Forecast",
    "Perturbation",
    "Prediction",
    "Support",
    "parse_direction",
    "predict",
    "signed_view",
]

#: Entity types reported when no outcome is named.
OUTCOME_TYPES = frozenset({"BiologicalProcess", "Disease"})

Direction = Literal["up", "down", "unresolved"]

_WORDS = {
    "up": 1, "+": 1, "1": 1, "+1": 1, "increase": 1, "increased": 1, "increases": 1, "high": 1,
    "down": -1, "-": -1, "-1": -1, "decrease": -1, "decreased": -1, "decreases": -1, "low": -1,
}  # fmt: skip


def parse_direction(word: str) -> int:
    """+1 or −1 for ``up``/``down`` (also ``+``/``-``, ``increased``/``decreased``...)."""
    sign = _WORDS.get(word.strip().lower())
    if sign is None:
        raise UsageError(f"direction {word!r} is not one of up, down, +, -")
    return sign


@dataclass(frozen=True)
class Perturbation:
    """An entity pushed up (``direction`` +1) or down (−1)."""

    node: str
    direction: int

    def __post_init__(self) -> None:
        if self.direction not in (1, -1):
            raise ValueError("a perturbation's direction is +1 or -1")


@dataclass(frozen=True)
class Support:
    """One path of a perturbation to a target, the direction it votes for and its score."""

    perturbation: Perturbation
    path: MechanismPath
    direction: int
    score: Score


@dataclass(frozen=True)
class Prediction:
    """The predicted change of one target."""

    node: str
    direction: Direction
    conflicting: bool
    up_score: float
    down_score: float
    support: Support  # best path of the predicted side (of "up" when unresolved)
    opposing: Support | None  # best path of the other side, if any
    paths_up: int  # paths found on each side (the search may find more than it scores)
    paths_down: int
    truncated: bool
    supporting: tuple[Support, ...] = ()  # the best paths of the predicted side, best first

    @property
    def score(self) -> float:
        """The score of the predicted side."""
        return max(self.up_score, self.down_score)


@dataclass(frozen=True)
class Forecast:
    """The result of :func:`predict`."""

    perturbations: tuple[Perturbation, ...]
    predictions: tuple[Prediction, ...]
    unreached: tuple[str, ...]  # named outcomes no path reaches


def as_printed_excluded(kg: Knowledge, keep: Callable[[str], bool] | None) -> Callable[[str], bool]:
    """``keep`` and "not as-printed" (the literal reading the curation replaced)."""

    seen: dict[str, bool] = {}

    def accept(eid: str) -> bool:
        verdict = seen.get(eid)
        if verdict is None:
            record = kg.evidence.get(eid)
            verdict = seen[eid] = (
                record is not None
                and record.level.value != "AsPrinted"
                and (keep is None or keep(eid))
            )
        return verdict

    return accept


def _targets(
    kg: Knowledge,
    perturbations: Sequence[Perturbation],
    view: SignedView,
    max_hops: int,
    diseases: set[str],
) -> list[str]:
    found: set[str] = set()
    for p in perturbations:
        for reach in downstream(
            kg.mechanisms, p.node, max_hops=max_hops, no_pass_through=diseases, view=view
        ):
            if kg.mechanisms.nodes[reach.node].get("type") in OUTCOME_TYPES:
                found.add(reach.node)
    return sorted(found - {p.node for p in perturbations})


def predict(
    kg: Knowledge,
    perturbations: Iterable[Perturbation],
    *,
    outcomes: Iterable[str] = (),
    max_hops: int = 4,
    keep_evidence: Callable[[str], bool] | None = None,
    weights: Weights | None = None,
    scorer: Scorer | None = None,
    paths_per_target: int = 20,
    time_limit: float = 2.0,
    through_disease: bool = False,
    view: SignedView | None = None,
) -> Forecast:
    """The predicted direction of each target (module docstring: the semantics).

    ``outcomes`` are node ids (default: every process and disease reached). At most
    ``paths_per_target`` paths per perturbation and target are scored: the search's best
    (the highest path scores, ranked by the same scorer). ``view`` reuses a signed view
    built with :func:`signed_view` for the same filters (``keep_evidence``, ``weights`` and
    ``scorer`` then only score, they do not filter).
    """
    chosen = tuple(dict.fromkeys(perturbations))
    if not chosen:
        raise UsageError("give at least one perturbation (ENTITY=up or ENTITY=down)")
    if len({p.node for p in chosen}) < len(chosen):
        raise UsageError("an entity is perturbed both up and down")
    if max_hops < 1:
        raise UsageError("--max-hops must be at least 1")
    scorer = scorer or Scorer(kg.mechanisms, kg.evidence, weights)
    view = view or signed_view(kg, keep_evidence, scorer)
    diseases = set() if through_disease else kg.nodes_of_type("Disease")
    named = list(dict.fromkeys(outcomes))
    targets = named or _targets(kg, chosen, view, max_hops, diseases)
    predictions, unreached = [], []
    for target in targets:
        supports: list[Support] = []
        counts = {1: 0, -1: 0}
        truncated = False
        for p in chosen:
            if p.node == target:
                continue
            try:
                result = trace(
                    kg.mechanisms,
                    p.node,
                    target,
                    max_hops=max_hops,
                    limit=paths_per_target,
                    time_limit=time_limit,
                    no_pass_through=diseases,
                    view=view,
                )
            except UsageError:  # e.g. the two overlap in the entity hierarchy: no path
                continue
            truncated = truncated or result.truncated
            # the count of paths per effect (``Trace.counts`` where the search has it)
            for effect, number in _counts(result):
                counts[p.direction * (1 if effect == "increases" else -1)] += number
            supports += [
                Support(p, path, p.direction * path.sign, scorer.path(path))
                for path in result.paths
            ]
        if not supports:
            unreached.append(target)
            continue
        predictions.append(_decide(target, supports, counts, truncated))
    if not named:
        predictions.sort(key=lambda r: (-r.score, r.node))
    return Forecast(chosen, tuple(predictions), tuple(unreached) if named else ())


def signed_view(
    kg: Knowledge, keep_evidence: Callable[[str], bool] | None, scorer: Scorer
) -> SignedView:
    """The signed view predict and explain search: as-printed evidence left out, paths
    ranked by ``scorer`` (one view serves many searches)."""
    return SignedView(
        kg.mechanisms, as_printed_excluded(kg, keep_evidence), evidence=kg.evidence, rater=scorer
    )


def _counts(result: Trace) -> list[tuple[str, int]]:
    counted = getattr(result, "counts", None)
    if counted:
        return [(effect, number) for effect, number, _exact in counted]
    return [(effect, 1) for effect in result.effects]


def _side(supports: list[Support], sign: int) -> tuple[float, list[Support]]:
    """The score of one side and its paths, best first (higher score, then fewer hops)."""
    side = sorted(
        (s for s in supports if s.direction == sign),
        key=lambda s: (-s.score.value, len(s.path.hops), s.path.nodes),
    )
    best: dict[Perturbation, float] = {}
    for s in side:
        best[s.perturbation] = max(best.get(s.perturbation, 0.0), s.score.value)
    return 1.0 - math.prod(1.0 - b for b in best.values()), side


def _decide(
    target: str, supports: list[Support], counts: dict[int, int], truncated: bool
) -> Prediction:
    up, ups = _side(supports, 1)
    down, downs = _side(supports, -1)
    direction: Direction
    if up > down or (ups and not downs):
        direction, side, other = "up", ups, downs
    elif down > up or not ups:
        direction, side, other = "down", downs, ups
    else:
        direction, side, other = "unresolved", ups, downs
    return Prediction(
        target, direction, bool(ups and downs), up, down, side[0],
        other[0] if other else None, counts[1], counts[-1], truncated, tuple(side),
    )  # fmt: skip
