from __future__ import annotations

from rdflib import Graph

from kg.model.records import Assertion, Entity, Evidence, Level, Relation, StudyType
from kg.reasoning.conflicts import conflicts
from kg.store import provenance, rdf
from kg.store.convert import to_networkx


def _evidence(eid: str, **kw: object) -> Evidence:
    base: dict[str, object] = {
        "id": eid,
        "quote": "q " + eid,
        "section": "8.4",
        "references": (129,),
    }
    base.update(kw)
    return Evidence(**base)  # type: ignore[arg-type]


def _graph(assertions: list[Assertion]) -> Graph:
    graph = rdf.new_graph()
    for eid in ("AKT", "autophagy"):
        provenance.add_entity(graph, Entity(eid, "BiologicalProcess", eid))
    for assertion in assertions:
        provenance.add_assertion(graph, assertion)
    return graph


def _pair(*, curated: bool) -> list[Assertion]:
    up_ev = _evidence("up-1", cell_types=("AF",), study_types=(StudyType.IN_VITRO,))
    up = Assertion(
        "up", "AKT", Relation.INCREASES, "autophagy", (up_ev,),
        contradicts=("down",) if curated else (),
        contradiction_note="8.2 activating, 8.4 inhibiting" if curated else None,
    )  # fmt: skip
    down_ev = (_evidence("down-1", cell_types=("AF",)), _evidence("down-2", cell_types=("NPC",)))
    return [up, Assertion("down", "AKT", Relation.DECREASES, "autophagy", down_ev)]


def test_opposite_signs_in_overlapping_context() -> None:
    graph = _graph(_pair(curated=False))
    found = conflicts(graph, to_networkx(graph), provenance.read_evidence(graph))
    assert [c.kind for c in found] == ["opposite-signs"]
    sides = {s.assertion: s.evidence for s in found[0].sides}
    assert sides == {"up": ("up-1",), "down": ("down-1",)}


def test_curated_contradiction_is_reported_once_with_its_note() -> None:
    graph = _graph(_pair(curated=True))
    found = conflicts(graph, to_networkx(graph), provenance.read_evidence(graph))
    assert [(c.kind, c.note) for c in found] == [
        ("curated-contradiction", "8.2 activating, 8.4 inhibiting")
    ]


def test_disjoint_context_is_not_a_conflict_and_mismatches_are_listed() -> None:
    up_ev = _evidence(
        "up-1", species=("rat",), cited=(130,), references=(126,),
        citation_printed="[130]", citation_note="[130] is Wen et al.",
    )  # fmt: skip
    up = Assertion("up", "AKT", Relation.INCREASES, "autophagy", (up_ev,))
    down = Assertion(
        "down", "AKT", Relation.DECREASES, "autophagy", (_evidence("down-1", species=("mouse",)),)
    )
    graph = _graph([up, down])
    found = conflicts(graph, to_networkx(graph), provenance.read_evidence(graph))
    assert [(c.kind, c.note) for c in found] == [("citation-mismatch", "[130] is Wen et al.")]


def test_as_printed_reading_is_its_own_kind_listed_before_the_adopted_reading() -> None:
    printed = Assertion(
        "up", "AKT", Relation.INCREASES, "autophagy",
        (_evidence("t3", level=Level.AS_PRINTED),),
        contradicts=("down",), contradiction_note="Table 3 garbles 8.4",
    )  # fmt: skip
    corrected = Assertion(
        "down", "AKT", Relation.DECREASES, "autophagy",
        (_evidence("s84", level=Level.CORRECTED, inference_reason="the cited study"),),
    )  # fmt: skip
    lone = Assertion(
        "lone", "autophagy", Relation.INCREASES, "AKT", (_evidence("x", level=Level.AS_PRINTED),)
    )
    graph = _graph([corrected, printed, lone])
    found = conflicts(graph, to_networkx(graph), provenance.read_evidence(graph))
    assert [(c.kind, [s.assertion for s in c.sides]) for c in found] == [
        ("as-printed", ["up", "down"]),
        ("as-printed", ["lone"]),
    ]
    assert found[0].note == "Table 3 garbles 8.4"
    from kg.store.knowledge import derive
    from kg.views.reports import conflicts_json, conflicts_text

    kg = derive(graph)
    payload = conflicts_json(kg, found)
    assert payload["counts"]["as-printed"] == 2
    assert [a["role"] for a in payload["conflicts"][0]["assertions"]] == [
        "as printed", "adopted reading",
    ]  # fmt: skip
    assert "as printed: AKT → autophagy" in conflicts_text(kg, found)
