"""A SPARQL 1.1 Protocol client for a remote store that holds kg's graph.

Every request has a timeout (and, with a deadline, never runs past it); TLS certificates are
verified (Python's default context: the system store, or ``SSL_CERT_FILE``); extra headers
(``Authorization: ...``) and netrc entries (``$NETRC`` or ``~/.netrc``; Basic or Digest) are
sent. Whatever goes wrong becomes one :class:`EndpointError` line naming the URL: the server
is down or refuses, it is slow, the URL is wrong (404), the answer is not SPARQL, the graph
holds no kg assertions, or its data changed while kg was reading it.
"""

from __future__ import annotations

import json
import netrc
import os
import socket
import ssl
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.model.errors import UsageError
from kg.model.vocab import KG
from kg.store.sparql.check import EndpointError

if TYPE_CHECKING:
    from kg.store.remote_cache import ResponseCache

__all__ = [
    "Client",
    "Endpoint",
    "RowCapError",
    "SlowError",
    "digest_signer",
    "netrc_opener",
    "parse_header",
]

RESULTS_JSON = "application/sparql-results+json"
_KG = str(KG._NS)
_NTRIPLES = "application/n-triples"
_GRAPH_TYPES = {
    "application/n-triples": "nt",
    "text/plain": "nt",
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
}


class RowCapError(EndpointError):
    """The server refused an answer as too large (``kg serve``'s row cap, HTTP 422)."""


class SlowError(EndpointError):
    """The server did not answer within the request timeout."""


def parse_header(text: str) -> tuple[str, str]:
    """``"Name: value"`` as a pair.

    Example:
        >>> parse_header("Authorization: Bearer abc")
        ('Authorization', 'Bearer abc')
    """
    name, sep, value = text.partition(":")
    if not sep or not name.strip() or any(c.isspace() for c in name.strip()):
        raise UsageError(f"--header {text!r}: expected 'Name: value'")
    return name.strip(), value.strip()


