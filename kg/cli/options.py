"""Options shared by several ``kg`` commands, and turning the filter options into an
evidence filter. Kept apart from :mod:`kg.cli` so that the command modules registered on the
group (``cli_viz``, ``cli_export``...) can use them without importing the group itself."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import click

if TYPE_CHECKING:
    from kg.store.knowledge import Knowledge

__all__ = ["STUDY_TYPE_CHOICES", "data_option", "evidence_keep", "filter_options"]

#: ``--study-type`` values and the kg.model.records.StudyType values they select.
STUDY_TYPE_CHOICES = {
    "in-vitro": "InVitro",
    "in-vivo": "InVivo",
    "clinical": "Clinical",
    "review": "ReviewStatement",
}


def data_option(verb: str = "query") -> Callable[[Any], Any]:
    """``--data PATH`` (repeatable): Turtle files to use instead of the shipped data."""
    return click.option(
        "--data",
        "data",
        multiple=True,
        type=click.Path(path_type=Path),
        help=f"Turtle file(s) to {verb} instead of the shipped data (repeatable).",
    )


def filter_options(func: Any) -> Any:
    """``--cell-type``, ``--species``, ``--study-type`` and ``--evidence``."""
    options = [
        click.option(
            "--cell-type", multiple=True, help="Keep evidence in this cell type (repeatable)."
        ),
        click.option(
            "--species", multiple=True, help="Keep evidence in this species (repeatable)."
        ),
        click.option(
            "--study-type",
            multiple=True,
            type=click.Choice(sorted(STUDY_TYPE_CHOICES)),
            help="Keep evidence of this study type (repeatable).",
        ),
        click.option(
            "--evidence",
            type=click.Choice(["curated", "stated", "all"]),
            default="curated",
            show_default=True,
            help="'curated': stated, corrected and curator-inferred evidence (as-printed "
            "readings left out and counted); 'stated': only stated and corrected; 'all': "
            "as-printed readings too, marked.",
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def evidence_keep(
    kg: Knowledge,
    cell_type: tuple[str, ...],
    species: tuple[str, ...],
    study_type: tuple[str, ...],
    evidence: str,
) -> Callable[[str], bool] | None:
    """The evidence filter the :func:`filter_options` ask for (names resolved in ``kg``)."""
    from kg.model.records import StudyType
    from kg.reasoning.levels import EvidenceMode, both, level_filter
    from kg.reasoning.resolve import resolve
    from kg.store.knowledge import evidence_filter

    context = evidence_filter(
        kg.evidence,
        cell_types=[resolve(kg.entities, c) for c in cell_type],
        species=[resolve(kg.entities, s) for s in species],
        study_types=[StudyType(STUDY_TYPE_CHOICES[t]) for t in study_type],
    )
    return both(context, level_filter(kg.evidence, cast("EvidenceMode", evidence)))
