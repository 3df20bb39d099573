"""How one piece of evidence reads: its references, context and the flags a reader must see.

Shared by the answers, the reports, the HTML pages and the exports, so that every output
words a citation mismatch or a curator inference the same way. Arrows show the sign:
``→`` increases, ``⊣`` decreases.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kg.model.records import Evidence, Level
from kg.reasoning.scores import Score
from kg.reasoning.signed import Hop

if TYPE_CHECKING:  # kept out of kg trace's start-up: these pull in rdflib
    from kg.store.knowledge import Knowledge

__all__ = [
    "LEVEL_LABELS",
    "STUDY_TYPE_LABELS",
    "arrow",
    "citation_text",
    "evidence_flags",
    "evidence_json",
    "evidence_lines",
    "hop_line",
    "node_json",
    "reference_label",
    "score_json",
    "score_line",
]


#: How study types read in output.
STUDY_TYPE_LABELS = {
    "InVitro": "in vitro",
    "InVivo": "in vivo",
    "Clinical": "clinical",
    "ReviewStatement": "review statement",
}
_RELATION_WORDS = {
    "repressesTarget": "targets and represses",
    "directlyIncreases": "directly increases",
    "directlyDecreases": "directly decreases",
    "delivers": "delivers",
}


def arrow(sign: int) -> str:
    return "→" if sign > 0 else "⊣" if sign < 0 else "—"


def node_json(kg: Knowledge, node: str) -> dict[str, str]:
    attrs = kg.entities.nodes[node] if node in kg.entities else {}
    return {"id": node, "label": str(attrs.get("label", node)), "type": str(attrs.get("type", ""))}


LEVEL_LABELS = {
    Level.STATED: "stated",
    Level.CURATOR_INFERRED: "inferred",
    Level.AS_PRINTED: "as-printed",
    Level.CORRECTED: "corrected",
}
"""The ``level`` of evidence as JSON and TSV show it (the curation tables' own words)."""


def evidence_flags(ev: Evidence, hop_contradicts: tuple[str, ...] = ()) -> list[str]:
    """Warnings a reader must see with a piece of evidence: citation mismatch, curator
    inference, misprinted name, contradiction, import provenance."""
    flags = []
    if ev.citation_mismatch:
        printed = ev.citation_printed or ""
        real = ",".join(str(n) for n in ev.references)
        flags.append(
            f"citation mismatch: printed {printed}, reported in [{real}]: {ev.citation_note}"
        )
    if ev.level is Level.CURATOR_INFERRED:
        flags.append(f"curator-inferred: {ev.inference_reason}")
    elif ev.level is Level.AS_PRINTED:
        why = f": {ev.inference_reason}" if ev.inference_reason else ""
        flags.append(f"as printed, not the adopted reading{why}")
    elif ev.level is Level.CORRECTED:
        flags.append(f"corrected reading: {ev.inference_reason}")
    if ev.cites_review and not ev.citation_printed:
        flags.append("uncited sentence: cites the review itself")
    if ev.printed_as:
        flags.append(f"printed as: {ev.printed_as}")
    flags.extend(f"contradicted by assertion {other}" for other in hop_contradicts)
    if ev.source:
        how = "; ".join(filter(None, [ev.support_type, ", ".join(ev.experiments)]))
        flags.append(
            f"imported from {ev.source} {ev.source_record or ''} ({how})".replace(" ()", "")
        )
    return flags


def _reference(kg: Knowledge, number: int) -> dict[str, Any]:
    ref = kg.references.get(number)
    if ref is None:
        return {"number": number, "authors": None, "year": None, "title": None, "journal": None}
    return {
        "number": ref.number,
        "authors": ref.authors,
        "year": ref.year,
        "title": ref.title,
        "journal": ref.journal,
    }


def _pubmeds(ev: Evidence) -> list[dict[str, Any]]:
    return [
        {"number": None, "authors": None, "year": None, "title": None, "journal": None, "pmid": p}
        for p in ev.pmids
    ]


def _pubmed(ev: Evidence) -> dict[str, Any] | None:
    found = _pubmeds(ev)
    return found[0] if found else None


def evidence_json(kg: Knowledge, eid: str, contradicts: tuple[str, ...] = ()) -> dict[str, Any]:
    """One piece of evidence as the JSON contract of ``kg trace`` shows it."""
    ev = kg.evidence[eid]
    return {
        "id": ev.id,
        "quote": ev.quote,
        "section": ev.section,
        "citation_printed": ev.citation_printed,
        "reference": _reference(kg, ev.references[0]) if ev.references else _pubmed(ev),
        "references": [_reference(kg, n) for n in ev.references] + _pubmeds(ev),
        "study_type": [STUDY_TYPE_LABELS[t.value] for t in ev.study_types],
        "species": [kg.label(s) for s in ev.species],
        "cell_type": [kg.label(c) for c in ev.cell_types],
        "exosome_origin": [kg.label(c) for c in ev.exosome_origins],
        "stressor": [kg.label(s) for s in ev.stressors],
        "level": LEVEL_LABELS[ev.level],
        "flags": evidence_flags(ev, contradicts),
    }


def reference_label(kg: Knowledge, number: int) -> str:
    """A reference in short: ``[20] Cheng et al. 2018``."""
    ref = kg.references.get(number)
    if ref is None:
        return f"[{number}]"
    first = ref.authors.split(";")[0].split(",")[0].strip()
    etal = " et al." if ";" in ref.authors else ""
    year = f" {ref.year}" if ref.year is not None else ""
    return f"[{number}] {first}{etal}{year}"


def citation_text(kg: Knowledge, ev: Evidence) -> str:
    """The references of some evidence: ``[20] Cheng et al. 2018, J. Cell. Mol. Med.``."""
    parts = [f"PMID:{p}" for p in ev.pmids]
    for number in ev.references:
        ref = kg.references.get(number)
        journal = f", {ref.journal}" if ref is not None else ""
        parts.append(reference_label(kg, number) + journal)
    if ev.cites_review:
        from kg.model.vocab import REVIEW_LABEL  # rdflib: kept out of kg trace's start-up

        parts.append(REVIEW_LABEL)
    return "; ".join(parts)


def evidence_lines(kg: Knowledge, eid: str, contradicts: tuple[str, ...], indent: str) -> list[str]:
    ev = kg.evidence[eid]
    context = [
        ev.section,
        citation_text(kg, ev),
        ", ".join(STUDY_TYPE_LABELS[t.value] for t in ev.study_types),
        ", ".join(kg.label(s) for s in ev.species),
        ", ".join(kg.label(c) for c in ev.cell_types),
    ]
    if ev.stressors:
        context.append("stressor: " + ", ".join(kg.label(s) for s in ev.stressors))
    lines = [f'{indent}"{ev.quote}"', f"{indent}  {' · '.join(c for c in context if c)}"]
    lines += [f"{indent}  ! {flag}" for flag in evidence_flags(ev, contradicts)]
    return lines


def hop_line(kg: Knowledge, hop: Hop) -> str:
    words = _RELATION_WORDS.get(hop.relation)
    extra = f"  ({words})" if words else ""
    return f"{kg.label(hop.subject)} {arrow(hop.sign)} {kg.label(hop.object)}{extra}"


def score_line(score: Score) -> str:
    """``value = factor value (why) × ...``."""
    factors = " × ".join(f"{p.name} {p.value:.2f} ({p.why})" for p in score.parts)
    return f"{score.value:.2f} = {factors}"


def score_json(score: Score) -> dict[str, Any]:
    """A score, its factors and the scores under it."""
    return {
        "kind": score.kind,
        "subject": score.subject,
        "value": round(score.value, 6),
        "parts": [{"name": p.name, "value": p.value, "why": p.why} for p in score.parts],
        "children": [score_json(c) for c in score.children],
    }
