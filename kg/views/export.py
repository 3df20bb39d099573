"""Export the graph for other tools: RDF (Turtle, N-Triples, JSON-LD), networks (GraphML for
Cytoscape, networkx node-link JSON) and a spreadsheet (TSV).

Pure functions: an rdflib graph in, text out. Only :func:`write_atomic` touches the disk.

* ``ttl`` / ``nt`` / ``jsonld`` — the whole RDF graph as given (data, plus the ontology if the
  caller loaded it). JSON-LD is compacted with kg's prefixes (:data:`kg.model.vocab.PREFIXES`) as
  its ``@context``.
* ``graphml`` — the mechanism graph of :func:`kg.store.convert.to_networkx` (nodes = entities,
  edges = assertions, edge ids = assertion ids) flattened for Cytoscape: every attribute is a
  string, an int or a boolean. See :func:`flat_graph` for the attributes.
* ``nodelink`` — the same graph as networkx node-link JSON, *not* flattened: lists stay lists
  and every edge carries its ``evidence`` as a list of records (see :func:`nested_graph`).
* ``tsv`` — one row per assertion × evidence, columns :data:`TSV_COLUMNS`.
* ``indra``, ``bel``, ``cx2`` — INDRA Statements JSON, a BEL script, CX2 for NDEx/Cytoscape;
  ``kgx`` — Biolink KGX nodes and edges TSV (two files, :func:`export_kgx`). See
  :mod:`kg.views.formats`.

Within a TSV cell or a GraphML attribute, several values are joined with ``" | "``.
"""

from __future__ import annotations

import csv
import io as _io
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import Graph

from kg.model.errors import UsageError
from kg.model.records import Level
from kg.model.vocab import PREFIXES
from kg.store import files
from kg.store.knowledge import Knowledge, derive
from kg.views.evidence import STUDY_TYPE_LABELS, evidence_flags, reference_label

if TYPE_CHECKING:
    import networkx as nx

__all__ = [
    "FORMATS",
    "JOIN",
    "KGX_SUFFIXES",
    "RDF_FORMATS",
    "TSV_COLUMNS",
    "evidence_rows",
    "export",
    "export_kgx",
    "flat_graph",
    "nested_graph",
    "write_atomic",
]

FORMATS = ("ttl", "nt", "jsonld", "graphml", "nodelink", "tsv", "indra", "bel", "kgx", "cx2")
"""Every format :func:`export` writes."""

RDF_FORMATS = ("ttl", "nt", "jsonld")
"""The formats that write the RDF graph itself (and so can include the ontology)."""

KGX_SUFFIXES = ("_nodes.tsv", "_edges.tsv")
"""``kgx`` writes two files, ``BASE_nodes.tsv`` and ``BASE_edges.tsv`` (see :func:`export_kgx`)."""
"""The formats that write the RDF graph itself (and so can include the ontology)."""

JOIN = " | "
"""The separator of several values in one TSV cell or GraphML attribute."""

TSV_COLUMNS = (
    "assertion", "subject", "subject_label", "relation", "sign", "object", "object_label",
    "evidence", "quote", "section", "citation_printed", "reference", "citation_mismatch",
    "citation_note", "study", "study_type", "species", "cell_type", "exosome_origin",
    "stressor", "context", "level", "inference_reason", "printed_as", "curator_note",
    "contradicts",
)  # fmt: skip
"""Columns of the TSV export, one row per assertion × evidence.

``reference`` is what really reports the finding (``[20] Cheng et al. 2018``), which may differ
from ``citation_printed`` (``citation_mismatch`` is then ``true`` and ``citation_note`` says
why); ``level`` is ``stated`` or ``inferred``; context columns (species, cell type, exosome
origin, stressor) hold entity labels; ``contradicts`` lists assertion ids.
"""


def _evidence_record(view: Knowledge, eid: str) -> dict[str, Any]:
    """One evidence record with typed values: lists stay lists, missing text is None."""
    ev = view.evidence[eid]
    return {
        "evidence": ev.id,
        "quote": ev.quote,
        "section": ev.section,
        "citation_printed": ev.citation_printed,
        "reference": [reference_label(view, n) for n in ev.references],
        "reference_numbers": list(ev.references),
        "citation_mismatch": ev.citation_mismatch,
        "citation_note": ev.citation_note,
        "study": ev.study,
        "study_type": [STUDY_TYPE_LABELS[t.value] for t in ev.study_types],
        "species": [view.label(s) for s in ev.species],
        "cell_type": [view.label(c) for c in ev.cell_types],
        "exosome_origin": [view.label(o) for o in ev.exosome_origins],
        "stressor": [view.label(s) for s in ev.stressors],
        "context": ev.context,
        "level": "stated" if ev.level is Level.STATED else "inferred",
        "inference_reason": ev.inference_reason,
        "printed_as": ev.printed_as,
        "curator_note": ev.note,
    }


