"""Commands on the data itself: ``kg validate``, ``kg stats``, ``kg build``, ``kg coverage``,
``kg import``. The library (:mod:`kg.curation`) does the work; these only translate options."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from kg.cli.options import data_option

__all__ = ["COMMANDS"]


@click.command()
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
    from kg.curation.validate import validate as run

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


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
def stats(paths: tuple[Path, ...], fmt: str) -> None:
    """Count entities by type, assertions by relation, evidence by level and study type."""
    from kg.curation.stats import stats as count
    from kg.model import shipped
    from kg.store import rdf

    result = count(rdf.load(list(paths) or shipped.data_files()))
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


@click.command()
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
    from kg.curation.build import build as run
    from kg.model import shipped

    for path in run(data_dir or shipped.data_dir(), shipped.ontology_file()):
        click.echo(f"wrote {path}")


@click.command()
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
    from kg.curation.coverage import coverage as count
    from kg.curation.stats import stats
    from kg.model import shipped
    from kg.reasoning.conflicts import conflicts as find_conflicts
    from kg.store.knowledge import load_knowledge, load_rdf
    from kg.views import reports

    kg = load_knowledge(list(data) or None)
    graph = load_rdf(kg.paths)
    units = count(graph, kg.evidence, shipped.review_text_file().read_text(encoding="utf-8"))
    totals = stats(graph).totals
    if fmt == "json":
        payload = {"totals": totals, "units": [u.__dict__ for u in units]}
        click.echo(json.dumps(payload, indent=2, ensure_ascii=False))
    elif fmt == "markdown":
        found = find_conflicts(graph, kg.mechanisms, kg.evidence)
        click.echo(reports.coverage_markdown(kg, units, totals, found), nl=False)
    else:
        click.echo(reports.coverage_text(units, totals), nl=False)


@click.command(name="import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--format", "fmt", type=click.Choice(["mirtarbase", "tsv", "indra"]), required=True,
    help="mirtarbase: the miRTarBase download layout; tsv: kg's curation assertions table; "
    "indra: INDRA Statements JSON (each rejected statement reported as FILE:#N).",
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
    import and nothing is written; --skip-bad imports the rest. The formats are described in
    kg/curation/mirtarbase.py, kg/curation/tsv.py and kg/curation/indra.py.
    """
    from kg.curation.imported import BadRowsError
    from kg.curation.importer import import_file

    tty = sys.stderr.isatty()

    def progress(done: int, total: int) -> None:
        click.echo(f"\rbuilding graph: {done}/{total} assertions", err=True, nl=done == total)

    try:
        result = import_file(
            file,
            fmt="indra" if fmt == "indra" else "mirtarbase" if fmt == "mirtarbase" else "tsv",
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
    unit = "statement(s)" if fmt == "indra" else "row(s)"  # an INDRA statement has many evidence
    skipped = f"; skipped {len(result.bad)} bad {unit}" if result.bad else ""
    read = (
        f"{result.rows - len(result.bad)} statement(s) of {result.rows} ({result.evidence} "
        "evidence)"
        if fmt == "indra"
        else f"{result.evidence} row(s) of {result.rows}"
    )
    click.echo(
        f"imported {read} as {len(result.assertions)} assertion(s) with "
        f"{len(result.entities)} entities into {out}{skipped}"
    )


COMMANDS: list[click.Command] = [validate, stats, build, coverage, import_]
