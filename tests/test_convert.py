"""RDF → networkx → RDF is lossless for mechanism edges (a property-based test)."""

from __future__ import annotations

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import RDF, Graph, Literal
from rdflib.compare import isomorphic

from kg.model.records import Assertion, Entity, Evidence, Relation
from kg.model.vocab import ENTITY, KG
from kg.store import provenance, rdf
from kg.store.convert import from_networkx, mechanism_subgraph, to_networkx

_IDS = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,8}", fullmatch=True)
_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=12)
_TYPES = st.sampled_from(["MicroRNA", "GeneOrProtein", "Pathway", "BiologicalProcess", "Cytokine"])


@st.composite
def assertion_sets(draw: st.DrawFn) -> tuple[list[Entity], list[Assertion]]:
    ids = draw(st.lists(_IDS, min_size=2, max_size=6, unique=True))
    entities = [
        Entity(
            id=i,
            type=draw(_TYPES),
            label=draw(_TEXT),
            synonyms=tuple(draw(st.lists(_TEXT, max_size=2, unique=True))),
            xrefs=tuple(draw(st.lists(st.sampled_from(["HGNC:9588", "GO:0006915"]), max_size=1))),
        )
        for i in ids
    ]
    assertions = []
    for n in range(draw(st.integers(min_value=1, max_value=8))):
        evidence = tuple(
            Evidence(id=f"a{n}-e{k}", quote=draw(_TEXT), section="8.2", references=(20,))
            for k in range(draw(st.integers(min_value=1, max_value=3)))
        )
        assertions.append(
            Assertion(
                id=f"a{n}",
                subject=draw(st.sampled_from(ids)),
                relation=draw(st.sampled_from(list(Relation))),
                object=draw(st.sampled_from(ids)),
                evidence=evidence,
            )
        )
    if len(assertions) > 1 and draw(st.booleans()):
        first = assertions[0]
        assertions[0] = Assertion(
            first.id, first.subject, first.relation, first.object, first.evidence,
            contradicts=(assertions[1].id,),
        )  # fmt: skip
    return entities, assertions


def _graph(entities: list[Entity], assertions: list[Assertion]) -> Graph:
    graph = rdf.new_graph()
    for entity in entities:
        provenance.add_entity(graph, entity)
    for assertion in assertions:
        provenance.add_assertion(graph, assertion)
    return graph


@settings(max_examples=60, deadline=None)
@given(assertion_sets())
def test_round_trip_is_lossless_for_mechanism_edges(
    case: tuple[list[Entity], list[Assertion]],
) -> None:
    graph = _graph(*case)
    mechanisms = to_networkx(graph)
    assert mechanisms.number_of_edges() == len(case[1])
    assert isomorphic(from_networkx(mechanisms), mechanism_subgraph(graph))


def test_nodes_are_exactly_the_entities_of_assertions(data: Graph) -> None:
    mechanisms = to_networkx(data)
    ends = {
        node
        for assertion in data.subjects(RDF.type, KG.Assertion)
        for node in (data.value(assertion, RDF.subject), data.value(assertion, RDF.object))
    }
    assert ends
    assert {ENTITY[n] for n in mechanisms.nodes} == ends
    assert all(not isinstance(e, Literal) for e in ends)


def test_edges_carry_relation_sign_and_evidence(data: Graph) -> None:
    mechanisms = to_networkx(data)
    assert isinstance(mechanisms, nx.MultiDiGraph)
    edge = mechanisms.edges["PTEN", "PI3K-AKT", "pten-decreases-pi3k-akt"]
    assert edge["relation"] == "decreases"
    assert edge["sign"] == -1
    assert edge["causal"] is True
    assert edge["evidence"] == ("pten-decreases-pi3k-akt-1",)
    assert mechanisms.nodes["PTEN"]["label"] == "PTEN"
    assert mechanisms.nodes["PTEN"]["type"] == "GeneOrProtein"