def _edges(view: Knowledge) -> list[tuple[str, str, str, dict[str, Any]]]:
    """Mechanism edges sorted by assertion id (so exports are stable)."""
    return sorted(view.mechanisms.edges(keys=True, data=True), key=lambda e: (e[2], e[0], e[1]))


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return JOIN.join(str(v) for v in value)
    return str(value)


def evidence_rows(graph: Graph) -> list[dict[str, str]]:
    """One row per assertion × evidence, keyed by :data:`TSV_COLUMNS`, every value a string.

    Example:
        >>> from kg.model import shipped
        >>> from kg.store import rdf
        >>> rows = evidence_rows(rdf.load(shipped.data_files()))
        >>> row = next(r for r in rows if r["evidence"] == "mir21-represses-pten-1")
        >>> row["subject"], row["relation"], row["object"], row["reference"]
        ('miR-21', 'repressesTarget', 'PTEN', '[20] Cheng et al. 2018')
    """
    view = derive(graph)
    rows = []
    for source, target, key, attrs in _edges(view):
        for eid in attrs["evidence"]:
            if eid not in view.evidence:
                continue
            record = _evidence_record(view, eid)
            record.update(
                assertion=key,
                subject=source,
                subject_label=view.label(source),
                relation=attrs["relation"],
                sign=attrs["sign"],
                object=target,
                object_label=view.label(target),
                contradicts=list(attrs["contradicts"]),
            )
            rows.append({column: _cell(record[column]) for column in TSV_COLUMNS})
    return rows


def _unique(records: list[dict[str, Any]], field: str) -> list[str]:
    seen: dict[str, None] = {}
    for record in records:
        for value in record[field]:
            seen[str(value)] = None
    return list(seen)


def flat_graph(graph: Graph) -> nx.MultiDiGraph:
    """The mechanism graph with only scalar attributes (str, int, bool), for GraphML/Cytoscape.

    Nodes (entity ids): ``label``, ``type``, ``synonyms``, ``xrefs``. Edges (keyed by assertion
    id): ``relation``, ``sign`` (int), ``causal`` (bool), ``contradicts``, ``evidence_count``
    (int), ``citation_mismatch`` (bool: any evidence), and from the evidence: ``evidence``,
    ``quotes``, ``sections``, ``citations_printed`` (one entry per evidence, in the same order,
    joined with :data:`JOIN`); ``references``, ``study_types``, ``species``, ``cell_types``,
    ``exosome_origins``, ``stressors``, ``levels``, ``flags`` (distinct values, joined).

    Example:
        >>> from kg.model import shipped
        >>> from kg.store import rdf
        >>> g = flat_graph(rdf.load(shipped.data_files()))
        >>> edge = g.edges["miR-21", "PTEN", "mir21-represses-pten"]
        >>> edge["sign"], edge["evidence_count"], edge["references"]
        (-1, 2, '[20] Cheng et al. 2018')
    """
    import networkx as nx

    view = derive(graph)
    result = nx.MultiDiGraph()
    for node in sorted(view.mechanisms):
        attrs = view.mechanisms.nodes[node]
        result.add_node(
            node,
            label=str(attrs["label"]),
            type=str(attrs["type"]),
            synonyms=JOIN.join(attrs["synonyms"]),
            xrefs=JOIN.join(attrs["xrefs"]),
        )
    for source, target, key, attrs in _edges(view):
        records = [_evidence_record(view, e) for e in attrs["evidence"] if e in view.evidence]
        flags: dict[str, None] = {}
        for eid in attrs["evidence"]:
            if eid in view.evidence:
                flags.update(
                    dict.fromkeys(evidence_flags(view.evidence[eid], attrs["contradicts"]))
                )
        result.add_edge(
            source,
            target,
            key=key,
            relation=str(attrs["relation"]),
            sign=int(attrs["sign"]),
            causal=bool(attrs["causal"]),
            contradicts=JOIN.join(attrs["contradicts"]),
            evidence_count=len(records),
            evidence=JOIN.join(r["evidence"] for r in records),
            quotes=JOIN.join(r["quote"] for r in records),
            sections=JOIN.join(r["section"] for r in records),
            citations_printed=JOIN.join(r["citation_printed"] or "" for r in records),
            citation_mismatch=any(r["citation_mismatch"] for r in records),
            references=JOIN.join(_unique(records, "reference")),
            study_types=JOIN.join(_unique(records, "study_type")),
            species=JOIN.join(_unique(records, "species")),
            cell_types=JOIN.join(_unique(records, "cell_type")),
            exosome_origins=JOIN.join(_unique(records, "exosome_origin")),
            stressors=JOIN.join(_unique(records, "stressor")),
            levels=JOIN.join(dict.fromkeys(r["level"] for r in records)),
            flags=JOIN.join(flags),
        )
    return result


