"""kg predict: known answers on a chain and a diamond, the sign of every supporting path
(property test), perturbations combining, and miR-21's effect on apoptosis in the review."""

from __future__ import annotations

import itertools
import json
import math

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import kg
from kg.cli import cli
from kg.model.errors import UsageError
from kg.model.records import StudyType
from kg.reasoning.predict import Perturbation, parse_direction, predict
from tests.synthetic import knowledge

PROCESS = {"P": "BiologicalProcess"}


def test_chain_sign_is_the_product_of_the_hops() -> None:
    graph = knowledge([("A", 1, "B"), ("B", -1, "C"), ("C", 1, "P")], types=PROCESS)
    up = predict(graph, [Perturbation("A", 1)])
    assert [(p.node, p.direction, p.conflicting) for p in up.predictions] == [("P", "down", False)]
    assert up.predictions[0].support.path.nodes == ("A", "B", "C", "P")
    assert up.predictions[0].opposing is None
    down = predict(graph, [Perturbation("B", -1)])
    assert down.predictions[0].direction == "up"


def test_diamond_with_opposite_branches_is_conflicting_and_the_stronger_wins() -> None:
    edges = [("A", 1, "B"), ("B", 1, "P"), ("A", 1, "C"), ("C", -1, "P")]
    strong = {("A", "B"): StudyType.CLINICAL, ("B", "P"): StudyType.CLINICAL}
    graph = knowledge(edges, types=PROCESS, study=StudyType.IN_VITRO, strength=strong)
    p = predict(graph, [Perturbation("A", 1)]).predictions[0]
    assert (p.direction, p.conflicting) == ("up", True)
    assert p.support.path.nodes == ("A", "B", "P")
    assert p.opposing is not None
    assert p.opposing.path.nodes == ("A", "C", "P")
    assert p.up_score > p.down_score
    assert (p.paths_up, p.paths_down) == (1, 1)
    tie = predict(knowledge(edges, types=PROCESS), [Perturbation("A", 1)]).predictions[0]
    assert (tie.direction, tie.conflicting) == ("unresolved", True)


def test_perturbations_combine_by_noisy_or() -> None:
    graph = knowledge([("A", 1, "P"), ("B", -1, "P")], types=PROCESS)
    one = predict(graph, [Perturbation("A", 1)]).predictions[0]
    both = predict(graph, [Perturbation("A", 1), Perturbation("B", -1)]).predictions[0]
    assert both.direction == one.direction == "up"
    assert both.up_score == pytest.approx(1 - (1 - one.up_score) ** 2)
    against = predict(graph, [Perturbation("A", 1), Perturbation("B", 1)]).predictions[0]
    assert against.conflicting
    assert against.direction == "unresolved"


def test_named_outcomes_keep_order_and_unreached_are_listed() -> None:
    graph = knowledge([("A", 1, "B"), ("B", 1, "P"), ("Q", 1, "B")], types=PROCESS)
    result = predict(graph, [Perturbation("A", 1)], outcomes=["P", "B", "Q"])
    assert [p.node for p in result.predictions] == ["P", "B"]
    assert result.unreached == ("Q",)


def test_bad_perturbations_are_refused() -> None:
    graph = knowledge([("A", 1, "P")], types=PROCESS)
    with pytest.raises(UsageError):
        predict(graph, [])
    with pytest.raises(UsageError):
        predict(graph, [Perturbation("A", 1), Perturbation("A", -1)])
    with pytest.raises(UsageError):
        parse_direction("sideways")
    assert parse_direction("Down") == parse_direction("-") == -1


@st.composite
def _graphs(draw: st.DrawFn) -> list[tuple[str, int, str]]:
    nodes = [f"n{i}" for i in range(draw(st.integers(3, 8)))]
    pairs = [(a, b) for a in nodes for b in nodes if a != b]
    chosen = draw(st.lists(st.sampled_from(pairs), min_size=1, max_size=16, unique=True))
    return [(a, draw(st.sampled_from([1, -1])), b) for a, b in chosen]


@settings(max_examples=60, deadline=None)
@given(edges=_graphs(), direction=st.sampled_from([1, -1]))
def test_predicted_sign_is_the_product_of_signs_along_the_supporting_path(
    edges: list[tuple[str, int, str]], direction: int
) -> None:
    nodes = {n for a, _s, b in edges for n in (a, b)}
    graph = knowledge(edges, types=dict.fromkeys(nodes, "BiologicalProcess"))
    source = edges[0][0]
    forecast = predict(graph, [Perturbation(source, direction)], max_hops=4)
    signs = {(a, b): s for a, s, b in edges}
    for p in forecast.predictions:
        for support in (*p.supporting, *([p.opposing] if p.opposing else [])):
            nodes_on = support.path.nodes
            assert nodes_on[0] == source
            assert nodes_on[-1] == p.node
            product = math.prod(signs[pair] for pair in itertools.pairwise(nodes_on))
            assert support.direction == direction * product
        if p.direction != "unresolved":
            assert p.support.direction == (1 if p.direction == "up" else -1)
        assert p.conflicting == (p.up_score > 0 and p.down_score > 0)


def test_mir21_up_decreases_apoptosis_with_the_pten_path() -> None:
    graph = kg.load()
    forecast = kg.predict(graph, ["miR-21=up"], outcomes=["apoptosis"])
    p = forecast.predictions[0]
    assert p.direction == "down"
    assert any("PTEN" in s.path.nodes for s in p.supporting)


def test_cli_predict_formats() -> None:
    runner = CliRunner()
    text = runner.invoke(cli, ["predict", "miR-21=up", "--outcome", "apoptosis"])
    assert text.exit_code == 0, text.output
    assert "apoptosis: DOWN" in text.output
    assert "PTEN" in text.output
    assert "study type" in text.output  # the breakdown is shown
    out = runner.invoke(cli, ["predict", "miR-21=up", "--format", "json"])
    payload = json.loads(out.output)
    assert {p["target"]["id"] for p in payload["predictions"]} >= {"apoptosis"}
    first = payload["predictions"][0]["supporting"][0]["score"]
    assert first["kind"] == "path"
    assert first["children"][0]["kind"] == "assertion"
    tsv = runner.invoke(cli, ["predict", "TNF-α=up", "MSC-derived exosomes=up", "--format", "tsv"])
    assert tsv.exit_code == 0
    assert tsv.output.startswith("target\tlabel\tdirection")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["miR-21"], "ENTITY=up"),
        (["miR-21=sideways"], "direction"),
        (["no-such-thing=up"], "no-such-thing"),
        (["miR-21=up", "--outcome", "no-such-outcome"], "no-such-outcome"),
    ],
)
def test_cli_predict_bad_input_is_one_line(args: list[str], message: str) -> None:
    result = CliRunner().invoke(cli, ["predict", *args])
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output
