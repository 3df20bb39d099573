"""Options shared by several ``kg`` commands, and turning the filter options into an
evidence filter. Kept apart from :mod:`kg.cli` so that the command modules registered on the
group (``cli_viz``, ``cli_export``...) can use them without importing the group itself."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from kg.store.knowledge import Knowledge
    from kg.store.remote import Endpoint

__all__ = [
    "STUDY_TYPE_CHOICES",
    "data_option",
    "endpoint_options",
    "evidence_keep",
    "filter_options",
    "knowledge",
]

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
            type=click.Choice(["stated", "all"]),
            default="all",
            show_default=True,
            help="'stated': ignore links only the curator inferred.",
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
    from kg.reasoning.resolve import resolve
    from kg.store.knowledge import evidence_filter

    return evidence_filter(
        kg.evidence,
        cell_types=[resolve(kg.entities, c) for c in cell_type],
        species=[resolve(kg.entities, s) for s in species],
        study_types=[StudyType(STUDY_TYPE_CHOICES[t]) for t in study_type],
        stated_only=evidence == "stated",
    )


def endpoint_options(func: Any) -> Any:
    """``--endpoint URL`` (or ``$KG_ENDPOINT``), ``--graph IRI``, ``--header 'Name: value'``
    and ``--endpoint-timeout``, handed to the command as one ``remote`` argument: an
    :class:`~kg.store.remote.Endpoint`, or None for the embedded graph."""

    @functools.wraps(func)
    def wrapper(
        *args: Any,
        endpoint: str | None,
        graph: str | None,
        header: tuple[str, ...],
        endpoint_timeout: float,
        **kwargs: Any,
    ) -> Any:
        remote = None
        if endpoint:
            from kg.store.remote import Endpoint, parse_header

            headers = tuple(parse_header(h) for h in header)
            remote = Endpoint(endpoint, graph, headers, endpoint_timeout)
        elif graph or header:
            raise click.UsageError("--graph and --header need --endpoint (or KG_ENDPOINT)")
        return func(*args, remote=remote, **kwargs)

    options = [
        click.option(
            "--endpoint",
            metavar="URL",
            envvar="KG_ENDPOINT",
            help="Read the graph from this SPARQL 1.1 query endpoint (env KG_ENDPOINT), e.g. "
            "http://127.0.0.1:7878/query; only what the command needs is fetched.",
        ),
        click.option("--graph", metavar="IRI", help="With --endpoint: the named graph to read."),
        click.option(
            "--header",
            multiple=True,
            metavar="'NAME: VALUE'",
            help="With --endpoint: send this HTTP header (repeatable), e.g. "
            "'Authorization: Bearer TOKEN'; netrc entries are used too.",
        ),
        click.option(
            "--endpoint-timeout",
            type=click.FloatRange(min=0.001),
            default=30.0,
            show_default=True,
            help="With --endpoint: seconds each request may take.",
        ),
    ]
    for option in reversed(options):
        wrapper = option(wrapper)
    return wrapper


def knowledge(
    data: tuple[Path, ...], remote: Endpoint | None, *, deadline: float | None = None
) -> Knowledge:
    """The shipped (or ``--data``) graph, or with ``--endpoint`` the remote store's names and
    nothing else yet (the ``kg.store.remote_views.fetch_*`` add what a command needs)."""
    if remote is None:
        from kg.store.knowledge import load_knowledge

        return load_knowledge(list(data) or None)
    if data:
        raise click.UsageError("give --data or --endpoint, not both")
    from kg.store.remote_views import open_remote

    return open_remote(remote, deadline=deadline)
