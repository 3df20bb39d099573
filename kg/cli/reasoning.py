"""Commands that answer questions: ``kg trace``, ``kg upstream``, ``kg downstream``,
``kg conflicts``. The library (:mod:`kg.reasoning`, :mod:`kg.views`) does the work; these only
translate options."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from kg.cli.options import (
    Seconds,
    data_option,
    endpoint_options,
    evidence_keep,
    filter_options,
    html_option,
    knowledge,
    weights_option,
)

if TYPE_CHECKING:
    from kg.store.remote import Endpoint

__all__ = ["COMMANDS"]


def _exact_option(func: Any) -> Any:
    return click.option(
        "--exact",
        is_flag=True,
        help="Do not widen a general entity to its kinds (the kindOf hierarchy).",
    )(func)


def _through_disease_option(func: Any) -> Any:
    return click.option(
        "--through-disease",
        is_flag=True,
        help="Let paths pass through disease nodes (feedback loops such as IVDD → TNF-α).",
    )(func)


@click.command()
@click.argument("source")
@click.argument("target")
@click.option("--max-hops", default=5, show_default=True, type=click.IntRange(1, 10))
@click.option(
    "--limit", default=10, show_default=True, type=click.IntRange(1), help="Paths to show."
)
@click.option("--via", multiple=True, help="Paths must pass through this entity (repeatable).")
@click.option(
    "--avoid", multiple=True, help="Paths must not pass through this entity (repeatable)."
)
@filter_options
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json", "tsv"]), default="text", show_default=True
)
@click.option(
    "--coherence",
    type=click.Choice(["any", "cell-type", "study"]),
    default="cell-type",
    show_default=True,
    help="Keep only paths whose hops one study ('study') or one study or cell type "
    "('cell-type') supports; 'any' adds paths stitched across contexts. The answer says "
    "how many it left out.",
)
@click.option(
    "--max-paths",
    default=None,
    type=click.IntRange(1),
    hidden=True,
    help="Deprecated and ignored: the search is exact, there is no cap on paths.",
)
@click.option(
    "--time-limit",
    default=5.0,
    show_default=True,
    type=Seconds(0.01, 3600),
    help="Seconds of search at most (a safety bound; the answer says when it was hit).",
)
@html_option("the paths, highlighted in their neighbourhood,")
@weights_option
@_exact_option
@_through_disease_option
@data_option()
@endpoint_options
def trace(
    source: str,
    target: str,
    max_hops: int,
    limit: int,
    via: tuple[str, ...],
    avoid: tuple[str, ...],
    cell_type: tuple[str, ...],
    species: tuple[str, ...],
    study_type: tuple[str, ...],
    evidence: str,
    fmt: str,
    coherence: str,
    max_paths: int | None,
    time_limit: float,
    html: Path | None,
    weights: Path | None,
    exact: bool,
    through_disease: bool,
    data: tuple[Path, ...],
    remote: Endpoint | None,
) -> None:
    """Signed paths from SOURCE to TARGET with the evidence for every hop.

    The net effect of a path is the product of its signs (→ increases, ⊣ decreases); the
    summary gives the net effects of all simple paths within --max-hops, decided exactly,
    and how many paths have each. Paths shown: coherent ones first (one study, then one
    cell type), then the highest evidence score (the product of the hops' scores, shown
    with its factors; --weights changes them), then fewest hops. A general entity also stands
    for its kinds (MSC-derived exosomes: BM-MSC-derived exosomes...) unless --exact. Names
    may be labels, synonyms or identifiers (miR-21, hsa-miR-21-5p, TNF-alpha, HGNC:9588).
    Paths do not pass through disease nodes (IVDD...) unless --through-disease is given.
    """
    if max_paths is not None:
        click.echo(
            "kg: warning: --max-paths is deprecated and ignored: the search no longer "
            "enumerates paths, so there is no cap to raise",
            err=True,
        )
    from kg.reasoning.paths import trace as run
    from kg.reasoning.resolve import resolve
    from kg.reasoning.scores import Scorer, load_weights
    from kg.views import answers

    start = time.monotonic()
    table = load_weights(weights)
    kg = knowledge(data, remote, deadline=start + time_limit)
    keep = evidence_keep(kg, cell_type, species, study_type, evidence)
    ends = resolve(kg.mechanisms, source), resolve(kg.mechanisms, target)
    avoided = [resolve(kg.mechanisms, a) for a in avoid]
    diseases = set() if through_disease else kg.nodes_of_type("Disease")
    if remote is not None:  # imported only here: a local trace never loads the remote client
        from kg.store.remote_neighbourhoods import fetch_between

        fetch_between(
            kg, *ends, max_hops=max_hops, blocked=[*avoided, *diseases], context=keep is not None
        )
    result = run(
        kg.mechanisms,
        *ends,
        max_hops=max_hops,
        limit=limit,
        via=[resolve(kg.mechanisms, v) for v in via],
        avoid=avoided,
        keep_evidence=keep,
        evidence=kg.search_evidence,
        rater=Scorer(kg.mechanisms, kg.search_evidence, table),
        # with --endpoint the time spent fetching counts against the limit too
        time_limit=max(time_limit - (time.monotonic() - start), 0.01) if remote else time_limit,
        no_pass_through=diseases,
        coherence=coherence,  # type: ignore[arg-type]
        exact=exact,
    )
    if remote is not None:
        from kg.store.remote_neighbourhoods import fetch_around
        from kg.store.remote_views import fetch_shown

        fetch_shown(kg, [h for p in result.paths for h in p.hops])
        if html is not None:
            fetch_around(kg, {n for p in result.paths for n in p.nodes} | set(ends), hops=1)
    if fmt == "json":
        click.echo(json.dumps(answers.trace_json(kg, result), indent=2, ensure_ascii=False))
    elif fmt == "tsv":
        click.echo(answers.trace_tsv(kg, result), nl=False)
    else:
        click.echo(answers.trace_text(kg, result), nl=False)
    if html is not None:
        from kg.views.page import trace_html

        trace_html(kg, result, html, keep_evidence=keep)
        click.echo(f"wrote {html}", err=True)


def _reach_command(direction: str) -> click.Command:
    @click.argument("entity")
    @click.option("--max-hops", default=3, show_default=True, type=click.IntRange(1, 10))
    @filter_options
    @click.option(
        "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
    )
    @weights_option
    @_exact_option
    @_through_disease_option
    @data_option()
    @endpoint_options
    def command(
        entity: str,
        max_hops: int,
        cell_type: tuple[str, ...],
        species: tuple[str, ...],
        study_type: tuple[str, ...],
        evidence: str,
        fmt: str,
        weights: Path | None,
        exact: bool,
        through_disease: bool,
        data: tuple[Path, ...],
        remote: Endpoint | None,
    ) -> None:
        from kg.reasoning import reach
        from kg.reasoning.resolve import resolve
        from kg.reasoning.scores import Scorer, load_weights
        from kg.views import answers

        table = load_weights(weights)
        kg = knowledge(data, remote)
        run = reach.upstream if direction == "upstream" else reach.downstream
        node = resolve(kg.mechanisms, entity)
        diseases = set() if through_disease else kg.nodes_of_type("Disease")
        keep = evidence_keep(kg, cell_type, species, study_type, evidence)
        forward = run is reach.downstream
        if remote is not None:  # a local command never loads the remote client
            from kg.store.remote_neighbourhoods import fetch_reach

            fetch_reach(
                kg, node, max_hops=max_hops, forward=forward, blocked=diseases, context=bool(keep)
            )
        reached = run(
            kg.mechanisms,
            node,
            max_hops=max_hops,
            keep_evidence=keep,
            evidence=kg.search_evidence,
            rater=Scorer(kg.mechanisms, kg.search_evidence, table),
            no_pass_through=diseases,
            exact=exact,
        )
        if remote is not None:
            from kg.store.remote_views import fetch_shown

            fetch_shown(kg, [h for r in reached for h in r.path.hops])
        if fmt == "json":
            payload = answers.reach_json(kg, node, direction, reached)
            click.echo(json.dumps(payload, indent=2, ensure_ascii=False))
        else:
            click.echo(answers.reach_text(kg, node, direction, reached), nl=False)

    command.__doc__ = (
        "What regulates ENTITY: each upstream entity, its net effect on ENTITY over all "
        "simple paths within --max-hops (mixed when they disagree) and its shortest path (the "
        "best-scored of the shortest)."
        if direction == "upstream"
        else "What ENTITY affects: each downstream entity, the net effect over all simple "
        "paths within --max-hops (mixed when they disagree) and its shortest path (the "
        "best-scored of the shortest)."
    )
    return click.command(name=direction)(command)


upstream = _reach_command("upstream")
downstream = _reach_command("downstream")


@click.command()
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@data_option()
@endpoint_options
def conflicts(fmt: str, data: tuple[Path, ...], remote: Endpoint | None) -> None:
    """Disagreements: opposite signs in overlapping context, contradictions the curation
    flagged, and citations that point to the wrong reference, each with its quotes."""
    from kg.reasoning.conflicts import conflicts as run
    from kg.store.knowledge import load_rdf
    from kg.store.remote_graph import fetch_conflicts
    from kg.views import reports

    kg = knowledge(data, remote)
    graph = fetch_conflicts(kg) if remote else load_rdf(kg.paths)
    found = run(graph, kg.mechanisms, kg.evidence)
    if fmt == "json":
        click.echo(json.dumps(reports.conflicts_json(kg, found), indent=2, ensure_ascii=False))
    else:
        click.echo(reports.conflicts_text(kg, found), nl=False)


COMMANDS: list[click.Command] = [trace, upstream, downstream, conflicts]
