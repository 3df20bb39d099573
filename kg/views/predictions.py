"""``kg predict`` and ``kg explain`` as text, JSON and TSV, with every score's breakdown.

Pure functions: results and :class:`~kg.store.knowledge.Knowledge` in, strings or plain data
out. A score reads as its value and the factors it is the product of, e.g.
``0.48 = study type 0.60 (InVitro) × species 0.80 (rat) × level 1.00 (Stated)``.
"""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING, Any

from kg.reasoning.explain import Explanation, Regulator
from kg.reasoning.predict import Forecast, Prediction, Support
from kg.reasoning.signed import MechanismPath
from kg.views.evidence import arrow, evidence_json, node_json, score_json, score_line

if TYPE_CHECKING:
    from kg.store.knowledge import Knowledge

__all__ = [
    "explain_head",
    "explain_json",
    "explain_text",
    "explain_tsv",
    "forecast_json",
    "forecast_text",
    "forecast_tsv",
    "path_chain",
    "prediction_head",
    "support_lines",
]

_WORD = {1: "up", -1: "down"}


def path_chain(kg: Knowledge, path: MechanismPath) -> str:
    """``miR-21 ⊣ PTEN ⊣ PI3K/AKT signaling pathway``: a path by its labels and arrows."""
    return kg.label(path.nodes[0]) + "".join(
        f" {arrow(h.sign)} {kg.label(h.object)}" for h in path.hops
    )


def _perturbation(kg: Knowledge, support: Support) -> str:
    return f"{kg.label(support.perturbation.node)} {_WORD[support.perturbation.direction]}"


def support_lines(kg: Knowledge, support: Support, indent: str) -> list[str]:
    """A path, then its score's breakdown: the path, each hop, each hop's evidence."""
    lines = [f"{indent}{path_chain(kg, support.path)}  [{_perturbation(kg, support)}]"]
    lines.append(f"{indent}   path score {score_line(support.score)}")
    for hop, hop_score in zip(support.path.hops, support.score.children, strict=True):
        lines.append(
            f"{indent}   {kg.label(hop.subject)} {arrow(hop.sign)} {kg.label(hop.object)} "
            f"({hop.assertion}): {score_line(hop_score)}"
        )
        lines += [f"{indent}      {e.subject}: {score_line(e)}" for e in hop_score.children]
    return lines


def _paths(n: int) -> str:
    return f"{n} path" if n == 1 else f"{n} paths"


def prediction_head(kg: Knowledge, p: Prediction) -> str:
    """``apoptosis: DOWN (score 0.64; up 0.00 from 0 paths, down 0.64 from 5 paths)``."""
    conflict = " · CONFLICTING" if p.conflicting else ""
    cut = " · search cut short" if p.truncated else ""
    return (
        f"{kg.label(p.node)}: {p.direction.upper()}{conflict} (score {p.score:.2f}; up "
        f"{p.up_score:.2f} from {_paths(p.paths_up)}, down {p.down_score:.2f} from "
        f"{_paths(p.paths_down)}){cut}"
    )


def forecast_text(kg: Knowledge, forecast: Forecast, *, paths: int = 3) -> str:
    """Each prediction, its best supporting paths and the strongest opposing one, with the
    breakdown of every score."""
    what = ", ".join(f"{kg.label(p.node)} {_WORD[p.direction]}" for p in forecast.perturbations)
    n = len(forecast.predictions)
    lines = [f"Predicted effects of {what} ({n} target{'' if n == 1 else 's'})"]
    if forecast.unreached:
        lines.append("no path reaches: " + ", ".join(kg.label(n) for n in forecast.unreached))
    for p in forecast.predictions:
        lines += ["", prediction_head(kg, p)]
        side = "supporting" if p.direction != "unresolved" else "increasing"
        for rank, support in enumerate(p.supporting[:paths], 1):
            lines += support_lines(kg, support, f"  {side} {rank}: ")[:1]
            lines += support_lines(kg, support, "  ")[1:]
        if p.opposing is not None:
            lines += support_lines(kg, p.opposing, "  strongest opposing: ")[:1]
            lines += support_lines(kg, p.opposing, "  ")[1:]
        else:
            lines.append("  no opposing path")
    return "\n".join(lines) + "\n"


def _path_json(kg: Knowledge, support: Support) -> dict[str, Any]:
    return {
        "perturbation": {
            "node": node_json(kg, support.perturbation.node),
            "direction": _WORD[support.perturbation.direction],
        },
        "direction": _WORD[support.direction],
        "nodes": [node_json(kg, n) for n in support.path.nodes],
        "edges": [
            {
                "subject": h.subject,
                "relation": h.relation,
                "object": h.object,
                "sign": h.sign,
                "assertion": h.assertion,
                "evidence": [evidence_json(kg, e) for e in h.evidence],
            }
            for h in support.path.hops
        ],
        "score": score_json(support.score),
    }


def _prediction_json(kg: Knowledge, p: Prediction, paths: int) -> dict[str, Any]:
    return {
        "target": node_json(kg, p.node),
        "direction": p.direction,
        "conflicting": p.conflicting,
        "score": round(p.score, 6),
        "up_score": round(p.up_score, 6),
        "down_score": round(p.down_score, 6),
        "paths_up": p.paths_up,
        "paths_down": p.paths_down,
        "truncated": p.truncated,
        "supporting": [_path_json(kg, s) for s in p.supporting[:paths]],
        "opposing": _path_json(kg, p.opposing) if p.opposing is not None else None,
    }


