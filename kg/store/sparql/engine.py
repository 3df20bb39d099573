"""A pool of query worker processes that hold the graph in Oxigraph and answer queries with a
deadline, a memory limit and no network (see :mod:`kg.store.sparql.worker`).

The pool keeps its size: a worker that times out is killed, and a worker that dies (killed,
out of memory, crashed) is replaced in the background; the query it was running gets
:class:`WorkerLostError`. A query that finds no idle worker within its wait gets
:class:`EngineBusyError`; both mean "try again" (HTTP 503 with ``Retry-After``).
"""

from __future__ import annotations

import logging
import math
import pickle
import queue
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from kg.model.errors import KGError, NotFoundError
from kg.store.sparql.check import (
    QueryRefusedError,
    QuerySyntaxError,
    QueryTimeoutError,
    RowLimitError,
)
from kg.store.sparql.results import Result
from kg.store.sparql.worker import (
    DeadlineError,
    Request,
    WorkerGoneError,
    WorkerProcess,
    receive,
)

__all__ = [
    "DEFAULT_MAX_QUERY_BYTES",
    "DEFAULT_MAX_ROWS",
    "DEFAULT_MEMORY_MB",
    "DEFAULT_TIMEOUT",
    "MAX_TIMEOUT",
    "Engine",
    "EngineBusyError",
    "QueryTooLargeError",
    "WorkerLostError",
    "run_query",
]

_LOG = logging.getLogger("kg.store.sparql")

DEFAULT_TIMEOUT = 10.0
DEFAULT_MAX_ROWS = 10_000
DEFAULT_MEMORY_MB = 2048
DEFAULT_MAX_QUERY_BYTES = 100_000
MAX_TIMEOUT = 86_400.0


class EngineBusyError(KGError):
    """Every worker stayed busy (or was being replaced) for the whole wait; try again."""

    exit_code = 5


class WorkerLostError(KGError):
    """The worker running the query died (killed, out of memory); the pool replaces it."""

    exit_code = 5


class QueryTooLargeError(KGError):
    """The query text is longer than the engine accepts."""

    exit_code = 4


