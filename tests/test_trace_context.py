"""As-printed readings, the entity hierarchy and context coherence in trace, upstream and
downstream, on small hand-made graphs whose answers are known."""

from __future__ import annotations

import json

import networkx as nx
import pytest

from kg.model.errors import KGError
from kg.model.records import Evidence, Level
from kg.reasoning.levels import level_filter
from kg.reasoning.paths import trace
from kg.reasoning.reach import downstream, upstream
from kg.store.knowledge import Knowledge
from kg.views import answers

SIGNS = {"increases": 1, "decreases": -1, "kindOf": 0}


def _graph(
    *edges: tuple[str, str, str, str, tuple[Evidence, ...]],
) -> tuple[nx.MultiDiGraph, dict[str, Evidence]]:
    g = nx.MultiDiGraph()
    records: dict[str, Evidence] = {}
    for u, relation, v, key, evidence in edges:
        for node in (u, v):
            g.add_node(node, label=node, type="GeneOrProtein")
        g.add_edge(
            u, v, key=key, relation=relation, sign=SIGNS[relation],
            causal=relation != "kindOf", contradicts=(),
            evidence=tuple(e.id for e in evidence),
        )  # fmt: skip
        records.update((e.id, e) for e in evidence)
    return g, records


def _ev(eid: str, level: Level = Level.STATED, *, ref: int = 1, cell: str = "") -> Evidence:
    return Evidence(eid, f"quote {eid}", "8.4", (ref,), level, cell_types=(cell,) if cell else ())


@pytest.fixture
def misprint() -> tuple[nx.MultiDiGraph, dict[str, Evidence]]:
    # Table 3 as printed: exosomes activate NLRP3; the corrected reading: they suppress it
    return _graph(
        ("exo", "increases", "NLRP3", "printed", (_ev("t3", Level.AS_PRINTED),)),
        ("exo", "decreases", "NLRP3", "corrected", (_ev("s84", Level.CORRECTED),)),
        ("NLRP3", "increases", "pyroptosis", "np", (_ev("p1"),)),
        ("pyroptosis", "increases", "IVDD", "pi", (_ev("p2", Level.CURATOR_INFERRED),)),
    )


def test_as_printed_readings_are_left_out_by_default_and_counted(
    misprint: tuple[nx.MultiDiGraph, dict[str, Evidence]],
) -> None:
    g, records = misprint
    result = trace(g, "exo", "IVDD", keep_evidence=level_filter(records, "curated"),
                   evidence=records)  # fmt: skip
    assert result.net_effect == "decreases"
    assert [p.nodes for p in result.paths] == [("exo", "NLRP3", "pyroptosis", "IVDD")]
    assert not result.paths[0].as_printed
    assert result.left_out == ("printed",)
    down = downstream(g, "exo", keep_evidence=level_filter(records, "curated"), evidence=records)
    assert {r.node: r.net_effect for r in down}["IVDD"] == "decreases"
    assert down.left_out == ("printed",)
    assert upstream(g, "NLRP3", keep_evidence=level_filter(records, "curated"),
                    evidence=records).left_out == ("printed",)  # fmt: skip


def test_evidence_all_shows_as_printed_paths_marked(
    misprint: tuple[nx.MultiDiGraph, dict[str, Evidence]],
) -> None:
    g, records = misprint
    result = trace(g, "exo", "IVDD", keep_evidence=level_filter(records, "all"), evidence=records)
    assert result.net_effect == "mixed"
    assert result.left_out == ()
    marked = {p.net_effect: p.as_printed for p in result.paths}
    assert marked == {"increases": True, "decreases": False}
    (printed,) = [p for p in result.paths if p.as_printed]
    assert printed.hops[0].as_printed == ("t3",)
    kg = Knowledge((), g, g, records, {})
    text = answers.trace_text(kg, result)
    assert "! through an as-printed reading" in text
    assert "[as-printed]" in text
    tsv = [row.split("\t") for row in answers.trace_tsv(kg, result).splitlines()]
    column = tsv[0].index("as_printed")
    assert [r[column] for r in tsv[1:] if r[8] == "t3"] == ["yes"]
    payload = json.loads(json.dumps(answers.trace_json(kg, result)))
    assert [p["through_as_printed"] for p in payload["paths"]] == [
        p.as_printed for p in result.paths
    ]


