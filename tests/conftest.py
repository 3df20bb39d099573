"""Shared fixtures: the shipped graph and ontology are parsed once per session."""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Graph

from kg.model import shipped
from kg.store import rdf


@pytest.fixture(scope="session")
def ontology() -> Graph:
    return rdf.load([shipped.ontology_file()])


@pytest.fixture(scope="session")
def data() -> Graph:
    return rdf.load(shipped.data_files())


@pytest.fixture(scope="session")
def review_text() -> str:
    return shipped.review_text_file().read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The checkout root (tests always run from a checkout, the package may be installed)."""
    return Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session", autouse=True)
def _private_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Tests never read or write the user's ~/.cache/kg."""
    previous = os.environ.get("KG_CACHE_DIR")
    os.environ["KG_CACHE_DIR"] = str(tmp_path_factory.mktemp("kg-cache"))
    yield
    if previous is None:
        del os.environ["KG_CACHE_DIR"]
    else:
        os.environ["KG_CACHE_DIR"] = previous


@pytest.fixture
def listener() -> Iterator[tuple[int, list[object]]]:
    """A loopback socket that records every connection made to it."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(0.2)
    seen: list[object] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, addr = server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            seen.append(addr)
            conn.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1], seen
    stop.set()
    thread.join(timeout=5)
    server.close()
