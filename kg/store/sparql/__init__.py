"""Run SPARQL queries on the kg graph safely, the named queries, and pushing the graph out.

How a query runs (``kg sparql``, ``kg serve``):

1. :func:`check_query` refuses what must never be evaluated, *before* evaluation: updates
   (``INSERT``, ``DELETE``, ``LOAD`` ...), ``SERVICE`` (a call to another endpoint) and
   ``FROM`` / ``FROM NAMED`` (a dataset chosen by the query). It tokenises the query the way
   the SPARQL grammar does (so comments, strings and IRIs cannot hide or fake a keyword; the
   check is conservative where the grammar is ambiguous) and then walks rdflib's parse tree as
   a second opinion.
2. An :class:`Engine` keeps the graph in Oxigraph inside worker *processes*. A query that
   passes its deadline gets its worker killed (``SIGKILL``) and replaced, so a runaway query
   stops burning CPU at once; rdflib has no query timeout, and Oxigraph cannot be cancelled
   from Python.
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