def test_stated_keeps_corrected_readings_but_not_inferences(
    misprint: tuple[nx.MultiDiGraph, dict[str, Evidence]],
) -> None:
    g, records = misprint
    stated = trace(g, "exo", "pyroptosis", keep_evidence=level_filter(records, "stated"))
    assert stated.net_effect == "decreases"
    assert trace(g, "exo", "IVDD", keep_evidence=level_filter(records, "stated")).paths == ()


def test_left_out_count_appears_in_every_format(
    misprint: tuple[nx.MultiDiGraph, dict[str, Evidence]],
) -> None:
    g, records = misprint
    kg = Knowledge((), g, g, records, {})
    result = trace(g, "exo", "IVDD", keep_evidence=level_filter(records, "curated"),
                   evidence=records)  # fmt: skip
    assert "left out 1 as-printed reading on the way (printed)" in answers.trace_text(kg, result)
    summary = answers.trace_json(kg, result)["summary"]
    assert summary["as_printed_left_out"] == {"count": 1, "assertions": ["printed"]}
    down = downstream(g, "exo", keep_evidence=level_filter(records, "curated"), evidence=records)
    assert answers.reach_json(kg, "exo", "downstream", down)["as_printed_left_out"]["count"] == 1
    assert "left out 1 as-printed reading" in answers.reach_text(kg, "exo", "downstream", down)


@pytest.fixture
def hierarchy() -> tuple[nx.MultiDiGraph, dict[str, Evidence]]:
    return _graph(
        ("BM-exo", "kindOf", "MSC-exo", "k1", (_ev("k1"),)),
        ("rat-BM-exo", "kindOf", "BM-exo", "k2", (_ev("k2"),)),
        ("NP-apoptosis", "kindOf", "apoptosis", "k3", (_ev("k3"),)),
        ("rat-BM-exo", "decreases", "caspase-3", "c1", (_ev("c1"),)),
        ("caspase-3", "increases", "NP-apoptosis", "c2", (_ev("c2"),)),
        ("MSC-exo", "increases", "SOX9", "s1", (_ev("s1"),)),
    )


def test_a_general_entity_stands_for_its_kinds_transitively(
    hierarchy: tuple[nx.MultiDiGraph, dict[str, Evidence]],
) -> None:
    g, records = hierarchy
    result = trace(g, "MSC-exo", "apoptosis", evidence=records)
    (path,) = result.paths
    assert path.nodes == ("rat-BM-exo", "caspase-3", "NP-apoptosis")
    assert (path.source_kind, path.target_kind) == ("rat-BM-exo", "NP-apoptosis")
    assert result.source_kinds == ("BM-exo", "rat-BM-exo")
    assert result.target_kinds == ("NP-apoptosis",)
    assert result.net_effect == "decreases"
    kg = Knowledge((), g, g, records, {})
    text = answers.trace_text(kg, result)
    assert "via rat-BM-exo (a kind of MSC-exo)" in text
    assert "MSC-exo includes its kinds: BM-exo, rat-BM-exo" in text
    edges = answers.trace_json(kg, result)["paths"][0]["edges"]
    assert [e["kind_of"] for e in edges] == ["MSC-exo", "apoptosis"]
    tsv = answers.trace_tsv(kg, result).splitlines()
    assert [row.split("\t")[-1] for row in tsv[1:]] == ["MSC-exo", "apoptosis"]


def test_exact_turns_the_hierarchy_off(
    hierarchy: tuple[nx.MultiDiGraph, dict[str, Evidence]],
) -> None:
    g, records = hierarchy
    assert trace(g, "MSC-exo", "apoptosis", exact=True).paths == ()
    down = downstream(g, "MSC-exo", evidence=records)
    assert {r.node for r in down} == {"SOX9", "caspase-3", "NP-apoptosis"}
    assert {r.node: r.path.source_kind for r in down}["caspase-3"] == "rat-BM-exo"
    assert {r.node for r in downstream(g, "MSC-exo", exact=True)} == {"SOX9"}
    assert {r.node for r in upstream(g, "apoptosis")} == {"caspase-3", "rat-BM-exo"}
    with pytest.raises(KGError, match="overlap in the entity hierarchy"):
        trace(g, "MSC-exo", "BM-exo")


