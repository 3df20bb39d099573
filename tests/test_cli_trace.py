"""kg trace / upstream / downstream / conflicts on the shipped data: every option, every error."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from kg.cli import cli


def _json(*args: str) -> Any:
    result = CliRunner().invoke(cli, [*args, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def _paths(payload: dict[str, Any]) -> list[list[str]]:
    return [[n["id"] for n in p["nodes"]] for p in payload["paths"]]


def _all_evidence(payload: dict[str, Any]) -> list[dict[str, Any]]:
    return [e for p in payload["paths"] for edge in p["edges"] for e in edge["evidence"]]


def test_mir21_to_apoptosis_goes_through_pten_and_pi3k_akt() -> None:
    payload = _json("trace", "miR-21", "apoptosis")
    chains = [
        p for p in payload["paths"] if [n["id"] for n in p["nodes"]][1:3] == ["PTEN", "PI3K-AKT"]
    ]
    assert chains, _paths(payload)
    chain = chains[0]
    assert chain["net_effect"] == "decreases"
    first = chain["edges"][0]
    assert (first["subject"], first["relation"], first["object"], first["sign"]) == (
        "miR-21", "repressesTarget", "PTEN", -1,
    )  # fmt: skip
    reference = first["evidence"][0]["reference"]
    assert (reference["number"], reference["year"]) == (20, 2018)
    assert reference["authors"].startswith("Cheng, X.")
    assert reference["title"].startswith("Mesenchymal stem cells deliver exogenous miR-21")
    summary = payload["summary"]
    effects = [p["net_effect"] for p in payload["paths"]]
    assert len(payload["paths"]) == summary["paths_shown"] <= summary["paths_found"]
    shown_up = [i for i in summary["increasing_paths"] if i <= len(effects)]
    assert shown_up == [i for i, e in enumerate(effects, 1) if e == "increases"]
    assert summary["consistent"] == (summary["net_effect"] != "mixed")


def test_json_contract_shape() -> None:
    payload = _json("trace", "BM-MSC-derived exosomes", "apoptosis")
    assert set(payload) == {"source", "target", "paths", "summary"}
    assert set(payload["source"]) == {"id", "label", "type"}
    path = payload["paths"][0]
    assert set(path) == {
        "nodes", "edges", "net_effect", "coherence", "shared_studies", "shared_cell_types",
        "source_kind", "target_kind", "through_as_printed", "score",
    }  # fmt: skip
    assert path["score"]["kind"] == "path"
    assert path["net_effect"] in {"increases", "decreases"}
    assert path["coherence"] in {"study", "cell-type", "stitched"}
    edge = path["edges"][0]
    assert {"subject", "relation", "object", "sign", "evidence", "as_printed", "kind_of"} <= set(
        edge
    )
    summary = payload["summary"]
    assert set(summary["paths_by_effect"]) == {"increases", "decreases"}
    assert set(summary["as_printed_left_out"]) == {"count", "assertions"}
    assert summary["net_effects"] == sorted(summary["net_effects"])
    evidence = edge["evidence"][0]
    required = {"quote", "section", "citation_printed", "reference", "study_type", "species",
                "cell_type", "level", "flags"}  # fmt: skip
    assert required <= set(evidence)
    assert set(evidence["reference"]) == {"number", "authors", "year", "title", "journal"}


def test_paths_rank_by_coherence_then_score_and_scores_add_up() -> None:
    coherence = {"study": 0, "cell-type": 1, "stitched": 2}
    for args in (["MSC-derived exosomes", "IVDD"], ["miR-21", "apoptosis", "--coherence", "any"]):
        paths = _json("trace", *args, "--limit", "20")["paths"]
        assert len(paths) > 3
        keys = [(coherence[p["coherence"]], -p["score"]["value"]) for p in paths]
        assert keys == sorted(keys)
        for p in paths:
            score = p["score"]
            hops = [c["value"] for c in score["children"]]
            assert len(hops) == len(p["edges"])
            assert math.prod(part["value"] for part in score["parts"]) == pytest.approx(
                score["value"], abs=1e-6
            )
            assert score["value"] <= math.prod(hops) + 1e-6


def test_text_output_reads_at_a_glance() -> None:
    result = CliRunner().invoke(cli, ["trace", "miR-21", "apoptosis"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].startswith("miR-21 → apoptosis: net effect ")
    assert "miR-21 ⊣ PTEN ⊣ PI3K/AKT signaling pathway ⊣ apoptosis" in result.output
    assert "[20] Cheng et al. 2018, J. Cell. Mol. Med." in result.output
    assert "! curator-inferred:" in result.output


def test_no_path_exits_zero_and_says_so() -> None:
    payload = _json("trace", "PTEN", "miR-21")
    assert payload["paths"] == []
    assert payload["summary"]["net_effect"] is None
    text = CliRunner().invoke(cli, ["trace", "PTEN", "miR-21"])
    assert text.exit_code == 0
    assert text.output == "No path from PTEN to miR-21 with the given options.\n"


def test_tsv_has_one_row_per_hop_evidence() -> None:
    result = CliRunner().invoke(cli, ["trace", "miR-21", "apoptosis", "--format", "tsv"])
    rows = [line.split("\t") for line in result.output.splitlines()]
    assert rows[0][:3] == ["path", "path_net_effect", "hop"]
    payload = _json("trace", "miR-21", "apoptosis")
    assert len(rows) - 1 == len(_all_evidence(payload))
    assert all(len(r) == len(rows[0]) for r in rows)


def test_max_hops_and_limit() -> None:
    assert all(
        len(p) <= 2 for p in _paths(_json("trace", "miR-21", "apoptosis", "--max-hops", "1"))
    )
    limited = _json("trace", "miR-21", "apoptosis", "--limit", "1")
    assert len(limited["paths"]) == 1
    assert limited["summary"]["paths_found"] > 1


def test_via_and_avoid() -> None:
    via = _paths(_json("trace", "miR-21", "apoptosis", "--via", "caspase-3"))
    assert via
    assert all("CASP3" in p for p in via)
    avoid = _paths(_json("trace", "miR-21", "apoptosis", "--avoid", "PTEN"))
    assert all("PTEN" not in p for p in avoid)


def test_filters_keep_only_matching_evidence() -> None:
    vivo = _json("trace", "miR-21", "apoptosis", "--study-type", "in-vivo")
    assert vivo["paths"]
    assert all("in vivo" in e["study_type"] for e in _all_evidence(vivo))
    stated = _json("trace", "miR-21", "apoptosis", "--evidence", "stated")
    assert _all_evidence(stated)
    assert all(e["level"] == "stated" for e in _all_evidence(stated))
    assert ["miR-21", "PTEN", "PI3K-AKT", "apoptosis"] not in _paths(stated)
    cells = _json("trace", "miR-21", "apoptosis", "--cell-type", "NP cells")
    assert _all_evidence(cells)
    assert all("nucleus pulposus cell" in e["cell_type"] for e in _all_evidence(cells))
    rat = _json("trace", "miR-21", "apoptosis", "--species", "rat")
    assert _all_evidence(rat)
    assert all("rat" in e["species"] for e in _all_evidence(rat))


def test_max_paths_is_a_deprecated_no_op() -> None:
    args = ["trace", "BM-MSC-derived exosomes", "apoptosis", "--format", "json"]
    plain = CliRunner().invoke(cli, args)
    old = CliRunner().invoke(cli, [*args, "--max-paths", "1"])
    assert old.exit_code == 0
    assert "--max-paths is deprecated and ignored" in old.stderr
    assert json.loads(old.stdout) == json.loads(plain.stdout)
    assert json.loads(plain.stdout)["summary"]["truncated"] is False


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["trace", "miR-12", "apoptosis"], "no entity named 'miR-12' in the graph; did you mean"),
        (["trace", "miR-21", "apoptosis", "--via", "nothing-like-this"], "no entity named"),
        (["trace", "miR-21", "miR-21"], "source and target are the same entity"),
        (["trace", "miR-21", "apoptosis", "--cell-type", "neuron"], "no entity named 'neuron'"),
        (["upstream", "zzz"], "no entity named 'zzz'"),
    ],
)
def test_name_errors_are_one_line_exit_2(args: list[str], message: str) -> None:
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2
    assert result.output.count("\n") == 1
    assert result.output.startswith("kg: error: ")
    assert message in result.output


def test_bad_option_values_are_usage_errors() -> None:
    for args in (["trace", "a", "b", "--max-hops", "0"], ["trace", "a", "b", "--study-type", "x"]):
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 2
        assert "Traceback" not in result.output


def test_upstream_and_downstream() -> None:
    up = _json("upstream", "apoptosis")
    by_node = {r["node"]["id"]: r for r in up["results"]}
    assert by_node["miR-21"]["net_effect"] == "decreases"
    assert by_node["TNF"]["net_effect"] == "increases"
    assert by_node["PTEN"]["hops"] == 2
    assert [n["id"] for n in by_node["PTEN"]["path"]["nodes"]] == ["PTEN", "PI3K-AKT", "apoptosis"]
    down = _json("downstream", "hsa-miR-21-5p", "--max-hops", "2")
    assert {r["node"]["id"]: r["net_effect"] for r in down["results"]}["PI3K-AKT"] == "increases"
    assert all(r["hops"] <= 2 for r in down["results"])
    text = CliRunner().invoke(cli, ["upstream", "apoptosis"]).output
    assert text.startswith("Upstream of apoptosis:")


def test_conflicts_lists_kinds_with_quotes() -> None:
    payload = _json("conflicts")
    assert set(payload["counts"]) == {
        "opposite-signs",
        "as-printed",
        "curated-contradiction",
        "citation-mismatch",
    }
    kinds = [c["kind"] for c in payload["conflicts"]]
    assert {k: kinds.count(k) for k in payload["counts"]} == payload["counts"]
    assert payload["conflicts"]
    for conflict in payload["conflicts"]:
        for side in conflict["assertions"]:
            assert all(e["quote"] and e["section"] for e in side["evidence"])
    result = CliRunner().invoke(cli, ["conflicts"])
    assert result.exit_code == 0


def test_disease_nodes_are_not_relayed_unless_asked() -> None:
    default = _paths(_json("trace", "miR-21", "apoptosis"))
    assert default
    assert all("IVDD" not in p[1:-1] for p in default)
    through = _paths(
        _json("trace", "miR-21", "apoptosis", "--through-disease", "--coherence", "any")
    )
    assert any("IVDD" in p[1:-1] for p in through)
    down = _json("downstream", "miR-21")
    assert all("IVDD" not in [n["id"] for n in r["path"]["nodes"]][1:-1] for r in down["results"])


def test_html_writes_one_offline_file(tmp_path: Path) -> None:
    out = tmp_path / "trace.html"
    result = CliRunner().invoke(cli, ["trace", "miR-21", "apoptosis", "--html", str(out)])
    assert result.exit_code == 0
    page = out.read_text(encoding="utf-8")
    assert "miR-21 → apoptosis" in page
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert [p.name for p in tmp_path.iterdir()] == ["trace.html"]


def _tiny(tmp_path: Path) -> Path:
    from kg.model.records import Assertion, Entity, Evidence, Relation
    from kg.store import provenance, rdf

    graph = rdf.new_graph()
    provenance.add_entity(graph, Entity("ECM", "BiologicalProcess", "ECM degradation"))
    for eid, label in (("MMP1", "MMP-1"), ("MMP3", "MMP-3")):
        provenance.add_entity(graph, Entity(eid, "GeneOrProtein", label, synonyms=("MMP",)))
    evidence = (Evidence("e1", "q", "8.1", (18,)),)
    provenance.add_assertion(graph, Assertion("a1", "MMP1", Relation.INCREASES, "ECM", evidence))
    provenance.add_assertion(graph, Assertion("a2", "MMP3", Relation.INCREASES, "ECM", evidence))
    path = tmp_path / "tiny.ttl"
    rdf.write_turtle(graph, path)
    return path


def test_data_option_and_ambiguous_names(tmp_path: Path) -> None:
    data = str(_tiny(tmp_path))
    ok = CliRunner().invoke(
        cli, ["trace", "MMP-3", "ECM degradation", "--data", data, "--format", "json"]
    )
    assert ok.exit_code == 0
    assert _paths(json.loads(ok.output)) == [["MMP3", "ECM"]]
    ambiguous = CliRunner().invoke(cli, ["trace", "MMP", "ECM degradation", "--data", data])
    assert ambiguous.exit_code == 2
    assert ambiguous.output == (
        "kg: error: 'MMP' is ambiguous: MMP1 (MMP-1), MMP3 (MMP-3); use one of these ids\n"
    )


def test_time_limit_is_accepted_and_bounded() -> None:
    payload = _json("trace", "miR-21", "apoptosis", "--time-limit", "30")
    assert payload["summary"]["truncated"] is False
    result = CliRunner().invoke(cli, ["trace", "miR-21", "apoptosis", "--time-limit", "0"])
    assert result.exit_code == 2


def test_summary_counts_paths_of_each_effect_over_all_simple_paths() -> None:
    payload = _json("trace", "miR-21", "apoptosis")
    summary = payload["summary"]
    by_effect = summary["paths_by_effect"]
    assert summary["net_effects"] == ["decreases"]
    assert by_effect["increases"] == {"count": 0, "exact": True}
    assert by_effect["decreases"]["exact"] is True
    assert by_effect["decreases"]["count"] == summary["paths_found"] >= len(payload["paths"])
    text = CliRunner().invoke(cli, ["trace", "miR-21", "apoptosis"]).output
    number = by_effect["decreases"]["count"]
    assert f"(all {number} paths within 5 hops agree)" in text.splitlines()[0]


def test_coherence_option_keeps_only_coherent_paths() -> None:
    anything = _json(
        "trace", "BM-MSC-derived exosomes", "apoptosis", "--limit", "50", "--coherence", "any"
    )
    study = _json("trace", "BM-MSC-derived exosomes", "apoptosis", "--coherence", "study",
                  "--limit", "50")  # fmt: skip
    assert study["paths"]
    assert {p["coherence"] for p in study["paths"]} == {"study"}
    assert all(p["shared_studies"] for p in study["paths"])
    stitched = [p for p in anything["paths"] if p["coherence"] == "stitched"]
    assert stitched, "the shipped data has paths stitched across studies"
    ranks = [{"study": 0, "cell-type": 1, "stitched": 2}[p["coherence"]] for p in anything["paths"]]
    assert ranks == sorted(ranks)
    assert study["summary"]["paths_found"] < anything["summary"]["paths_found"]


def test_evidence_choices_and_exact_are_accepted() -> None:
    for choice in ("curated", "stated", "all"):
        payload = _json("trace", "miR-21", "apoptosis", "--evidence", choice, "--exact")
        assert payload["summary"]["source_kinds"] == []
        left_out = payload["summary"]["as_printed_left_out"]
        assert left_out["count"] == len(left_out["assertions"])
    stated = _json("trace", "miR-21", "apoptosis", "--evidence", "stated")
    assert all(e["level"] != "inferred" for e in _all_evidence(stated))
    reach = _json("downstream", "miR-21", "--evidence", "all", "--exact")
    assert set(reach) >= {"query", "direction", "kinds", "as_printed_left_out", "results"}


@pytest.mark.parametrize(
    ("source", "target"),
    [("MSC-derived exosomes", "IVDD"), ("BM-MSC-derived exosomes", "apoptosis")],
)
def test_the_review_s_central_claims_answer_one_way(source: str, target: str) -> None:
    """By default (coherent paths, curated readings) the therapy decreases the outcome;
    what the default left out is counted, and --coherence any / --evidence all show it."""
    default = _json("trace", source, target)
    summary = default["summary"]
    assert summary["net_effect"] == "decreases"
    assert not any(p["through_as_printed"] for p in default["paths"])
    assert all(e["level"] != "as-printed" for e in _all_evidence(default))
    left = {s["net_effect"]: s["count"] for s in summary["stitched_left_out"]}
    assert left.get("increases", 0) > 0, "the stitched increasing paths are counted"
    stitched = _json("trace", source, target, "--coherence", "any")["summary"]
    assert stitched["net_effect"] == "mixed"
    assert stitched["paths_by_effect"]["increases"]["count"] == left["increases"]
    printed = _json("trace", source, target, "--evidence", "all", "--limit", "200")
    marked = [p for p in printed["paths"] if p["through_as_printed"]]
    assert marked, "with --evidence all the as-printed paths appear, marked"