def nested_graph(graph: Graph) -> nx.MultiDiGraph:
    """The mechanism graph with its evidence nested on each edge (for node-link JSON).

    Nodes carry ``label``, ``type`` and lists ``synonyms``, ``xrefs``; edges (keyed by assertion
    id) carry ``relation``, ``sign``, ``causal``, ``contradicts`` (list) and ``evidence``: a list
    of records with the evidence fields of :data:`TSV_COLUMNS` (lists stay lists, missing text
    is ``None``) plus ``reference_numbers``.

    Example:
        >>> from kg.model import shipped
        >>> from kg.store import rdf
        >>> g = nested_graph(rdf.load(shipped.data_files()))
        >>> ev = g.edges["miR-21", "PTEN", "mir21-represses-pten"]["evidence"][0]
        >>> ev["quote"], ev["reference_numbers"]
        ('as exosomal miR-21 inhibits phosphatase and tensin homolog (PTEN)', [20])
    """
    import networkx as nx

    view = derive(graph)
    result = nx.MultiDiGraph()
    for node in sorted(view.mechanisms):
        attrs = view.mechanisms.nodes[node]
        result.add_node(
            node,
            label=attrs["label"],
            type=attrs["type"],
            synonyms=list(attrs["synonyms"]),
            xrefs=list(attrs["xrefs"]),
        )
    for source, target, key, attrs in _edges(view):
        result.add_edge(
            source,
            target,
            key=key,
            relation=attrs["relation"],
            sign=attrs["sign"],
            causal=attrs["causal"],
            contradicts=list(attrs["contradicts"]),
            evidence=[_evidence_record(view, e) for e in attrs["evidence"] if e in view.evidence],
        )
    return result


def _jsonld(graph: Graph) -> str:
    return graph.serialize(format="json-ld", context=dict(PREFIXES), auto_compact=True, indent=2)


def _tsv(graph: Graph) -> str:
    out = _io.StringIO()
    writer = csv.DictWriter(out, fieldnames=TSV_COLUMNS, delimiter="\t", lineterminator="\n")
    writer.writeheader()
    writer.writerows(evidence_rows(graph))
    return out.getvalue()


def export(graph: Graph, fmt: str) -> str:
    """The graph as text in ``fmt`` (one of :data:`FORMATS`).

    Raises:
        UsageError: ``fmt`` is not a known format.
        KGError: an assertion uses a predicate that is not a kg relation (network formats).

    Example:
        >>> from kg.model import shipped
        >>> from kg.store import rdf
        >>> graph = rdf.load(shipped.data_files())
        >>> export(graph, "tsv").splitlines()[0].split("\\t")[:4]
        ['assertion', 'subject', 'subject_label', 'relation']
        >>> export(graph, "nt").count("\\n") == len(graph)
        True
    """
    if fmt == "ttl":
        return graph.serialize(format="turtle")
    if fmt == "nt":
        # Sorted lines, so that two exports of the same graph are byte-identical.
        lines = graph.serialize(format="nt").splitlines(keepends=True)
        return "".join(sorted(line for line in lines if line.strip()))
    if fmt in ("jsonld", "tsv", "indra", "bel", "cx2"):
        return _text(graph, fmt)
    if fmt == "graphml":
        import networkx as nx

        return "\n".join(nx.generate_graphml(flat_graph(graph))) + "\n"
    if fmt == "nodelink":
        import networkx as nx

        data = nx.node_link_data(nested_graph(graph), edges="edges")
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    if fmt == "kgx":
        raise UsageError(
            "kgx is two files: give --out BASE (writes BASE_nodes.tsv, BASE_edges.tsv)"
        )
    raise UsageError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")


def _text(graph: Graph, fmt: str) -> str:
    """JSON-LD, TSV and the one-file exchange formats of :mod:`kg.views.formats`."""
    if fmt == "jsonld":
        return _jsonld(graph)
    if fmt == "tsv":
        return _tsv(graph)
    view = derive(graph)
    if fmt == "indra":
        from kg.views.formats.indra import indra_json

        return indra_json(view)
    if fmt == "bel":
        from kg.views.formats.bel import bel_document

        return bel_document(view)
    from kg.views.formats.cx2 import cx2_json

    return cx2_json(view)


def export_kgx(graph: Graph, base: Path) -> list[Path]:
    """Write the KGX nodes and edges TSV of ``graph`` to ``BASE_nodes.tsv``, ``BASE_edges.tsv``.

    Both texts are made before either file is written, and each is written atomically.
    """
    from kg.views.formats.kgx import kgx_tables

    texts = kgx_tables(derive(graph))
    paths = [base.with_name(base.name + suffix) for suffix in KGX_SUFFIXES]
    for text, path in zip(texts, paths, strict=True):
        write_atomic(text, path)
    return paths


def write_atomic(text: str, path: Path) -> None:
    """Write ``text`` to ``path`` atomically; see :func:`kg.io.write_atomic`."""
    files.write_atomic(text, path)
