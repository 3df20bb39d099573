"""INDRA Statements JSON: kg's signed causal edges as INDRA Statements.

One Statement per signed causal assertion (edges of sign 0 and non-causal relations have no
INDRA equivalent and are left out): ``repressesTarget`` (a miRNA lowers its target's amount)
is a ``DecreaseAmount``, ``delivers`` (a vesicle raises its cargo in the recipient cell) an
``IncreaseAmount``, the other positive relations ``Activation`` and the negative ones
``Inhibition``. Agents are named by kg's labels and grounded (``db_refs``) to the identifiers
kg has, in INDRA's spelling (``HGNC: 9588``, ``MIRBASE: MI0000077``, ``GO: GO:0043491``,
``MESH``, ``FPLX``), plus ``TEXT`` (the label) and ``KG`` (kg's own entity id, so that an
import puts the edge back on the same entity). Every kg evidence is one INDRA Evidence:
``source_api`` ``kg``, ``source_id`` the evidence id, ``text`` the quote, ``text_refs`` the
review's DOI (or the PubMed id of imported evidence, also in ``pmid``), and ``annotations``
holding the section, references, citation as printed, study types, species, cell types,
exosome origins, stressors, evidence level, plus the assertion id and kg relation
(``kg_assertion``, ``kg_relation``).

INDRA's belief scorer has no prior for the source ``kg``; give it one, e.g.
``BeliefEngine(SimpleScorer({"rand": {"kg": 0.05}, "syst": {"kg": 0.01}}))``.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from kg.store.knowledge import Knowledge
from kg.views.formats.common import (
    REVIEW_DOI,
    SOURCE_API,
    Edge,
    edges,
    evidence_annotations,
    groundings,
)

__all__ = ["DIRECT", "STATEMENT_TYPES", "indra_json", "indra_statements"]

STATEMENT_TYPES = {
    "increases": "Activation",
    "directlyIncreases": "Activation",
    "decreases": "Inhibition",
    "directlyDecreases": "Inhibition",
    "repressesTarget": "DecreaseAmount",
    "delivers": "IncreaseAmount",
}
"""kg relation → INDRA Statement type, for the signed causal relations."""

DIRECT = frozenset({"directlyIncreases", "directlyDecreases", "repressesTarget"})
"""Relations INDRA marks as direct (``epistemics.direct``)."""

_UUIDS = uuid.UUID("5d1b0c7e-3f7a-5c1e-9a59-8a3f3d7b7c11")  # kg's namespace for statement ids


def _agent(view: Knowledge, node: str) -> dict[str, Any]:
    label = view.label(node)
    return {"name": label, "db_refs": {"TEXT": label, **groundings(view, node), "KG": node}}


def _statement(view: Knowledge, edge: Edge) -> dict[str, Any]:
    kind = STATEMENT_TYPES[edge.relation]
    evidence = []
    for ev in edge.evidence:
        notes = evidence_annotations(view, ev)
        notes.update(kg_assertion=edge.key, kg_relation=edge.relation)
        record: dict[str, Any] = {
            "source_api": SOURCE_API,
            "source_id": ev.id,
            "text": ev.quote,
            "annotations": notes,
            "epistemics": {"direct": edge.relation in DIRECT},
        }
        if ev.pmids:
            record["pmid"] = ev.pmids[0]
            record["text_refs"] = {"PMID": ev.pmids[0]}
        else:
            record["text_refs"] = {"DOI": REVIEW_DOI}
        evidence.append(record)
    statement: dict[str, Any] = {
        "type": kind,
        "id": str(uuid.uuid5(_UUIDS, edge.key)),
        "subj": _agent(view, edge.source),
        "obj": _agent(view, edge.target),
        "evidence": evidence,
    }
    if kind in ("Activation", "Inhibition"):
        statement["obj_activity"] = "activity"
    return statement


def indra_statements(view: Knowledge) -> list[dict[str, Any]]:
    """The signed causal edges of ``view`` as INDRA Statement JSON objects.

    Example:
        >>> from kg.store.knowledge import load_knowledge
        >>> stmts = indra_statements(load_knowledge())
        >>> s = next(s for s in stmts if s["evidence"][0]["annotations"]["kg_assertion"]
        ...          == "mir21-represses-pten")
        >>> s["type"], s["subj"]["db_refs"]["MIRBASE"], s["obj"]["db_refs"]["HGNC"]
        ('DecreaseAmount', 'MI0000077', '9588')
        >>> s["evidence"][0]["text"]
        'as exosomal miR-21 inhibits phosphatase and tensin homolog (PTEN)'
    """
    return [
        _statement(view, edge)
        for edge in edges(view)
        if edge.causal and edge.relation in STATEMENT_TYPES and edge.evidence
    ]


def indra_json(view: Knowledge) -> str:
    """:func:`indra_statements` as JSON text (the input of ``indra.statements.stmts_from_json``)."""
    return json.dumps(indra_statements(view), indent=1, ensure_ascii=False) + "\n"
