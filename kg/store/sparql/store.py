"""Persistent Oxigraph stores, and pushing the graph to other SPARQL servers."""

from __future__ import annotations

import http.client
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Sequence
from pathlib import Path

import pyoxigraph as ox

from kg.model.errors import KGError, NotFoundError
from kg.store.sparql.check import EndpointError

_CURRENT = re.compile(r"MANIFEST-\d+\n")


def check_store_dir(path: Path) -> None:
    """Refuse a ``--store`` that is neither new, empty, nor an Oxigraph store, before
    RocksDB writes anything into it.

    Example:
        >>> check_store_dir(Path("/nonexistent/new-store"))
    """
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise KGError(f"{path}: not a directory; give a directory for the Oxigraph store")
    if not path.is_dir() or not any(path.iterdir()):
        return
    try:
        current = (path / "CURRENT").read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError):
        current = ""
    if not _CURRENT.fullmatch(current) or not (path / current.strip()).is_file():
        raise KGError(
            f"{path}: not an Oxigraph store, or a damaged one; give an empty or new directory "
            "(kg fills it), or delete this one"
        )


def load_store(path: Path, files: Sequence[Path] | None = None, *, reload: bool = False) -> int:
    """Create (or with ``reload``, refill) a persistent Oxigraph store at ``path``.

    The graph (default: shipped data + ontology) is loaded only when the store is empty or
    ``reload`` is set; afterwards queries open the store read-only without parsing anything.

    Returns:
        The number of triples in the store.

    Example:
        >>> import tempfile
        >>> from kg.model import shipped
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     load_store(Path(tmp) / "store", [shipped.ontology_file()]) > 100
        True
    """
    from kg.model import shipped

    if files is None:
        files = [*shipped.data_files(), shipped.ontology_file()]
    for file in files:
        if not Path(file).is_file():
            raise NotFoundError(f"{file}: no such file")
    check_store_dir(path)
    try:
        store = ox.Store(str(path))
        if reload:
            store.clear()
        if reload or len(store) == 0:
            for file in files:
                store.bulk_load(path=str(file), format=ox.RdfFormat.TURTLE)
            store.flush()
        count = len(store)
    except (OSError, SyntaxError, ValueError, RuntimeError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise KGError(
            f"{path}: cannot build the Oxigraph store: {first}; give an empty directory or one "
            "made by kg (or --reload)"
        ) from None
    del store  # release the write lock before workers open the store read-only
    return count


def _ntriples(files: Sequence[Path], store: Path | None) -> bytes:
    try:
        graph = ox.Store.read_only(str(store)) if store is not None else ox.Store()
        if store is None:
            for file in files:
                graph.bulk_load(path=str(file), format=ox.RdfFormat.TURTLE)
        data = graph.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    except (OSError, SyntaxError, ValueError, RuntimeError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise KGError(f"cannot read the graph: {first}") from None
    assert data is not None
    return data


def push(
    files: Sequence[Path] | None,
    endpoint: str,
    *,
    store: Path | None = None,
    graph: str | None = None,
    replace: bool = True,
    timeout: float = 60.0,
) -> int:
    """Load the graph into a SPARQL 1.1 Graph Store Protocol endpoint.

    Args:
        files: Turtle files (default: shipped data + ontology); ignored when ``store`` is set.
        endpoint: the server's graph store URL, e.g. ``http://127.0.0.1:7878/store`` for
            Oxigraph or ``http://127.0.0.1:3030/ds/data`` for Fuseki.
        store: read the graph from this persistent Oxigraph store instead.
        graph: target named graph IRI (default: the default graph).
        replace: PUT (replace the graph) rather than POST (add to it).
        timeout: seconds to wait for the server.

    Returns:
        The number of triples sent.

    Raises:
        EndpointError: the server cannot be reached or answers with an error status.

    Example:
        >>> push(None, "ftp://example.org/store")
        Traceback (most recent call last):
        ...
        kg.store.sparql.check.EndpointError: ftp://example.org/store: not an http(s) URL
    """
    from kg.model import shipped

    try:
        parts = urllib.parse.urlsplit(endpoint)
        valid_port = parts.port != 0
    except ValueError:
        valid_port = False
    if not valid_port:
        raise EndpointError(f"{endpoint}: not a valid URL (check the host and port)")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise EndpointError(f"{endpoint}: not an http(s) URL")
    if files is None and store is None:
        files = [*shipped.data_files(), shipped.ontology_file()]
    body = _ntriples(list(files or []), store)
    target = urllib.parse.quote(graph, safe="") if graph else None
    query = f"graph={target}" if target else "default"
    url = urllib.parse.urlunsplit(
        (parts.scheme, parts.netloc, parts.path, f"{parts.query}&{query}".lstrip("&"), "")
    )
    request = urllib.request.Request(  # noqa: S310 - scheme checked above
        url,
        data=body,
        method="PUT" if replace else "POST",
        headers={"Content-Type": "application/n-triples"},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            response.read()
    except urllib.error.HTTPError as exc:
        detail = " ".join(exc.read(300).decode("utf-8", "replace").split())
        raise EndpointError(f"{endpoint}: {exc.code} {exc.reason}: {detail}".rstrip(": ")) from None
    except (urllib.error.URLError, OSError, http.client.HTTPException, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        raise EndpointError(f"{endpoint}: cannot reach the server ({reason})") from None
    return body.count(b"\n")
