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
    from kg.reasoning.explain import Explanation
    from kg.reasoning.paths import Trace
    from kg.reasoning.predict import Forecast
    from kg.reasoning.reach import Reach
    from kg.reasoning.scores import Score
    from kg.reasoning.signed import Hop, MechanismPath
    from kg.store.knowledge import Knowledge
    from kg.store.sparql import Result

__all__ = [
    "__version__",
    "conflicts",
    "downstream",
    "explain",
    "load",
    "predict",
    "resolve",
    "score",
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
    weights: Path | str | None = None,
) -> Trace:
    """Signed paths from ``source`` to ``target``, as ``kg trace`` finds them: coherent paths
    first, then the highest evidence score (``result.scores`` holds each path's, with its
    breakdown), then fewest hops.

    Names are resolved as on the command line; paths do not pass through disease nodes unless
    ``through_disease``; ``evidence`` is ``--evidence`` (``"curated"``: as-printed readings
    left out, ``"stated"``: no curator inferences, ``"all"``); ``coherence``, ``exact`` and
    ``weights`` (a TOML file of score weights) are ``--coherence``, ``--exact`` and
    ``--weights``.
    """
    from kg.reasoning.levels import level_filter
    from kg.reasoning.paths import trace as run
    from kg.reasoning.scores import Scorer, load_weights

    return run(
        graph.mechanisms,
        resolve(graph, source),
        resolve(graph, target),
        max_hops=max_hops,
        limit=limit,
        via=[resolve(graph, v) for v in via],
        avoid=[resolve(graph, a) for a in avoid],
        keep_evidence=level_filter(graph.search_evidence, evidence),
        evidence=graph.search_evidence,
        rater=Scorer(graph.mechanisms, graph.search_evidence, load_weights(weights)),
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
    weights: Path | str | None,
) -> list[Reach]:
    from kg.reasoning import reach
    from kg.reasoning.levels import level_filter
    from kg.reasoning.scores import Scorer, load_weights

    run = reach.upstream if direction == "upstream" else reach.downstream
    return run(
        graph.mechanisms,
        resolve(graph, entity),
        max_hops=max_hops,
        keep_evidence=level_filter(graph.search_evidence, evidence),
        evidence=graph.search_evidence,
        rater=Scorer(graph.mechanisms, graph.search_evidence, load_weights(weights)),
        no_pass_through=() if through_disease else graph.nodes_of_type("Disease"),
    )


def upstream(
    graph: Knowledge,
    entity: str,
    *,
    max_hops: int = 3,
    evidence: Evidence = "curated",
    through_disease: bool = False,
    weights: Path | str | None = None,
) -> list[Reach]:
    """What regulates ``entity``, as ``kg upstream`` reports it (``weights``: ``--weights``)."""
    return _reach(
        graph,
        entity,
        direction="upstream",
        max_hops=max_hops,
        evidence=evidence,
        through_disease=through_disease,
        weights=weights,
    )


def downstream(
    graph: Knowledge,
    entity: str,
    *,
    max_hops: int = 3,
    evidence: Evidence = "curated",
    through_disease: bool = False,
    weights: Path | str | None = None,
) -> list[Reach]:
    """What ``entity`` affects, as ``kg downstream`` reports it (``weights``: ``--weights``)."""
    return _reach(
        graph,
        entity,
        direction="downstream",
        max_hops=max_hops,
        evidence=evidence,
        through_disease=through_disease,
        weights=weights,
    )


def conflicts(graph: Knowledge) -> list[Conflict]:
    """Contradictions, opposite signs and citation slips, as ``kg conflicts`` lists them."""
    from kg.reasoning.conflicts import conflicts as run
    from kg.store.knowledge import load_rdf

    return run(load_rdf(graph.paths), graph.mechanisms, graph.evidence)


Change = str | tuple[str, str | int]


def _changes(graph: Knowledge, changes: Iterable[Change]) -> list[tuple[str, int]]:
    """``"miR-21=up"`` or ``("miR-21", "up")`` / ``("miR-21", 1)`` as (node id, ±1)."""
    from kg.reasoning.predict import parse_direction

    parsed = []
    for change in changes:
        name, word = change.rsplit("=", 1) if isinstance(change, str) else change
        parsed.append((resolve(graph, name.strip()), parse_direction(str(word))))
    return parsed


def predict(
    graph: Knowledge,
    perturbations: Iterable[Change],
    *,
    outcomes: Iterable[str] = (),
    max_hops: int = 4,
    evidence: Evidence = "all",
    weights: Path | str | None = None,
    through_disease: bool = False,
) -> Forecast:
    """The predicted direction of every process and disease the perturbations reach (or of
    ``outcomes``), as ``kg predict`` gives it (semantics: :mod:`kg.reasoning.predict`).

    >>> import kg
    >>> kg.predict(kg.load(), ["miR-21=up"], outcomes=["apoptosis"]).predictions[0].direction
    'down'
    """
    from kg.reasoning.predict import Perturbation
    from kg.reasoning.predict import predict as run
    from kg.reasoning.scores import load_weights
    from kg.store.knowledge import evidence_filter

    return run(
        graph,
        [Perturbation(node, sign) for node, sign in _changes(graph, perturbations)],
        outcomes=[resolve(graph, o) for o in outcomes],
        max_hops=max_hops,
        keep_evidence=evidence_filter(graph.evidence, stated_only=evidence == "stated"),
        weights=load_weights(weights),
        through_disease=through_disease,
    )


def explain(
    graph: Knowledge,
    observation: Iterable[Change],
    *,
    want: bool = False,
    max_hops: int = 3,
    evidence: Evidence = "all",
    weights: Path | str | None = None,
) -> Explanation:
    """Upstream regulators ranked by how well they explain ``observation`` (``"MMP3=down"``
    ...), or with ``want=True`` interventions for that change, as ``kg explain`` ranks them.
    Unlike the command, every name must resolve here."""
    from kg.reasoning.explain import explain as run
    from kg.reasoning.scores import load_weights
    from kg.store.knowledge import evidence_filter

    observed: dict[str, int] = {}
    for node, sign in _changes(graph, observation):
        observed[node] = sign
    return run(
        graph,
        observed,
        mode="want" if want else "explain",
        max_hops=max_hops,
        keep_evidence=evidence_filter(graph.evidence, stated_only=evidence == "stated"),
        weights=load_weights(weights),
    )


def score(
    graph: Knowledge, item: str | Hop | MechanismPath, *, weights: Path | str | None = None
) -> Score:
    """The evidence score, with its breakdown, of an evidence id, a hop or a path
    (:mod:`kg.reasoning.scores`).

    >>> import kg
    >>> graph = kg.load()
    >>> kg.score(graph, kg.trace(graph, "miR-21", "PTEN").paths[0]).kind
    'path'
    """
    from kg.reasoning.scores import Scorer, load_weights
    from kg.reasoning.signed import Hop

    scorer = Scorer(graph.mechanisms, graph.evidence, load_weights(weights))
    if isinstance(item, str):
        return scorer.evidence(item)
    if isinstance(item, Hop):
        return scorer.hop(item)
    return scorer.path(item)


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
