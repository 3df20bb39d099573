"""Real SPARQL servers for the remote tests, each started by the tests on a free loopback port
(:func:`tests.support.server_process`: bounded wait, log shown on failure) and loaded with the
shipped graph by ``kg push``:

* Oxigraph server (the ``oxigraph`` wheel's CLI), in memory;
* Virtuoso Open Source (Debian's ``virtuoso-opensource``), from a config written into a temp
  directory, loaded through its authenticated Graph Store endpoint with a netrc entry for the
  fresh database's ``dba`` account;
* ``kg serve`` on the shipped data.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from click.testing import CliRunner

from kg.cli import cli
from tests.support import Server, free_port, require, server_process

__all__ = ["GRAPH", "Remote", "kg_serve", "oxigraph", "push", "virtuoso"]

#: The named graph the Virtuoso tests load and query (Virtuoso has no separate default graph).
GRAPH = "https://w3id.org/kg-ivd/graph/test"
VIRTUOSO = Path("/usr/bin/virtuoso-t")


@dataclass(frozen=True)
class Remote:
    """A running server: its query URL, its Graph Store URL and the options naming its graph."""

    name: str
    query: str
    store: str | None
    options: tuple[str, ...]
    server: Server

    def args(self) -> list[str]:
        """``--endpoint URL [--graph IRI]`` for a kg command."""
        return ["--endpoint", self.query, *self.options]


def push(store: str, *args: str, env: dict[str, str] | None = None) -> str:
    """``kg push --endpoint STORE ARGS`` (the shipped graph); its output."""
    result = CliRunner().invoke(cli, ["push", "--endpoint", store, *args], env=env)
    assert result.exit_code == 0, result.output
    return result.output


def _oxigraph_command() -> str:
    local = Path(sys.executable).parent / "oxigraph"
    found = str(local) if local.is_file() else shutil.which("oxigraph")
    assert found, "the `oxigraph` server is missing: pip install -e '.[test]' installs it"
    return found


@contextmanager
def oxigraph(*, load: bool = True) -> Iterator[Remote]:
    """``oxigraph serve`` (in memory), loaded with the shipped graph unless ``load`` is off."""
    base = f"http://127.0.0.1:{free_port()}"
    command = [_oxigraph_command(), "serve", "--bind", base.removeprefix("http://")]
    with server_process(command, url=f"{base}/query?query=ASK%7B%7D", timeout=20) as server:
        remote = Remote("oxigraph", f"{base}/query", f"{base}/store", (), server)
        if load:
            push(f"{base}/store")
        yield remote


_VIRTUOSO_INI = """\
[Database]
DatabaseFile = {db}/virtuoso.db
ErrorLogFile = {db}/virtuoso.log
LockFile = {db}/virtuoso.lck
TransactionFile = {db}/virtuoso.trx
xa_persistent_file = {db}/virtuoso.pxa
Striping = 0
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {db}/virtuoso-temp.db
TransactionFile = {db}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql}
DisableUnixSocket = 1
CheckpointInterval = 0
DirsAllowed = ., {db}
NumberOfBuffers = 40000
MaxDirtyBuffers = 30000
[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerRoot = {db}
ServerThreads = 4
[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 120
"""


@contextmanager
def virtuoso(directory: Path, *, load: bool = True) -> Iterator[Remote]:
    """Virtuoso from a config in ``directory`` (a fresh database), the shipped graph pushed
    into the named graph :data:`GRAPH` through ``/sparql-graph-crud-auth`` (Digest auth with
    the new database's ``dba``/``dba`` account, read from a netrc file)."""
    if not VIRTUOSO.is_file():
        require("Virtuoso is missing: apt-get install virtuoso-opensource")
    http = free_port()
    ini = directory / "virtuoso.ini"
    ini.write_text(_VIRTUOSO_INI.format(db=directory, sql=free_port(), http=http))
    netrc = directory / "netrc"
    netrc.write_text("machine 127.0.0.1 login dba password dba\n")
    netrc.chmod(0o600)
    base = f"http://127.0.0.1:{http}"
    command = [str(VIRTUOSO), "+configfile", str(ini), "+foreground"]
    with server_process(
        command, url=f"{base}/sparql?query=ASK%7B%7D", timeout=60, cwd=directory
    ) as server:
        store = f"{base}/sparql-graph-crud-auth"
        remote = Remote("virtuoso", f"{base}/sparql", store, ("--graph", GRAPH), server)
        if load:
            push(store, "--graph", GRAPH, env={"NETRC": str(netrc)})
        yield remote


def _printed_url(server: Server) -> str | None:
    first = server.log_text().partition("\n")
    return first[0].strip() if first[1] else None


@contextmanager
def kg_serve(files: Sequence[Path] = (), *, timeout: float = 60.0) -> Iterator[Remote]:
    """``kg serve`` on the shipped data or ``files`` (it prints its URL first)."""
    command = [sys.executable, "-m", "kg", "serve", "--port", "0", "--workers", "2"]
    command += [arg for path in files for arg in ("--data", str(path))]
    with server_process(command, url=_printed_url, timeout=timeout) as server:
        yield Remote("kg serve", server.url, None, (), server)
