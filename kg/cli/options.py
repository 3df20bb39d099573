"""Options shared by several ``kg`` commands, and turning the filter options into an
evidence filter. Kept apart from :mod:`kg.cli` so that the command modules registered on the
group (``cli_viz``, ``cli_export``...) can use them without importing the group itself."""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import click

from kg.model.errors import KGError

if TYPE_CHECKING:
    from kg.store.knowledge import Knowledge
    from kg.store.remote import Endpoint

__all__ = [
    "STUDY_TYPE_CHOICES",
    "EndpointURL",
    "Host",
    "Origin",
    "Seconds",
    "data_option",
    "endpoint_options",
    "evidence_keep",
    "filter_options",
    "html_option",
    "knowledge",
    "weights_option",
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


def html_option(what: str) -> Callable[[Any], Any]:
    """``--html FILE``: also write ``what`` as one offline HTML file."""
    return click.option(
        "--html",
        "html",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help=f"Also write {what} as one offline HTML file.",
    )


def weights_option(func: Any) -> Any:
    """``--weights FILE``: a TOML file overriding the evidence-score weights."""
    return click.option(
        "--weights",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help="TOML file overriding the evidence-score weights (see kg/resources/scores.toml).",
    )(func)


def filter_options(func: Any = None, *, evidence: str = "curated") -> Callable[..., Any]:
    """``--cell-type``, ``--species``, ``--study-type`` and ``--evidence`` (default
    ``evidence``): ``@filter_options``, or ``@filter_options(evidence="all")`` for a command
    that shows as-printed readings by default (the HTML page marks them)."""
    if func is None:

        def decorate(f: Any) -> Any:
            return filter_options(f, evidence=evidence)

        return decorate
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
            default=evidence,
            show_default=True,
            help="'curated': stated, corrected and curator-inferred evidence (as-printed "
            "readings left out and counted); 'stated': only stated and corrected; 'all': "
            "as-printed readings too, marked.",
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return cast("Callable[..., Any]", func)


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
        kg.search_evidence,
        cell_types=[resolve(kg.entities, c) for c in cell_type],
        species=[resolve(kg.entities, s) for s in species],
        study_types=[StudyType(STUDY_TYPE_CHOICES[t]) for t in study_type],
    )
    return both(context, level_filter(kg.search_evidence, cast("EvidenceMode", evidence)))


class Seconds(click.ParamType[float]):
    """A finite number of seconds in ``[low, high]`` (``nan``, ``inf`` and ``1e308`` refused)."""

    name = "seconds"

    def __init__(self, low: float, high: float) -> None:
        self.low, self.high = low, high

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> float:
        try:
            number = float(value)
        except (TypeError, ValueError):
            self.fail(f"{value!r} is not a number of seconds", param, ctx)
        if not math.isfinite(number) or not self.low <= number <= self.high:
            self.fail(
                f"{value!r} is not between {self.low:g} and {self.high:g} seconds", param, ctx
            )
        return number


class Host(click.ParamType[str]):
    """An IP address or host name to bind a server to."""

    name = "host"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        from kg.store.endpoint import check_host

        try:
            return check_host(str(value))
        except KGError as exc:
            self.fail(str(exc).replace(f"--host {value!r}", repr(value), 1), param, ctx)


class Origin(click.ParamType[str]):
    """A CORS origin: ``*`` or ``scheme://host[:port]``."""

    name = "origin"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        from kg.store.endpoint import check_cors

        try:
            return check_cors(str(value))
        except KGError as exc:
            self.fail(str(exc).replace(f"--cors {value!r}", repr(value), 1), param, ctx)


class EndpointURL(click.ParamType[str]):
    """An ``http(s)://host[:port]/path`` URL with a valid port."""

    name = "url"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        import urllib.parse

        text = str(value)
        try:
            parts = urllib.parse.urlsplit(text)
            port = parts.port
        except ValueError as exc:
            self.fail(
                f"{text!r} is not a valid URL ({exc}); give e.g. http://127.0.0.1:7878/store",
                param,
                ctx,
            )
        if parts.scheme not in ("http", "https") or not parts.hostname:
            self.fail(
                f"{text!r} is not an http(s) URL; give e.g. http://127.0.0.1:7878/store", param, ctx
            )
        if port == 0 or any(c.isspace() or ord(c) < 32 for c in text):
            self.fail(
                f"{text!r} is not a valid URL; give e.g. http://127.0.0.1:7878/store", param, ctx
            )
        return text


def endpoint_options(func: Any) -> Any:
    """``--endpoint URL`` (or ``$KG_ENDPOINT``), ``--graph IRI``, ``--header 'Name: value'``,
    ``--endpoint-timeout`` and ``--cache`` (or ``$KG_ENDPOINT_CACHE``), handed to the command
    as one ``remote`` argument: an :class:`~kg.store.remote.Endpoint`, or None for the
    embedded graph."""

    @functools.wraps(func)
    def wrapper(
        *args: Any,
        endpoint: str | None,
        graph: str | None,
        header: tuple[str, ...],
        endpoint_timeout: float,
        cache: bool,
        **kwargs: Any,
    ) -> Any:
        remote = None
        if endpoint:
            from kg.store.remote import Endpoint, parse_header

            headers = tuple(parse_header(h) for h in header)
            remote = Endpoint(endpoint, graph, headers, endpoint_timeout, cache)
        elif graph or header or cache:
            raise click.UsageError("--graph, --header and --cache need --endpoint (or KG_ENDPOINT)")
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
        click.option(
            "--cache",
            is_flag=True,
            envvar="KG_ENDPOINT_CACHE",
            help="With --endpoint: keep the server's answers in kg's cache directory "
            "($KG_CACHE_DIR or ~/.cache/kg; env KG_ENDPOINT_CACHE=1) and reuse them while the "
            "server's assertion, evidence and triple counts stay the same. Headers and "
            "credentials are never written.",
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
