"""Command-line commands for viz: ``kg viz`` (issue 6), registered on the ``kg`` group by
:mod:`kg.cli`. The library (:mod:`kg.viz`) does the work; this only translates options."""

from __future__ import annotations

from pathlib import Path

import click

__all__ = ["COMMANDS"]

_STUDY_TYPES = {
    "in-vitro": "InVitro",
    "in-vivo": "InVivo",
    "clinical": "Clinical",
    "review": "ReviewStatement",
}


@click.command()
@click.option(
    "--out",
    "-o",
    "out",
    required=True,
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="HTML file to write (one self-contained file; nothing else is written).",
)
@click.option("--focus", help="Show only the neighbourhood of this entity (name, synonym, id).")
@click.option(
    "--hops",
    default=1,
    show_default=True,
    type=click.IntRange(0, 10),
    help="With --focus: how many edges away from it to show.",
)
@click.option("--cell-type", multiple=True, help="Keep evidence in this cell type (repeatable).")
@click.option("--species", multiple=True, help="Keep evidence in this species (repeatable).")
@click.option(
    "--study-type",
    multiple=True,
    type=click.Choice(sorted(_STUDY_TYPES)),
    help="Keep evidence of this study type (repeatable).",
)
@click.option(
    "--evidence",
    type=click.Choice(["stated", "all"]),
    default="all",
    show_default=True,
    help="'stated': ignore links only the curator inferred.",
)
@click.option(
    "--data",
    "data",
    multiple=True,
    type=click.Path(path_type=Path),
    help="Turtle file(s) to draw instead of the shipped data (repeatable).",
)
def viz(
    *,
    out: Path,
    focus: str | None,
    hops: int,
    cell_type: tuple[str, ...],
    species: tuple[str, ...],
    study_type: tuple[str, ...],
    evidence: str,
    data: tuple[Path, ...],
) -> None:
    """Write the mechanism graph as one interactive HTML file that works offline.

    Entities are shaped and coloured by type; green arrows increase, red bars decrease,
    grey dashed lines are not causal. Click an entity or an edge for its quotes, references,
    study type, species, cell type and flags; search names and synonyms; filter by cell type,
    species, study type, evidence level and entity type in the page. The file makes no network
    request: open it from disk on any machine.
    """
    from kg.knowledge import evidence_filter, load_knowledge
    from kg.model import StudyType
    from kg.resolve import resolve
    from kg.viz import graph_html

    kg = load_knowledge(list(data) or None)
    keep = evidence_filter(
        kg.evidence,
        cell_types=[resolve(kg.entities, c) for c in cell_type],
        species=[resolve(kg.entities, s) for s in species],
        study_types=[StudyType(_STUDY_TYPES[t]) for t in study_type],
        stated_only=evidence == "stated",
    )
    node = resolve(kg.mechanisms, focus) if focus is not None else None
    page = graph_html(kg, out, focus=node, hops=hops, keep_evidence=keep)
    click.echo(f"wrote {out} ({page.nodes} entities, {page.edges} assertions)")


COMMANDS: list[click.Command] = [viz]
