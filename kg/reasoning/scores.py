"""A transparent evidence score for evidence, assertions and paths.

Every score is a product of named factors from one table of weights
(``kg/resources/scores.toml``, documented there; a user file overrides any of its values), and
keeps those factors as its breakdown, so a reader can recompute it by hand:

* **evidence** = study type × species × level × (citation mismatch factor, if flagged). The
  strongest study type and the best species recorded count; as-printed evidence (the review
  read literally where the curation adopted another reading) has level weight 0.
* **assertion** = 1 − Π(1 − sᵢ) over its *independent references*, sᵢ being the best evidence
  score among the quotes citing reference i (a study quoted twice counts once), times the
  contradiction factor when the curation links the assertion to a contradicting one.
* **path** = Π of its hops' assertion scores, times the cross-context factor when the hops'
  evidence has no species in common (a rat finding chained to a human one).

Example:
    >>> import kg
    >>> graph = kg.load()
    >>> scorer = Scorer(graph.mechanisms, graph.evidence)
    >>> path = kg.trace(graph, "miR-21", "PTEN", max_hops=1).paths[0]
    >>> score = scorer.path(path)
    >>> 0 < score.value <= 1, [p.name for p in score.children[0].parts][:1]
    (True, ['independent references'])
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from kg.model.errors import UsageError
from kg.model.records import Evidence
from kg.reasoning.signed import Hop, MechanismPath, Rater, ceiling

if TYPE_CHECKING:
    import networkx as nx

__all__ = [
    "DEFAULT_WEIGHTS",
    "Part",
    "Score",
    "Scorer",
    "Weights",
    "evidence_weights",
    "load_weights",
    "rater_for",
]

#: The shipped table of weights.
DEFAULT_WEIGHTS = Path(__file__).resolve().parent.parent / "resources" / "scores.toml"

Weights = Mapping[str, Mapping[str, float]]


@dataclass(frozen=True)
class Part:
    """One factor of a score: its name, its value and what it was read from."""

    name: str
    value: float
    why: str


@dataclass(frozen=True)
class Score:
    """A score in [0, 1] with the factors it is the product of and the scores under it
    (an assertion's evidence, a path's hops)."""

    kind: str  # "evidence", "assertion" or "path"
    subject: str  # evidence id, assertion id, or the path's nodes joined by " > "
    value: float
    parts: tuple[Part, ...]
    children: tuple[Score, ...] = field(default=(), compare=False)


def _read_table(path: Path) -> dict[str, dict[str, float]]:
    try:
        with path.open("rb") as handle:
            raw = tomllib.load(handle)
    except OSError as exc:
        raise UsageError(f"{path}: cannot read weights ({exc.strerror})") from None
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{path}: not valid TOML ({exc})") from None
    table: dict[str, dict[str, float]] = {}
    for section, values in raw.items():
        if not isinstance(values, dict):
            raise UsageError(f"{path}: {section!r} must be a table of weights")
        table[section] = {}
        for key, value in values.items():
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise UsageError(f"{path}: [{section}] {key} must be a number")
            if not 0.0 <= float(value) <= 1.0:
                raise UsageError(f"{path}: [{section}] {key} = {value} is outside [0, 1]")
            table[section][key] = float(value)
    return table


@cache
def _default_table() -> dict[str, dict[str, float]]:
    return _read_table(DEFAULT_WEIGHTS)


def load_weights(path: Path | str | None = None) -> Weights:
    """The shipped weights, with the values of the TOML file at ``path`` (if any) replacing
    theirs. Keys the shipped table does not have are an error (a typo must not pass).

    >>> load_weights()["study_type"]["InVivo"] > load_weights()["study_type"]["InVitro"]
    True
    """
    table = {section: dict(values) for section, values in _default_table().items()}
    if path is None:
        return table
    for section, values in _read_table(Path(path)).items():
        if section not in table:
            raise UsageError(f"{path}: unknown section [{section}] (known: {', '.join(table)})")
        for key, value in values.items():
            if key not in table[section]:
                known = ", ".join(table[section])
                raise UsageError(f"{path}: unknown key {key!r} in [{section}] (known: {known})")
            table[section][key] = value
    return table


def _best(table: Mapping[str, float], keys: tuple[str, ...], fallback: str) -> tuple[float, str]:
    """The highest weight among ``keys`` (those missing from the table weigh ``other``)."""
    if not keys:
        return table["unknown"], "not recorded"
    scored = [(table.get(k, table.get(fallback, table["unknown"])), k) for k in keys]
    return max(scored, key=lambda s: (s[0], s[1]))


def _source(ev: Evidence) -> str:
    """What makes two pieces of evidence the same source: the references that report the
    finding (or the PubMed ids of an import; the review itself for uncited sentences)."""
    if ev.references:
        return "references " + ",".join(str(n) for n in sorted(set(ev.references)))
    if ev.pmids:
        return "PMID " + ",".join(sorted(set(ev.pmids)))
    if ev.cites_review:
        return "the review"
    return f"evidence {ev.id}"


class Scorer:
    """Scores of the evidence, hops and paths of one mechanism graph (computed once each)."""

    def __init__(
        self,
        graph: nx.MultiDiGraph,
        evidence: Mapping[str, Evidence],
        weights: Weights | None = None,
    ) -> None:
        self.graph = graph
        self.evidence_records = evidence
        self.weights = weights if weights is not None else load_weights()
        self._evidence: dict[str, Score] = {}
        self._hops: dict[tuple[str, tuple[str, ...]], Score] = {}

    def evidence(self, eid: str) -> Score:
        """The score of one piece of evidence."""
        if eid in self._evidence:
            return self._evidence[eid]
        w = self.weights
        ev = self.evidence_records.get(eid)
        if ev is None:
            score = Score("evidence", eid, 0.0, (Part("unknown evidence", 0.0, eid),))
            self._evidence[eid] = score
            return score
        types = tuple(t.value for t in ev.study_types)
        study, study_why = _best(w["study_type"], types, "unknown")
        species, species_why = _best(w["species"], tuple(ev.species), "other")
        level = w["level"].get(ev.level.value, 0.0)
        parts = [
            Part("study type", study, study_why),
            Part("species", species, species_why),
            Part("level", level, ev.level.value),
        ]
        if ev.citation_mismatch:
            parts.append(Part("citation mismatch", w["flags"]["citation_mismatch"], "flag"))
        score = Score("evidence", eid, math.prod(p.value for p in parts), tuple(parts))
        self._evidence[eid] = score
        return score

    def hop(self, hop: Hop) -> Score:
        """The score of the assertion behind a hop, from the evidence the hop kept."""
        key = (hop.assertion, hop.evidence)
        if key in self._hops:
            return self._hops[key]
        best: dict[str, Score] = {}
        for eid in hop.evidence:
            record = self.evidence_records.get(eid)
            source = _source(record) if record is not None else f"evidence {eid}"
            score = self.evidence(eid)
            if source not in best or score.value > best[source].value:
                best[source] = score
        combined = 1.0 - math.prod(1.0 - s.value for s in best.values())
        sources = "; ".join(f"{src}: {s.value:.2f}" for src, s in sorted(best.items()))
        parts = [Part("independent references", combined, f"{len(best)}: {sources}")]
        data = self.graph.get_edge_data(hop.subject, hop.object, hop.assertion) or {}
        if data.get("contradicts"):
            others = ", ".join(data["contradicts"])
            parts.append(Part("contradiction", self.weights["flags"]["contradiction"], others))
        children = tuple(self.evidence(eid) for eid in hop.evidence)
        value = math.prod(p.value for p in parts)
        score = Score("assertion", hop.assertion, value, tuple(parts), children)
        self._hops[key] = score
        return score

    def path(self, path: MechanismPath) -> Score:
        """The score of a path: the product of its hops' scores, and the cross-context flag."""
        hops = tuple(self.hop(h) for h in path.hops)
        parts = [Part(f"hop {i}", s.value, s.subject) for i, s in enumerate(hops, 1)]
        cross = self._cross_context(path)
        if cross is not None:
            parts.append(cross)
        value = math.prod(p.value for p in parts)
        return Score("path", " > ".join(path.nodes), value, tuple(parts), hops)

    def hop_value(self, hop: Hop) -> float:
        """The value of :meth:`hop` (what the search ranks hops by)."""
        return self.hop(hop).value

    def path_factor(self, path: MechanismPath) -> float:
        """What a path's score adds to the product of its hops' scores: the cross-context
        factor, or 1 (the search ranks paths by the two together)."""
        cross = self._cross_context(path)
        return 1.0 if cross is None else cross.value

    def hop_ceiling(self, graph: nx.MultiDiGraph) -> float:
        """A score no hop of ``graph`` can exceed, without building records: the best
        evidence score the records' distinct (study types, species, level) allow, when the
        records can list those (the cache's lazy index can), combined as independent sources
        over the most evidence one edge has. The citation-mismatch and contradiction factors
        only lower a score, so leaving them out keeps this an upper bound. 1 otherwise."""
        profiles = getattr(self.evidence_records, "profiles", None)
        if not callable(profiles):
            return 1.0
        w = self.weights
        best = max(
            (
                _best(w["study_type"], kinds, "unknown")[0]
                * _best(w["species"], species, "other")[0]
                * w["level"].get(level, 0.0)
                for kinds, species, level in profiles()
            ),
            default=0.0,
        )
        return ceiling(graph, best)

    def _cross_context(self, path: MechanismPath) -> Part | None:
        species = [self._species(h) for h in path.hops]
        recorded = [s for s in species if s]
        if len(recorded) > 1 and not set.intersection(*recorded):
            why = " / ".join(",".join(sorted(s)) for s in recorded)
            return Part("cross-context", self.weights["flags"]["cross_context"], why)
        return None

    def _species(self, hop: Hop) -> set[str]:
        found: set[str] = set()
        for eid in hop.evidence:
            record = self.evidence_records.get(eid)
            if record is not None:
                found.update(record.species)
        return found


def evidence_weights(
    evidence: Mapping[str, Evidence], weights: Weights | None = None
) -> dict[str, float]:
    """The evidence score of every evidence id: a drop-in for
    :func:`kg.store.knowledge.evidence_weights` (the search's ``evidence_weight``)."""
    import networkx as nx

    scorer = Scorer(nx.MultiDiGraph(), evidence, weights)
    return {eid: scorer.evidence(eid).value for eid in evidence}


def rater_for(
    graph: nx.MultiDiGraph,
    evidence: Mapping[str, Evidence] | None,
    evidence_weight: Mapping[str, float] | None = None,
    weights: Weights | None = None,
) -> Rater | None:
    """What ranks a search's paths: a :class:`Scorer` when there are evidence records and no
    explicit ``evidence_weight`` (None: the signed view's plain weights)."""
    if evidence is None or evidence_weight is not None:
        return None
    return Scorer(graph, evidence, weights)
