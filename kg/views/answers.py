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
from kg.reasoning.scores import Score
from kg.reasoning.signed import Effect, Hop, MechanismPath

if TYPE_CHECKING:  # kept out of kg trace's start-up: these pull in rdflib
    from kg.store.knowledge import Knowledge
from kg.views.evidence import (
    arrow,
    evidence_json,
    evidence_lines,
    hop_line,
    node_json,
    reference_label,
    score_json,
    score_line,
)

__all__ = [
    "TSV_COLUMNS",
    "coherence_text",
    "reach_json",
    "reach_text",
    "trace_json",
    "trace_text",
    "trace_tsv",
]


def _contradicts(kg: Knowledge, hop: Hop) -> tuple[str, ...]:
    data = kg.mechanisms.get_edge_data(hop.subject, hop.object, hop.assertion) or {}
    return tuple(data.get("contradicts", ()))


EFFECTS: tuple[Effect, Effect] = ("increases", "decreases")
#: Studies listed by name on a path line; more are counted.
SHOWN_STUDIES = 3


def _study_label(kg: Knowledge, study: str) -> str:
    """``ref:20`` -> ``[20] Cheng et al. 2018``; ``PMID:1`` stays; ``study:x`` -> ``Table 3 x``."""
    kind, _, value = study.partition(":")
    if kind == "ref" and value.isdigit():
        return reference_label(kg, int(value))
    if kind == "study":
        return f"Table 3 study {value}"
    return study


def coherence_text(kg: Knowledge, path: MechanismPath) -> str:
    """``within one study ([20] Cheng et al. 2018)``, ``within one cell type (...)`` or
    ``stitched across contexts``."""
    if path.coherence == "study":
        cited = [s for s in path.studies if not s.startswith("study:")] or list(path.studies)
        names = [_study_label(kg, s) for s in cited[:SHOWN_STUDIES]]
        more = f" and {len(cited) - SHOWN_STUDIES} more" if len(cited) > SHOWN_STUDIES else ""
        return f"within one study ({', '.join(names)}{more})"
    if path.coherence == "cell-type":
        return f"within one cell type ({', '.join(kg.label(c) for c in path.cell_types)})"
    if len(path.hops) == 1:
        return "one hop, no study or cell type recorded"
    return "stitched across contexts"


def _kind_of(path: MechanismPath, hop: Hop, query: tuple[str, str] | None) -> str | None:
    """The queried entity that ``hop``'s end stands for when that end is one of its kinds."""
    if query is None:
        return None
    if path.source_kind is not None and hop is path.hops[0]:
        return query[0]
    if path.target_kind is not None and hop is path.hops[-1]:
        return query[1]
    return None


def _path_json(
    kg: Knowledge,
    path: MechanismPath,
    query: tuple[str, str] | None = None,
    score: Score | None = None,
) -> dict[str, Any]:
    return {
        "nodes": [node_json(kg, n) for n in path.nodes],
        "edges": [
            {
                "subject": hop.subject,
                "relation": hop.relation,
                "object": hop.object,
                "sign": hop.sign,
                "assertion": hop.assertion,
                "as_printed": list(hop.as_printed),
                "kind_of": _kind_of(path, hop, query),
                "evidence": [evidence_json(kg, e, _contradicts(kg, hop)) for e in hop.evidence],
            }
            for hop in path.hops
        ],
        "net_effect": path.net_effect,
        "coherence": path.coherence,
        "shared_studies": [{"id": s, "label": _study_label(kg, s)} for s in path.studies],
        "shared_cell_types": [node_json(kg, c) for c in path.cell_types],
        "source_kind": node_json(kg, path.source_kind) if path.source_kind else None,
        "target_kind": node_json(kg, path.target_kind) if path.target_kind else None,
        "through_as_printed": path.as_printed,
        "score": score_json(score) if score is not None else None,
    }


def _counts_json(result: Trace) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for effect in EFFECTS:
        number, exact = result.count(effect)
        found[effect] = {"count": number, "exact": exact}
    return found


