"""``kg serve``: a read-only SPARQL 1.1 Protocol endpoint on a :class:`kg.store.sparql.Engine`.

A plain WSGI application (:func:`make_app`) served by waitress (a maintained, pure-Python,
multi-threaded WSGI server) with limits that idle or slow clients cannot exhaust. Each request
thread only reads the request (bounded in size) and hands the query to one of the engine's
worker processes, which checks, parses and runs it under the deadline. The status code is
decided only after the whole result exists: a timeout or a row cap is an error status, never a
truncated ``200``.

Status codes: 400 bad request or syntax error, 403 refused query (update, SERVICE, FROM) or a
Host header not allowed, 404 other paths, 405 other methods, 406 no acceptable format, 413
request too large, 415 a content type or charset the protocol does not allow, 422 row cap,
503 timeout, busy or lost worker (with ``Retry-After``).
"""

from __future__ import annotations

import logging
import resource
import socket
import sys
import time
import urllib.parse
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kg.model.errors import KGError
from kg.store.protocol import HTTPError, negotiate, read_request
from kg.store.sparql import (
    DEFAULT_MAX_QUERY_BYTES,
    DEFAULT_MAX_ROWS,
    DEFAULT_TIMEOUT,
    FORMATS,
    Engine,
    EngineBusyError,
    QueryRefusedError,
    QuerySyntaxError,
    QueryTimeoutError,
    QueryTooLargeError,
    RowLimitError,
    WorkerLostError,
    run_query,
    serialize,
)

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

__all__ = [
    "ENDPOINT_PATH",
    "Settings",
    "check_cors",
    "check_host",
    "make_app",
    "make_server",
    "negotiate",
    "serve",
]

ENDPOINT_PATH = "/sparql"
_PATHS = (ENDPOINT_PATH, ENDPOINT_PATH + "/")
_LOCAL_NAMES = frozenset({"127.0.0.1", "localhost", "::1", "[::1]", "localhost.localdomain"})
_LOG = logging.getLogger("kg.store.endpoint")

_REASONS = {
    200: "OK", 204: "No Content", 400: "Bad Request", 403: "Forbidden", 404: "Not Found",
    405: "Method Not Allowed", 406: "Not Acceptable", 413: "Content Too Large",
    415: "Unsupported Media Type", 422: "Unprocessable Content",
    500: "Internal Server Error", 503: "Service Unavailable",
}  # fmt: skip


def check_cors(origin: str) -> str:
    """``origin`` if it is ``*`` or a ``scheme://host[:port]`` origin, else :class:`KGError`.

    Example:
        >>> check_cors("https://example.org:8443")
        'https://example.org:8443'
    """
    if origin == "*":
        return origin
    parts = urllib.parse.urlsplit(origin)
    try:
        port_ok = parts.port is None or 0 < parts.port < 65536
    except ValueError:
        port_ok = False
    if (
        parts.scheme not in ("http", "https")
        or not parts.hostname
        or parts.path
        or parts.query
        or parts.fragment
        or parts.username
        or not port_ok
        or any(c.isspace() or ord(c) < 32 for c in origin)
    ):
        raise KGError(
            f"--cors {origin!r} is not an origin; give * or scheme://host[:port], "
            "e.g. https://example.org"
        )
    return origin


def check_host(host: str) -> str:
    """``host`` if it is an IP address or a host name a server can bind, else :class:`KGError`.

    Example:
        >>> check_host("127.0.0.1")
        '127.0.0.1'
    """
    import ipaddress
    import re

    try:
        ipaddress.ip_address(host.strip("[]"))
        return host.strip("[]")
    except ValueError:
        pass
    label = r"(?!-)[A-Za-z0-9-]{1,63}(?<!-)"
    if len(host) > 253 or not re.fullmatch(rf"{label}(\.{label})*\.?", host):
        raise KGError(
            f"--host {host!r} is neither an IP address nor a host name; "
            "give e.g. 127.0.0.1 (this machine only) or ::1"
        )
    if re.fullmatch(r"[0-9.]+", host):
        raise KGError(f"--host {host!r} is not a valid IPv4 address; give e.g. 127.0.0.1")
    return host


@dataclass(frozen=True)
class Settings:
    """How the endpoint answers.

    ``timeout`` and ``max_rows`` bound each query; ``wait`` is how long a query may wait for
    a free worker (then 503); ``cors`` is the ``Access-Control-Allow-Origin`` value; ``hosts``
    the ``Host`` header names accepted besides the local ones (``*``: any);
    ``max_query_bytes`` the longest query; ``base_iri`` what relative IRIs resolve against.
    """

    timeout: float = DEFAULT_TIMEOUT
    max_rows: int = DEFAULT_MAX_ROWS
    cors: str | None = None
    wait: float | None = None
    hosts: tuple[str, ...] = ()
    max_query_bytes: int = DEFAULT_MAX_QUERY_BYTES
    base_iri: str | None = None

    def __post_init__(self) -> None:
        if self.cors is not None:
            check_cors(self.cors)

    @property
    def max_body(self) -> int:
        """The largest request body accepted (a form-encoded query at most triples in size)."""
        return 3 * self.max_query_bytes + 4096


def _host_allowed(environ: WSGIEnvironment, settings: Settings) -> bool:
    header = environ.get("HTTP_HOST")
    if not header or "*" in settings.hosts:
        return True
    name = urllib.parse.urlsplit(f"//{header}").hostname or ""
    return name in _LOCAL_NAMES or name in {h.lower() for h in settings.hosts}