def forecast_json(kg: Knowledge, forecast: Forecast, *, paths: int = 3) -> dict[str, Any]:
    """The JSON contract of ``kg predict --format json``."""
    return {
        "perturbations": [
            {"node": node_json(kg, p.node), "direction": _WORD[p.direction]}
            for p in forecast.perturbations
        ],
        "predictions": [_prediction_json(kg, p, paths) for p in forecast.predictions],
        "unreached": [node_json(kg, n) for n in forecast.unreached],
    }


FORECAST_COLUMNS = (
    "target", "label", "direction", "conflicting", "score", "up_score", "down_score",
    "paths_up", "paths_down", "supporting_path", "supporting_score", "supporting_breakdown",
    "opposing_path", "opposing_score",
)  # fmt: skip


def forecast_tsv(kg: Knowledge, forecast: Forecast) -> str:
    """One row per target (header first)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter="\t", lineterminator="\n")
    writer.writerow(FORECAST_COLUMNS)
    for p in forecast.predictions:
        opposing = p.opposing
        writer.writerow([
            p.node, kg.label(p.node), p.direction, str(p.conflicting).lower(), f"{p.score:.4f}",
            f"{p.up_score:.4f}", f"{p.down_score:.4f}", p.paths_up, p.paths_down,
            path_chain(kg, p.support.path), f"{p.support.score.value:.4f}",
            score_line(p.support.score), path_chain(kg, opposing.path) if opposing else "",
            f"{opposing.score.value:.4f}" if opposing else "",
        ])  # fmt: skip
    return out.getvalue()


def _hypothesis(kg: Knowledge, r: Regulator) -> str:
    return f"{kg.label(r.node)} {_WORD[r.direction]}"


def explain_head(kg: Knowledge, r: Regulator, rank: int) -> str:
    """``1. BM-MSC-derived exosomes up: 3 concordant, 0 discordant, ... · score 2.34``."""
    return (
        f"{rank}. {_hypothesis(kg, r)}: {r.concordant} concordant, {r.discordant} "
        f"discordant, {r.unexplained} unexplained · p = {r.p_value:.3g}, "
        f"q = {r.q_value:.3g} · score {r.score:.2f}"
    )


def explain_text(kg: Knowledge, result: Explanation, *, limit: int = 10) -> str:
    """The ranked candidates with their counts, p- and q-values and, per observed entity,
    the verdict and the supporting path."""
    noun = "desired change" if result.mode == "want" else "observation"
    seen = ", ".join(f"{kg.label(n)} {_WORD[s]}" for n, s in result.observation)
    lines = [f"{noun.capitalize()}: {seen}", f"{result.candidates} candidates tested"]
    if result.truncated:
        lines.append("(more candidates than --max-candidates: the farthest were left out)")
    if not result.regulators:
        lines.append("No candidate reaches the observed entities.")
    for rank, r in enumerate(result.regulators[:limit], 1):
        lines += ["", explain_head(kg, r, rank)]
        for m in r.matches:
            head = f"   {kg.label(m.node)} {_WORD[m.observed]}: {m.verdict}"
            p = m.prediction
            if p is None or m.verdict == "unexplained":
                lines.append(head + ("" if p is None else " (paths both ways tie)"))
                continue
            chain = path_chain(kg, p.support.path)
            lines.append(f"{head} via {chain} (score {p.support.score.value:.2f})")
    return "\n".join(lines) + "\n"


def _regulator_json(kg: Knowledge, r: Regulator) -> dict[str, Any]:
    return {
        "node": node_json(kg, r.node),
        "direction": _WORD[r.direction],
        "concordant": r.concordant,
        "discordant": r.discordant,
        "unexplained": r.unexplained,
        "p_value": r.p_value,
        "q_value": r.q_value,
        "score": round(r.score, 6),
        "matches": [
            {
                "node": node_json(kg, m.node),
                "observed": _WORD[m.observed],
                "verdict": m.verdict,
                "path": _path_json(kg, m.prediction.support) if m.prediction else None,
            }
            for m in r.matches
        ],
    }


def explain_json(kg: Knowledge, result: Explanation, *, limit: int = 10) -> dict[str, Any]:
    """The JSON contract of ``kg explain --format json``."""
    return {
        "mode": result.mode,
        "observation": [
            {"node": node_json(kg, n), "direction": _WORD[s]} for n, s in result.observation
        ],
        "candidates_tested": result.candidates,
        "truncated": result.truncated,
        "regulators": [_regulator_json(kg, r) for r in result.regulators[:limit]],
    }


EXPLAIN_COLUMNS = (
    "rank", "candidate", "label", "direction", "concordant", "discordant", "unexplained",
    "p_value", "q_value", "score", "observed", "observed_direction", "verdict", "path",
    "path_score",
)  # fmt: skip


def explain_tsv(kg: Knowledge, result: Explanation, *, limit: int = 10) -> str:
    """One row per candidate and observed entity (header first)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter="\t", lineterminator="\n")
    writer.writerow(EXPLAIN_COLUMNS)
    for rank, r in enumerate(result.regulators[:limit], 1):
        for m in r.matches:
            support = m.prediction.support if m.prediction else None
            writer.writerow([
                rank, r.node, kg.label(r.node), _WORD[r.direction], r.concordant, r.discordant,
                r.unexplained, f"{r.p_value:.4g}", f"{r.q_value:.4g}", f"{r.score:.4f}",
                m.node, _WORD[m.observed], m.verdict,
                path_chain(kg, support.path) if support else "",
                f"{support.score.value:.4f}" if support else "",
            ])  # fmt: skip
    return out.getvalue()