def trace_json(kg: Knowledge, result: Trace) -> dict[str, Any]:
    """The JSON contract of ``kg trace --format json``."""
    query = (result.source, result.target)
    return {
        "source": node_json(kg, result.source),
        "target": node_json(kg, result.target),
        "paths": [
            _path_json(kg, p, query, result.scores[i] if result.scores else None)
            for i, p in enumerate(result.paths)
        ],
        "summary": {
            "paths_found": result.found,
            "paths_found_exact": result.counted_fully,
            "paths_shown": len(result.paths),
            "net_effect": result.net_effect,
            "net_effects": list(result.reachable),
            "consistent": result.consistent,
            "max_hops": result.max_hops,
            "rank": "coherence (one study, one cell type, stitched), then the highest path "
            "score, then fewest hops",
            "paths_by_effect": _counts_json(result),
            "increasing_paths": list(result.paths_with("increases")),
            "decreasing_paths": list(result.paths_with("decreases")),
            "coherence_filter": result.coherence,
            "source_kinds": [node_json(kg, k) for k in result.source_kinds],
            "target_kinds": [node_json(kg, k) for k in result.target_kinds],
            "as_printed_left_out": {
                "count": len(result.left_out),
                "assertions": list(result.left_out),
            },
            "stitched_left_out": (
                None
                if result.stitched is None
                else [
                    {"net_effect": effect, "count": n, "exact": exact}
                    for effect, n, exact in result.stitched
                ]
            ),
            "net_effects_within_one_study": (
                None if result.within_one_study is None else list(result.within_one_study)
            ),
            "truncated": result.truncated,
            "truncation_reason": result.reason,
            "undecided": list(result.undecided),
        },
    }


def _number(result: Trace, effect: Effect) -> str:
    number, exact = result.count(effect)
    return f"{number}" if exact else f"at least {number}"


def _paths_word(result: Trace, effect: Effect) -> str:
    number, exact = result.count(effect)
    return f"{_number(result, effect)} {'path' if number == 1 and exact else 'paths'}"


def _head(kg: Knowledge, result: Trace) -> str:
    src, tgt = kg.label(result.source), kg.label(result.target)
    within = f"within {result.max_hops} hops"
    if result.consistent:
        (effect,) = result.reachable
        number, exact = result.count(effect)
        agree = (
            f"one path {within}" if (number, exact) == (1, True)
            else f"all {_paths_word(result, effect)} {within} agree"
        )  # fmt: skip
        return f"{src} → {tgt}: net effect {str(result.net_effect).upper()} ({agree})"
    parts = []
    for effect in EFFECTS:
        shown = ", ".join(map(str, result.paths_with(effect)))
        parts.append(
            f"{effect}: {_paths_word(result, effect)}, "
            + (f"shown {shown}" if shown else "none shown")
        )
    return f"{src} → {tgt}: net effect MIXED {within} ({'; '.join(parts)})"


def _notes(kg: Knowledge, result: Trace) -> list[str]:
    lines = []
    for name, kinds in ((result.source, result.source_kinds), (result.target, result.target_kinds)):
        if kinds:
            listed = ", ".join(kg.label(k) for k in kinds)
            lines.append(f"{kg.label(name)} includes its kinds: {listed} (--exact: only itself)")
    if result.within_one_study is not None:
        effects = result.within_one_study
        answer = "no path" if not effects else effects[0] if len(effects) == 1 else "still mixed"
        lines.append(f"over the paths one study supports: {answer} (--coherence study)")
    if result.left_out:
        n = len(result.left_out)
        readings = "reading" if n == 1 else "readings"
        lines.append(
            f"left out {n} as-printed {readings} on the way ({', '.join(result.left_out)}); "
            "--evidence all shows them"
        )
    if result.coherence == "study":
        lines.append("only paths whose hops one study supports (--coherence study)")
    if result.stitched:
        parts = [
            f"{n if exact else f'at least {n}'} "
            + ("path that " + effect if (n, exact) == (1, True) else "paths that " + effect[:-1])
            for effect, n, exact in result.stitched
        ]
        lines.append(
            f"left out {' and '.join(parts)} stitched across studies and cell types "
            "(no one context supports every hop); --coherence any shows them"
        )
    if result.truncated:
        lines.append(f"search cut short: {result.reason}")
        if result.undecided:
            lines.append(f"not decided: {', '.join(result.undecided)}")
    return lines


