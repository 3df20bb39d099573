"""``kg serve``: a read-only SPARQL 1.1 Protocol endpoint on a :class:`kg.store.sparql.Engine`.

A plain WSGI application (:func:`make_app`) served by waitress (a maintained, pure-Python,
dependency-free, multi-threaded WSGI server). Each request thread hands its query to one of
the engine's worker processes, so a query that times out is killed without touching the
server. The status code is decided only after the whole result exists: a timeout or a row
cap is an error status, never a truncated ``200``.

Status codes: 400 bad request or syntax error, 403 refused query (update, SERVICE, FROM,
``default-graph-uri``), 404 other paths, 405 other methods, 406 no acceptable format,
413 request too large, 422 row cap, 503 timeout.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kg.model.errors import KGError
from kg.store.sparql import (
    DEFAULT_MAX_ROWS,
    DEFAULT_TIMEOUT,
    FORMATS,
    Engine,
    QueryRefusedError,
    QuerySyntaxError,
    QueryTimeoutError,
    RowLimitError,
    check_query,
    run_query,
    serialize,
)

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

__all__ = ["ENDPOINT_PATH", "Settings", "make_app", "negotiate", "serve"]

ENDPOINT_PATH = "/sparql"
_MAX_BODY = 1 << 20
_RESULT_TYPES = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
    "text/plain": "table",
}
_GRAPH_TYPES = {
    "text/turtle": "ttl",
    "application/x-turtle": "ttl",
    "application/n-triples": "nt",
    "text/plain": "nt",
    "application/ld+json": "jsonld",
    "application/json": "jsonld",
    "application/rdf+xml": "rdfxml",
    "application/xml": "rdfxml",
}
_FORMAT_PARAMS = {"json": "json", "xml": "xml", "csv": "csv", "tsv": "tsv", "turtle": "ttl"}


@dataclass(frozen=True)
class Settings:
    """How the endpoint answers: the per-query timeout and row cap, and the CORS origin."""

    timeout: float = DEFAULT_TIMEOUT
    max_rows: int = DEFAULT_MAX_ROWS
    cors: str | None = None


def negotiate(accept: str, form: str, requested: str | None = None) -> str | None:
    """Pick a format name for query ``form`` from an HTTP ``Accept`` header.

    ``requested`` (a ``format=`` / ``output=`` parameter, as some clients send) wins when it
    fits. Returns ``None`` when nothing acceptable is available.

    Example:
        >>> negotiate("text/csv;q=0.5, application/sparql-results+json", "SELECT")
        'json'
        >>> negotiate("*/*", "CONSTRUCT")
        'ttl'
        >>> negotiate("image/png", "ASK") is None
        True
    """
    table = _GRAPH_TYPES if form in ("CONSTRUCT", "DESCRIBE") else _RESULT_TYPES
    if requested:
        name = _FORMAT_PARAMS.get(requested.lower()) or table.get(requested.lower())
        if name in table.values():
            return name
    ranges: list[tuple[float, int, str]] = []
    for index, item in enumerate((accept or "*/*").split(",")):
        parts = [p.strip() for p in item.split(";")]
        quality = 1.0
        for param in parts[1:]:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if parts[0] and quality > 0:
            ranges.append((-quality, index, parts[0].lower()))
    for _, _, media in sorted(ranges):
        if media in table:
            return table[media]
        if media in ("*/*", "*") or (
            media.endswith("/*") and any(t.startswith(media[:-1]) for t in table)
        ):
            prefix = "" if media in ("*/*", "*") else media[:-1]
            return next(name for t, name in table.items() if t.startswith(prefix))
    return None


def _params(environ: WSGIEnvironment) -> tuple[dict[str, list[str]], str | None]:
    """Query parameters, and for ``application/sparql-query`` POSTs the body."""
    params = urllib.parse.parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True)
    if environ["REQUEST_METHOD"] != "POST":
        return params, None
    length = int(environ.get("CONTENT_LENGTH") or 0)
    if length > _MAX_BODY:
        raise _HTTPError(413, f"request body over {_MAX_BODY} bytes")
    body = environ["wsgi.input"].read(length).decode("utf-8", "replace") if length else ""
    ctype = (environ.get("CONTENT_TYPE") or "").split(";")[0].strip().lower()
    if ctype == "application/x-www-form-urlencoded":
        for key, values in urllib.parse.parse_qs(body, keep_blank_values=True).items():
            params.setdefault(key, []).extend(values)
        return params, None
    if ctype == "application/sparql-query":
        return params, body
    if ctype == "application/sparql-update":
        raise _HTTPError(403, "SPARQL updates are refused: this endpoint is read-only")
    raise _HTTPError(400, f"unsupported content type {ctype or '(none)'!r}")


class _HTTPError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


_REASONS = {
    200: "OK", 204: "No Content", 400: "Bad Request", 403: "Forbidden", 404: "Not Found",
    405: "Method Not Allowed", 406: "Not Acceptable", 413: "Content Too Large",
    422: "Unprocessable Content", 500: "Internal Server Error", 503: "Service Unavailable",
}  # fmt: skip


def _answer(engine: Engine, settings: Settings, environ: WSGIEnvironment) -> tuple[int, str, bytes]:
    """The status, content type and body for one request (never sent half-done)."""
    method = environ["REQUEST_METHOD"]
    if environ.get("PATH_INFO", "") != ENDPOINT_PATH:
        raise _HTTPError(404, f"not found; the SPARQL endpoint is {ENDPOINT_PATH}")
    if method not in ("GET", "POST"):
        raise _HTTPError(405, "use GET or POST")
    params, body = _params(environ)
    if "update" in params:
        raise _HTTPError(403, "SPARQL updates are refused: this endpoint is read-only")
    if "default-graph-uri" in params or "named-graph-uri" in params:
        raise _HTTPError(403, "default-graph-uri / named-graph-uri are refused: one graph only")
    queries = params.get("query", []) + ([body] if body is not None else [])
    if len(queries) != 1 or not queries[0].strip():
        raise _HTTPError(400, "give exactly one query (query= parameter or sparql-query body)")
    query = queries[0]
    form = check_query(query)
    requested = next(iter(params.get("format", []) + params.get("output", [])), None)
    fmt = negotiate(environ.get("HTTP_ACCEPT", ""), form, requested)
    if fmt is None:
        raise _HTTPError(406, "no acceptable result format for this query")
    result = run_query(engine, query, timeout=settings.timeout, max_rows=settings.max_rows)
    media = FORMATS[fmt][0]
    return 200, media, serialize(result, fmt, prefixes=engine.prefixes)


def make_app(engine: Engine, settings: Settings | None = None) -> WSGIApplication:
    """The WSGI application of the endpoint (served at :data:`ENDPOINT_PATH`).

    Example:
        >>> from kg.model import shipped
        >>> from kg.store.sparql import Engine
        >>> from wsgiref.util import setup_testing_defaults
        >>> env = {"PATH_INFO": "/sparql", "QUERY_STRING": "query=ASK%7B%7D"}
        >>> setup_testing_defaults(env)
        >>> with Engine.open([shipped.ontology_file()]) as engine:
        ...     body = b"".join(make_app(engine)(env, lambda status, headers: None))
        >>> body
        b'{"head": {}, "boolean": true}'
    """
    settings = settings or Settings()

    def app(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        headers = [("Cache-Control", "no-store"), ("Vary", "Accept")]
        if settings.cors:
            headers.append(("Access-Control-Allow-Origin", settings.cors))
            if environ["REQUEST_METHOD"] == "OPTIONS":
                headers += [
                    ("Access-Control-Allow-Methods", "GET, POST, OPTIONS"),
                    ("Access-Control-Allow-Headers", "Accept, Content-Type"),
                ]
                start_response("204 No Content", headers)
                return [b""]
        status, media, body = _respond(engine, settings, environ)
        headers += [("Content-Type", media), ("Content-Length", str(len(body)))]
        start_response(f"{status} {_REASONS.get(status, '')}".rstrip(), headers)
        return [body]

    return app


def _respond(
    engine: Engine, settings: Settings, environ: WSGIEnvironment
) -> tuple[int, str, bytes]:
    text = "text/plain; charset=utf-8"
    try:
        return _answer(engine, settings, environ)
    except _HTTPError as exc:
        status, message = exc.status, str(exc)
    except QuerySyntaxError as exc:
        status, message = 400, str(exc)
    except QueryRefusedError as exc:
        status, message = 403, str(exc)
    except RowLimitError as exc:
        status, message = 422, str(exc)
    except QueryTimeoutError as exc:
        status, message = 503, str(exc)
    except KGError as exc:
        status, message = 500 if "worker" in str(exc) else 400, str(exc)
    return status, text, (" ".join(message.split()) + "\n").encode("utf-8")


def serve(
    engine: Engine,
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    settings: Settings | None = None,
    threads: int = 8,
    on_ready: Callable[[str], Any] | None = None,
) -> None:
    """Serve ``engine`` until interrupted; ``on_ready`` gets the endpoint URL first.

    ``port=0`` picks a free port. Blocks; stop it with Ctrl-C or SIGTERM.
    """
    from waitress.server import create_server

    server = create_server(
        make_app(engine, settings), host=host, port=port, threads=threads, ident="kg"
    )
    bound_host = getattr(server, "effective_host", host)
    bound_port = getattr(server, "effective_port", port)
    shown = f"[{bound_host}]" if ":" in str(bound_host) else bound_host
    if on_ready is not None:
        on_ready(f"http://{shown}:{bound_port}{ENDPOINT_PATH}")
    try:
        server.run()
    finally:
        server.close()
