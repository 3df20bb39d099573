"""BEL (Biological Expression Language 2) script: every mechanism edge, once per evidence,
with its citation, quote and annotations, in the form PyBEL reads.

Terms use BEL's functions by entity type (``m()`` microRNA, ``p()`` gene or protein, family or
complex, ``bp()`` process or pathway, ``path()`` disease or phenotype, ``a()`` otherwise) and
name each entity ``NAMESPACE:identifier ! label``: the first identifier kg has (HGNC,
MIRBASE, GO, MESH, FPLX), else kg's own id in the ``KG`` namespace. Namespaces are declared
``AS PATTERN ".*"`` (no download needed); the annotations ``Species``, ``CellType``,
``ExosomeOrigin``, ``Stressor``, ``StudyType`` and ``EvidenceLevel`` are ``LIST``s of the values
used, ``Section``, ``CitedAs`` and ``Assertion`` (kg's assertion id) patterns. The citation is
the PubMed record of imported evidence, else the reference that reports the finding (``Other``,
its full text), else the review itself (``DOI``).
"""

from __future__ import annotations

from collections.abc import Iterable

from kg.model.errors import KGError
from kg.model.records import Evidence
from kg.store.knowledge import Knowledge
from kg.views.formats.common import (
    REVIEW_DOI,
    Edge,
    edges,
    evidence_annotations,
    preferred_grounding,
)

__all__ = ["BEL_RELATIONS", "FUNCTIONS", "bel_document", "bel_term"]

BEL_RELATIONS = {
    "increases": "increases",
    "decreases": "decreases",
    "directlyIncreases": "directlyIncreases",
    "directlyDecreases": "directlyDecreases",
    "repressesTarget": "directlyDecreases",
    "delivers": "increases",
    "regulates": "regulates",
    "carries": "association",
    "partOf": "partOf",
    "hasPart": "hasComponent",
    "derivedFrom": "association",
    "associatedWith": "association",
    "kindOf": "isA",
}
"""kg relation → BEL relationship."""

FUNCTIONS = {
    "MicroRNA": "m",
    "GeneOrProtein": "p",
    "Cytokine": "p",
    "GrowthFactor": "p",
    "ProteinFamilyOrComplex": "p",
    "Pathway": "bp",
    "BiologicalProcess": "bp",
    "Disease": "path",
}
"""kg entity type → BEL function (``a()``, an abundance, for the other types)."""

_ANNOTATION_LISTS = {
    "Species": "species",
    "CellType": "cell_types",
    "ExosomeOrigin": "exosome_origins",
    "Stressor": "stressors",
    "StudyType": "study_types",
    "EvidenceLevel": "level",
}
_ANNOTATION_PATTERNS = {"Section": "section", "CitedAs": "citation_printed"}


def _quote(text: str) -> str:
    escaped = " ".join(text.split()).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def bel_term(view: Knowledge, node: str) -> str:
    """The BEL term of an entity.

    Example:
        >>> from kg.store.knowledge import load_knowledge
        >>> view = load_knowledge()
        >>> bel_term(view, "PTEN"), bel_term(view, "miR-21")
        ('p(HGNC:"9588" ! "PTEN")', 'm(MIRBASE:"MI0000077" ! "miR-21")')
    """
    attrs = view.mechanisms.nodes[node]
    namespace, identifier = preferred_grounding(view, node) or ("KG", node)
    function = FUNCTIONS.get(str(attrs.get("type")), "a")
    return f"{function}({namespace}:{_quote(identifier)} ! {_quote(view.label(node))})"


def _values(found: dict[str, object], field: str) -> list[str]:
    value = found.get(field)
    if value is None:
        return []
    if isinstance(value, list):
        return [str(v) for v in value]
    return [str(value)]


