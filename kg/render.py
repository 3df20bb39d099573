"""Turn query results into text a biologist reads at a glance, JSON others script against,
and TSV for spreadsheets. Pure functions: results and :class:`~kg.knowledge.Knowledge` in,
strings or plain data out.

Arrows show the sign: ``→`` increases, ``⊣`` decreases. The net effect comes first and the
evidence is indented under each hop.
"""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING, Any

from kg.model import Evidence, Level
from kg.paths import Hop, MechanismPath, Reach, Trace

if TYPE_CHECKING:  # kept out of kg trace's start-up: these pull in rdflib
    from kg.conflicts import Conflict, Side
    from kg.coverage import Unit
    from kg.knowledge import Knowledge

__all__ = [
    "STUDY_TYPE_LABELS",
    "citation_text",
    "conflicts_json",
    "conflicts_text",
    "coverage_markdown",
    "coverage_text",
    "evidence_flags",
    "evidence_json",
    "reach_json",
    "reach_text",
    "reference_label",
    "trace_json",
    "trace_text",
    "trace_tsv",
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


def _arrow(sign: int) -> str:
    return "→" if sign > 0 else "⊣" if sign < 0 else "—"


def _node(kg: Knowledge, node: str) -> dict[str, str]:
    attrs = kg.entities.nodes[node] if node in kg.entities else {}
    return {"id": node, "label": str(attrs.get("label", node)), "type": str(attrs.get("type", ""))}


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
        "level": "stated" if ev.level is Level.STATED else "inferred",
        "flags": evidence_flags(ev, contradicts),
    }


def _contradicts(kg: Knowledge, hop: Hop) -> tuple[str, ...]:
    data = kg.mechanisms.get_edge_data(hop.subject, hop.object, hop.assertion) or {}
    return tuple(data.get("contradicts", ()))


def _path_json(kg: Knowledge, path: MechanismPath) -> dict[str, Any]:
    return {
        "nodes": [_node(kg, n) for n in path.nodes],
        "edges": [
            {
                "subject": hop.subject,
                "relation": hop.relation,
                "object": hop.object,
                "sign": hop.sign,
                "assertion": hop.assertion,
                "evidence": [evidence_json(kg, e, _contradicts(kg, hop)) for e in hop.evidence],
            }
            for hop in path.hops
        ],
        "net_effect": path.net_effect,
    }


