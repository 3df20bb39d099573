"""Answers to trace, upstream and downstream as text a biologist reads at a glance, JSON others
script against, and TSV for spreadsheets. Pure functions: results and
:class:`~kg.store.knowledge.Knowledge` in, strings or plain data out.

The net effect comes first and the evidence is indented under each hop.
"""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING, Any

from kg.reasoning.paths import Trace
from kg.reasoning.reach import Reach
from kg.reasoning.signed import Hop, MechanismPath

if TYPE_CHECKING:  # kept out of kg trace's start-up: these pull in rdflib
    from kg.store.knowledge import Knowledge
from kg.views.evidence import arrow, evidence_json, evidence_lines, hop_line, node_json

__all__ = ["TSV_COLUMNS", "reach_json", "reach_text", "trace_json", "trace_text", "trace_tsv"]


def _contradicts(kg: Knowledge, hop: Hop) -> tuple[str, ...]:
    data = kg.mechanisms.get_edge_data(hop.subject, hop.object, hop.assertion) or {}
    return tuple(data.get("contradicts", ()))


def _path_json(kg: Knowledge, path: MechanismPath) -> dict[str, Any]:
    return {
        "nodes": [node_json(kg, n) for n in path.nodes],
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
        "source": node_json(kg, result.source),
        "target": node_json(kg, result.target),
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
            f" {arrow(h.sign)} {kg.label(h.object)}" for h in path.hops
        )
        hops = "hop" if len(path.hops) == 1 else "hops"
        lines += ["", f"{rank}. {chain}", f"   net: {path.net_effect} · {len(path.hops)} {hops}"]
        for hop in path.hops:
            lines.append(f"   {hop_line(kg, hop)}")
            for eid in hop.evidence:
                lines += evidence_lines(kg, eid, _contradicts(kg, hop), "      ")
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
        "query": node_json(kg, query),
        "direction": direction,
        "results": [
            {
                "node": node_json(kg, r.node),
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
            f" {arrow(h.sign)} {kg.label(h.object)}" for h in r.path.hops
        )
        effect = r.net_effect if direction == "downstream" else f"{r.net_effect} {name}"
        lines.append(f"  {kg.label(r.node):<{width}}  {effect:<22} {r.hops} hop(s)  {chain}")
    return "\n".join(lines) + "\n"
