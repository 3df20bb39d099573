"""kg explain: a planted regulator ranks first with a small p-value among random ones, the
binomial and BH arithmetic, signatures, want mode, and signatures read from a Table 3 row's
own words, with and without that study's evidence."""

from __future__ import annotations

import csv
import json
import random
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import kg
from kg.cli import cli
from kg.model import shipped
from kg.model.errors import KGError, UsageError
from kg.model.review import find_quote, normalise
from kg.reasoning.explain import binomial_p, explain, read_signature, resolve_signature
from kg.reasoning.hierarchy import generals
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


# Signatures read by hand from the review's own words for one Table 3 row (its in vitro and
# in vivo findings), not from the graph: (name as the review writes it, direction, the words
# it is read from, as printed). The test checks every phrase is in that row of the review.
TABLE3_SIGNATURES: dict[str, list[tuple[str, str, str]]] = {
    "sun2021": [
        ("aggrecan", "up", "restores anabolic markers such as aggrecan and collagen"),
        ("collagen", "up", "restores anabolic markers such as aggrecan and collagen"),
        ("MMP-3", "down", "lowers catabolic markers such as MMP-3 and ADAMPTS"),
        ("ADAMTS", "down", "lowers catabolic markers such as MMP-3 and ADAMPTS"),
        ("SIRT6", "up", "activates the SIRT6 pathway"),
        ("senescence", "down", "decreasing NPC senescence"),
        ("IVDD", "down", "downregulate the progression of IVDD"),
    ],
    "wen2021": [
        ("type II collagen", "up", "Increase in the expressions of type II collagen and aggrecan"),
        ("aggrecan", "up", "Increase in the expressions of type II collagen and aggrecan"),
        ("apoptosis", "down", "the apoptosis rate of NPCs is decreased"),
        ("GREM1", "down", "targeting GREM1"),
        ("TGF-β pathway", "down", "reducing the TGF- β pathway"),
        ("MMP-2", "down", "downregulates MMP-2, MMP-6, and TIMP1"),
        ("MMP-6", "down", "downregulates MMP-2, MMP-6, and TIMP1"),
        ("TIMP1", "down", "downregulates MMP-2, MMP-6, and TIMP1"),
    ],
    "zhu2020b": [
        ("apoptosis", "down", "relieve NPCs apoptosis"),
        ("inflammation", "down", "diminishing IL-1 β -induced inflammatory secretion"),
        ("MAPK signaling", "down", "hinder NPC apoptosis and MAPK signaling"),
        ("MLK3", "down", "targets MLK3"),
    ],
}


def _table3() -> dict[str, dict[str, str]]:
    path = shipped.data_dir() / "curation" / "studies.tsv"
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if not ln.startswith("#")]
    return {row["id"]: row for row in csv.DictReader(lines, delimiter="\t")}


def _own(graph: Knowledge, study: str) -> set[str]:
    """The study's exosomes and miRNAs: subjects of its findings of those two types (the
    answer the ranking is judged against, not the signature)."""
    return {
        u
        for u, _, data in graph.mechanisms.edges(data=True)
        if graph.mechanisms.nodes[u].get("type") in {"ExtracellularVesicle", "MicroRNA"}
        and any(graph.evidence[e].study == study for e in data["evidence"])
    }


def _held_out(graph: Knowledge, study: str) -> Callable[[str], bool]:
    """Keep evidence that is not the study's: neither its Table 3 row nor a sentence of the
    review citing its reference (the same paper retold in the text)."""
    reference = int(_table3()[study]["reference"])

    def keep(eid: str) -> bool:
        record = graph.evidence[eid]
        return record.study != study and reference not in record.references

    return keep


def test_table3_signatures_are_the_reviews_words_for_that_row() -> None:
    review = shipped.review_text_file().read_text(encoding="utf-8").splitlines()
    table = _table3()
    for study, signature in TABLE3_SIGNATURES.items():
        printed = table[study]["citation_printed"]
        (row,) = [ln for ln in review if "\t" in ln and ln.rstrip().endswith("\t" + printed)]
        for _name, _direction, words in signature:
            assert find_quote(normalise(row), words), (study, words)


@pytest.mark.parametrize("study", sorted(TABLE3_SIGNATURES))
def test_a_table3_row_signature_ranks_its_exosome_or_mirna_near_the_top(study: str) -> None:
    """With all the evidence: the curation's consistency (the edges were curated from these
    same words, so this alone is not a prediction; the held-out test below is)."""
    graph = kg.load()
    observed, unknown = resolve_signature(graph, [(n, d) for n, d, _ in TABLE3_SIGNATURES[study]])
    assert unknown == []
    own = _own(graph, study)
    regulators = explain(graph, observed).regulators
    top = [r for r in regulators[:3] if r.node in own]
    assert top, (own, [r.node for r in regulators[:5]])
    assert all(r.discordant == 0 for r in top)


@pytest.mark.parametrize("study", sorted(TABLE3_SIGNATURES))
def test_a_table3_row_signature_with_the_study_held_out(study: str) -> None:
    """Leave the study out (its Table 3 row and every sentence citing its paper): what the
    rest of the review says about the same changes. Found on the shipped data: a miRNA only
    this study reports drops out of the candidates; the study's exosome (BM-MSC-derived for
    wen2021 and zhu2020b) or, for sun2021 whose iMSC vesicles no other study used, its general
    kind (MSC-derived exosomes) still ranks first with no discordant prediction, but on fewer
    concordant predictions and so a weaker p-value than with the study's own evidence (for
    wen2021 p = 0.125 and zhu2020b p = 0.25, tied with unrelated candidates such as TNF and
    IL-1β, ahead of them only by the summed path score: recovered, but not significantly)."""
    graph = kg.load()
    observed, _ = resolve_signature(graph, [(n, d) for n, d, _ in TABLE3_SIGNATURES[study]])
    own = _own(graph, study)
    accepted = own | {g for node in own for g in generals(graph.mechanisms, node)}
    held = explain(graph, observed, keep_evidence=_held_out(graph, study)).regulators
    full = {r.node: r for r in explain(graph, observed).regulators}
    assert held[0].node in accepted, [r.node for r in held[:5]]
    assert held[0].discordant == 0
    assert held[0].p_value > full[held[0].node].p_value  # weaker without the study's data
    only_here = {n for n in own if n not in {r.node for r in held}}
    assert only_here, "each of these studies reports a miRNA or vesicle no other study does"
    assert all(graph.mechanisms.nodes[n]["type"] in {"MicroRNA", "ExtracellularVesicle"}
               for n in only_here)  # fmt: skip


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
