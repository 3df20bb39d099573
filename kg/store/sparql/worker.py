"""The query worker process: a sandbox that cannot open a socket, a memory limit, and the
loop that checks, parses and evaluates one query at a time (all under the caller's deadline).

The parent (:mod:`kg.store.sparql.engine`) starts ``python -c "...; worker_main()"``, sends the
graph files, then one request per query over stdin; replies go to stdout. Messages are
length-prefixed pickles exchanged only between our own two processes.
"""

from __future__ import annotations

import ctypes
import os
import pickle
import platform
import resource
import select
import signal
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox

from kg.model.errors import KGError
from kg.store.sparql.check import QueryRefusedError, QuerySyntaxError, check_query
from kg.store.sparql.syntax import explain_syntax_error

__all__ = [
    "WORKER_COMMAND",
    "Request",
    "WorkerProcess",
    "receive",
    "sandbox",
    "send",
    "worker_main",
]

WORKER_COMMAND = "from kg.store.sparql.worker import worker_main; worker_main()"
_STARTUP = 120.0  # seconds a worker may take to load the graph
_HEADER = struct.Struct(">Q")

# seccomp: (audit arch, socket syscall number, connect syscall number) per machine.
_SYSCALLS = {"x86_64": (0xC000003E, 41, 42), "aarch64": (0xC00000B7, 198, 203)}


class DeadlineError(Exception):
    """No reply before the deadline."""


class WorkerGoneError(Exception):
    """The other process closed its end (it exited or was killed)."""


@dataclass(frozen=True)
class Request:
    """One query for a worker: the text and how to run it."""

    query: str
    prefixes: dict[str, str]
    max_rows: int
    source: str = "query"
    base_iri: str | None = None
    default_graphs: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None


def send(stream: IO[bytes], message: object) -> None:
    """Write one length-prefixed message."""
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_HEADER.pack(len(data)) + data)
    stream.flush()


def _read_exact(fd: int, size: int, deadline: float | None) -> bytes:
    chunks: list[bytes] = []
    while size:
        wait = None if deadline is None else deadline - time.monotonic()
        if wait is not None and wait <= 0:
            raise DeadlineError
        ready, _, _ = select.select([fd], [], [], wait)
        if not ready:
            raise DeadlineError
        try:
            chunk = os.read(fd, min(size, 1 << 20))
        except OSError:
            raise WorkerGoneError from None
        if not chunk:
            raise WorkerGoneError
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def receive(fd: int, deadline: float | None) -> Any:
    """Read one message (``deadline`` is a :func:`time.monotonic` time, or ``None``)."""
    (size,) = _HEADER.unpack(_read_exact(fd, _HEADER.size, deadline))
    data = _read_exact(fd, size, deadline)
    try:
        # Only ever unpickles what our own worker (or parent) process wrote.
        return pickle.loads(data)  # noqa: S301
    except (pickle.UnpicklingError, EOFError, ValueError):
        raise WorkerGoneError from None  # a garbled message: treat the other side as gone


def sandbox() -> bool:
    """Make this process unable to open or connect a socket (Linux seccomp), for good.

    Oxigraph evaluates ``SERVICE`` by fetching the URL; after this call any such attempt
    fails with "Operation not permitted" instead. Returns ``False`` where seccomp is not
    available (then only the text check refuses SERVICE).
    """
    arch = _SYSCALLS.get(platform.machine())
    if sys.platform != "linux" or arch is None:
        return False
    audit_arch, socket_nr, connect_nr = arch
    ld_abs, jeq, ret = 0x20, 0x15, 0x06
    allow, eperm = 0x7FFF0000, 0x00050000 | 1
    program = [
        (ld_abs, 0, 0, 4),  # the architecture
        (jeq, 1, 0, audit_arch),
        (ret, 0, 0, eperm),  # another ABI: refuse everything rather than guess numbers
        (ld_abs, 0, 0, 0),  # the system call number
        (jeq, 2, 0, socket_nr),
        (jeq, 1, 0, connect_nr),
        (ret, 0, 0, allow),
        (ret, 0, 0, eperm),
    ]
    code = ctypes.create_string_buffer(b"".join(struct.pack("HBBI", *op) for op in program))

    class _Program(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]

    filt = _Program(len(program), ctypes.cast(code, ctypes.c_void_p))
    libc = ctypes.CDLL(None, use_errno=True)
    pr_set_no_new_privs, pr_set_seccomp, seccomp_mode_filter = 38, 22, 2
    if libc.prctl(pr_set_no_new_privs, 1, 0, 0, 0) != 0:
        return False
    return bool(libc.prctl(pr_set_seccomp, seccomp_mode_filter, ctypes.byref(filt), 0, 0) == 0)


def limit_memory(megabytes: int | None) -> None:
    """Cap this process's address space (``RLIMIT_AS``) at ``megabytes`` MiB."""
    if megabytes:
        size = megabytes << 20
        resource.setrlimit(resource.RLIMIT_AS, (size, size))


_FORMATS = {
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".trig": ox.RdfFormat.TRIG,
}


def open_store(files: Sequence[str], store: str | None) -> Any:
    """An in-memory store of Turtle (N-Triples ``.nt``, N-Quads ``.nq``, TriG ``.trig``)
    ``files``, or the persistent ``store`` opened read-only."""
    if store is not None:
        return ox.Store.read_only(store)
    graph = ox.Store()
    for path in files:
        suffix = os.path.splitext(path)[1].lower()
        graph.bulk_load(path=path, format=_FORMATS.get(suffix, ox.RdfFormat.TURTLE))
    return graph


