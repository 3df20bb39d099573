"""The ``kg`` command line: a thin shell over the library.

Errors the user can fix (:class:`kg.errors.KGError`) become one line on stderr and a non-zero
exit code; no traceback.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from kg.errors import KGError

__all__ = ["cli", "main"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
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


def main() -> None:
    """Console entry point: run the CLI, turning kg errors into one line on stderr."""
    try:
        cli.main(standalone_mode=False)
    except KGError as exc:
        click.echo(f"kg: error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("kg: aborted", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
