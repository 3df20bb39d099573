"""``kg predict`` and ``kg explain``: signed prediction of a perturbation's effects, and the
upstream regulators (or interventions) that best explain an observation (or a wish).
The library (:mod:`kg.reasoning.predict`, :mod:`kg.reasoning.explain`,
:mod:`kg.views.predictions`) does the work; these only translate options."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from kg.cli.options import (
    data_option,
    evidence_keep,
    filter_options,
    html_option,
    weights_option,
)
from kg.model.errors import UsageError

__all__ = ["COMMANDS"]


def _split(item: str) -> tuple[str, str]:
    name, sep, word = item.rpartition("=")
    if not sep or not name.strip():
        raise UsageError(f"{item!r}: expected ENTITY=up or ENTITY=down")
    return name.strip(), word


def _shared(func: Any) -> Any:
    options = [
        weights_option,
        click.option(
            "--format",
            "fmt",
            type=click.Choice(["text", "json", "tsv"]),
            default="text",
            show_default=True,
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


@click.command()
@click.argument("perturbations", nargs=-1, required=True)
@click.option("--outcome", multiple=True, help="Predict only this entity (repeatable).")
@click.option("--max-hops", default=4, show_default=True, type=click.IntRange(1, 8))
@click.option(
    "--paths", default=3, show_default=True, type=click.IntRange(1), help="Supporting paths shown."
)
@click.option(
    "--time-limit",
    default=2.0,
    show_default=True,
    type=click.FloatRange(0.01),
    help="Seconds of search per perturbation and target.",
)
@filter_options
@_shared
@click.option("--through-disease", is_flag=True, help="Let paths pass through disease nodes.")
@html_option("each outcome's supporting (--paths) and opposing paths, with their scores,")
@data_option()
def predict(
    perturbations: tuple[str, ...],
    outcome: tuple[str, ...],
    max_hops: int,
    paths: int,
    time_limit: float,
    cell_type: tuple[str, ...],
    species: tuple[str, ...],
    study_type: tuple[str, ...],
    evidence: str,
    weights: Path | None,
    fmt: str,
    through_disease: bool,
    html: Path | None,
    data: tuple[Path, ...],
) -> None:
    """Predicted direction of every process and disease PERTURBATIONS reach (ENTITY=up or
    ENTITY=down; several combine), or of the --outcome entities.

    Each prediction shows its best supporting paths, the strongest opposing path, its score
    with the breakdown of every factor, and CONFLICTING when paths point both ways (the
    semantics: ``kg.reasoning.predict``).
    """
    from kg.reasoning.predict import Perturbation, parse_direction
    from kg.reasoning.predict import predict as run
    from kg.reasoning.resolve import resolve
    from kg.reasoning.scores import load_weights
    from kg.store.knowledge import load_knowledge
    from kg.views import predictions

    parsed = [_split(p) for p in perturbations]
    table = load_weights(weights)
    kg = load_knowledge(list(data) or None)
    chosen = [Perturbation(resolve(kg.mechanisms, n), parse_direction(w)) for n, w in parsed]
    keep = evidence_keep(kg, cell_type, species, study_type, evidence)
    forecast = run(
        kg,
        chosen,
        outcomes=[resolve(kg.mechanisms, o) for o in outcome],
        max_hops=max_hops,
        keep_evidence=keep,
        weights=table,
        time_limit=time_limit,
        through_disease=through_disease,
    )
    if fmt == "json":
        payload = predictions.forecast_json(kg, forecast, paths=paths)
        click.echo(json.dumps(payload, indent=2, ensure_ascii=False))
    elif fmt == "tsv":
        click.echo(predictions.forecast_tsv(kg, forecast), nl=False)
    else:
        click.echo(predictions.forecast_text(kg, forecast, paths=paths), nl=False)
    if html is not None:
        from kg.views.forecast_page import prediction_html

        prediction_html(kg, forecast, html, paths=paths, keep_evidence=keep)
        click.echo(f"wrote {html}", err=True)


@click.command()
@click.argument(
    "signature", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option("--observe", multiple=True, help="An observed change, ENTITY=up|down (repeatable).")
@click.option("--want", multiple=True, help="A desired change, ENTITY=up|down: rank interventions.")
@click.option("--max-hops", default=3, show_default=True, type=click.IntRange(1, 6))
@click.option(
    "--limit", default=10, show_default=True, type=click.IntRange(1), help="Candidates shown."
)
@click.option(
    "--max-candidates",
    default=300,
    show_default=True,
    type=click.IntRange(1),
    help="Candidates tested (those reaching most observed entities first).",
)
@filter_options
@_shared
@html_option("the top --limit candidates (at most 5), each with the path behind every prediction,")
@data_option()
def explain(
    signature: Path | None,
    observe: tuple[str, ...],
    want: tuple[str, ...],
    max_hops: int,
    limit: int,
    max_candidates: int,
    cell_type: tuple[str, ...],
    species: tuple[str, ...],
    study_type: tuple[str, ...],
    evidence: str,
    weights: Path | None,
    fmt: str,
    html: Path | None,
    data: tuple[Path, ...],
) -> None:
    """Upstream regulators ranked by how well their predicted effects match an observation:
    SIGNATURE (a TSV or CSV of entity and direction) and/or --observe ENTITY=up|down.
    With --want ENTITY=up|down, candidate interventions for that change instead.

    Counts concordant, discordant and unexplained entities per candidate, with a one-sided
    binomial p-value (and a Benjamini-Hochberg q-value), as reverse causal reasoning does.
    Names that resolve to nothing are listed, not fatal, unless none resolves.
    """
    from kg.reasoning.explain import explain as run
    from kg.reasoning.explain import read_signature, resolve_signature
    from kg.reasoning.scores import load_weights
    from kg.store.knowledge import load_knowledge
    from kg.views import predictions

    if want and (observe or signature):
        raise UsageError("--want cannot be combined with an observation")
    rows: list[tuple[str, str]] = []
    if signature is not None:
        try:
            rows += read_signature(signature.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            raise UsageError(f"{signature}: cannot read the signature ({exc})") from None
    rows += [_split(o) for o in (*observe, *want)]
    if not rows:
        raise UsageError("give a SIGNATURE file, --observe ENTITY=up|down or --want")
    table = load_weights(weights)
    kg = load_knowledge(list(data) or None)
    observed, unknown = resolve_signature(kg, rows)
    if unknown and fmt == "tsv":
        click.echo(f"kg: not in the graph (ignored): {', '.join(unknown)}", err=True)
    keep = evidence_keep(kg, cell_type, species, study_type, evidence)
    result = run(
        kg,
        observed,
        mode="want" if want else "explain",
        max_hops=max_hops,
        keep_evidence=keep,
        weights=table,
        max_candidates=max_candidates,
    )
    if fmt == "json":
        payload = predictions.explain_json(kg, result, limit=limit)
        payload["unknown"] = unknown
        click.echo(json.dumps(payload, indent=2, ensure_ascii=False))
    elif fmt == "tsv":
        click.echo(predictions.explain_tsv(kg, result, limit=limit), nl=False)
    else:
        text = predictions.explain_text(kg, result, limit=limit)
        if unknown:
            text = f"Not in the graph (ignored): {', '.join(unknown)}\n" + text
        click.echo(text, nl=False)
    if html is not None:
        from kg.views.forecast_page import explanation_html

        explanation_html(kg, result, html, limit=min(limit, 5), keep_evidence=keep)
        click.echo(f"wrote {html}", err=True)


COMMANDS: list[click.Command] = [predict, explain]