def trace_text(kg: Knowledge, result: Trace) -> str:
    """Readable trace: the net effect first, then each path with evidence under each hop."""
    src, tgt = kg.label(result.source), kg.label(result.target)
    if not result.paths:
        lines = [f"No path from {src} to {tgt} with the given options."]
        lines += [f"({note})" for note in _notes(kg, result)]
        return "\n".join(lines) + "\n"
    n = len(result.paths)
    lines = [_head(kg, result), *_notes(kg, result)]
    if not result.counted_fully or result.found > n:
        lines.append(f"showing {n} of {'at least ' if not result.counted_fully else ''}"
                     f"{result.found} paths (--limit)")  # fmt: skip
    query = (result.source, result.target)
    for rank, path in enumerate(result.paths, 1):
        chain = kg.label(path.nodes[0]) + "".join(
            f" {arrow(h.sign)} {kg.label(h.object)}" for h in path.hops
        )
        hops = "hop" if len(path.hops) == 1 else "hops"
        lines += [
            "",
            f"{rank}. {chain}",
            f"   net: {path.net_effect} · {len(path.hops)} {hops} · {coherence_text(kg, path)}",
        ]
        score = result.scores[rank - 1] if result.scores else None
        if score is not None:
            lines.append(f"   score {score_line(score)}")
        for end, query_end in (
            (path.source_kind, result.source),
            (path.target_kind, result.target),
        ):
            if end is not None:
                lines.append(f"   via {kg.label(end)} (a kind of {kg.label(query_end)})")
        if path.as_printed:
            lines.append("   ! through an as-printed reading (--evidence all)")
        for hop in path.hops:
            extra = ""
            if (general := _kind_of(path, hop, query)) is not None:
                extra += f"   [stands for {kg.label(general)}]"
            if hop.as_printed:
                extra += "   [as-printed]"
            lines.append(f"   {hop_line(kg, hop)}{extra}")
            if score is not None:
                hop_score = score.children[path.hops.index(hop)]
                lines.append(f"      score {score_line(hop_score)}")
            for eid in hop.evidence:
                lines += evidence_lines(kg, eid, _contradicts(kg, hop), "      ")
    return "\n".join(lines) + "\n"


TSV_COLUMNS = (
    "path", "path_net_effect", "hop", "subject", "relation", "sign", "object", "assertion",
    "evidence", "quote", "section", "citation_printed", "reference", "study_type", "species",
    "cell_type", "level", "flags", "path_coherence", "as_printed", "kind_of",
)  # fmt: skip


def trace_tsv(kg: Knowledge, result: Trace) -> str:
    """One row per path, hop and piece of evidence (header first)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter="\t", lineterminator="\n")
    writer.writerow(TSV_COLUMNS)
    query = (result.source, result.target)
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
                    path.coherence, "yes" if eid in hop.as_printed else "",
                    _kind_of(path, hop, query) or "",
                ])  # fmt: skip
    return out.getvalue()


def reach_json(kg: Knowledge, query: str, direction: str, reached: list[Reach]) -> dict[str, Any]:
    """JSON of ``kg upstream`` / ``kg downstream``."""
    left_out = tuple(getattr(reached, "left_out", ()))
    return {
        "query": node_json(kg, query),
        "direction": direction,
        "kinds": [node_json(kg, k) for k in getattr(reached, "kinds", ())],
        "as_printed_left_out": {"count": len(left_out), "assertions": list(left_out)},
        "results": [
            {
                "node": node_json(kg, r.node),
                "hops": r.hops,
                "net_effect": r.net_effect,
                "decided": r.complete,
                "path": _path_json(kg, r.path, (query, query)),
            }
            for r in reached
        ],
    }


def reach_text(kg: Knowledge, query: str, direction: str, reached: list[Reach]) -> str:
    """One line per reached entity: net effect over all simple paths within the bound, the
    fewest hops, and its best-evidenced shortest chain."""
    name = kg.label(query)
    notes = []
    if kinds := getattr(reached, "kinds", ()):
        listed = ", ".join(kg.label(k) for k in kinds)
        notes.append(f"{name} includes its kinds: {listed} (--exact: only itself)")
    if left_out := getattr(reached, "left_out", ()):
        readings = "reading" if len(left_out) == 1 else "readings"
        notes.append(
            f"left out {len(left_out)} as-printed {readings} within reach "
            f"({', '.join(left_out)}); --evidence all shows them"
        )
    if not reached:
        return "\n".join([f"Nothing {direction} of {name} within the given hops.", *notes]) + "\n"
    title = f"{direction.capitalize()} of {name}: {len(reached)} entities"
    lines = [title, *notes, ""]
    width = max(len(kg.label(r.node)) for r in reached)
    for r in reached:
        chain = kg.label(r.path.nodes[0]) + "".join(
            f" {arrow(h.sign)} {kg.label(h.object)}" for h in r.path.hops
        )
        effect = r.net_effect if direction == "downstream" else f"{r.net_effect} {name}"
        if not r.complete:
            effect += " (undecided: time limit)"
        lines.append(f"  {kg.label(r.node):<{width}}  {effect:<22} {r.hops} hop(s)  {chain}")
    return "\n".join(lines) + "\n"
