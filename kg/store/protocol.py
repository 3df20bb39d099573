"""Reading one SPARQL 1.1 Protocol request: the query, its dataset, the format asked for.

Pure functions over a WSGI environ, used by :mod:`kg.store.endpoint`; every problem is an
:class:`HTTPError` with the status the protocol asks for and a message that says what to do.
"""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIEnvironment

__all__ = ["HTTPError", "ProtocolRequest", "negotiate", "read_request"]

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


class HTTPError(Exception):
    """A request the endpoint answers with an error ``status`` (and extra ``headers``)."""

    def __init__(self, status: int, message: str, headers: tuple[tuple[str, str], ...] = ()):
        super().__init__(message)
        self.status = status
        self.headers = headers


@dataclass(frozen=True)
class ProtocolRequest:
    """What a protocol request asks: the query, its dataset and a format parameter."""

    query: str
    default_graphs: tuple[str, ...] | None
    named_graphs: tuple[str, ...] | None
    requested_format: str | None


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


def _decode(data: bytes, what: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise HTTPError(400, f"{what} is not UTF-8 (byte {exc.start}); send UTF-8 text") from None


def _form(text: str, what: str) -> dict[str, list[str]]:
    try:
        return urllib.parse.parse_qs(
            text, keep_blank_values=True, strict_parsing=False, errors="strict"
        )
    except UnicodeDecodeError:
        raise HTTPError(400, f"{what} is not UTF-8 once percent-decoded; send UTF-8") from None


def _iris(values: list[str], name: str) -> tuple[str, ...] | None:
    if not values:
        return None
    import pyoxigraph as ox

    for value in values:
        scheme = urllib.parse.urlsplit(value).scheme
        try:
            ox.NamedNode(value)
        except ValueError:
            scheme = ""
        if not scheme:
            raise HTTPError(400, f"{name}={value!r} is not an absolute IRI; give the graph's IRI")
    return tuple(dict.fromkeys(values))


def _body(environ: WSGIEnvironment, max_body: int) -> bytes:
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        raise HTTPError(400, "Content-Length is not a number") from None
    if length > max_body:
        raise HTTPError(413, f"request body over {max_body} bytes; shorten the query")
    data: bytes = environ["wsgi.input"].read(length) if length > 0 else b""
    return data


def read_request(environ: WSGIEnvironment, *, max_body: int) -> ProtocolRequest:
    """The query and dataset of one GET or POST request (SPARQL 1.1 Protocol, section 2.1).

    Raises:
        HTTPError: 400 (malformed), 403 (an update), 405 (another method), 413 (too large),
            415 (a content type or charset the protocol does not allow).
    """
    method = environ["REQUEST_METHOD"]
    if method not in ("GET", "POST"):
        raise HTTPError(405, "use GET or POST", (("Allow", "GET, POST, OPTIONS"),))
    raw_qs = environ.get("QUERY_STRING", "")
    params = _form(_decode(raw_qs.encode("latin-1", "replace"), "the query string"), "the URL")
    body: str | None = None
    if method == "POST":
        ctype_header = environ.get("CONTENT_TYPE") or ""
        ctype, _, rest = ctype_header.partition(";")
        ctype = ctype.strip().lower()
        charset = next(
            (
                p.split("=", 1)[1].strip().strip('"').lower()
                for p in rest.split(";")
                if p.strip().lower().startswith("charset=")
            ),
            "utf-8",
        )
        if ctype == "application/sparql-update" or (
            ctype == "application/x-www-form-urlencoded" and "update" in params
        ):
            raise HTTPError(403, "SPARQL updates are refused: this endpoint is read-only")
        if ctype not in ("application/x-www-form-urlencoded", "application/sparql-query"):
            shown = ctype or "none"
            raise HTTPError(
                415 if ctype else 400,
                f"POST a query as application/x-www-form-urlencoded (query=...) or "
                f"application/sparql-query, not {shown}",
            )
        if charset not in ("utf-8", "utf8"):
            raise HTTPError(415, f"charset {charset} is not allowed; send the query as UTF-8")
        data = _body(environ, max_body)
        if ctype == "application/x-www-form-urlencoded":
            for key, values in _form(_decode(data, "the form"), "the form").items():
                params.setdefault(key, []).extend(values)
        else:
            body = _decode(data, "the query")
    if "update" in params:
        raise HTTPError(403, "SPARQL updates are refused: this endpoint is read-only")
    queries = params.get("query", []) + ([body] if body is not None else [])
    if len(queries) != 1 or not queries[0].strip():
        raise HTTPError(400, "give exactly one query (a query= parameter or a sparql-query body)")
    requested = next(iter(params.get("format", []) + params.get("output", [])), None)
    return ProtocolRequest(
        queries[0],
        _iris(params.get("default-graph-uri", []), "default-graph-uri"),
        _iris(params.get("named-graph-uri", []), "named-graph-uri"),
        requested,
    )
