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


def _brute_ranked(
    graph: knowledge.Knowledge, source: str, target: str, max_hops: int
) -> list[tuple[tuple[int, float, int], tuple[Hop, ...]]]:
    """Every simple path (diseases not relayed), ranked by brute force as trace ranks them:
    coherence, then −log of the path score, then hops."""
    from kg.reasoning.coherence import COHERENCE_RANK, of_hops
    from kg.reasoning.levels import level_filter
    from kg.reasoning.signed import SignedView

    scorer = Scorer(graph.mechanisms, graph.evidence)
    view = SignedView(graph.mechanisms, level_filter(graph.evidence, "curated"),
                      evidence=graph.evidence, rater=scorer)  # fmt: skip
    diseases = graph.nodes_of_type("Disease")
    found: list[tuple[tuple[int, float, int], tuple[Hop, ...]]] = []

    def walk(node: str, hops: list[Hop], seen: set[str]) -> None:
        for edge in view.out(node):
            other = edge.other
            if other in seen:
                continue
            path = [*hops, edge.hop]
            if other == target:
                score = scorer.path(MechanismPath(tuple(path))).value
                rank = COHERENCE_RANK[of_hops(view, path)[0]]
                found.append(((rank, round(-math.log(score), 9), len(path)), tuple(path)))
            elif len(path) < max_hops and other not in diseases:
                walk(other, path, seen | {other})

    walk(source, [], {source})
    return sorted(found, key=lambda item: item[0])


@pytest.mark.parametrize(
    ("source", "target"), [("miR-21", "apoptosis"), ("hPLMSC-exosome", "IVDD")]
)
def test_trace_shows_the_best_scored_paths_of_the_shipped_data(source: str, target: str) -> None:
    graph = kg.load()
    brute = _brute_ranked(graph, source, target, 4)
    assert len(brute) > 3
    result = kg.trace(graph, source, target, max_hops=4, limit=3, coherence="any", exact=True)
    assert result.consistent  # one sign: the shown paths are exactly the brute top 3
    shown = [
        ({"study": 0, "cell-type": 1, "stitched": 2}[p.coherence],
         round(-math.log(s.value), 9), len(p.hops))
        for p, s in zip(result.paths, result.scores, strict=True)
    ]  # fmt: skip
    assert shown == [rank for rank, _ in brute[:3]]


def test_a_cross_context_path_the_search_meets_first_still_ranks_by_its_whole_score() -> None:
    """S→X→T has the higher product of hop scores (0.80) but its hops share no species
    (× 0.8 = 0.64); S→Y→T (0.70, all rat) must be shown first, also with --limit 1."""
    from kg.reasoning.paths import trace

    clinical, in_vivo = (StudyType.CLINICAL,), (StudyType.IN_VIVO,)
    records = {
        "sx": _ev("sx", (1,), study_types=clinical, species=("rat",)),
        "xt": _ev("xt", (2,), study_types=clinical, species=("human",)),
        "sy": _ev("sy", (3,), study_types=clinical, species=("rat",)),
        "yt1": _ev("yt1", (4,), study_types=in_vivo, species=("rat",)),
        "yt2": _ev("yt2", (5,), study_types=in_vivo, species=("rat",)),
    }
    g = nx.MultiDiGraph()
    for u, v, evidence in (("S", "X", ("sx",)), ("X", "T", ("xt",)), ("S", "Y", ("sy",)),
                           ("Y", "T", ("yt1", "yt2"))):  # fmt: skip
        g.add_edge(u, v, key=u + v, relation="increases", sign=1, causal=True,
                   contradicts=(), evidence=evidence)  # fmt: skip
    for limit in (1, 2):
        result = trace(g, "S", "T", limit=limit, evidence=records)
        assert result.paths[0].nodes == ("S", "Y", "T")
        assert result.scores[0].value == pytest.approx(0.8 * (1 - 0.36**2))
    cross = trace(g, "S", "T", limit=2, evidence=records).scores[1]
    assert [p.name for p in cross.parts] == ["hop 1", "hop 2", "cross-context"]
    assert cross.value == pytest.approx(0.8 * 1.0 * 0.8)


class _Profiled(dict[str, Evidence]):
    """Records that list their (study types, species, level), as the cache's index does."""

    def profiles(self) -> set[tuple[tuple[str, ...], tuple[str, ...], str]]:
        return {
            (tuple(t.value for t in e.study_types), e.species, e.level.value) for e in self.values()
        }


def test_the_cache_lists_the_profiles_of_its_records() -> None:
    graph = kg.load()
    index = graph.evidence
    assert hasattr(index, "profiles"), type(index)
    assert index.profiles() == _Profiled(index).profiles()
    assert len(index.profiles()) > 10


def test_hop_ceiling_bounds_every_hop_and_is_tight_enough_to_prune() -> None:
    """The lazy view's cost bound: no hop scores above the ceiling, and on evidence that is
    never clinical or human the ceiling is below 1 (a positive cost per hop)."""
    from kg.reasoning.signed import SignedView

    kinds = [(StudyType.IN_VITRO,), (StudyType.IN_VIVO,), ()]
    species = [("rat",), ("mouse", "rat"), ()]
    levels = [Level.STATED, Level.CURATOR_INFERRED]
    records = _Profiled()
    graph = nx.MultiDiGraph()
    for i in range(30):
        ids = [f"e{i}-{j}" for j in range(1 + i % 3)]
        for j, eid in enumerate(ids):
            records[eid] = _ev(
                eid, (i * 3 + j,), study_types=kinds[(i + j) % 3],
                species=species[(i * j) % 3], level=levels[(i + 2 * j) % 2],
            )  # fmt: skip
        graph.add_edge(f"n{i}", f"n{i + 1}", key=f"a{i}", relation="increases", sign=1,
                       causal=True, evidence=tuple(ids), contradicts=())  # fmt: skip
    scorer = Scorer(graph, records)
    ceiling = scorer.hop_ceiling(graph)
    view = SignedView(graph, evidence=records, rater=scorer)
    scores = [e.score for n in graph for e in view.out(n)]
    assert len(scores) == 30
    assert max(scores) <= ceiling < 1.0
    assert view.least_cost() == -math.log(ceiling)  # read lazily: the bound is the ceiling
    assert Scorer(graph, dict(records)).hop_ceiling(graph) == 1.0  # records that cannot list
