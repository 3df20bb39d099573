"""Run SPARQL queries on the kg graph safely, the named queries, and pushing the graph out.

How a query runs (``kg sparql``, ``kg serve``), all inside a worker process and its deadline:

1. :func:`check_query` refuses what must never be evaluated, *before* evaluation: updates
   (``INSERT``, ``DELETE``, ``LOAD`` ...), ``SERVICE`` (a call to another endpoint) and
   ``FROM`` / ``FROM NAMED`` (a dataset chosen by the query, unless the protocol request names
   the dataset, which then replaces it), and brackets nested too deeply for the parser. It
   tokenises the query the way the SPARQL grammar does (so comments, strings and IRIs cannot
   hide or fake a keyword; the check is conservative where the grammar is ambiguous).
2. An :class:`Engine` keeps the graph in Oxigraph inside worker *processes*
   (:mod:`kg.store.sparql.worker`) that cannot open a socket (seccomp; ``SERVICE`` fails even
   if the check missed it) and have a memory limit. Oxigraph parses the query once. A query
   that passes its deadline gets its worker killed (``SIGKILL``) and replaced, so a runaway
   query stops burning CPU at once; a worker that dies is replaced too, and the pool never
   shrinks (:class:`WorkerLostError`, :class:`EngineBusyError`: try again).
3. Rows past ``max_rows`` stop the query (:class:`RowLimitError`); results are written in the
   standard SPARQL 1.1 formats by :func:`serialize`.

Exit codes: syntax error 3, refused query 4, timeout 5, row limit 6, endpoint error 7.
"""

from __future__ import annotations

# The library lives in the submodules (check, named, results, engine, store); the public
# names are re-exported here so that `from kg.store.sparql import run_query` works.
from kg.store.sparql.check import (
    EndpointError,
    QueryRefusedError,
    QuerySyntaxError,
    QueryTimeoutError,
    RowLimitError,
    bind_params,
    check_query,
)
from kg.store.sparql.engine import (
    DEFAULT_MAX_QUERY_BYTES,
    DEFAULT_MAX_ROWS,
    DEFAULT_MEMORY_MB,
    DEFAULT_TIMEOUT,
    MAX_TIMEOUT,
    Engine,
    EngineBusyError,
    QueryTooLargeError,
    WorkerLostError,
    run_query,
)
from kg.store.sparql.named import NamedQuery, named_queries, named_query
from kg.store.sparql.results import FORMATS, Result, media_type, serialize
from kg.store.sparql.store import load_store, push

__all__ = [
    "DEFAULT_MAX_QUERY_BYTES",
    "DEFAULT_MAX_ROWS",
    "DEFAULT_MEMORY_MB",
    "DEFAULT_TIMEOUT",
    "FORMATS",
    "MAX_TIMEOUT",
    "EndpointError",
    "Engine",
    "EngineBusyError",
    "NamedQuery",
    "QueryRefusedError",
    "QuerySyntaxError",
    "QueryTimeoutError",
    "QueryTooLargeError",
    "Result",
    "RowLimitError",
    "WorkerLostError",
    "bind_params",
    "check_query",
    "load_store",
    "media_type",
    "named_queries",
    "named_query",
    "push",
    "run_query",
    "serialize",
]
