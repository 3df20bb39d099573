"""Explain an observation: which upstream regulators' predicted effects match it best.

Reverse causal reasoning (as in PyBEL's RCR or CausalR) on the signed graph:

* The **observation** is a set of entities with a direction each (``MMP3 down``...).
* **Candidates** are the entities upstream of at least one observed entity within
  ``max_hops`` (as ``kg upstream`` finds them; diseases are not passed through).
* For each candidate, :func:`kg.reasoning.predict.predict` of "candidate up" on the observed
  entities gives a predicted direction per entity: it is **concordant** with the
  observation, **discordant**, or **unexplained** (no path, or a tie between both sides).
  An observed entity may itself be a candidate; its own observation is then not counted.
  When discordant outnumber concordant, the hypothesis is "candidate down" instead (the
  counts swap).
* The **p-value** is the one-sided binomial probability of at least that many concordant
  predictions among the concordant + discordant ones if each were a coin toss (p = 1/2),
  as in RCR; a Benjamini-Hochberg **q-value** corrects it for the number of candidates.
* Candidates rank by p-value, then more concordant, fewer discordant, higher summed score
  of the concordant paths, then id.

``want`` mode is the same ranking read as "which intervention gives this change", with the
observation replaced by the desired change and only candidates of intervention-like types
(:data:`INTERVENTION_TYPES`) kept.

Example:
    >>> import kg
    >>> graph = kg.load()
    >>> result = explain(graph, {"MMP3": -1, "ACAN": 1, "COL2A1": 1})
    >>> top = result.regulators[0]
    >>> top.concordant, top.discordant, round(top.p_value, 3)
    (3, 0, 0.125)
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from kg.model.errors import UsageError
from kg.reasoning.predict import Perturbation, Prediction, parse_direction, predict, signed_view
from kg.reasoning.reach import upstream
from kg.reasoning.resolve import AmbiguousNameError, UnknownNameError, resolve
from kg.reasoning.scores import Scorer, Weights
from kg.reasoning.signed import SignedView

if TYPE_CHECKING:
    from kg.store.knowledge import Knowledge

__all__ = [
    "INTERVENTION_TYPES",
    "Explanation",
    "Match",
    "Regulator",
    "binomial_p",
    "explain",
    "read_signature",
    "resolve_signature",
]

#: Entity types offered as interventions in ``want`` mode.
INTERVENTION_TYPES = frozenset(
    {
        "ExtracellularVesicle", "MicroRNA", "AntagomiR", "Chemical", "GeneTherapy",
        "CellTherapy", "Therapy", "GrowthFactorTherapy", "GrowthFactor", "Cytokine",
        "GeneOrProtein", "ProteinFamilyOrComplex",
    }
)  # fmt: skip

Verdict = Literal["concordant", "discordant", "unexplained"]


@dataclass(frozen=True)
class Match:
    """One observed entity as a candidate's hypothesis predicts it."""

    node: str
    observed: int
    verdict: Verdict
    prediction: Prediction | None  # None: no path reaches it


@dataclass(frozen=True)
class Regulator:
    """A candidate regulator (or intervention) and how well it explains the observation."""

    node: str
    direction: int  # +1: "the regulator is up" explains best; -1: "it is down"
    concordant: int
    discordant: int
    unexplained: int
    p_value: float
    q_value: float
    score: float  # the summed scores of the concordant predictions
    matches: tuple[Match, ...]


@dataclass(frozen=True)
class Explanation:
    """The result of :func:`explain`."""

    observation: tuple[tuple[str, int], ...]
    regulators: tuple[Regulator, ...]
    mode: Literal["explain", "want"]
    candidates: int  # how many candidates were tested
    truncated: bool  # more candidates than ``max_candidates``: the farthest were left out


def binomial_p(successes: int, trials: int) -> float:
    """P(X ≥ successes) for X ~ Binomial(trials, 1/2).

    >>> binomial_p(3, 3), binomial_p(0, 0)
    (0.125, 1.0)
    """
    if trials == 0:
        return 1.0
    return float(sum(math.comb(trials, k) for k in range(successes, trials + 1)) / 2**trials)


def read_signature(text: str) -> list[tuple[str, str]]:
    """(name, direction) rows of a TSV or CSV signature (a header row naming the columns
    ``entity``/``direction`` is skipped; blank and ``#`` lines too)."""
    rows = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = [c.strip() for c in line.split("\t" if "\t" in line else ",")]
        if len(cells) < 2 or not cells[0] or not cells[1]:
            raise UsageError(f"signature line {number}: expected 'entity<TAB>direction'")
        if number == 1 and cells[1].lower() in {"direction", "sign", "change"}:
            continue
        rows.append((cells[0], cells[1]))
    return rows


