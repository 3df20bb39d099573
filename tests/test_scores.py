"""The evidence score: each factor from the weights table, independent references counted
once, as-printed evidence excluded, flags applied, user overrides checked."""

from __future__ import annotations

import math
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

import kg
from kg.cli import cli
from kg.model.errors import UsageError
from kg.model.records import Evidence, Level, StudyType
from kg.reasoning.scores import Scorer, evidence_weights, load_weights
from kg.reasoning.signed import Hop, MechanismPath
from kg.store import knowledge

W = load_weights()


def _ev(eid: str, refs: tuple[int, ...], **kw: object) -> Evidence:
    return Evidence(eid, "q", "2", refs, **kw)  # type: ignore[arg-type]


def _graph(contradicts: tuple[str, ...] = ()) -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    g.add_edge("a", "b", key="ab", contradicts=contradicts)
    g.add_edge("b", "c", key="bc", contradicts=())
    return g


def test_evidence_score_is_the_product_of_the_table_factors() -> None:
    ev = _ev("e", (1,), study_types=(StudyType.IN_VITRO, StudyType.IN_VIVO), species=("rat",))
    score = Scorer(_graph(), {"e": ev}).evidence("e")
    expected = W["study_type"]["InVivo"] * W["species"]["rat"] * W["level"]["Stated"]
    assert score.value == pytest.approx(expected)
    assert [p.name for p in score.parts] == ["study type", "species", "level"]
    assert score.parts[0].why == "InVivo"  # the strongest study type counts


def test_ordering_of_study_types_species_and_levels() -> None:
    st, sp, lv = W["study_type"], W["species"], W["level"]
    assert st["Clinical"] > st["InVivo"] > st["InVitro"] > st["ReviewStatement"]
    assert sp["human"] > sp["rat"]
    assert lv["Stated"] > lv["Corrected"] > lv["CuratorInferred"] > lv["AsPrinted"] == 0.0


def test_as_printed_evidence_scores_zero_and_mismatch_is_penalised() -> None:
    records = {
        "p": _ev("p", (1,), level=Level.AS_PRINTED, study_types=(StudyType.CLINICAL,)),
        "m": _ev("m", (2,), cited=(3,), study_types=(StudyType.CLINICAL,), species=("human",)),
    }
    scorer = Scorer(_graph(), records)
    assert scorer.evidence("p").value == 0.0
    assert scorer.evidence("m").value == pytest.approx(W["flags"]["citation_mismatch"])
    assert "citation mismatch" in [p.name for p in scorer.evidence("m").parts]


def test_a_study_quoted_twice_counts_once() -> None:
    kw = {"study_types": (StudyType.IN_VITRO,), "species": ("human",)}
    records = {"x": _ev("x", (7,), **kw), "y": _ev("y", (7,), **kw), "z": _ev("z", (8,), **kw)}
    scorer = Scorer(_graph(), records)
    single = scorer.evidence("x").value
    same = scorer.hop(Hop("a", "b", "ab", "increases", 1, ("x", "y")))
    two = scorer.hop(Hop("a", "b", "ab", "increases", 1, ("x", "z")))
    assert same.value == pytest.approx(single)
    assert two.value == pytest.approx(1 - (1 - single) ** 2)
    assert same.parts[0].why.startswith("1:")
    assert two.parts[0].why.startswith("2:")


def test_contradiction_and_cross_context_flags() -> None:
    records = {
        "r": _ev("r", (1,), study_types=(StudyType.IN_VIVO,), species=("rat",)),
        "h": _ev("h", (2,), study_types=(StudyType.IN_VIVO,), species=("human",)),
    }
    scorer = Scorer(_graph(contradicts=("other",)), records)
    ab = Hop("a", "b", "ab", "increases", 1, ("r",))
    bc = Hop("b", "c", "bc", "increases", 1, ("h",))
    hop = scorer.hop(ab)
    assert hop.value == pytest.approx(scorer.evidence("r").value * W["flags"]["contradiction"])
    path = scorer.path(MechanismPath((ab, bc)))
    expected = hop.value * scorer.hop(bc).value * W["flags"]["cross_context"]
    assert path.value == pytest.approx(expected)
    assert path.parts[-1].name == "cross-context"
    same_species = Scorer(_graph(), {"r": records["r"], "h": records["r"]})
    assert "cross-context" not in [p.name for p in same_species.path(MechanismPath((ab, bc))).parts]


def test_user_file_overrides_and_typos_are_refused(tmp_path: Path) -> None:
    good = tmp_path / "w.toml"
    good.write_text("[study_type]\nInVivo = 0.1\n", encoding="utf-8")
    table = load_weights(good)
    assert table["study_type"]["InVivo"] == 0.1
    assert table["study_type"]["InVitro"] == W["study_type"]["InVitro"]
    for text, message in [
        ("[study_type]\nInVivio = 0.1\n", "unknown key"),
        ("[colour]\nred = 0.1\n", "unknown section"),
        ("[level]\nStated = 2\n", "outside"),
        ("[level\n", "not valid TOML"),
    ]:
        good.write_text(text, encoding="utf-8")
        with pytest.raises(UsageError, match=message):
            load_weights(good)


def test_evidence_weights_has_the_shape_of_the_search_weights() -> None:
    graph = kg.load()
    ours = evidence_weights(graph.evidence)
    assert ours.keys() == knowledge.evidence_weights(graph.evidence).keys()
    assert all(0.0 <= v <= 1.0 for v in ours.values())
    scorer = Scorer(graph.mechanisms, graph.evidence)
    some = next(iter(graph.evidence))
    assert math.isclose(ours[some], scorer.evidence(some).value)


def test_cli_bad_weights_file_is_one_line_error(tmp_path: Path) -> None:
    bad = tmp_path / "w.toml"
    bad.write_text("[level]\nStated = -1\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["predict", "miR-21=up", "--weights", str(bad)])
    assert result.exit_code != 0
    assert result.output.count("\n") == 1
    assert "outside [0, 1]" in result.output