def _citation(view: Knowledge, ev: Evidence) -> str:
    if ev.pmids:
        return f'SET Citation = {{"PubMed", "{ev.pmids[0]}"}}'
    if ev.references and ev.references[0] in view.references:
        ref = view.references[ev.references[0]]
        parts = [ref.authors, f"({ref.year})" if ref.year else "", ref.title, ref.journal]
        parts += [p for p in (ref.volume, ref.pages) if p]
        text = " ".join(p.strip().rstrip(".") + "." for p in parts if p)
        return f'SET Citation = {{"Other", {_quote(f"[{ref.number}] {text}")}}}'
    return f'SET Citation = {{"DOI", "{REVIEW_DOI}"}}'


def _set(name: str, values: Iterable[str]) -> str | None:
    distinct = list(dict.fromkeys(values))
    if not distinct:
        return None
    if len(distinct) == 1:
        return f"SET {name} = {_quote(distinct[0])}"
    return f"SET {name} = {{{', '.join(_quote(v) for v in distinct)}}}"


def _statement(view: Knowledge, edge: Edge) -> str:
    relation = BEL_RELATIONS.get(edge.relation)
    if relation is None:
        raise KGError(f"assertion {edge.key}: relation {edge.relation!r} has no BEL equivalent")
    return f"{bel_term(view, edge.source)} {relation} {bel_term(view, edge.target)}"


def bel_document(view: Knowledge, *, name: str = "kg", version: str = "0.1.0") -> str:
    """The mechanism graph as a BEL script (one statement per assertion × evidence).

    Raises:
        KGError: an assertion's relation has no BEL equivalent.

    Example:
        >>> from kg.store.knowledge import load_knowledge
        >>> text = bel_document(load_knowledge())
        >>> 'm(MIRBASE:"MI0000077" ! "miR-21") directlyDecreases p(HGNC:"9588" ! "PTEN")' in text
        True
    """
    blocks: list[list[str]] = []
    used: dict[str, dict[str, None]] = {a: {} for a in _ANNOTATION_LISTS}
    namespaces: dict[str, None] = {}
    for edge in edges(view):
        statement = _statement(view, edge)
        for node in (edge.source, edge.target):
            namespaces[(preferred_grounding(view, node) or ("KG",))[0]] = None
        for ev in edge.evidence:
            found = evidence_annotations(view, ev)
            lines = [_citation(view, ev), f"SET Evidence = {_quote(ev.quote)}"]
            for annotation, field in {**_ANNOTATION_LISTS, **_ANNOTATION_PATTERNS}.items():
                values = _values(found, field)
                if annotation in used:
                    used[annotation].update(dict.fromkeys(values))
                line = _set(annotation, values)
                if line is not None:
                    lines.append(line)
            lines += [f"SET Assertion = {_quote(edge.key)}", statement, "UNSET ALL"]
            blocks.append(lines)
    header = [
        f"SET DOCUMENT Name = {_quote(name)}",
        f"SET DOCUMENT Version = {_quote(version)}",
        _quote_line(
            "Description",
            "Mechanisms of MSC-exosome therapy for the intervertebral "
            f"disc, curated from Bhujel et al. 2022 (doi:{REVIEW_DOI})",
        ),
        'SET DOCUMENT Authors = "kg contributors"',
        'SET DOCUMENT ContactInfo = "https://doi.org/10.3390/ijms23137306"',
        'SET DOCUMENT Licenses = "CC BY 4.0"',
        "",
    ]
    header += [f'DEFINE NAMESPACE {ns} AS PATTERN ".*"' for ns in sorted(namespaces)]
    for annotation in _ANNOTATION_LISTS:
        values = sorted(used[annotation]) or ["none"]
        listed = ", ".join(_quote(v) for v in values)
        header.append(f"DEFINE ANNOTATION {annotation} AS LIST {{{listed}}}")
    header += [
        f'DEFINE ANNOTATION {a} AS PATTERN ".*"' for a in (*_ANNOTATION_PATTERNS, "Assertion")
    ]
    body = ["\n".join(block) for block in blocks]
    return "\n".join(header) + "\n\n" + "\n\n".join(body) + "\n"


def _quote_line(field: str, text: str) -> str:
    return f"SET DOCUMENT {field} = {_quote(text)}"
