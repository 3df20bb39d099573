"""The graph loaded once in the forms the queries need: RDF, the networkx mechanism view,
evidence and reference records, and every entity's names (for resolving filter values)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import Graph

from kg import io, shipped
from kg.convert import entity_nodes, to_networkx
from kg.model import Evidence, Level, Reference, StudyType

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["Knowledge", "evidence_filter", "evidence_weights", "load_knowledge"]


@dataclass(frozen=True)
class Knowledge:
    """Everything the trace, upstream/downstream and conflicts commands read."""

    rdf: Graph
    mechanisms: nx.MultiDiGraph
    entities: nx.MultiDiGraph
    evidence: dict[str, Evidence]
    references: dict[int, Reference]

    def label(self, node: str) -> str:
        """The display label of an entity id."""
        if node in self.entities:
            return str(self.entities.nodes[node].get("label", node))
        return node


def load_knowledge(paths: Sequence[Path] | None = None) -> Knowledge:
    """Load Turtle files (default: the shipped data) and derive the query views."""
    graph = io.load(list(paths) if paths else shipped.data_files())
    return Knowledge(
        rdf=graph,
        mechanisms=to_networkx(graph),
        entities=entity_nodes(graph),
        evidence=io.read_evidence(graph),
        references=io.read_references(graph),
    )


def evidence_filter(
    evidence: dict[str, Evidence],
    *,
    cell_types: Iterable[str] = (),
    species: Iterable[str] = (),
    study_types: Iterable[StudyType] = (),
    stated_only: bool = False,
) -> Callable[[str], bool] | None:
    """A predicate on evidence ids: keep evidence whose context matches every given filter.

    Each filter lists accepted values; evidence that names none of them is dropped (evidence
    that does not record the dimension at all is dropped too, since it cannot be shown to
    match). Returns None when no filter is set.
    """
    cells, kinds, types = set(cell_types), set(species), set(study_types)
    if not (cells or kinds or types or stated_only):
        return None

    def keep(eid: str) -> bool:
        record = evidence.get(eid)
        if record is None:
            return False
        return (
            (not cells or bool(cells & set(record.cell_types)))
            and (not kinds or bool(kinds & set(record.species)))
            and (not types or bool(types & set(record.study_types)))
            and (not stated_only or record.level is Level.STATED)
        )

    return keep


def evidence_weights(evidence: dict[str, Evidence]) -> dict[str, float]:
    """Ranking weight of each evidence: 1 when stated in the review, 0.5 when inferred."""
    return {e.id: 1.0 if e.level is Level.STATED else 0.5 for e in evidence.values()}