def resolve_signature(
    kg: Knowledge, rows: Iterable[tuple[str, str]]
) -> tuple[dict[str, int], list[str]]:
    """The observed nodes and directions, and the names that resolve to nothing (or to
    several entities). A bad direction is an error; when no name resolves, too."""
    observed: dict[str, int] = {}
    unknown: list[str] = []
    for name, word in rows:
        sign = parse_direction(word)
        try:
            node = resolve(kg.mechanisms, name)
        except (UnknownNameError, AmbiguousNameError):
            unknown.append(name)
            continue
        if observed.get(node, sign) != sign:
            raise UsageError(f"{name!r} is observed both up and down")
        observed[node] = sign
    if not observed:
        listed = ", ".join(unknown) or "(empty signature)"
        raise UnknownNameError(f"no name in the signature resolves: {listed}")
    return observed, unknown


def explain(
    kg: Knowledge,
    observation: Mapping[str, int],
    *,
    mode: Literal["explain", "want"] = "explain",
    max_hops: int = 3,
    keep_evidence: Callable[[str], bool] | None = None,
    weights: Weights | None = None,
    max_candidates: int = 300,
    paths_per_target: int = 5,
    time_limit: float = 1.0,
) -> Explanation:
    """Candidates ranked by how well they explain ``observation`` (node id → ±1); see the
    module docstring for the method."""
    if not observation:
        raise UsageError("the observation is empty")
    if any(s not in (1, -1) for s in observation.values()):
        raise UsageError("observed directions are +1 or -1")
    scorer = Scorer(kg.mechanisms, kg.evidence, weights)
    view = signed_view(kg, keep_evidence, scorer)
    diseases = kg.nodes_of_type("Disease")
    reached: dict[str, tuple[int, int]] = {}  # candidate -> (observed nodes reached, min hops)
    for node in observation:
        for reach in upstream(
            kg.mechanisms, node, max_hops=max_hops, no_pass_through=diseases, view=view
        ):
            count, hops = reached.get(reach.node, (0, max_hops + 1))
            reached[reach.node] = (count + 1, min(hops, reach.hops))
    candidates = [n for n in reached if n not in diseases]
    if mode == "want":
        candidates = [
            n for n in candidates if kg.mechanisms.nodes[n].get("type") in INTERVENTION_TYPES
        ]
    candidates.sort(key=lambda n: (-reached[n][0], reached[n][1], n))
    truncated = len(candidates) > max_candidates
    candidates = candidates[:max_candidates]
    found = [
        _test(
            kg,
            node,
            observation,
            view=view,
            scorer=scorer,
            max_hops=max_hops,
            paths_per_target=paths_per_target,
            time_limit=time_limit,
        )
        for node in candidates
    ]
    ranked = _with_q_values(found)
    ranked.sort(key=lambda r: (r.p_value, -r.concordant, r.discordant, -r.score, r.node))
    return Explanation(
        tuple(sorted(observation.items())), tuple(ranked), mode, len(candidates), truncated
    )


def _test(
    kg: Knowledge,
    node: str,
    observation: Mapping[str, int],
    *,
    view: SignedView,
    scorer: Scorer,
    max_hops: int,
    paths_per_target: int,
    time_limit: float,
) -> Regulator:
    targets = [o for o in sorted(observation) if o != node]
    forecast = predict(
        kg,
        [Perturbation(node, 1)],
        outcomes=targets,
        max_hops=max_hops,
        view=view,
        scorer=scorer,
        paths_per_target=paths_per_target,
        time_limit=time_limit,
    )
    by_node = {p.node: p for p in forecast.predictions}
    signs = {t: _sign(by_node.get(t)) for t in targets}
    agree = sum(1 for t in targets if signs[t] == observation[t])
    disagree = sum(1 for t in targets if signs[t] == -observation[t])
    direction = 1 if agree >= disagree else -1
    matches = []
    for t in targets:
        predicted = signs[t] * direction
        verdict: Verdict = (
            "unexplained"
            if predicted == 0
            else "concordant"
            if predicted == observation[t]
            else "discordant"
        )
        matches.append(Match(t, observation[t], verdict, by_node.get(t)))
    concordant, discordant = max(agree, disagree), min(agree, disagree)
    score = sum(m.prediction.score for m in matches if m.verdict == "concordant" and m.prediction)
    return Regulator(
        node, direction, concordant, discordant, len(targets) - concordant - discordant,
        binomial_p(concordant, concordant + discordant), 1.0, score, tuple(matches),
    )  # fmt: skip


def _sign(prediction: Prediction | None) -> int:
    if prediction is None or prediction.direction == "unresolved":
        return 0
    return 1 if prediction.direction == "up" else -1


def _with_q_values(found: list[Regulator]) -> list[Regulator]:
    """Benjamini-Hochberg q-values over all candidates tested."""
    from dataclasses import replace

    order = sorted(range(len(found)), key=lambda i: found[i].p_value)
    total = len(found)
    q = [1.0] * total
    running = 1.0
    for rank in range(total, 0, -1):
        i = order[rank - 1]
        running = min(running, found[i].p_value * total / rank)
        q[i] = running
    return [replace(r, q_value=q[i]) for i, r in enumerate(found)]
