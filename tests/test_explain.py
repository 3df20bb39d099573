"""kg explain: a planted regulator ranks first with a small p-value among random ones, the
binomial and BH arithmetic, signatures, want mode, and a Table 3 study's own findings."""

from __future__ import annotations

import json
import random
from collections import defaultdict
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import kg
from kg.cli import cli
from kg.model.errors import KGError, UsageError
from kg.reasoning.explain import binomial_p, explain, read_signature, resolve_signature
from kg.store.knowledge import Knowledge
from tests.synthetic import knowledge


def _planted(seed: int, genes: int = 8, noise: int = 12) -> tuple[Knowledge, dict[str, int]]:
    """A regulator R whose edges match the observation on every gene, and noise regulators
    each reaching a random half of the genes with random signs."""
    rng = random.Random(seed)
    observed = {f"g{i}": rng.choice([1, -1]) for i in range(genes)}
    edges = [("R", sign, g) for g, sign in observed.items()]
    for n in range(noise):
        for g in rng.sample(sorted(observed), genes // 2):
            edges.append((f"x{n}", rng.choice([1, -1]), g))
    return knowledge(edges), observed


def test_binomial_and_known_values() -> None:
    assert binomial_p(2, 3) == 0.5
    assert binomial_p(8, 8) == 1 / 256
    assert binomial_p(0, 5) == 1.0


def test_planted_regulator_ranks_first() -> None:
    graph, observed = _planted(seed=3)
    result = explain(graph, observed)
    top = result.regulators[0]
    assert (top.node, top.direction, top.concordant, top.discordant) == ("R", 1, 8, 0)
    assert top.p_value == 1 / 256
    assert all(r.p_value > top.p_value for r in result.regulators[1:])
    # the same observation flipped is explained by R going down
    flipped = explain(graph, {g: -s for g, s in observed.items()})
    assert (flipped.regulators[0].node, flipped.regulators[0].direction) == ("R", -1)


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), genes=st.integers(6, 10))
def test_planted_regulator_ranks_first_with_small_p(seed: int, genes: int) -> None:
    graph, observed = _planted(seed, genes=genes)
    top = explain(graph, observed).regulators[0]
    assert top.node == "R"
    assert top.p_value == 0.5**genes
    assert top.p_value < 0.02


def test_q_values_are_benjamini_hochberg() -> None:
    graph, observed = _planted(seed=5)
    result = explain(graph, observed)
    ranked = sorted(result.regulators, key=lambda r: r.p_value)
    m = len(ranked)
    for i, r in enumerate(ranked, 1):
        expected = min(*(q.p_value * m / j for j, q in enumerate(ranked, 1) if j >= i), 1.0)
        assert r.q_value == pytest.approx(expected)


def test_unexplained_counts_genes_no_path_reaches() -> None:
    graph = knowledge([("R", 1, "a"), ("R", -1, "b"), ("S", 1, "c")])
    r = next(r for r in explain(graph, {"a": 1, "b": -1, "c": 1}).regulators if r.node == "R")
    assert (r.concordant, r.discordant, r.unexplained) == (2, 0, 1)
    assert [m.verdict for m in r.matches] == ["concordant", "concordant", "unexplained"]


def test_want_mode_keeps_intervention_types_only() -> None:
    types = {"drug": "Chemical", "H": "BiologicalProcess", "P": "BiologicalProcess"}
    types["Q"] = "BiologicalProcess"
    edges = [("drug", -1, "G"), ("H", 1, "G"), ("G", 1, "P"), ("G", 1, "Q")]
    result = explain(knowledge(edges, types=types), {"P": -1, "Q": -1}, mode="want")
    # G is one hop closer (a higher path score); the drug lowers it; process H is no drug
    assert [(r.node, r.direction) for r in result.regulators] == [("G", -1), ("drug", 1)]
    assert "H" in {r.node for r in explain(knowledge(edges, types=types), {"P": -1}).regulators}
    only = explain(knowledge([("P2", 1, "P")], types={**types, "P2": "BiologicalProcess"}),
                   {"P": 1}, mode="want")  # fmt: skip
    assert only.regulators == ()


def test_signature_files_and_unknown_names() -> None:
    assert read_signature("entity\tdirection\nMMP3\tdown\n\n# note\nACAN\tup\n") == [
        ("MMP3", "down"),
        ("ACAN", "up"),
    ]
    assert read_signature("MMP3,down\nCOL2A1,up\n") == [("MMP3", "down"), ("COL2A1", "up")]
    with pytest.raises(UsageError, match="line 1"):
        read_signature("MMP3\n")
    graph = kg.load()
    observed, unknown = resolve_signature(graph, [("MMP-3", "down"), ("no-such-gene", "up")])
    assert observed == {"MMP3": -1}
    assert unknown == ["no-such-gene"]
    with pytest.raises(KGError, match="no name in the signature resolves"):
        resolve_signature(graph, [("no-such-gene", "up")])


def _study_signature(graph: Knowledge, study: str) -> tuple[str, dict[str, int]]:
    """The exosome or miRNA with most findings in one Table 3 study, and those findings."""
    findings: dict[str, dict[str, int]] = defaultdict(dict)
    for u, v, data in graph.mechanisms.edges(data=True):
        if not data["causal"] or not data["sign"]:
            continue
        if graph.mechanisms.nodes[v].get("type") == "Disease":
            continue
        kind = graph.mechanisms.nodes[u].get("type")
        if kind in {"ExtracellularVesicle", "MicroRNA"} and any(
            graph.evidence[e].study == study for e in data["evidence"]
        ):
            findings[u][v] = data["sign"]
    subject = max(findings, key=lambda s: (len(findings[s]), s))
    return subject, findings[subject]


@pytest.mark.parametrize("study", ["sun2021", "wen2021", "zhu2020b"])
def test_a_table3_study_signature_ranks_its_exosome_or_mirna_near_the_top(study: str) -> None:
    graph = kg.load()
    subject, signature = _study_signature(graph, study)
    assert len(signature) >= 3
    result = explain(graph, signature)
    ranked = [r.node for r in result.regulators]
    assert subject in ranked[:3], (subject, ranked[:5])
    assert result.regulators[ranked.index(subject)].discordant == 0


def test_cli_explain(tmp_path: Path) -> None:
    runner = CliRunner()
    args = ["explain", "--observe", "MMP3=down", "--observe", "ACAN=up", "--observe", "COL2A1=up"]
    text = runner.invoke(cli, args)
    assert text.exit_code == 0, text.output
    assert "1. " in text.output
    assert "p = " in text.output
    signature = tmp_path / "sig.tsv"
    signature.write_text("entity\tdirection\nMMP3\tdown\nnot-a-gene\tup\n", encoding="utf-8")
    out = runner.invoke(cli, ["explain", str(signature), "--format", "json"])
    payload = json.loads(out.output)
    assert payload["unknown"] == ["not-a-gene"]
    assert payload["regulators"][0]["matches"][0]["path"]["score"]["kind"] == "path"
    want = runner.invoke(cli, ["explain", "--want", "apoptosis=down", "--format", "tsv"])
    assert want.output.startswith("rank\tcandidate")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "SIGNATURE"),
        (["--observe", "nothing-here=up"], "no name in the signature resolves"),
        (["--observe", "MMP3=sideways"], "direction"),
        (["--observe", "MMP3=up", "--want", "apoptosis=down"], "--want"),
    ],
)
def test_cli_explain_bad_input_is_one_line(args: list[str], message: str) -> None:
    result = CliRunner().invoke(cli, ["explain", *args])
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output
