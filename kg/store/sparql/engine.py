"""Worker processes that hold the graph in Oxigraph and answer queries with a deadline."""

from __future__ import annotations

import os
import pickle
import queue
import re
import select
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox

from kg.model.errors import KGError, NotFoundError
from kg.store.sparql.check import (
    QuerySyntaxError,
    QueryTimeoutError,
    RowLimitError,
    check_query,
)
from kg.store.sparql.results import Result

_WORKER_COMMAND = "from kg.store.sparql.engine import _worker_main; _worker_main()"
_OX_SYNTAX = re.compile(r"^error at (\d+):(\d+): (.*)$", re.DOTALL)

DEFAULT_TIMEOUT = 10.0
DEFAULT_MAX_ROWS = 10_000

_HEADER = struct.Struct(">Q")


class _DeadlineError(Exception):
    pass


class _WorkerGoneError(Exception):
    pass


def _send(stream: IO[bytes], message: object) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_HEADER.pack(len(data)) + data)
    stream.flush()


def _read_exact(fd: int, size: int, deadline: float | None) -> bytes:
    chunks: list[bytes] = []
    while size:
        wait = None if deadline is None else deadline - time.monotonic()
        if wait is not None and wait <= 0:
            raise _DeadlineError
        ready, _, _ = select.select([fd], [], [], wait)
        if not ready:
            raise _DeadlineError
        chunk = os.read(fd, min(size, 1 << 20))
        if not chunk:
            raise _WorkerGoneError
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def _receive(fd: int, deadline: float | None) -> Any:
    (size,) = _HEADER.unpack(_read_exact(fd, _HEADER.size, deadline))
    # Only ever unpickles what our own worker (or parent) process wrote.
    return pickle.loads(_read_exact(fd, size, deadline))  # noqa: S301


def _open_worker_store(files: Sequence[str], store: str | None) -> Any:
    if store is not None:
        return ox.Store.read_only(store)
    graph = ox.Store()
    for path in files:
        graph.bulk_load(path=path, format=ox.RdfFormat.TURTLE)
    return graph


def _capped(items: Iterator[Any], max_rows: int) -> tuple[Any, ...] | None:
    out: list[Any] = []
    for item in items:
        if len(out) == max_rows:
            return None
        out.append(item)
    return tuple(out)


def _evaluate(store: Any, query: str, prefixes: dict[str, str], max_rows: int) -> tuple[Any, ...]:
    try:
        answer = store.query(query, prefixes=prefixes)
        if isinstance(answer, ox.QueryBoolean):
            reply: tuple[Any, ...] = ("ask", bool(answer))
        elif isinstance(answer, ox.QuerySolutions):
            variables = tuple(v.value for v in answer.variables)
            rows = _capped((tuple(s) for s in answer), max_rows)
            reply = ("rows", max_rows) if rows is None else ("select", variables, rows)
        else:
            triples = _capped(iter(answer), max_rows)
            reply = ("rows", max_rows) if triples is None else ("graph", triples)
    except SyntaxError as exc:
        return ("syntax", str(exc))
    except (OSError, ValueError, RuntimeError, TypeError) as exc:
        return ("error", str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
    return reply


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(0)


def _worker_main() -> None:
    """Entry point of a worker process: load the graph, then answer queries on stdin/stdout."""
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # stray prints must not corrupt the message stream
    threading.Thread(target=_watch_parent, args=(os.getppid(),), daemon=True).start()
    fd = sys.stdin.fileno()
    try:
        files, store_path = _receive(fd, None)
        store = _open_worker_store(files, store_path)
    except (OSError, SyntaxError, ValueError) as exc:
        _send(out, ("error", str(exc).splitlines()[0] if str(exc) else type(exc).__name__))
        return
    except _WorkerGoneError:
        return
    _send(out, ("ready", len(store)))
    while True:
        try:
            query, prefixes, max_rows = _receive(fd, None)
        except _WorkerGoneError:
            return
        _send(out, _evaluate(store, query, prefixes, max_rows))


class _Worker:
    def __init__(self, files: Sequence[str], store: str | None, *, startup: float) -> None:
        env = dict(os.environ)
        root = str(Path(__file__).resolve().parent.parent)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-P",
                "-c",
                "from kg.store.sparql.engine import _worker_main; _worker_main()",
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
            start_new_session=True,  # Ctrl-C reaches the parent only; the parent stops us
        )
        try:
            reply = self.request((list(files), store), time.monotonic() + startup)
        except (_DeadlineError, _WorkerGoneError):
            self.kill()
            raise KGError("the query worker did not start (could not load the graph)") from None
        if reply[0] != "ready":
            self.kill()
            raise KGError(f"cannot load the graph: {reply[1]}")
        self.triples: int = reply[1]

    def request(self, message: object, deadline: float | None) -> Any:
        assert self.process.stdin is not None
        assert self.process.stdout is not None
        try:
            _send(self.process.stdin, message)
        except (BrokenPipeError, ValueError):
            raise _WorkerGoneError from None
        return _receive(self.process.stdout.fileno(), deadline)

    def kill(self) -> None:
        self.process.kill()
        self.process.wait()
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None:
                stream.close()