@pytest.fixture
def contexts() -> tuple[nx.MultiDiGraph, dict[str, Evidence]]:
    # A→B→C in one study (ref 1, cell X); A→D→C in two studies of one cell type (X);
    # A→E→C stitched, with more evidence on each hop than the others
    return _graph(
        ("A", "increases", "B", "ab", (_ev("ab", ref=1, cell="X"),)),
        ("B", "increases", "C", "bc", (_ev("bc", ref=1, cell="X"),)),
        ("A", "increases", "D", "ad", (_ev("ad", ref=2, cell="X"),)),
        ("D", "decreases", "C", "dc", (_ev("dc", ref=3, cell="X"),)),
        ("A", "increases", "E", "ae", (_ev("ae1", ref=4, cell="Y"), _ev("ae2", ref=5))),
        ("E", "increases", "C", "ec", (_ev("ec1", ref=6, cell="Z"), _ev("ec2", ref=7))),
    )


def test_coherent_paths_rank_first_and_say_so(
    contexts: tuple[nx.MultiDiGraph, dict[str, Evidence]],
) -> None:
    g, records = contexts
    result = trace(g, "A", "C", evidence=records)
    assert [(p.nodes, p.coherence) for p in result.paths] == [
        (("A", "B", "C"), "study"),
        (("A", "D", "C"), "cell-type"),
        (("A", "E", "C"), "stitched"),
    ]
    assert result.paths[0].studies == ("ref:1",)
    assert result.paths[1].cell_types == ("X",)
    assert result.net_effect == "mixed"
    kg = Knowledge((), g, g, records, {})
    text = answers.trace_text(kg, result)
    assert "within one study ([1])" in text
    assert "within one cell type (X)" in text
    assert "stitched across contexts" in text
    coherence = [p["coherence"] for p in answers.trace_json(kg, result)["paths"]]
    assert coherence == ["study", "cell-type", "stitched"]


def test_coherence_filters_paths_and_the_net_effect(
    contexts: tuple[nx.MultiDiGraph, dict[str, Evidence]],
) -> None:
    g, records = contexts
    study = trace(g, "A", "C", evidence=records, coherence="study")
    assert [p.nodes for p in study.paths] == [("A", "B", "C")]
    assert (study.net_effect, study.count("increases")) == ("increases", (1, True))
    cells = trace(g, "A", "C", evidence=records, coherence="cell-type")
    assert [p.nodes for p in cells.paths] == [("A", "B", "C"), ("A", "D", "C")]
    assert cells.net_effect == "mixed"
    assert trace(g, "A", "C", coherence="study").paths == ()  # no records: no study known


def test_text_says_which_coherence_filter_is_on(
    contexts: tuple[nx.MultiDiGraph, dict[str, Evidence]],
) -> None:
    g, records = contexts
    kg = Knowledge((), g, g, records, {})
    study = answers.trace_text(kg, trace(g, "A", "C", evidence=records, coherence="study"))
    assert "only paths whose hops one study supports (--coherence study)" in study
    assert "net effect INCREASES (one path within 5 hops)" in study.splitlines()[0]
    anything = answers.trace_text(kg, trace(g, "A", "C", evidence=records))
    assert "only paths whose hops" not in anything


def test_a_mixed_answer_also_gives_the_effect_within_one_study(
    contexts: tuple[nx.MultiDiGraph, dict[str, Evidence]],
    misprint: tuple[nx.MultiDiGraph, dict[str, Evidence]],
) -> None:
    g, records = contexts
    result = trace(g, "A", "C", evidence=records)
    assert (result.net_effect, result.within_one_study) == ("mixed", ("increases",))
    kg = Knowledge((), g, g, records, {})
    assert "over the paths one study supports: increases" in answers.trace_text(kg, result)
    summary = answers.trace_json(kg, result)["summary"]
    assert summary["net_effects_within_one_study"] == ["increases"]
    g, records = misprint
    agreed = trace(g, "exo", "IVDD", keep_evidence=level_filter(records, "curated"),
                   evidence=records)  # fmt: skip
    assert agreed.within_one_study is None  # not mixed: nothing to add