class Engine:
    """Worker processes that hold the graph in Oxigraph and answer queries with a deadline.

    Open it with :meth:`Engine.open` and close it (or use ``with``); :func:`run_query` runs
    a query on it. Each worker answers one query at a time.

    Example:
        >>> from kg.model import shipped
        >>> with Engine.open([shipped.ontology_file()]) as engine:
        ...     run_query(engine, "ASK { kg:increases a kg:Relation }").boolean
        True
    """

    def __init__(
        self,
        files: Sequence[Path],
        *,
        store: Path | None = None,
        workers: int = 1,
        memory_mb: int | None = DEFAULT_MEMORY_MB,
    ) -> None:
        from kg.model.vocab import PREFIXES

        self.prefixes: dict[str, str] = dict(PREFIXES)
        self._files = [str(p) for p in files]
        self._store = str(store) if store is not None else None
        self._memory_mb = memory_mb
        self._idle: queue.Queue[WorkerProcess] = queue.Queue()
        self._lock = threading.Lock()
        self._live: set[WorkerProcess] = set()
        self._closed = threading.Event()
        self.size = max(1, workers)
        self.replaced = 0
        for path in files:
            if not Path(path).is_file():
                raise NotFoundError(f"{path}: no such file")
        if store is not None:
            from kg.store.sparql.store import check_store_dir

            check_store_dir(store)
        try:
            for _ in range(self.size):
                self._idle.put(self._spawn())
        except KGError:
            self.close()
            raise

    @classmethod
    def open(
        cls,
        files: Sequence[Path] | None = None,
        *,
        store: Path | None = None,
        workers: int = 1,
        memory_mb: int | None = DEFAULT_MEMORY_MB,
    ) -> Engine:
        """Start ``workers`` processes on RDF ``files`` (default: shipped data + ontology),
        or on a persistent Oxigraph ``store`` made by :func:`load_store`; each may use
        ``memory_mb`` MiB of address space (``None``: no limit)."""
        from kg.model import shipped

        if files is None and store is None:
            files = [*shipped.data_files(), shipped.ontology_file()]
        return cls(list(files or []), store=store, workers=workers, memory_mb=memory_mb)

    @property
    def triples(self) -> int:
        """How many triples the graph has."""
        with self._lock:
            return next(iter(self._live)).triples if self._live else 0

    @property
    def pids(self) -> list[int]:
        """The process ids of the live workers."""
        with self._lock:
            return sorted(w.pid for w in self._live)

    @property
    def sandboxed(self) -> bool:
        """Whether the workers run without network access (Linux seccomp)."""
        with self._lock:
            return all(w.sandboxed for w in self._live)

    def _spawn(self) -> WorkerProcess:
        worker = WorkerProcess(self._files, self._store, self._memory_mb)
        with self._lock:
            if self._closed.is_set():
                worker.kill()
                raise KGError("the query engine is closed")
            self._live.add(worker)
        return worker

    def _refill(self) -> None:
        """Start one worker in place of a lost one, retrying until it starts or we close."""
        delay = 0.5
        while not self._closed.is_set():
            try:
                worker = self._spawn()
            except (KGError, OSError, ValueError, EOFError, pickle.UnpicklingError) as exc:
                # the machine may be short of memory or processes: keep trying, never shrink
                if not self._closed.is_set():
                    _LOG.warning("could not start a query worker (%s); retrying", exc)
                self._closed.wait(delay)
                delay = min(delay * 2, 10.0)
            else:
                self._idle.put(worker)
                return

    def acquire(self, wait: float) -> Any:
        """An idle worker, waiting at most ``wait`` seconds (:class:`EngineBusyError`)."""
        deadline = time.monotonic() + wait
        while True:
            if self._closed.is_set():
                raise KGError("the query engine is closed")
            left = deadline - time.monotonic()
            try:
                worker = self._idle.get(timeout=max(0.0, min(left, 0.5)))
            except queue.Empty:
                if left <= 0:
                    raise EngineBusyError(
                        f"all {self.size} query workers are busy; try again shortly"
                    ) from None
                continue
            if worker.process.poll() is None:
                return worker
            self.lose(worker)  # died while idle (killed from outside)

    def release(self, worker: Any) -> None:
        """Give a worker back after a query it answered."""
        self._idle.put(worker)

    def lose(self, worker: Any) -> None:
        """Kill ``worker`` and start its replacement in the background."""
        with self._lock:
            self._live.discard(worker)
            self.replaced += 1
        worker.kill()
        threading.Thread(target=self._refill, daemon=True).start()

    def close(self) -> None:
        """Stop every worker process."""
        with self._lock:
            self._closed.set()
            live, self._live = list(self._live), set()
        for worker in live:
            worker.kill()

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _result(reply: tuple[Any, ...], source: str, max_rows: int) -> Result:
    kind = reply[0]
    if kind == "select":
        return Result(reply[1], reply[2], reply[3])
    if kind == "ask":
        return Result(reply[1], boolean=reply[2])
    if kind == "graph":
        return Result(reply[1], triples=reply[2])
    if kind == "rows":
        noun = "triples" if reply[1] in ("CONSTRUCT", "DESCRIBE") else "rows"
        raise RowLimitError(
            f"{source}: more than {max_rows} {noun}; add a LIMIT or raise the row cap"
        )
    if kind == "refused":
        raise QueryRefusedError(reply[1])
    if kind == "syntax":
        raise QuerySyntaxError(source, reply[1], reply[2], reply[3])
    if kind == "memory":
        raise WorkerLostError(f"{source}: the query needed more memory than a worker may use")
    raise KGError(f"{source}: {reply[1]}")


