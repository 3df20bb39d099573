"""Queries to a remote store, built and paged so that no result cap loses rows: ``VALUES``
batches split in halves when the server refuses one as too large, sorted pages for the
unbounded lists, and ``kg sparql --endpoint`` (:func:`run_remote`), which reads the answer
back into kg's own :class:`~kg.store.sparql.results.Result` so every format prints as for
the embedded graph.
"""

from __future__ import annotations

import dataclasses
import urllib.parse
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

from kg.store.remote import RESULTS_JSON, Client, Endpoint, RowCapError, SlowError
from kg.store.sparql.check import EndpointError

if TYPE_CHECKING:
    from kg.store.sparql.results import Result

__all__ = [
    "PARALLEL",
    "batches",
    "prefixed",
    "run_remote",
    "select_all",
    "select_batched",
    "select_each",
    "values",
]


def values(variable: str, iris: Iterable[str]) -> str:
    """A one-variable ``VALUES`` clause of IRIs.

    Example:
        >>> values("s", ["https://w3id.org/kg-ivd/entity/PTEN"])
        'VALUES ?s { <https://w3id.org/kg-ivd/entity/PTEN> }'
    """
    return f"VALUES ?{variable} {{ {' '.join(f'<{_iri_text(i)}>' for i in iris)} }}"


def _iri_text(iri: str) -> str:
    bad = set('<>"{}|^`\\ ')
    if any(c in bad or ord(c) < 0x21 for c in iri):
        return urllib.parse.quote(iri, safe=":/#?&=%@!$'()*+,;~-._")
    return iri


def batches(items: Sequence[str], size: int) -> Iterable[Sequence[str]]:
    """``items`` in consecutive slices of at most ``size``."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


#: How many batches of one query are in flight at once.
PARALLEL = 4


def select_batched(
    client: Client, template: str, variable: str, iris: Sequence[str], *, size: int = 150
) -> list[dict[str, str]]:
    """Run ``template`` (holding the text ``{values}``) once per batch of ``iris``, up to
    :data:`PARALLEL` batches at a time (the rows come in the same order either way); a batch
    the server refuses as too large is split in halves until it fits."""

    def run(batch: Sequence[str]) -> list[dict[str, str]]:
        try:
            return client.select(template.replace("{values}", values(variable, batch)))
        except RowCapError:
            if len(batch) == 1:
                raise
            middle = len(batch) // 2
            return run(batch[middle:]) + run(batch[:middle])

    work = list(batches(sorted(iris), size))[::-1]
    if len(work) < 2:
        return [row for batch in work for row in run(batch)]
    with ThreadPoolExecutor(max_workers=min(PARALLEL, len(work))) as pool:
        return [row for rows in pool.map(run, work) for row in rows]


def select_all(
    client: Client, query: str, order: str, *, page: int = 10_000
) -> list[dict[str, str]]:
    """All rows of ``query``: one request when they are fewer than ``page``, else sorted
    pages (``ORDER BY order``) of ``page`` rows.

    A server that caps answers below ``page`` rows without saying so is not detected; kg
    serve's cap (HTTP 422) and Virtuoso's default ``ResultSetMaxRows`` (10,000) are handled.
    """
    rows = client.select(f"{query} LIMIT {page}")
    if len(rows) < page:
        return rows
    rows = []
    offset = 0
    while True:
        # the ordered query nested and paged outside: Virtuoso refuses an ORDER BY whose
        # OFFSET passes its sort limit (MaxSortedTopRows) but pages a sorted subquery
        chunk = client.select(
            f"SELECT * {{ {{ {query} ORDER BY {order} }} }} LIMIT {page} OFFSET {offset}"
        )
        rows += chunk
        if len(chunk) < page:
            return rows
        offset += page


def select_each(client: Client, queries: Sequence[tuple[str, str]]) -> list[list[dict[str, str]]]:
    """:func:`select_all` of each (query, order), up to :data:`PARALLEL` at a time."""
    with ThreadPoolExecutor(max_workers=min(PARALLEL, len(queries))) as pool:
        return list(pool.map(lambda pair: select_all(client, *pair), queries))


def prefixed(query: str, prefixes: Mapping[str, str]) -> str:
    """``query`` with PREFIX lines for ``prefixes`` it does not declare itself."""
    lines = [f"PREFIX {name}: <{iri}>" for name, iri in prefixes.items()]
    return "\n".join([*lines, query])


def run_remote(
    endpoint: Endpoint, query: str, *, timeout: float, max_rows: int, source: str = "query"
) -> Result:
    """Check one read-only query as :func:`kg.store.sparql.run_query` does, run it on the
    endpoint (kg's prefixes predeclared) and read the answer back into a :class:`Result`, so
    that every output format prints as for the embedded graph.

    Raises:
        QueryTimeoutError: no answer within ``timeout`` seconds.
        RowLimitError: more than ``max_rows`` rows or triples.
        EndpointError: see :class:`Client`.
    """
    import pyoxigraph as ox

    from kg.model.vocab import PREFIXES
    from kg.store.sparql.check import QueryTimeoutError, RowLimitError, check_query
    from kg.store.sparql.results import Result

    form = check_query(query, source=source)
    client = Client(dataclasses.replace(endpoint, timeout=timeout))
    text = prefixed(query, PREFIXES)
    try:
        if form in ("CONSTRUCT", "DESCRIBE"):
            fmt, body = client.construct(text)
            client.settle()
            rdf = ox.RdfFormat.N_TRIPLES if fmt == "nt" else ox.RdfFormat.TURTLE
            rows: tuple[Any, ...] = tuple(q.triple for q in ox.parse(body, format=rdf))
        else:
            _media, body = client.send(text, RESULTS_JSON)
            client.settle()
            answer = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
            if isinstance(answer, ox.QueryBoolean):
                return Result(form, boolean=bool(answer))
            variables = tuple(v.value for v in answer.variables)
            rows = tuple(tuple(solution) for solution in answer)
    except SlowError as exc:
        raise QueryTimeoutError(f"{source}: {exc}") from None
    except (SyntaxError, ValueError) as exc:
        raise EndpointError(
            f"{endpoint.where}: the answer is not SPARQL results ({str(exc).splitlines()[0]})"
        ) from None
    if len(rows) > max_rows:
        noun = "triples" if form in ("CONSTRUCT", "DESCRIBE") else "rows"
        raise RowLimitError(
            f"{source}: more than {max_rows} {noun}; add a LIMIT or raise the row cap"
        )
    if form in ("CONSTRUCT", "DESCRIBE"):
        return Result(form, triples=rows)
    return Result(form, variables=variables, rows=rows)
