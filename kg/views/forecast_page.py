"""The prediction and explanation pages (``kg predict --html``, ``kg explain --html``): the
trace page's machinery (:mod:`kg.views.page`: one offline file, CSP by hash, graph text
escaped, one row per path) with, for each predicted outcome or candidate regulator, its paths
drawn one row each and every score's breakdown (path, hops, evidence) beside the row.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from kg.views.page import Page, render, rows_data, write_page

if TYPE_CHECKING:
    from kg.reasoning.explain import Explanation
    from kg.reasoning.predict import Forecast, Support
    from kg.store.knowledge import Knowledge

__all__ = ["explanation_html", "explanation_page", "prediction_html", "prediction_page"]

_WORD = {1: "up", -1: "down"}
#: What a page draws: (the heading of its group, the row's role, the scored path).
Shown = list[tuple[str, str, "Support"]]


def _page(
    knowledge: Knowledge,
    shown: Shown,
    ends: tuple[set[str], set[str]],
    *,
    title: str,
    subtitle: str,
    rows_title: str,
    hops: int,
    keep_evidence: Callable[[str], bool] | None,
) -> Page:
    from kg.views.predictions import support_lines

    payload, rows = rows_data(
        knowledge, [s.path for _, _, s in shown], ends, title=title, subtitle=subtitle,
        hops=hops, keep_evidence=keep_evidence, groups=[head for head, _, _ in shown],
    )  # fmt: skip
    for row in rows:
        head, role, support = shown[row["paths"][0]]
        cause = support.perturbation
        why = f"{knowledge.label(cause.node)} {_WORD[cause.direction]} → {_WORD[support.direction]}"
        row["title"] = head
        row["role"] = f"{role} ({why})"
        row["score"] = [line.strip() for line in support_lines(knowledge, support, "")[1:]]
    payload["rowsTitle"] = rows_title
    return Page(render(payload), len(payload["nodes"]), len(payload["edges"]))


def prediction_page(
    knowledge: Knowledge,
    forecast: Forecast,
    *,
    paths: int = 3,
    hops: int = 0,
    keep_evidence: Callable[[str], bool] | None = None,
) -> Page:
    """A :func:`kg.reasoning.predict.predict` result: each predicted outcome with its
    direction and score, its best ``paths`` supporting paths and its strongest opposing path.

    Example:
        >>> import kg
        >>> graph = kg.load()
        >>> page = prediction_page(graph, kg.predict(graph, ["miR-21=up"], outcomes=["apoptosis"]))
        >>> page.html.startswith("<!DOCTYPE html>"), page.nodes >= 2
        (True, True)
    """
    from kg.views.predictions import prediction_head

    shown: Shown = []
    for p in forecast.predictions:
        head = prediction_head(knowledge, p)
        side = "supporting" if p.direction != "unresolved" else "increasing"
        for rank, support in enumerate(p.supporting[:paths], 1):
            shown.append((head, f"{side} {rank}" if rank > 1 else f"best {side}", support))
        if p.opposing is not None:
            other = "strongest opposing" if p.direction != "unresolved" else "best decreasing"
            shown.append((head, other, p.opposing))
    what = ", ".join(f"{knowledge.label(p.node)} {_WORD[p.direction]}"
                     for p in forecast.perturbations)  # fmt: skip
    n = len(forecast.predictions)
    return _page(
        knowledge, shown,
        ({p.node for p in forecast.perturbations}, {p.node for p in forecast.predictions}),
        title=f"Predicted effects of {what}",
        subtitle=f"{n} outcome{'' if n == 1 else 's'}: each with its best supporting and "
        "strongest opposing path, and the breakdown of every score",
        rows_title="Predicted outcomes", hops=hops, keep_evidence=keep_evidence,
    )  # fmt: skip


def explanation_page(
    knowledge: Knowledge,
    explanation: Explanation,
    *,
    limit: int = 3,
    hops: int = 0,
    keep_evidence: Callable[[str], bool] | None = None,
) -> Page:
    """A :func:`kg.reasoning.explain.explain` result: the top ``limit`` candidates, each with
    the path behind every observed entity it predicts (concordant or discordant).

    Example:
        >>> import kg
        >>> graph = kg.load()
        >>> page = explanation_page(graph, kg.explain(graph, ["MMP3=down", "ACAN=up"]), limit=1)
        >>> page.nodes >= 3
        True
    """
    from kg.views.predictions import explain_head

    shown: Shown = []
    for rank, r in enumerate(explanation.regulators[:limit], 1):
        head = explain_head(knowledge, r, rank)
        for m in r.matches:
            if m.prediction is not None and m.verdict != "unexplained":
                role = f"{knowledge.label(m.node)} {_WORD[m.observed]}: {m.verdict}"
                shown.append((head, role, m.prediction.support))
    noun = "Desired change" if explanation.mode == "want" else "Observation"
    seen = ", ".join(f"{knowledge.label(n)} {_WORD[s]}" for n, s in explanation.observation)
    return _page(
        knowledge, shown,
        ({r.node for r in explanation.regulators[:limit]}, {n for n, _ in explanation.observation}),
        title=f"{noun}: {seen}",
        subtitle=f"{explanation.candidates} candidates tested; the top {limit} with the path "
        "behind each prediction and the breakdown of every score",
        rows_title="Candidates", hops=hops, keep_evidence=keep_evidence,
    )  # fmt: skip


def prediction_html(
    knowledge: Knowledge,
    forecast: Forecast,
    path: Path,
    *,
    paths: int = 3,
    hops: int = 0,
    keep_evidence: Callable[[str], bool] | None = None,
) -> Page:
    """Write :func:`prediction_page` to ``path`` (nothing else is written anywhere)."""
    page = prediction_page(knowledge, forecast, paths=paths, hops=hops, keep_evidence=keep_evidence)
    return write_page(page, path)


def explanation_html(
    knowledge: Knowledge,
    explanation: Explanation,
    path: Path,
    *,
    limit: int = 3,
    hops: int = 0,
    keep_evidence: Callable[[str], bool] | None = None,
) -> Page:
    """Write :func:`explanation_page` to ``path`` (nothing else is written anywhere)."""
    page = explanation_page(
        knowledge, explanation, limit=limit, hops=hops, keep_evidence=keep_evidence
    )
    return write_page(page, path)
