"""Command-line commands for SPARQL: ``kg sparql``, ``kg serve``, ``kg push`` (issue 5).

Registered on the ``kg`` group by :mod:`kg.cli`. The library (:mod:`kg.store.sparql`,
:mod:`kg.store.endpoint`) does the work; these functions only translate options.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from kg.cli.options import EndpointURL, Host, Origin, Seconds
from kg.model.errors import KGError, NotFoundError, UsageError

__all__ = ["COMMANDS"]

_DATA = click.option(
    "--data",
    "data",
    multiple=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="RDF file(s) to query instead of the shipped data + ontology (repeatable): Turtle, "
    "or N-Triples .nt, N-Quads .nq, TriG .trig (named graphs kept).",
)
_STORE = click.option(
    "--store",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Persistent Oxigraph store directory; the graph is loaded into it once.",
)
_RELOAD = click.option(
    "--reload", is_flag=True, help="With --store: empty the store and load the graph again."
)
_TIMEOUT = click.option(
    "--timeout",
    type=Seconds(0.001, 86_400),
    default=10.0,
    show_default=True,
    help="Wall-clock seconds before a query is stopped (exit code 5).",
)
_MAX_ROWS = click.option(
    "--max-rows",
    type=click.IntRange(min=0),
    default=10_000,
    show_default=True,
    help="Most rows (or triples) a query may return (exit code 6).",
)


def _files(data: tuple[Path, ...]) -> list[Path] | None:
    return list(data) or None


def _store(store: Path | None, data: tuple[Path, ...], reload: bool) -> Path | None:
    if store is None:
        return None
    from kg.store.sparql import load_store

    load_store(store, _files(data), reload=reload)
    return store


def _decode(data: bytes, what: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UsageError(
            f"{what} is not UTF-8 (byte {data[exc.start]:#04x} at offset {exc.start}); "
            "save the query as UTF-8"
        ) from None


def _read_query_file(path: Path) -> str:
    if not str(path) or str(path) == ".":
        raise UsageError("give a file name after @, e.g. @query.rq")
    if path.is_dir():
        raise UsageError(f"{path} is a directory; give a query file: @FILE.rq")
    if not path.is_file():
        raise NotFoundError(f"{path}: no such file")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from None
    return _decode(data, str(path))


def _query_text(query: str | None, named: str | None, params: tuple[str, ...]) -> tuple[str, str]:
    """The query text and what to call it in messages."""
    from kg.store.sparql import bind_params, named_query

    if (query is None) == (named is None):
        raise click.UsageError("give a QUERY (text, @file.rq or -) or --named NAME, not both")
    if named is not None:
        text, source = named_query(named).text, f"{named}.rq"
    elif query == "-":
        text, source = _decode(sys.stdin.buffer.read(), "standard input"), "query"
    elif query is not None and query.startswith("@"):
        text, source = (
            _read_query_file(Path(query[1:]) if query[1:] else Path()),
            Path(query[1:]).name,
        )
    else:
        text, source = str(query), "query"
    values: dict[str, str] = {}
    for item in params:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise click.BadParameter(f"{item!r} is not NAME=VALUE", param_hint="--param")
        values[key] = value
    return bind_params(text, values, source=source) if values else text, source


@click.command()
@click.argument("query", required=False)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "tsv", "json", "xml", "ttl", "nt"]),
    default=None,
    help="Output format [default: table; ttl for CONSTRUCT/DESCRIBE]. json/csv/tsv/xml are "
    "the SPARQL 1.1 result formats; json for a graph is JSON-LD.",
)
@click.option("--named", metavar="NAME", help="Run a shipped named query (see --list).")
@click.option(
    "--param",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="Bind a parameter (a one-variable VALUES clause), e.g. --param entity=miR-21.",
)
@click.option("--list", "list_", is_flag=True, help="List the named queries and exit.")
@_DATA
@_STORE
@_RELOAD
@_TIMEOUT
@_MAX_ROWS
def sparql(
    *,
    query: str | None,
    fmt: str | None,
    named: str | None,
    params: tuple[str, ...],
    list_: bool,
    data: tuple[Path, ...],
    store: Path | None,
    reload: bool,
    timeout: float,
    max_rows: int,
) -> None:
    """Run a read-only SPARQL query on the graph (data + ontology).

    QUERY is query text, @FILE.rq, or - for standard input. kg's prefixes (kg:, ent:, asr:,
    ev:, study:, ref:, rdf:, rdfs:, owl:, xsd:, skos:, dcterms:, RO:, BFO:, biolink:) are
    predeclared. Updates, LOAD, SERVICE and FROM are refused (exit 4); syntax errors print
    query:LINE:COL (exit 3).

    Examples:

        kg sparql 'SELECT ?t { ent:miR-21 kg:repressesTarget ?t }'

        kg sparql --named entity-evidence --param entity=PTEN --format csv
    """
    from kg.store.sparql import Engine, named_queries, run_query, serialize

    if list_:
        queries = named_queries()
        width = max(len(n) for n in queries)
        for name, named_q in queries.items():
            click.echo(f"{name:<{width}}  {named_q.description}")
            for param, about in named_q.params.items():
                click.echo(f"{'':<{width}}    --param {param}=...  {about}")
        return
    text, source = _query_text(query, named, params)
    store_path = _store(store, data, reload)
    with Engine.open(_files(data) if store_path is None else None, store=store_path) as engine:
        result = run_query(engine, text, timeout=timeout, max_rows=max_rows, source=source)
        chosen = fmt or ("ttl" if result.is_graph else "table")
        output = serialize(result, chosen, prefixes=engine.prefixes)
    click.echo(output, nl=False)


@click.command()
@click.option(
    "--host", type=Host(), default="127.0.0.1", show_default=True, help="Interface to bind."
)
@click.option(
    "--port", type=click.IntRange(0, 65535), default=7879, show_default=True,
    help="Port to bind; 0 picks a free one.",
)  # fmt: skip
@click.option(
    "--cors", metavar="ORIGIN", type=Origin(), default=None,
    help="Send Access-Control-Allow-Origin: ORIGIN, * or scheme://host[:port] "
    "(default: no CORS headers).",
)  # fmt: skip
@click.option(
    "--allow-host", "allow_hosts", multiple=True, metavar="NAME",
    help="Also accept requests whose Host header is NAME (repeatable; * for any). "
    "Local names (127.0.0.1, localhost, ::1) and --host are always accepted.",
)  # fmt: skip
@click.option(
    "--workers", type=click.IntRange(1, 64), default=2, show_default=True,
    help="Query worker processes (queries running at once).",
)  # fmt: skip
@click.option(
    "--worker-memory", type=click.IntRange(64, 1 << 20), default=2048, show_default=True,
    metavar="MiB",
    help="Address space each worker may use; a query that needs more gets a 503.",
)  # fmt: skip
@_DATA
@_STORE
@_RELOAD
@_TIMEOUT
@_MAX_ROWS
def serve(
    *,
    host: str,
    port: int,
    cors: str | None,
    allow_hosts: tuple[str, ...],
    workers: int,
    worker_memory: int,
    data: tuple[Path, ...],
    store: Path | None,
    reload: bool,
    timeout: float,
    max_rows: int,
) -> None:
    """Serve the graph as a read-only SPARQL 1.1 Protocol endpoint.

    Prints the endpoint URL (http://HOST:PORT/sparql) as the first line of standard output.
    GET or POST (query= or an application/sparql-query body); the result format follows the
    Accept header; /sparql/ works too, and so do default-graph-uri / named-graph-uri. The
    same safety rules as `kg sparql`: a refused query is 403, a syntax error 400, a query over
    100 kB 413, the row cap 422, and a timeout, a busy pool or a lost worker 503 with
    Retry-After. Requests whose Host header is not local (or --host, or --allow-host) get 403.
    """
    import signal

    from kg.store.endpoint import Settings
    from kg.store.endpoint import serve as run
    from kg.store.sparql import Engine

    def stop(_signum: int, _frame: object) -> None:
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)
    store_path = _store(store, data, reload)
    with Engine.open(
        _files(data) if store_path is None else None,
        store=store_path,
        workers=workers,
        memory_mb=worker_memory,
    ) as engine:
        hosts = (*allow_hosts, host) if host not in ("0.0.0.0", "::") else allow_hosts  # noqa: S104
        settings = Settings(timeout=timeout, max_rows=max_rows, cors=cors, hosts=hosts)

        def ready(url: str) -> None:
            click.echo(url)
            sys.stdout.flush()

        try:
            run(
                engine, host=host, port=port, settings=settings, threads=workers + 6, on_ready=ready
            )
        except OSError as exc:
            raise KGError(
                f"cannot serve on {host}:{port}: {exc.strerror or exc}; "
                "pick another --port (0: any free one) or --host"
            ) from None


@click.command()
@click.option(
    "--endpoint", required=True, metavar="URL", type=EndpointURL(),
    help="Graph Store Protocol URL, e.g. http://127.0.0.1:7878/store (Oxigraph).",
)  # fmt: skip
@click.option("--graph", metavar="IRI", default=None, help="Target named graph (default graph).")
@click.option("--append", is_flag=True, help="POST (add to the graph) instead of PUT (replace).")
@click.option(
    "--timeout", type=Seconds(0.001, 86_400), default=60.0, show_default=True,
    help="Seconds to wait for the server.",
)  # fmt: skip
@_DATA
@_STORE
def push(
    *,
    endpoint: str,
    graph: str | None,
    append: bool,
    timeout: float,
    data: tuple[Path, ...],
    store: Path | None,
) -> None:
    """Load the graph into any SPARQL 1.1 server through the Graph Store Protocol."""
    from kg.store.sparql import push as send

    store_path = _store(store, data, False)
    count = send(
        _files(data), endpoint, store=store_path, graph=graph, replace=not append, timeout=timeout
    )
    click.echo(f"pushed {count} triples to {endpoint} ({graph or 'default graph'})")


COMMANDS: list[click.Command] = [sparql, serve, push]
