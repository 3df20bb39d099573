"""The prediction and explanation pages' data: one row per outcome's (candidate's) path, with
its heading, role and score breakdown; rows of different candidates never merged; the page
offline and its text escaped."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import kg
from kg.cli import cli
from kg.views.forecast_page import explanation_page, prediction_page
from kg.views.predictions import support_lines
from tests.synthetic import knowledge


def _data(html: str) -> Any:
    found = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', html, re.S)
    assert found
    return json.loads(found.group(1))


def test_prediction_rows_are_the_supporting_and_opposing_paths_with_their_breakdown() -> None:
    graph = kg.load()
    forecast = kg.predict(graph, ["miR-21=up"], outcomes=["apoptosis"])
    (p,) = forecast.predictions
    rows = _data(prediction_page(graph, forecast, paths=2).html)["rows"]
    assert [r["nodes"] for r in rows] == [list(s.path.nodes) for s in p.supporting[:2]]
    assert [r["role"].split(" (")[0] for r in rows] == ["best supporting", "supporting 2"]
    for row, support in zip(rows, p.supporting, strict=False):
        assert row["score"] == [ln.strip() for ln in support_lines(graph, support, "")[1:]]
        assert row["score"][0].startswith(f"path score {support.score.value:.2f} = ")


def test_conflicting_outcome_shows_its_strongest_opposing_path() -> None:
    graph = knowledge([("A", 1, "P"), ("A", -1, "X"), ("X", 1, "P")], types={"P": "Disease"})
    forecast = kg.predict(graph, ["A=up"], outcomes=["P"])
    (p,) = forecast.predictions
    assert p.opposing is not None
    rows = _data(prediction_page(graph, forecast).html)["rows"]
    assert rows[-1]["role"].startswith("strongest opposing")
    assert rows[-1]["nodes"] == list(p.opposing.path.nodes)


def test_explanation_rows_stay_apart_per_candidate() -> None:
    graph = kg.load()
    result = kg.explain(graph, ["MMP3=down", "ACAN=up", "COL2A1=up"])
    top = result.regulators[:2]
    rows = _data(explanation_page(graph, result, limit=2).html)["rows"]
    # the two candidates share their paths (MSC-derived exosomes act through a kind of them)
    assert len(rows) == sum(r.concordant + r.discordant for r in top)
    assert [r["title"][:2] for r in rows] == ["1."] * 3 + ["2."] * 3


def test_hostile_names_are_escaped_in_the_page() -> None:
    evil = "</script><img src=x onerror=alert(1)>"
    graph = knowledge([("A", 1, "B")], types={"B": "BiologicalProcess"})
    graph.mechanisms.nodes["A"]["label"] = evil
    html = prediction_page(graph, kg.predict(graph, ["A=up"], outcomes=["B"])).html
    assert evil not in html
    assert evil in json.dumps(_data(html), ensure_ascii=False)


@pytest.mark.parametrize(
    "command", [["predict", "miR-21=up"], ["explain", "--observe", "MMP3=down"]]
)
def test_cli_writes_the_page(tmp_path: Path, command: list[str]) -> None:
    out = tmp_path / "page.html"
    result = CliRunner().invoke(cli, [*command, "--html", str(out)])
    assert result.exit_code == 0, result.output
    assert _data(out.read_text(encoding="utf-8"))["rows"]
    assert [p.name for p in tmp_path.iterdir()] == ["page.html"]  # no temporary file left
