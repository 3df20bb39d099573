"""kg: a knowledge graph of molecular mechanisms for cell-free regenerative therapy of the
intervertebral disc, curated from Bhujel et al. 2022 with per-assertion evidence.

The library API for notebooks and scripts: load the graph once, then ask it questions by the
names researchers type (labels, synonyms, identifiers). Every function takes the loaded graph
first and returns plain records (:mod:`kg.reasoning`); :mod:`kg.views` turns them into text,
JSON or HTML.

Example:
    >>> import kg
    >>> graph = kg.load()
    >>> result = kg.trace(graph, "miR-21", "apoptosis", via=["PTEN"], max_hops=3)
    >>> result.net_effect, [graph.label(n) for n in result.paths[0].nodes]
    ('decreases', ['miR-21', 'PTEN', 'PI3K/AKT signaling pathway', 'apoptosis'])
    >>> [r.net_effect for r in kg.upstream(graph, "PTEN", max_hops=1)]
    ['decreases']
    >>> kg.sparql("ASK { ent:miR-21 kg:repressesTarget ent:PTEN }").boolean
    True
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from kg.model import __version__

if TYPE_CHECKING:  # `import kg` stays cheap: the layers are imported when a function runs
    from kg.reasoning.conflicts import Conflict
    from kg.reasoning.paths import Trace
    from kg.reasoning.reach import Reach
    from kg.store.knowledge import Knowledge
    from kg.store.sparql import Result

__all__ = [
    "__version__",
    "conflicts",
    "downstream",
    "load",
    "resolve",
    "sparql",
    "trace",
    "upstream",
]

Evidence = Literal["curated", "stated", "all"]
Coherence = Literal["study", "cell-type", "any"]


def load(paths: Sequence[Path] | None = None, *, cache: bool = True) -> Knowledge:
    """The graph of the shipped data (or of these Turtle files), ready for queries.

    Repeated loads of unchanged files are read from the cache (see
    :func:`kg.store.knowledge.load_knowledge`).
    """
    from kg.store.knowledge import load_knowledge

    return load_knowledge(paths, cache=cache)


def resolve(graph: Knowledge, name: str) -> str:
    """The entity id a name stands for (label, synonym, CURIE or id).

    Raises:
        kg.reasoning.resolve.UnknownNameError: nothing has this name (near matches suggested).
        kg.reasoning.resolve.AmbiguousNameError: several entities have it (they are listed).
    """
    from kg.reasoning.resolve import resolve as run

    return run(graph.mechanisms, name)


def trace(
    graph: Knowledge,
    source: str,
    target: str,
    *,
    max_hops: int = 5,
    limit: int = 10,
    via: Iterable[str] = (),
    avoid: Iterable[str] = (),
    evidence: Evidence = "curated",
    through_disease: bool = False,
    time_limit: float = 5.0,
    coherence: Coherence = "cell-type",
    exact: bool = False,
) -> Trace:
    """Signed paths from ``source`` to ``target``, as ``kg trace`` finds them.

    Names are resolved as on the command line; paths do not pass through disease nodes unless
    ``through_disease``; ``evidence`` is ``--evidence`` (``"curated"``: as-printed readings
    left out, ``"stated"``: no curator inferences, ``"all"``); ``coherence`` and ``exact``
    are ``--coherence`` and ``--exact``.
    """
    from kg.reasoning.levels import level_filter
    from kg.reasoning.paths import trace as run
    from kg.store.knowledge import evidence_weights

    return run(
        graph.mechanisms,
        resolve(graph, source),
        resolve(graph, target),
        max_hops=max_hops,
        limit=limit,
        via=[resolve(graph, v) for v in via],
        avoid=[resolve(graph, a) for a in avoid],
        keep_evidence=level_filter(graph.evidence, evidence),
        evidence_weight=evidence_weights(graph.evidence),
        evidence=graph.evidence,
        time_limit=time_limit,
        no_pass_through=() if through_disease else graph.nodes_of_type("Disease"),
        coherence=coherence,
        exact=exact,
    )


def _reach(
    graph: Knowledge,
    entity: str,
    *,
    direction: Literal["upstream", "downstream"],
    max_hops: int,
    evidence: Evidence,
    through_disease: bool,
) -> list[Reach]:
    from kg.reasoning import reach
    from kg.reasoning.levels import level_filter
    from kg.store.knowledge import evidence_weights

    run = reach.upstream if direction == "upstream" else reach.downstream
    return run(
        graph.mechanisms,
        resolve(graph, entity),
        max_hops=max_hops,
        keep_evidence=level_filter(graph.evidence, evidence),
        evidence_weight=evidence_weights(graph.evidence),
        evidence=graph.evidence,
        no_pass_through=() if through_disease else graph.nodes_of_type("Disease"),
    )


def upstream(
    graph: Knowledge,
    entity: str,
    *,
    max_hops: int = 3,
    evidence: Evidence = "curated",
    through_disease: bool = False,
) -> list[Reach]:
    """What regulates ``entity``, as ``kg upstream`` reports it."""
    return _reach(
        graph,
        entity,
        direction="upstream",
        max_hops=max_hops,
        evidence=evidence,
        through_disease=through_disease,
    )


def downstream(
    graph: Knowledge,
    entity: str,
    *,
    max_hops: int = 3,
    evidence: Evidence = "curated",
    through_disease: bool = False,
) -> list[Reach]:
    """What ``entity`` affects, as ``kg downstream`` reports it."""
    return _reach(
        graph,
        entity,
        direction="downstream",
        max_hops=max_hops,
        evidence=evidence,
        through_disease=through_disease,
    )


def conflicts(graph: Knowledge) -> list[Conflict]:
    """Contradictions, opposite signs and citation slips, as ``kg conflicts`` lists them."""
    from kg.reasoning.conflicts import conflicts as run
    from kg.store.knowledge import load_rdf

    return run(load_rdf(graph.paths), graph.mechanisms, graph.evidence)


def sparql(
    query: str,
    *,
    paths: Sequence[Path] | None = None,
    timeout: float = 10.0,
    max_rows: int = 10_000,
) -> Result:
    """Run one read-only SPARQL query on the shipped data and ontology (or these files), with
    kg's prefixes declared, as ``kg sparql`` does (updates, SERVICE and FROM are refused)."""
    from kg.model import shipped
    from kg.store.sparql import Engine, run_query

    files = list(paths) if paths else [*shipped.data_files(), shipped.ontology_file()]
    with Engine.open(files) as engine:
        return run_query(engine, query, timeout=timeout, max_rows=max_rows)
