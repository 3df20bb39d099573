"""The ``kg`` command line: a thin shell over the library.

Errors the user can fix (:class:`kg.errors.KGError`) become one line on stderr and a non-zero
exit code; no traceback.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import IO, Any

import click

from kg.cli_options import data_option, evidence_keep, filter_options
from kg.errors import KGError

__all__ = ["cli", "main"]


class _UserError(click.ClickException):
    """A :class:`KGError` shown as one line, with the error's own exit code."""

    def __init__(self, error: KGError) -> None:
        super().__init__(str(error))
        self.exit_code = error.exit_code  # type: ignore[misc]

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(f"kg: error: {self.format_message()}", err=True, file=file)


class _Group(click.Group):
    """Turns kg errors raised by any command into one-line messages."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KGError as exc:
            raise _UserError(exc) from None


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="kg-ivd", prog_name="kg")
def cli() -> None:
    """kg: mechanisms of MSC-exosome therapy for intervertebral disc degeneration.

    A knowledge graph curated from Bhujel et al. 2022 (Int. J. Mol. Sci. 23, 7306), where
    every signed edge carries its quote, section and reference.
    """


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
def validate(paths: tuple[Path, ...], fmt: str) -> None:
    """Check Turtle files (default: the shipped data) against the kg model.

    Reports Turtle syntax errors as FILE:LINE: message, SHACL violations with their focus
    node, quotes not found in the review, unknown identifiers, malformed IRIs and terms not
    declared in the ontology. Exits 0 only when there is nothing to report.
    """
    from kg.validate import validate as run

    report = run(list(paths) or None)
    if fmt == "json":
        problems = [
            {"kind": p.kind, "where": p.where, "message": p.message} for p in report.problems
        ]
        payload = {
            "ok": report.ok,
            "files": [str(f) for f in report.files],
            "triples": report.triples,
            "problems": problems,
        }
        click.echo(json.dumps(payload, indent=2))
    else:
        for problem in report.problems:
            click.echo(str(problem), err=True)
        status = "ok" if report.ok else f"{len(report.problems)} problem(s)"
        click.echo(f"{status}: {len(report.files)} file(s), {report.triples} triples checked")
    sys.exit(0 if report.ok else 1)


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
def stats(paths: tuple[Path, ...], fmt: str) -> None:
    """Count entities by type, assertions by relation, evidence by level and study type."""
    from kg import io, shipped
    from kg.stats import stats as count

    result = count(io.load(list(paths) or shipped.data_files()))
    sections = {
        "totals": result.totals,
        "entity types": dict(result.entity_types.most_common()),
        "relations": dict(result.relations.most_common()),
        "evidence levels": dict(result.evidence_levels.most_common()),
        "study types": dict(result.study_types.most_common()),
    }
    if fmt == "json":
        click.echo(json.dumps(sections, indent=2))
        return
    for title, counts in sections.items():
        click.echo(f"{title}:")
        width = max((len(k) for k in counts), default=0)
        for key, value in counts.items():
            click.echo(f"  {key:<{width}}  {value:>6}")


@cli.command()
@click.option(
    "--data",
    "data_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Data directory holding review/ and curation/ (default: the shipped data).",
)
def build(data_dir: Path | None) -> None:
    """Regenerate data/references.ttl and data/review.ttl from the review and curation tables.

    Nothing is written unless both graphs build without error.
    """
    from kg import shipped
    from kg.build import build as run

    for path in run(data_dir or shipped.data_dir(), shipped.ontology_file()):
        click.echo(f"wrote {path}")


def _through_disease_option(func: Any) -> Any:
    return click.option(
        "--through-disease",
        is_flag=True,
        help="Let paths pass through disease nodes (feedback loops such as IVDD → TNF-α).",
    )(func)


@cli.command()
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
    "--max-paths",
    default=10_000,
    show_default=True,
    type=click.IntRange(1),
    help="Cap on paths enumerated.",
)
@click.option(
    "--time-limit",
    default=5.0,
    show_default=True,
    type=click.FloatRange(0.01),
    help="Seconds of search.",
)
@click.option(
    "--html",
    "html",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Also write the paths, highlighted in their neighbourhood, as one offline HTML file.",
)
@_through_disease_option
@data_option()
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
    max_paths: int,
    time_limit: float,
    html: Path | None,
    through_disease: bool,
    data: tuple[Path, ...],
) -> None:
    """Signed paths from SOURCE to TARGET with the evidence for every hop.

    Paths are ranked fewest hops first, then by strength of evidence; the net effect of each
    path is the product of its signs (→ increases, ⊣ decreases), and a summary says whether
    all paths agree. Names may be labels, synonyms or identifiers (miR-21, hsa-miR-21-5p,
    TNF-alpha, HGNC:9588). Paths do not pass through disease nodes (IVDD...) unless
    --through-disease is given.
    """
    from kg import render
    from kg.knowledge import evidence_weights, load_knowledge
    from kg.paths import trace as run
    from kg.resolve import resolve

    kg = load_knowledge(list(data) or None)
    keep = evidence_keep(kg, cell_type, species, study_type, evidence)
    result = run(
        kg.mechanisms,
        resolve(kg.mechanisms, source),
        resolve(kg.mechanisms, target),
        max_hops=max_hops,
        limit=limit,
        via=[resolve(kg.mechanisms, v) for v in via],
        avoid=[resolve(kg.mechanisms, a) for a in avoid],
        keep_evidence=keep,
        evidence_weight=evidence_weights(kg.evidence),
        max_paths=max_paths,
        time_limit=time_limit,
        no_pass_through=() if through_disease else kg.nodes_of_type("Disease"),
    )
    if fmt == "json":
        click.echo(json.dumps(render.trace_json(kg, result), indent=2, ensure_ascii=False))
    elif fmt == "tsv":
        click.echo(render.trace_tsv(kg, result), nl=False)
    else:
        click.echo(render.trace_text(kg, result), nl=False)
    if html is not None:
        from kg.viz import trace_html

        trace_html(kg, result, html, keep_evidence=keep)
        click.echo(f"wrote {html}", err=True)


def _reach_command(direction: str) -> click.Command:
    @click.argument("entity")
    @click.option("--max-hops", default=3, show_default=True, type=click.IntRange(1, 10))
    @filter_options
    @click.option(
        "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
    )
    @_through_disease_option
    @data_option()
    def command(
        entity: str,
        max_hops: int,
        cell_type: tuple[str, ...],
        species: tuple[str, ...],
        study_type: tuple[str, ...],
        evidence: str,
        fmt: str,
        through_disease: bool,
        data: tuple[Path, ...],
    ) -> None:
        from kg import paths, render
        from kg.knowledge import evidence_weights, load_knowledge
        from kg.resolve import resolve

        kg = load_knowledge(list(data) or None)
        run = paths.upstream if direction == "upstream" else paths.downstream
        node = resolve(kg.mechanisms, entity)
        reached = run(
            kg.mechanisms,
            node,
            max_hops=max_hops,
            keep_evidence=evidence_keep(kg, cell_type, species, study_type, evidence),
            evidence_weight=evidence_weights(kg.evidence),
            no_pass_through=() if through_disease else kg.nodes_of_type("Disease"),
        )
        if fmt == "json":
            payload = render.reach_json(kg, node, direction, reached)
            click.echo(json.dumps(payload, indent=2, ensure_ascii=False))
        else:
            click.echo(render.reach_text(kg, node, direction, reached), nl=False)

    command.__doc__ = (
        "What regulates ENTITY: each upstream entity, its net effect and shortest path."
        if direction == "upstream"
        else "What ENTITY affects: each downstream entity, net effect and shortest path."
    )
    return cli.command(name=direction)(command)


upstream = _reach_command("upstream")
downstream = _reach_command("downstream")


@cli.command()
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@data_option()
def conflicts(fmt: str, data: tuple[Path, ...]) -> None:
    """Disagreements: opposite signs in overlapping context, contradictions the curation
    flagged, and citations that point to the wrong reference, each with its quotes."""
    from kg import render
    from kg.conflicts import conflicts as run
    from kg.knowledge import load_knowledge, load_rdf

    kg = load_knowledge(list(data) or None)
    found = run(load_rdf(kg.paths), kg.mechanisms, kg.evidence)
    if fmt == "json":
        click.echo(json.dumps(render.conflicts_json(kg, found), indent=2, ensure_ascii=False))
    else:
        click.echo(render.conflicts_text(kg, found), nl=False)


@cli.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "markdown", "json"]),
    default="text",
    show_default=True,
)
@data_option()
def coverage(fmt: str, data: tuple[Path, ...]) -> None:
    """How many assertions and evidence each section and table row of the review gave.

    Sections and Table 1-3 rows are read from the review text, so gaps show as 0.
    `--format markdown` writes the report kept in data/curation/COVERAGE.md.
    """
    from kg import render, shipped
    from kg.conflicts import conflicts as find_conflicts
    from kg.coverage import coverage as count
    from kg.knowledge import load_knowledge, load_rdf
    from kg.stats import stats

    kg = load_knowledge(list(data) or None)
    graph = load_rdf(kg.paths)
    units = count(graph, kg.evidence, shipped.review_text_file().read_text(encoding="utf-8"))
    totals = stats(graph).totals
    if fmt == "json":
        payload = {"totals": totals, "units": [u.__dict__ for u in units]}
        click.echo(json.dumps(payload, indent=2, ensure_ascii=False))
    elif fmt == "markdown":
        found = find_conflicts(graph, kg.mechanisms, kg.evidence)
        click.echo(render.coverage_markdown(kg, units, totals, found), nl=False)
    else:
        click.echo(render.coverage_text(units, totals), nl=False)


@cli.command(name="import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--format", "fmt", type=click.Choice(["mirtarbase", "tsv"]), required=True,
    help="mirtarbase: the miRTarBase download layout; tsv: kg's curation assertions table.",
)  # fmt: skip
@click.option(
    "--out", type=click.Path(dir_okay=False, path_type=Path), required=True,
    help="Turtle file to write (atomically; only when the import succeeds).",
)  # fmt: skip
@click.option(
    "--entities", "entities_file", type=click.Path(dir_okay=False, path_type=Path),
    help="tsv only: an entities.tsv with entities the shipped data lacks.",
)  # fmt: skip
@click.option("--skip-bad", is_flag=True, help="Import the good rows; report each bad row.")
def import_(fmt: str, file: Path, out: Path, entities_file: Path | None, skip_bad: bool) -> None:
    """Import FILE as assertions with full provenance, validated row by row.

    Every bad row is reported as FILE:LINE: message. By default one bad row aborts the
    import and nothing is written; --skip-bad imports the rest. See kg/importer.py for the
    formats.
    """
    from kg.importer import BadRowsError, import_file

    tty = sys.stderr.isatty()

    def progress(done: int, total: int) -> None:
        click.echo(f"\rbuilding graph: {done}/{total} assertions", err=True, nl=done == total)

    try:
        result = import_file(
            file,
            fmt="mirtarbase" if fmt == "mirtarbase" else "tsv",
            out=out,
            skip_bad=skip_bad,
            entities_file=entities_file,
            progress=progress if tty else None,
        )
    except BadRowsError as exc:
        for error in exc.errors:
            click.echo(str(error), err=True)
        raise
    for error in result.bad:
        click.echo(f"{error} (row skipped)", err=True)
    skipped = f"; skipped {len(result.bad)} bad row(s)" if result.bad else ""
    click.echo(
        f"imported {result.evidence} row(s) of {result.rows} as {len(result.assertions)} "
        f"assertion(s) with {len(result.entities)} entities into {out}{skipped}"
    )


def _register() -> None:
    from kg.cli_export import COMMANDS as EXPORT_COMMANDS
    from kg.cli_sparql import COMMANDS as SPARQL_COMMANDS
    from kg.cli_viz import COMMANDS as VIZ_COMMANDS

    for command in (*SPARQL_COMMANDS, *VIZ_COMMANDS, *EXPORT_COMMANDS):
        cli.add_command(command)


_register()


def main() -> None:
    """Console entry point."""
    cli()
