"""What kg reads from a remote store, kept on disk only when ``--cache`` asks for it.

One SQLite file per endpoint and graph in kg's private cache directory (``$KG_CACHE_DIR`` or
``~/.cache/kg``; owner and mode checked, written atomically, data not code: see
:mod:`kg.store.cache`). Each answer is stored under the SHA-256 of its request (the media
types accepted and the query text; endpoint and graph name the file) with the store's
*fingerprint*: its counts of kg assertions, evidence nodes and triples. A command first asks
the server for the fingerprint; when it differs from the file's, every stored answer is
dropped and read again. New answers are saved only after a second fingerprint, taken once they
are read, equals the first (what was read while the data changed is never kept). Headers and
netrc credentials are never written, and the URL's ``user:password@`` is left out of the key.
An edit that keeps all three counts (a quote reworded in place) is not seen: run without
``--cache`` then, or delete the file.
"""

from __future__ import annotations

import hashlib
import sqlite3
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

from kg.model.errors import UsageError
from kg.store.cache import open_entry, private_directory, save
from kg.store.knowledge import cache_dir

__all__ = ["FORMAT", "ResponseCache", "cache_file"]

FORMAT = "kg-remote 1"
_SCHEMA = (
    "CREATE TABLE answers (key TEXT PRIMARY KEY, media TEXT NOT NULL, body BLOB NOT NULL)",
    "CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
)


def cache_file(directory: Path, url: str, graph: str | None) -> Path:
    """The file holding the answers of one endpoint and graph (credentials in the URL left
    out of its name).

    Example:
        >>> a = cache_file(Path("/c"), "http://u:secret@127.0.0.1:7878/query", None)
        >>> a == cache_file(Path("/c"), "http://127.0.0.1:7878/query", None), "secret" in str(a)
        (True, False)
    """
    parts = urllib.parse.urlsplit(url)
    netloc = parts.netloc.rpartition("@")[2]
    plain = urllib.parse.urlunsplit(parts._replace(netloc=netloc))
    digest = hashlib.sha256(f"{plain}\0{graph or ''}".encode()).hexdigest()
    return directory / f"remote-{digest[:40]}.sqlite"


def _empty(fingerprint: str) -> sqlite3.Connection:
    db = sqlite3.connect(":memory:", check_same_thread=False)
    for statement in _SCHEMA:
        db.execute(statement)
    db.executemany(
        "INSERT INTO meta VALUES (?, ?)", [("format", FORMAT), ("fingerprint", fingerprint)]
    )
    return db


def _key(accept: str, query: str) -> str:
    return hashlib.sha256(f"{accept}\0{query}".encode()).hexdigest()


@dataclass
class ResponseCache:
    """The stored answers of one endpoint and graph; usable once :meth:`start` has set the
    store's fingerprint. ``pending`` counts answers read from the server and not saved yet."""

    target: Path
    db: sqlite3.Connection | None = None
    fingerprint: str | None = None
    pending: int = 0

    @classmethod
    def open(cls, url: str, graph: str | None) -> ResponseCache:
        """The cache of ``url`` and ``graph`` (read when :meth:`start` knows the fingerprint).

        Raises:
            UsageError: caching is off, or the cache directory is not private.
        """
        directory = cache_dir()
        if directory is None:
            raise UsageError("--cache: caching is off (KG_CACHE_DIR=off); unset it or drop --cache")
        if not private_directory(directory):
            raise UsageError(
                f"--cache: {directory} cannot hold kg's cache: it must be a directory of yours "
                "that no one else can write; set KG_CACHE_DIR to one"
            )
        return cls(cache_file(directory, url, graph))

    def start(self, fingerprint: str) -> None:
        """Read the file, keeping its answers only if they were read at ``fingerprint``."""
        db = open_entry(self.target, schema=_SCHEMA, fmt=FORMAT)
        if db is not None:
            stored = db.execute("SELECT value FROM meta WHERE name = 'fingerprint'").fetchall()
            if stored != [(fingerprint,)]:
                db.close()
                db = None
        self.db = db if db is not None else _empty(fingerprint)
        self.fingerprint = fingerprint

    def get(self, accept: str, query: str) -> tuple[str, bytes] | None:
        """The stored answer (media type, body) to this request, if any."""
        assert self.db is not None, "start() first"
        rows = self.db.execute(
            "SELECT media, body FROM answers WHERE key = ?", (_key(accept, query),)
        ).fetchall()
        return (str(rows[0][0]), bytes(rows[0][1])) if rows else None

    def put(self, accept: str, query: str, media: str, body: bytes) -> None:
        """Keep an answer read from the server (saved by :meth:`save`)."""
        assert self.db is not None, "start() first"
        self.db.execute(
            "INSERT OR REPLACE INTO answers VALUES (?, ?, ?)", (_key(accept, query), media, body)
        )
        self.pending += 1

    def save(self) -> bool:
        """Write the answers to the file, atomically; False when it cannot be written."""
        if self.db is None or not self.pending:
            return True
        self.db.commit()
        self.pending = 0
        return save(self.db, self.target)