def _capped(items: Iterator[Any], max_rows: int) -> tuple[Any, ...] | None:
    out: list[Any] = []
    for item in items:
        if len(out) == max_rows:
            return None
        out.append(item)
    return tuple(out)


def _graphs(iris: tuple[str, ...] | None) -> list[Any] | None:
    return None if iris is None else [ox.NamedNode(iri) for iri in iris]


def _run(store: Any, request: Request) -> tuple[Any, ...]:
    dataset = request.default_graphs is not None or request.named_graphs is not None
    form = check_query(request.query, source=request.source, protocol_dataset=dataset)
    answer = store.query(
        request.query,
        prefixes=request.prefixes,
        base_iri=request.base_iri,
        default_graph=_graphs(request.default_graphs),
        named_graphs=_graphs(request.named_graphs),
    )
    if isinstance(answer, ox.QueryBoolean):
        return ("ask", form, bool(answer))
    if isinstance(answer, ox.QuerySolutions):
        variables = tuple(v.value for v in answer.variables)
        rows = _capped((tuple(s) for s in answer), request.max_rows)
        return ("rows", form) if rows is None else ("select", form, variables, rows)
    triples = _capped(iter(answer), request.max_rows)
    return ("rows", form) if triples is None else ("graph", form, triples)


def evaluate(store: Any, request: Request) -> tuple[Any, ...]:
    """Check, parse and run one request; the reply message (never raises for bad queries)."""
    try:
        return _run(store, request)
    except QueryRefusedError as exc:
        return ("refused", str(exc))
    except QuerySyntaxError as exc:
        return ("syntax", exc.line, exc.column, exc.message)
    except SyntaxError as exc:
        line, column, message = explain_syntax_error(str(exc), request.query)
        return ("syntax", line, column, message)
    except MemoryError:
        return ("memory",)
    except (OSError, ValueError, RuntimeError, TypeError, KGError) as exc:
        return ("error", str(exc).splitlines()[0] if str(exc) else type(exc).__name__)


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(0)


def worker_main() -> None:
    """Entry point of a worker process: sandbox, load the graph, then answer queries."""
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # stray prints must not corrupt the message stream
    threading.Thread(target=_watch_parent, args=(os.getppid(),), daemon=True).start()
    fd = sys.stdin.fileno()
    try:
        files, store_path, megabytes = receive(fd, None)
    except WorkerGoneError:
        return
    sandboxed = sandbox()
    try:
        limit_memory(megabytes)
        store = open_store(files, store_path)
    except MemoryError:
        send(out, ("error", f"the graph does not fit in the {megabytes} MiB worker memory limit"))
        return
    except (OSError, SyntaxError, ValueError, RuntimeError) as exc:
        send(out, ("error", str(exc).splitlines()[0] if str(exc) else type(exc).__name__))
        return
    send(out, ("ready", len(store), sandboxed))
    while True:
        try:
            request = receive(fd, None)
        except WorkerGoneError:
            return
        send(out, ("started",))  # the parent now knows a death is this query's doing
        send(out, evaluate(store, request))


class WorkerProcess:
    """The parent's handle on one worker process (started, loaded, ready for requests)."""

    def __init__(self, files: Sequence[str], store: str | None, memory_mb: int | None) -> None:
        env = dict(os.environ)
        root = str(Path(__file__).resolve().parents[3])  # the directory holding kg/
        env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
        env["RUST_BACKTRACE"] = "0"
        self.process = subprocess.Popen(
            [sys.executable, "-P", "-c", WORKER_COMMAND],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
            start_new_session=True,  # Ctrl-C reaches the parent only; the parent stops us
        )
        self.memory_mb = memory_mb
        try:
            reply = self.request((list(files), store, memory_mb), time.monotonic() + _STARTUP)
        except (DeadlineError, WorkerGoneError):
            self.kill()
            raise KGError("the query worker did not start (could not load the graph)") from None
        if reply[0] != "ready":
            self.kill()
            raise KGError(f"cannot load the graph: {reply[1]}")
        self.triples: int = reply[1]
        self.sandboxed: bool = reply[2]

    @property
    def pid(self) -> int:
        return self.process.pid

    @property
    def stdout_fd(self) -> int:
        assert self.process.stdout is not None
        return self.process.stdout.fileno()

    def request(self, message: object, deadline: float | None) -> Any:
        assert self.process.stdin is not None
        assert self.process.stdout is not None
        try:
            send(self.process.stdin, message)
        except (BrokenPipeError, ValueError, OSError):
            raise WorkerGoneError from None
        return receive(self.process.stdout.fileno(), deadline)

    def why_gone(self) -> str:
        """Why the worker process ended, in words (after it ended)."""
        try:
            code = self.process.wait(timeout=2)
        except subprocess.TimeoutExpired:
            return "stopped answering"
        if code == -signal.SIGABRT and self.memory_mb:
            return f"ran out of memory (the limit is {self.memory_mb} MiB per worker)"
        if code < 0:
            return f"was killed ({signal.Signals(-code).name})"
        return f"exited with status {code}"

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None:
                stream.close()