def _start(engine: Engine, request: Request, wait: float, deadline: float, source: str) -> Any:
    """A worker that has taken ``request``; one found dead before taking it is replaced and
    the next one tried, so a worker killed while idle costs no answer."""
    for _ in range(engine.size + 1):
        worker = engine.acquire(wait)
        try:
            if worker.request(request, deadline)[0] == "started":
                return worker
        except WorkerGoneError:
            engine.lose(worker)
            continue
        except DeadlineError:
            engine.lose(worker)
            break
        engine.lose(worker)  # out of step with us: never reuse it
    raise WorkerLostError(f"{source}: no query worker could take the query; try again")


def run_query(
    engine: Engine,
    query: str,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    max_rows: int = DEFAULT_MAX_ROWS,
    source: str = "query",
    base_iri: str | None = None,
    default_graphs: Sequence[str] | None = None,
    named_graphs: Sequence[str] | None = None,
    wait: float | None = None,
    max_query_bytes: int = DEFAULT_MAX_QUERY_BYTES,
) -> Result:
    """Check and run one read-only query on ``engine``, all inside a worker and its deadline.

    Args:
        engine: an open :class:`Engine`.
        query: SPARQL query text; kg's prefixes (``kg:``, ``ent:``, ``rdfs:`` ...) are
            predeclared.
        timeout: wall-clock seconds before the query is stopped (checking and parsing
            included).
        max_rows: most rows (SELECT) or triples (CONSTRUCT/DESCRIBE) allowed.
        source: what to call the query in messages.
        base_iri: the IRI relative IRIs in the query resolve against.
        default_graphs: the graphs (IRIs) that make up the default graph (the protocol's
            ``default-graph-uri``); a graph the store does not hold is empty.
        named_graphs: the graphs ``GRAPH`` may match (``named-graph-uri``).
        wait: seconds to wait for an idle worker (default: ``timeout``).
        max_query_bytes: longest query text accepted (UTF-8 bytes).

    Raises:
        QueryRefusedError: see :func:`check_query`.
        QuerySyntaxError: ``SOURCE:LINE:COL: message``.
        QueryTimeoutError: the query ran longer than ``timeout``.
        RowLimitError: more than ``max_rows`` rows.
        EngineBusyError: no worker became idle within ``wait``.
        WorkerLostError: the worker died (killed, out of memory) while running the query.
        QueryTooLargeError: the query text is over ``max_query_bytes``.

    Example:
        >>> from kg.model import shipped
        >>> with Engine.open([shipped.ontology_file()]) as engine:
        ...     r = run_query(engine, "SELECT ?l { kg:increases rdfs:label ?l }")
        >>> r.variables, r.rows[0][0].value
        (('l',), 'increases')
    """
    if not (math.isfinite(timeout) and 0 < timeout <= MAX_TIMEOUT):
        raise KGError(
            f"timeout {timeout!r}: give a number of seconds above 0, at most {MAX_TIMEOUT:g}"
        )
    size = len(query.encode("utf-8", "surrogatepass"))
    if size > max_query_bytes:
        raise QueryTooLargeError(
            f"{source}: the query is {size} bytes, over the {max_query_bytes}-byte limit; "
            "shorten it (move long VALUES lists into the data)"
        )
    request = Request(
        query,
        engine.prefixes,
        max_rows,
        source,
        base_iri,
        None if default_graphs is None else tuple(default_graphs),
        None if named_graphs is None else tuple(named_graphs),
    )
    deadline = time.monotonic() + timeout
    worker = _start(engine, request, timeout if wait is None else wait, deadline, source)
    try:
        reply = receive(worker.stdout_fd, deadline)
    except DeadlineError:
        engine.lose(worker)
        raise QueryTimeoutError(
            f"{source}: stopped after the {timeout:g} s timeout; "
            "narrow the query or allow more time"
        ) from None
    except WorkerGoneError:
        why = worker.why_gone()
        engine.lose(worker)
        advice = "narrow the query" if "memory" in why else "try again"
        raise WorkerLostError(
            f"{source}: the query worker {why} while running the query; {advice}"
        ) from None
    engine.release(worker)
    return _result(reply, source, max_rows)