class Engine:
    """Worker processes that hold the graph in Oxigraph and answer queries with a deadline.

    Open it with :meth:`Engine.open` and close it (or use ``with``); :func:`run_query` runs
    a query on it. Each worker answers one query at a time; a query that times out gets its
    worker killed and replaced.

    Example:
        >>> from kg.model import shipped
        >>> with Engine.open([shipped.ontology_file()]) as engine:
        ...     run_query(engine, "ASK { kg:increases a kg:Relation }").boolean
        True
    """

    def __init__(
        self, files: Sequence[Path], *, store: Path | None = None, workers: int = 1
    ) -> None:
        from kg.model.vocab import PREFIXES

        self.prefixes: dict[str, str] = dict(PREFIXES)
        self._files = [str(p) for p in files]
        self._store = str(store) if store is not None else None
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._lock = threading.Lock()
        self._live: set[_Worker] = set()
        self._closed = False
        for path in files:
            if not Path(path).is_file():
                raise NotFoundError(f"{path}: no such file")
        try:
            for _ in range(max(1, workers)):
                self._idle.put(self._spawn())
        except KGError:
            self.close()
            raise

    @classmethod
    def open(
        cls, files: Sequence[Path] | None = None, *, store: Path | None = None, workers: int = 1
    ) -> Engine:
        """Start ``workers`` processes on Turtle ``files`` (default: shipped data + ontology),
        or on a persistent Oxigraph ``store`` made by :func:`load_store`."""
        from kg.model import shipped

        if files is None and store is None:
            files = [*shipped.data_files(), shipped.ontology_file()]
        return cls(list(files or []), store=store, workers=workers)

    @property
    def triples(self) -> int:
        """How many triples the graph has."""
        with self._lock:
            return next(iter(self._live)).triples if self._live else 0

    def _spawn(self) -> _Worker:
        worker = _Worker(self._files, self._store, startup=120.0)
        with self._lock:
            if self._closed:
                worker.kill()
                raise KGError("the query engine is closed")
            self._live.add(worker)
        return worker

    def _acquire(self) -> _Worker:
        while True:
            with self._lock:
                if self._closed or not self._live:
                    raise KGError("the query engine is closed")
            try:
                return self._idle.get(timeout=0.5)
            except queue.Empty:
                continue

    def _discard(self, worker: _Worker) -> None:
        with self._lock:
            self._live.discard(worker)
        worker.kill()

    def _replace(self, worker: _Worker) -> None:
        self._discard(worker)
        self._idle.put(self._spawn())

    def close(self) -> None:
        """Stop every worker process."""
        with self._lock:
            self._closed = True
            live, self._live = list(self._live), set()
        for worker in live:
            worker.kill()

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def run_query(
    engine: Engine,
    query: str,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    max_rows: int = DEFAULT_MAX_ROWS,
    source: str = "query",
) -> Result:
    """Check and run one read-only query on ``engine``.

    Args:
        engine: an open :class:`Engine`.
        query: SPARQL query text; kg's prefixes (``kg:``, ``ent:``, ``rdfs:`` ...) are
            predeclared.
        timeout: wall-clock seconds before the query is stopped.
        max_rows: most rows (SELECT) or triples (CONSTRUCT/DESCRIBE) allowed.
        source: what to call the query in messages.

    Raises:
        QueryRefusedError: see :func:`check_query`.
        QuerySyntaxError: ``SOURCE:LINE:COL: message``.
        QueryTimeoutError: the query ran longer than ``timeout``.
        RowLimitError: more than ``max_rows`` rows.

    Example:
        >>> from kg.model import shipped
        >>> with Engine.open([shipped.ontology_file()]) as engine:
        ...     r = run_query(engine, "SELECT ?l { kg:increases rdfs:label ?l }")
        >>> r.variables, r.rows[0][0].value
        (('l',), 'increases')
    """
    form = check_query(query, source=source)
    worker = engine._acquire()
    try:
        reply = worker.request((query, engine.prefixes, max_rows), time.monotonic() + timeout)
    except _DeadlineError:
        engine._replace(worker)
        raise QueryTimeoutError(
            f"{source}: stopped after the {timeout:g} s timeout; "
            "narrow the query or allow more time"
        ) from None
    except _WorkerGoneError:
        engine._replace(worker)
        raise KGError(f"{source}: the query worker died while running the query") from None
    engine._idle.put(worker)
    kind = reply[0]
    if kind == "select":
        return Result(form, reply[1], reply[2])
    if kind == "ask":
        return Result(form, boolean=reply[1])
    if kind == "graph":
        return Result(form, triples=reply[1])
    if kind == "rows":
        noun = "triples" if form in ("CONSTRUCT", "DESCRIBE") else "rows"
        raise RowLimitError(
            f"{source}: more than {reply[1]} {noun}; add a LIMIT or raise the row cap"
        )
    if kind == "syntax":
        match = _OX_SYNTAX.match(reply[1])
        if match:
            message = " ".join(match.group(3).split())
            raise QuerySyntaxError(source, int(match.group(1)), int(match.group(2)), message)
        raise QuerySyntaxError(source, 1, 1, " ".join(reply[1].split()))
    raise KGError(f"{source}: {reply[1]}")