def _answer(engine: Engine, settings: Settings, environ: WSGIEnvironment) -> tuple[int, str, bytes]:
    """The status, content type and body for one request (never sent half-done)."""
    if not _host_allowed(environ, settings):
        raise HTTPError(
            403,
            f"Host {environ.get('HTTP_HOST')!r} is not allowed (DNS rebinding protection); "
            "use http://127.0.0.1 or start kg serve with --allow-host NAME",
        )
    if environ.get("PATH_INFO", "") not in _PATHS:
        raise HTTPError(404, f"not found; the SPARQL endpoint is {ENDPOINT_PATH}")
    request = read_request(environ, max_body=settings.max_body)
    base = settings.base_iri or (
        f"{environ.get('wsgi.url_scheme', 'http')}://127.0.0.1:{environ.get('SERVER_PORT', '80')}"
        f"{ENDPOINT_PATH}"
    )
    result = run_query(
        engine,
        request.query,
        timeout=settings.timeout,
        max_rows=settings.max_rows,
        base_iri=base,
        default_graphs=request.default_graphs,
        named_graphs=request.named_graphs,
        wait=settings.wait,
        max_query_bytes=settings.max_query_bytes,
    )
    fmt = negotiate(environ.get("HTTP_ACCEPT", ""), result.form, request.requested_format)
    if fmt is None:
        raise HTTPError(406, "no acceptable result format for this query; accept */*")
    return 200, FORMATS[fmt][0], serialize(result, fmt, prefixes=engine.prefixes)


_STATUS = (
    (HTTPError, 0),
    (QuerySyntaxError, 400),
    (QueryRefusedError, 403),
    (QueryTooLargeError, 413),
    (RowLimitError, 422),
    (QueryTimeoutError, 503),
    (EngineBusyError, 503),
    (WorkerLostError, 503),
)


def _respond(
    engine: Engine, settings: Settings, environ: WSGIEnvironment
) -> tuple[int, str, bytes, tuple[tuple[str, str], ...]]:
    text = "text/plain; charset=utf-8"
    extra: tuple[tuple[str, str], ...] = ()
    try:
        answer = _answer(engine, settings, environ)
    except (HTTPError, KGError) as exc:
        status = next((code for kind, code in _STATUS if isinstance(exc, kind)), 500)
        if isinstance(exc, HTTPError):
            status, extra = exc.status, exc.headers
        message = str(exc)
    else:
        return (*answer, ())
    if status == 503:
        extra = (*extra, ("Retry-After", "1"))
    return status, text, (" ".join(message.split()) + "\n").encode("utf-8"), extra


def make_app(engine: Engine, settings: Settings | None = None) -> WSGIApplication:
    """The WSGI application of the endpoint (served at :data:`ENDPOINT_PATH`, with or
    without a trailing slash).

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
        started = time.monotonic()
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
        status, media, body, extra = _respond(engine, settings, environ)
        headers += [("Content-Type", media), ("Content-Length", str(len(body))), *extra]
        start_response(f"{status} {_REASONS.get(status, '')}".rstrip(), headers)
        if status >= 500:
            _LOG.warning(
                "%s %s %d in %.0f ms: %s",
                environ["REQUEST_METHOD"],
                environ.get("PATH_INFO", ""),
                status,
                1000 * (time.monotonic() - started),
                body.decode("utf-8", "replace").strip()[:200],
            )
        return [body]

    return app


def _connection_limit(wanted: int) -> int:
    """``wanted`` connections, within this process's file limit (raised to its maximum)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
        soft = hard
    return max(16, min(wanted, (soft if soft != resource.RLIM_INFINITY else wanted + 64) - 64))


def _listen(host: str, port: int) -> socket.socket:
    """A listening TCP socket on ``host``:``port`` (closed again if binding fails)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    family, kind, proto, _, address = infos[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(1024)
    except BaseException:
        sock.close()
        raise
    return sock


def make_server(
    engine: Engine,
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    settings: Settings | None = None,
    threads: int = 8,
    connection_limit: int = 1000,
    channel_timeout: float = 20.0,
) -> Any:
    """A waitress server for the endpoint (call ``.run()``; ``.close()`` to stop).

    Idle connections are closed after ``channel_timeout`` seconds and up to
    ``connection_limit`` may be open at once, so idle or slow clients cannot lock others out;
    request headers and bodies are capped by waitress before anything is buffered.
    """
    from waitress.server import create_server

    settings = settings or Settings()
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)  # one line per request at most
    sock = _listen(check_host(host), port)
    try:
        return create_server(
            make_app(engine, settings),
            sockets=[sock],
            threads=threads,
            ident="kg",
            connection_limit=_connection_limit(connection_limit),
            channel_timeout=channel_timeout,
            cleanup_interval=max(1, int(channel_timeout // 4)),
            max_request_body_size=settings.max_body,
            max_request_header_size=settings.max_body + 16384,
            expose_tracebacks=False,
        )
    except BaseException:
        sock.close()
        raise


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
    if not logging.getLogger().handlers:
        logging.basicConfig(
            stream=sys.stderr, level=logging.WARNING, format="kg serve: %(message)s"
        )
    server = make_server(engine, host=host, port=port, settings=settings, threads=threads)
    bound_host, bound_port = server.socket.getsockname()[:2]
    shown = f"[{bound_host}]" if ":" in str(bound_host) else bound_host
    if on_ready is not None:
        on_ready(f"http://{shown}:{bound_port}{ENDPOINT_PATH}")
    try:
        server.run()
    finally:
        server.close()
