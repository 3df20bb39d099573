"""Small synthetic Knowledge objects for the predict/explain/score tests: a mechanism graph
built edge by edge, each edge with its own evidence record."""

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
