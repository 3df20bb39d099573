"""Disagreements in the graph: opposite signs, as-printed readings, curated contradictions,
citation slips.

Four kinds, each with the quotes and their sections:

``opposite-signs``
    two assertions about the same subject and object whose signs disagree, with evidence
    from overlapping context (for cell type, species and study type, each side leaves it
    open or they share a value), and that the curation has not already linked;
``as-printed``
    a reading of the review's words taken literally (evidence level as-printed), with the
    corrected reading it contradicts (linked by ``kg:contradicts``); the as-printed side
    comes first. An as-printed assertion linked to nothing is listed alone;
``curated-contradiction``
    other assertions the curator linked with ``kg:contradicts`` (the review says both);
``citation-mismatch``
    evidence whose printed citation does not point to the reference that reports it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from itertools import product
from typing import TYPE_CHECKING, Literal

from rdflib import Graph, URIRef

from kg.model.records import Evidence, Level
from kg.model.vocab import ASSERTION, KG

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["KINDS", "Conflict", "Side", "conflicts"]

Kind = Literal["opposite-signs", "as-printed", "curated-contradiction", "citation-mismatch"]
#: Every kind, in the order conflicts are listed.
KINDS: tuple[Kind, ...] = (
    "opposite-signs",
    "as-printed",
    "curated-contradiction",
    "citation-mismatch",
)


@dataclass(frozen=True)
class Side:
    """One assertion of a conflict, with the evidence that shows the disagreement."""

    assertion: str
    subject: str
    relation: str
    object: str
    sign: int
    evidence: tuple[str, ...]


@dataclass(frozen=True)
class Conflict:
    """A disagreement: its kind, the assertions involved and the curator's note."""

    kind: Kind
    sides: tuple[Side, ...]
    note: str | None = None


def _overlap(a: Evidence, b: Evidence) -> bool:
    for left, right in (
        (a.cell_types, b.cell_types),
        (a.species, b.species),
        (a.study_types, b.study_types),
    ):
        if left and right and not set(left) & set(right):
            return False
    return True


def _sides(mechanisms: nx.MultiDiGraph) -> dict[str, Side]:
    return {
        key: Side(key, u, str(d["relation"]), v, int(d["sign"]), tuple(d["evidence"]))
        for u, v, key, d in mechanisms.edges(keys=True, data=True)
    }


def conflicts(
    graph: Graph, mechanisms: nx.MultiDiGraph, evidence: Mapping[str, Evidence]
) -> list[Conflict]:
    """All conflicts: ``graph`` is the RDF (for curator notes), ``mechanisms`` its networkx
    view (:func:`kg.store.convert.to_networkx`), ``evidence`` the records by id."""
    sides = _sides(mechanisms)
    curated = {
        frozenset((key, other))
        for key, side in sides.items()
        for other in mechanisms.edges[side.subject, side.object, key]["contradicts"]
    }
    found: list[Conflict] = []
    for u, v in sorted(set(mechanisms.edges())):
        keys = sorted(mechanisms[u][v])
        for k1, k2 in ((a, b) for i, a in enumerate(keys) for b in keys[i + 1 :]):
            s1, s2 = sides[k1], sides[k2]
            if s1.sign * s2.sign != -1 or frozenset((k1, k2)) in curated:
                continue  # not opposite, or already reported with the curator's note below
            pairs = [
                (e1, e2)
                for e1, e2 in product(s1.evidence, s2.evidence)
                if e1 in evidence and e2 in evidence and _overlap(evidence[e1], evidence[e2])
            ]
            if pairs:
                e1s = tuple(dict.fromkeys(p[0] for p in pairs))
                e2s = tuple(dict.fromkeys(p[1] for p in pairs))
                found.append(
                    Conflict(
                        "opposite-signs",
                        (
                            Side(**{**s1.__dict__, "evidence": e1s}),
                            Side(**{**s2.__dict__, "evidence": e2s}),
                        ),
                    )
                )
    found += _linked(graph, mechanisms, sides, evidence)
    for key in sorted(sides):
        for eid in sides[key].evidence:
            record = evidence.get(eid)
            if record is not None and record.citation_mismatch:
                side = Side(**{**sides[key].__dict__, "evidence": (eid,)})
                found.append(Conflict("citation-mismatch", (side,), record.citation_note))
    order = {kind: i for i, kind in enumerate(KINDS)}
    return sorted(found, key=lambda c: order[c.kind])


def _printed(side: Side, evidence: Mapping[str, Evidence]) -> tuple[str, ...]:
    """The as-printed evidence of an assertion."""
    return tuple(
        e
        for e in side.evidence
        if (r := evidence.get(e)) is not None and r.level is Level.AS_PRINTED
    )


def _linked(
    graph: Graph,
    mechanisms: nx.MultiDiGraph,
    sides: Mapping[str, Side],
    evidence: Mapping[str, Evidence],
) -> list[Conflict]:
    """Pairs linked by ``kg:contradicts``: ``as-printed`` when one side is an as-printed
    reading (listed first), else ``curated-contradiction``; then as-printed readings that
    are linked to nothing."""
    found: list[Conflict] = []
    seen: set[frozenset[str]] = set()
    linked: set[str] = set()
    for key in sorted(sides):
        for other in mechanisms.edges[sides[key].subject, sides[key].object, key]["contradicts"]:
            pair = frozenset((key, other))
            if pair in seen or other not in sides:
                continue
            seen.add(pair)
            notes = [
                str(n)
                for a in sorted(pair)
                for n in graph.objects(URIRef(ASSERTION[a]), KG.contradictionNote)
            ]
            linked |= pair
            first, second = sides[min(pair)], sides[max(pair)]
            if not _printed(first, evidence) and _printed(second, evidence):
                first, second = second, first
            kind: Kind = "as-printed" if _printed(first, evidence) else "curated-contradiction"
            found.append(Conflict(kind, (first, second), " ".join(dict.fromkeys(notes)) or None))
    for key in sorted(set(sides) - linked):
        if printed := _printed(sides[key], evidence):
            side = Side(**{**sides[key].__dict__, "evidence": printed})
            found.append(Conflict("as-printed", (side,), "no corrected reading is linked"))
    return found