@dataclass(frozen=True)
class Endpoint:
    """Where the graph is: a query URL, an optional named graph, headers, a timeout, and
    whether answers are cached on disk (:mod:`kg.store.remote_cache`)."""

    url: str
    graph: str | None = None
    headers: tuple[tuple[str, str], ...] = ()
    timeout: float = 30.0
    cache: bool = False

    def __post_init__(self) -> None:
        parts = urllib.parse.urlsplit(self.url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise EndpointError(f"{self.url}: not an http(s) URL")

    @property
    def where(self) -> str:
        """The endpoint (and graph) as messages name it."""
        return f"{self.url} (graph <{self.graph}>)" if self.graph else self.url


def netrc_entry(url: str) -> tuple[str, str] | None:
    """The login and password netrc (``$NETRC`` or ``~/.netrc``) holds for the URL's host."""
    path = Path(os.environ.get("NETRC") or Path.home() / ".netrc")
    host = urllib.parse.urlsplit(url).hostname or ""
    if not path.is_file():
        return None
    try:
        entry = netrc.netrc(str(path)).authenticators(host)
    except (netrc.NetrcParseError, OSError) as exc:
        raise EndpointError(f"{path}: cannot read the netrc file ({exc})") from None
    return (entry[0], entry[2] or "") if entry is not None else None


def digest_signer(url: str) -> Callable[[urllib.request.Request], None] | None:
    """For a server that wants HTTP Digest and has a netrc entry: a function that signs each
    request before it is sent, so a large body is not sent once unauthenticated first (the
    server would close the connection before reading it). None when no Digest is asked."""
    entry = netrc_entry(url)
    if entry is None:
        return None
    probe = urllib.request.Request(  # noqa: S310 - the caller checked the scheme
        url, data=b"", method="POST", headers={"Content-Type": "application/n-triples"}
    )
    try:
        with urllib.request.urlopen(probe, timeout=30):  # noqa: S310
            return None
    except urllib.error.HTTPError as exc:
        status, challenge = exc.code, exc.headers.get("WWW-Authenticate", "")
    except (urllib.error.URLError, OSError):
        return None  # the real request will say what is wrong
    scheme, _, params = challenge.partition(" ")
    if status != 401 or scheme.lower() != "digest":
        return None
    passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
    passwords.add_password(None, url, *entry)
    handler = urllib.request.HTTPDigestAuthHandler(passwords)
    fields = urllib.request.parse_keqv_list(urllib.request.parse_http_list(params))

    def sign(request: urllib.request.Request) -> None:
        authorization = handler.get_authorization(request, fields)
        if authorization:
            request.add_unredirected_header("Authorization", f"Digest {authorization}")

    return sign


def netrc_opener(url: str) -> urllib.request.OpenerDirector:
    """An opener with TLS verification on and, if netrc has the host, its credentials."""
    handlers: list[urllib.request.BaseHandler] = [
        urllib.request.HTTPSHandler(context=ssl.create_default_context())
    ]
    entry = netrc_entry(url)
    if entry is not None:
        passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        passwords.add_password(None, url, *entry)
        handlers += [
            urllib.request.HTTPDigestAuthHandler(passwords),
            urllib.request.HTTPBasicAuthHandler(passwords),
        ]
    return urllib.request.build_opener(*handlers)


@dataclass
class Client:
    """Sends queries to one :class:`Endpoint` and counts them.

    ``deadline`` (a ``time.monotonic()`` value) bounds all requests together: each waits at
    most ``endpoint.timeout`` seconds and never past the deadline. With ``endpoint.cache`` an
    answer stored at the store's current fingerprint is not asked again (``requests`` counts
    only what is sent), and :meth:`settle` saves what was read.

    Example:
        >>> Client(Endpoint("ftp://example.org/sparql"))
        Traceback (most recent call last):
        ...
        kg.store.sparql.check.EndpointError: ftp://example.org/sparql: not an http(s) URL
    """

    endpoint: Endpoint
    deadline: float | None = None
    requests: int = 0
    cache: ResponseCache | None = field(default=None, repr=False)
    _opener: Any = field(default=None, repr=False)
    _fingerprint: tuple[int, ...] | None = field(default=None, repr=False)
    _lock: threading.RLock = field(default_factory=threading.RLock, repr=False)

    def __post_init__(self) -> None:
        if isinstance(self.endpoint, str):  # a URL is accepted for convenience
            self.endpoint = Endpoint(self.endpoint)
        Endpoint.__post_init__(self.endpoint)
        if self.endpoint.cache and self.cache is None:
            from kg.store.remote_cache import ResponseCache

            self.cache = ResponseCache.open(self.endpoint.url, self.endpoint.graph)

    def _timeout(self) -> float:
        timeout = self.endpoint.timeout
        if self.deadline is not None:
            left = self.deadline - time.monotonic()
            if left <= 0:
                raise self._limit()
            timeout = min(timeout, left)
        return timeout

    def _limit(self) -> EndpointError:
        return EndpointError(
            f"{self.endpoint.where}: stopped at the time limit while reading the graph "
            "(raise --time-limit)"
        )

    def counts(self, *, triples: bool = False) -> tuple[int, ...]:
        """How many kg assertions and evidence nodes (and with ``triples``, triples) the store
        holds, asked of the server (never of the cache)."""
        # each count its own inner variable: Virtuoso 7.2 mixes up subqueries that share one
        parts = [("n", "a", f"?a a <{_KG}Assertion>"), ("m", "e", f"?e a <{_KG}Evidence>")]
        parts += [("t", "s", "?s ?p ?o")] if triples else []
        inner = " ".join(f"{{ SELECT (COUNT(?{x}) AS ?{v}) {{ {p} }} }}" for v, x, p in parts)
        projected = " ".join(f"?{v}" for v, _, _ in parts)
        rows = self.select(f"SELECT {projected} {{ {inner} }}", fresh=True)
        try:
            return tuple(int(rows[0][v]) for v, _, _ in parts)
        except (IndexError, KeyError, ValueError):
            raise EndpointError(
                f"{self.endpoint.where}: the answer to a count is not a count"
            ) from None

    def fingerprint(self) -> tuple[int, ...]:
        """The store's assertion, evidence and triple counts when this client first asked
        (with a cache: what its answers are stored under)."""
        with self._lock:  # batches may be sent from several threads
            if self._fingerprint is None:
                self._fingerprint = self.counts(triples=True)
                if self.cache is not None:
                    self.cache.start(" ".join(map(str, self._fingerprint)))
            return self._fingerprint

    def changed(self) -> EndpointError:
        """The error for a store whose data changed while kg read it."""
        return EndpointError(
            f"{self.endpoint.where}: the data changed while kg was reading it (assertion or "
            "evidence counts differ); run the command again"
        )

    def settle(self) -> None:
        """With a cache: when answers were read from the server since the last call, check
        that the fingerprint is unchanged and save them.

        Raises:
            EndpointError: the data changed meanwhile (nothing read since is saved).
        """
        if self.cache is None or not self.cache.pending:
            return
        if self.counts(triples=True) != self.fingerprint():
            raise self.changed()
        self.cache.save()

    def send(self, query: str, accept: str, *, fresh: bool = False) -> tuple[str, bytes]:
        """POST one query (unless the cache has its answer and ``fresh`` is off); the
        answer's media type and body. Errors are one line."""
        cache = None if fresh else self.cache
        if cache is not None:
            self.fingerprint()
            with self._lock:
                hit = cache.get(accept, query)
            if hit is not None:
                return hit
        media, body = self._post(query, accept)
        if cache is not None:
            with self._lock:
                cache.put(accept, query, media, body)
        return media, body

    def _post(self, query: str, accept: str) -> tuple[str, bytes]:
        ep = self.endpoint
        with self._lock:
            if self._opener is None:
                self._opener = netrc_opener(ep.url)
        params = [("query", query)] + ([("default-graph-uri", ep.graph)] if ep.graph else [])
        request = urllib.request.Request(  # noqa: S310 - scheme checked in Endpoint
            ep.url,
            data=urllib.parse.urlencode(params).encode(),
            headers={
                "Accept": accept,
                "Content-Type": "application/x-www-form-urlencoded",
                "User-Agent": "kg",
                **dict(ep.headers),
            },
        )
        timeout = self._timeout()
        with self._lock:
            self.requests += 1
        try:
            with self._opener.open(request, timeout=timeout) as response:
                media = response.headers.get_content_type()
                return media, response.read()
        except urllib.error.HTTPError as exc:
            raise _http_error(ep, exc) from None
        except TimeoutError:
            if timeout < self.endpoint.timeout:  # the deadline, not the server, cut it
                raise self._limit() from None
            raise SlowError(
                f"{ep.where}: no answer within {timeout:g} s (the server is slow or hung; "
                "raise --endpoint-timeout)"
            ) from None
        except urllib.error.URLError as exc:
            raise _reach_error(ep, exc.reason) from None
        except (ConnectionError, OSError) as exc:
            raise _reach_error(ep, exc) from None

    def select(self, query: str, *, fresh: bool = False) -> list[dict[str, str]]:
        """Rows of a SELECT as plain ``{variable: value}`` dicts (unbound variables left out)."""
        data = self._results(query, fresh=fresh)
        rows = data.get("results", {}).get("bindings")
        if not isinstance(rows, list):
            raise EndpointError(f"{self.endpoint.where}: the answer is not SPARQL results")
        return [{k: str(v.get("value", "")) for k, v in row.items()} for row in rows]

    def ask(self, query: str) -> bool:
        """The boolean of an ASK."""
        answer = self._results(query).get("boolean")
        if not isinstance(answer, bool):
            raise EndpointError(f"{self.endpoint.where}: the answer is not a SPARQL ASK result")
        return answer

    def _results(self, query: str, *, fresh: bool = False) -> dict[str, Any]:
        media, body = self.send(query, RESULTS_JSON, fresh=fresh)
        try:
            data = json.loads(body)
        except (UnicodeDecodeError, json.JSONDecodeError):
            data = None
        if not isinstance(data, dict) or not ("results" in data or "boolean" in data):
            raise EndpointError(
                f"{self.endpoint.where}: the answer is not SPARQL results ({media}, "
                f"{len(body)} bytes): is this a SPARQL query endpoint?"
            )
        return data

    def construct(self, query: str) -> tuple[str, bytes]:
        """A CONSTRUCT answer as (rdflib format name, body)."""
        media, body = self.send(query, f"{_NTRIPLES}, text/turtle;q=0.9")
        fmt = _GRAPH_TYPES.get(media)
        if fmt is None:
            raise EndpointError(
                f"{self.endpoint.where}: the answer is not RDF ({media}): is this a SPARQL "
                "query endpoint?"
            )
        return fmt, body


def _http_error(ep: Endpoint, exc: urllib.error.HTTPError) -> EndpointError:
    text = exc.read(2000).decode("utf-8", "replace").strip()
    detail = " ".join(text.splitlines()[0].split())[:240] if text else ""
    if detail.lower().startswith(("<!doctype", "<html", "<?xml")):
        detail = ""  # an HTML error page says nothing a line can hold
    if exc.code == 404:
        return EndpointError(
            f"{ep.where}: 404 Not Found: is this the SPARQL query URL? (Oxigraph: /query, "
            "Virtuoso and kg serve: /sparql)"
        )
    if exc.code in (401, 403):
        return EndpointError(
            f"{ep.where}: {exc.code} {exc.reason}: the server wants credentials "
            "(--header 'Authorization: ...' or a netrc entry)" + (f": {detail}" if detail else "")
        )
    error = RowCapError if exc.code == 422 else EndpointError
    return error(f"{ep.where}: {exc.code} {exc.reason}" + (f": {detail}" if detail else ""))


def _reach_error(ep: Endpoint, reason: object) -> EndpointError:
    if isinstance(reason, ConnectionRefusedError):
        return EndpointError(f"{ep.where}: connection refused (is the server running?)")
    if isinstance(reason, TimeoutError | socket.timeout):
        return EndpointError(f"{ep.where}: no answer in time (the server is slow or hung)")
    if isinstance(reason, ssl.SSLCertVerificationError):
        return EndpointError(
            f"{ep.where}: TLS certificate not trusted ({reason.verify_message}); "
            "set SSL_CERT_FILE to the CA bundle that signed it"
        )
    if isinstance(reason, socket.gaierror):
        return EndpointError(f"{ep.where}: unknown host (is the URL right?)")
    text = str(getattr(reason, "strerror", None) or reason)
    return EndpointError(f"{ep.where}: cannot reach the server ({text})")