def trace_json(kg: Knowledge, result: Trace) -> dict[str, Any]:
    """The JSON contract of ``kg trace --format json``."""
    return {
        "source": _node(kg, result.source),
        "target": _node(kg, result.target),
        "paths": [_path_json(kg, p) for p in result.paths],
        "summary": {
            "paths_found": result.found,
            "paths_shown": len(result.paths),
            "net_effect": result.net_effect,
            "consistent": result.consistent,
            "increasing_paths": list(result.paths_with("increases")),
            "decreasing_paths": list(result.paths_with("decreases")),
            "truncated": result.truncated,
            "truncation_reason": result.reason,
        },
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
    return "; ".join(parts)


def _evidence_lines(
    kg: Knowledge, eid: str, contradicts: tuple[str, ...], indent: str
) -> list[str]:
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


def _hop_line(kg: Knowledge, hop: Hop) -> str:
    words = _RELATION_WORDS.get(hop.relation)
    extra = f"  ({words})" if words else ""
    return f"{kg.label(hop.subject)} {_arrow(hop.sign)} {kg.label(hop.object)}{extra}"


def trace_text(kg: Knowledge, result: Trace) -> str:
    """Readable trace: the net effect first, then each path with evidence under each hop."""
    src, tgt = kg.label(result.source), kg.label(result.target)
    if not result.paths:
        lines = [f"No path from {src} to {tgt} with the given options."]
        if result.truncated:
            lines.append(f"(search cut short: {result.reason})")
        return "\n".join(lines) + "\n"
    n = len(result.paths)
    if result.consistent:
        agree = "one path" if result.found == 1 else f"all {result.found} paths agree"
        head = f"{src} → {tgt}: net effect {str(result.net_effect).upper()} ({agree})"
    else:
        up = ", ".join(map(str, result.paths_with("increases")))
        down = ", ".join(map(str, result.paths_with("decreases")))
        head = f"{src} → {tgt}: net effect MIXED (increases: paths {up}; decreases: paths {down})"
    lines = [head]
    if result.found > n:
        lines.append(f"showing {n} of {result.found} paths (--limit)")
    if result.truncated:
        lines.append(f"search cut short: {result.reason}")
    for rank, path in enumerate(result.paths, 1):
        chain = kg.label(path.nodes[0]) + "".join(
            f" {_arrow(h.sign)} {kg.label(h.object)}" for h in path.hops
        )
        hops = "hop" if len(path.hops) == 1 else "hops"
        lines += ["", f"{rank}. {chain}", f"   net: {path.net_effect} · {len(path.hops)} {hops}"]
        for hop in path.hops:
            lines.append(f"   {_hop_line(kg, hop)}")
            for eid in hop.evidence:
                lines += _evidence_lines(kg, eid, _contradicts(kg, hop), "      ")
    return "\n".join(lines) + "\n"


TSV_COLUMNS = (
    "path", "path_net_effect", "hop", "subject", "relation", "sign", "object", "assertion",
    "evidence", "quote", "section", "citation_printed", "reference", "study_type", "species",
    "cell_type", "level", "flags",
)  # fmt: skip


def trace_tsv(kg: Knowledge, result: Trace) -> str:
    """One row per path, hop and piece of evidence (header first)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter="\t", lineterminator="\n")
    writer.writerow(TSV_COLUMNS)
    for rank, path in enumerate(result.paths, 1):
        for index, hop in enumerate(path.hops, 1):
            for eid in hop.evidence:
                ev = evidence_json(kg, eid, _contradicts(kg, hop))
                writer.writerow([
                    rank, path.net_effect, index, hop.subject, hop.relation, hop.sign, hop.object,
                    hop.assertion, eid, ev["quote"], ev["section"], ev["citation_printed"] or "",
                    "|".join(str(r["number"] or f"PMID:{r['pmid']}") for r in ev["references"]),
                    "|".join(ev["study_type"]), "|".join(ev["species"]),
                    "|".join(ev["cell_type"]), ev["level"], " | ".join(ev["flags"]),
                ])  # fmt: skip
    return out.getvalue()


def reach_json(kg: Knowledge, query: str, direction: str, reached: list[Reach]) -> dict[str, Any]:
    """JSON of ``kg upstream`` / ``kg downstream``."""
    return {
        "query": _node(kg, query),
        "direction": direction,
        "results": [
            {
                "node": _node(kg, r.node),
                "hops": r.hops,
                "net_effect": r.net_effect,
                "path": _path_json(kg, r.path),
            }
            for r in reached
        ],
    }


def reach_text(kg: Knowledge, query: str, direction: str, reached: list[Reach]) -> str:
    """One line per reached entity: net effect, hops, and its shortest supporting chain."""
    name = kg.label(query)
    if not reached:
        return f"Nothing {direction} of {name} within the given hops.\n"
    title = f"{direction.capitalize()} of {name}: {len(reached)} entities"
    lines = [title, ""]
    width = max(len(kg.label(r.node)) for r in reached)
    for r in reached:
        chain = kg.label(r.path.nodes[0]) + "".join(
            f" {_arrow(h.sign)} {kg.label(h.object)}" for h in r.path.hops
        )
        effect = r.net_effect if direction == "downstream" else f"{r.net_effect} {name}"
        lines.append(f"  {kg.label(r.node):<{width}}  {effect:<22} {r.hops} hop(s)  {chain}")
    return "\n".join(lines) + "\n"


def _side_json(kg: Knowledge, side: Side) -> dict[str, Any]:
    return {
        "assertion": side.assertion,
        "subject": _node(kg, side.subject),
        "relation": side.relation,
        "object": _node(kg, side.object),
        "sign": side.sign,
        "evidence": [evidence_json(kg, e) for e in side.evidence],
    }


def conflicts_json(kg: Knowledge, found: list[Conflict]) -> dict[str, Any]:
    """JSON of ``kg conflicts``."""
    return {
        "conflicts": [
            {"kind": c.kind, "note": c.note, "assertions": [_side_json(kg, s) for s in c.sides]}
            for c in found
        ],
        "counts": {
            kind: sum(1 for c in found if c.kind == kind)
            for kind in ("opposite-signs", "curated-contradiction", "citation-mismatch")
        },
    }


def conflicts_text(kg: Knowledge, found: list[Conflict]) -> str:
    """Each conflict with both quotes and their sections."""
    if not found:
        return "No conflicts: no opposite signs, no flagged contradictions or citation slips.\n"
    lines: list[str] = []
    for number, conflict in enumerate(found, 1):
        lines.append(f"{number}. [{conflict.kind}]")
        if conflict.note:
            lines.append(f"   note: {conflict.note}")
        for side in conflict.sides:
            hop = Hop(
                side.subject, side.object, side.assertion, side.relation, side.sign, side.evidence
            )
            lines.append(f"   {_hop_line(kg, hop)}   ({side.assertion})")
            for eid in side.evidence:
                lines += _evidence_lines(kg, eid, (), "      ")
        lines.append("")
    return "\n".join(lines)


def coverage_markdown(
    kg: Knowledge, units: list[Unit], totals: dict[str, int], found: list[Conflict]
) -> str:
    """The coverage report as Markdown: totals, every section and table row, then the
    citation mismatches and contradictions the curation flagged."""
    lines = [
        "# Curation coverage of Bhujel et al. 2022",
        "",
        "Generated by `kg coverage --format markdown`; do not edit by hand. Units are the",
        "review's numbered sections and the rows of its Tables 1-3, read from the review text.",
        "An assertion with evidence from several units counts in each.",
        "",
        "| total | count |",
        "|---|---:|",
        *(f"| {name} | {count} |" for name, count in totals.items()),
        "",
        "| unit | assertions | evidence |",
        "|---|---:|---:|",
        *(f"| {u.name} | {u.assertions} | {u.evidence} |" for u in units),
    ]
    mismatches = [c for c in found if c.kind == "citation-mismatch"]
    if mismatches:
        lines += ["", f"## Citation mismatches ({len(mismatches)} evidence)", ""]
        for conflict in mismatches:
            (side,) = conflict.sides
            ev = kg.evidence[side.evidence[0]]
            real = ", ".join(str(n) for n in ev.references)
            where = f"{ev.section}; {side.assertion}"
            lines.append(f"- {ev.citation_printed} → {real} ({where}): {conflict.note}")
    contradictions = [c for c in found if c.kind != "citation-mismatch"]
    if contradictions:
        lines += ["", f"## Contradictions ({len(contradictions)})", ""]
        for conflict in contradictions:
            pair = " vs ".join(
                f"{s.assertion} ({', '.join(kg.evidence[e].section for e in s.evidence)})"
                for s in conflict.sides
            )
            lines.append(f"- [{conflict.kind}] {pair}: {conflict.note or ''}".rstrip(": "))
    return "\n".join(lines) + "\n"


def coverage_text(units: list[Unit], totals: dict[str, int]) -> str:
    """The coverage report for a terminal: units with zero evidence are marked."""
    width = max(len(u.name) for u in units)
    lines = [", ".join(f"{k}: {v}" for k, v in totals.items()), ""]
    lines.append(f"{'unit':<{width}}  assertions  evidence")
    for u in units:
        gap = "   <- nothing curated" if u.evidence == 0 else ""
        lines.append(f"{u.name:<{width}}  {u.assertions:>10}  {u.evidence:>8}{gap}")
    return "\n".join(lines) + "\n"
