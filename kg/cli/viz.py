"""Command-line commands for viz: ``kg viz`` (issues 6 and 15) and ``kg show``, registered on
the ``kg`` group by :mod:`kg.cli`. The library (:mod:`kg.views.page`, :mod:`kg.views.card`)
does the work; this only translates options."""

from __future__ import annotations

from pathlib import Path

import click

from kg.cli.options import data_option, evidence_keep, filter_options
from kg.cli.show import show

__all__ = ["COMMANDS"]


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
@filter_options(evidence="all")
@data_option("draw")
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

    Entities stand in columns by role, left to right: vesicles and therapies, miRNAs, genes
    and proteins, pathways, processes, diseases. Navy arrows increase, orange bars decrease;
    dashed lines are curator-inferred, dotted ones as printed (a contradicted reading). Click
    an entity for its card and its assertions, an arrow for its quotes, references, study
    type, species, cell type and flags; search names and synonyms (arrow keys, Enter); filter
    by cell type, species, study type, evidence level and entity type. Above 1,000 entities
    the page opens on one node per entity type: click one to expand it. Save the view as PNG,
    SVG or CSV; the address keeps the view. The file makes no network request.
    """
    from kg.reasoning.resolve import resolve
    from kg.store.knowledge import load_knowledge
    from kg.views.page import graph_html

    kg = load_knowledge(list(data) or None)
    keep = evidence_keep(kg, cell_type, species, study_type, evidence)
    node = resolve(kg.mechanisms, focus) if focus is not None else None
    page = graph_html(kg, out, focus=node, hops=hops, keep_evidence=keep)
    click.echo(f"wrote {out} ({page.nodes} entities, {page.edges} assertions)")


COMMANDS: list[click.Command] = [viz, show]
