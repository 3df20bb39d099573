"""Small synthetic Knowledge objects for the predict/explain/score and page tests: a mechanism
graph built edge by edge, each edge with its own evidence record."""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx

from kg.model.records import Evidence, Level, StudyType
from kg.store.knowledge import Knowledge


def knowledge(
    edges: Iterable[tuple[str, int, str]],
    *,
    types: dict[str, str] | None = None,
    study: StudyType = StudyType.IN_VIVO,
    species: str = "human",
    strength: dict[tuple[str, str], StudyType] | None = None,
) -> Knowledge:
    """A graph of signed causal edges ``(subject, sign, object)``, one evidence each (citing
    its own reference, so evidence is independent). Nodes not in ``types`` are genes."""
    graph = nx.MultiDiGraph()
    evidence: dict[str, Evidence] = {}
    types = types or {}
    for number, (subject, sign, obj) in enumerate(edges, 1):
        for node in (subject, obj):
            if node not in graph:
                graph.add_node(node, label=node, type=types.get(node, "GeneOrProtein"))
        eid = f"e{number}"
        kind = (strength or {}).get((subject, obj), study)
        evidence[eid] = Evidence(
            eid, "quote", "2", (number,), Level.STATED, study_types=(kind,), species=(species,)
        )
        relation = "increases" if sign > 0 else "decreases"
        graph.add_edge(
            subject, obj, key=f"a{number}", relation=relation, sign=sign, causal=True,
            evidence=(eid,), contradicts=(),
        )  # fmt: skip
    return Knowledge((), graph, graph, evidence, {})


def parallel(second: Level = Level.STATED) -> Knowledge:
    """a -| b -| c where a -| b is asserted twice (two imported records of one finding), the
    second time at level ``second``."""
    graph = nx.MultiDiGraph()
    for node, kind in (("a", "MicroRNA"), ("b", "GeneOrProtein"), ("c", "BiologicalProcess")):
        graph.add_node(node, label=node.upper(), type=kind, synonyms=())
    evidence = {f"e{i}": Evidence(f"e{i}", f"quote {i}", "s", (1,)) for i in range(3)}
    evidence["e1"] = Evidence("e1", "quote 1", "s", (1,), level=second)
    for key, u, v, eid in (
        ("ab1", "a", "b", "e0"),
        ("ab2", "a", "b", "e1"),
        ("bc", "b", "c", "e2"),
    ):
        graph.add_edge(u, v, key=key, relation="decreases", sign=-1, causal=True,
                       evidence=(eid,), contradicts=())  # fmt: skip
    return Knowledge(paths=(), mechanisms=graph, entities=graph, evidence=evidence, references={})
