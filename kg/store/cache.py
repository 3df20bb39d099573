"""The derived views as one SQLite file: built from an Oxigraph store, read back lazily.

A view file holds the mechanism graph and the entity names (read whole: the searches need
them), the reference list, and every evidence's property values indexed by evidence id, so an
:class:`EvidenceIndex` builds only the records a command looks at. Each graph is one blob in
marshal's format (networkx's own dicts, read back in one call rather than row by row), with
its SHA-256 digest. SQLite and marshal are data, not code: a damaged or foreign file can at
worst be refused, never run anything (unlike a pickle); marshal trusts its input, so a blob is
read only once it matches its digest.

Cache entries live in a private directory (created ``0700``; one owned by another user, or
writable by others, is not used). An entry is read only when it is a regular file owned by the
user and not writable by others, has exactly this module's schema and passes SQLite's own
integrity check, and its graphs match their digests when read; otherwise it is ignored (and
rebuilt). Entries are written to a temporary file in the same directory, then renamed; on any
failure the temporary file is removed."""

from __future__ import annotations

import hashlib
import json
import marshal
import os
import sqlite3
import stat
import sys
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from kg.model.errors import KGError
from kg.model.records import Reference, Relation
from kg.store import quads
from kg.store.evidence_index import EvidenceIndex

if TYPE_CHECKING:
    import networkx as nx
    import pyoxigraph as ox

__all__ = [
    "EvidenceIndex",
    "Views",
    "add_edges",
    "build",
    "open_entry",
    "private_directory",
    "save",
]

#: The marshal format of the graphs depends on the Python that wrote it.
FORMAT = "kg-views 4 (marshal {}, Python {}.{})".format(marshal.version, *sys.version_info[:2])
_SCHEMA = (
    "CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE graphs (view INTEGER PRIMARY KEY, data BLOB NOT NULL, digest TEXT NOT NULL)",
    "CREATE TABLE evidence (id TEXT PRIMARY KEY, fields TEXT NOT NULL, profile TEXT NOT NULL)",
    "CREATE TABLE pmids (reference TEXT NOT NULL, pmid TEXT NOT NULL)",
    "CREATE TABLE refs (number INTEGER PRIMARY KEY, authors TEXT NOT NULL, "
    "title TEXT NOT NULL, journal TEXT NOT NULL, year INTEGER, volume TEXT, pages TEXT)",
    "CREATE INDEX pmids_by_reference ON pmids (reference)",
)
_MECHANISMS, _ENTITIES = 0, 1
_STATED = quads.KG + "Stated"


def _profiled(rows: Iterable[tuple[str, str]]) -> Iterator[tuple[str, str, str]]:
    """(id, fields, profile) of the evidence rows that have a quote; the profile is what the
    evidence score reads (study types, species, the first evidence level or kg:Stated; see
    :meth:`EvidenceIndex.profiles`), as JSON. One pass over each row's fields; the few
    distinct profiles are encoded once each."""
    profiles: dict[tuple[tuple[str, ...], tuple[str, ...], str | None], str] = {}
    for eid, fields in rows:
        quoted, level, kinds, species = False, None, [], []
        for item in fields.split(" "):
            name, equals, value = item.partition("=")
            if not equals:
                continue
            if name == "quote":
                quoted = True
            elif name == "studyType":
                kinds.append(value)
            elif name == "species":
                species.append(value)
            elif name == "evidenceLevel" and level is None:
                level = value
        if not quoted:
            continue
        key = (tuple(sorted(kinds)), tuple(sorted(species)), level)
        profile = profiles.get(key)
        if profile is None:
            profile = profiles[key] = _profile(*key)
        yield eid, fields, profile


def _profile(kinds: tuple[str, ...], species: tuple[str, ...], level: str | None) -> str:
    level_iri = _STATED if level is None else quads.decoded(level)
    return json.dumps([
        sorted(quads.decoded(k).removeprefix(quads.KG) for k in kinds),
        sorted(quads.decoded(s).removeprefix(quads.ENTITY) for s in species),
        level_iri.removeprefix(quads.KG),
    ])  # fmt: skip


def _connect() -> sqlite3.Connection:
    return sqlite3.connect(":memory:", check_same_thread=False)


def build(store: ox.Store) -> Views:
    """The views of ``store``, in an in-memory SQLite database (:func:`save` writes its
    ``db``), holding the graphs it built (so they are not read back from it).

    Raises:
        KGError: an assertion uses a predicate that is not a kg relation.
    """
    labels: dict[str, str] = {}
    names: dict[tuple[str, str], list[str]] = {}
    for iri, kind, value in quads.name_rows(store):
        if kind == "label":
            labels.setdefault(iri, value)
        else:
            names.setdefault((iri, kind), []).append(value)
    types: dict[str, list[str]] = {}
    for iri, kind in quads.type_rows(store):
        types.setdefault(iri, []).append(kind)

    def node(iri: str) -> tuple[str, dict[str, object]]:
        nid = quads.node_id(iri)
        kinds = sorted(types.get(iri, ()))
        synonyms = tuple(sorted(names.get((iri, "altLabel"), ())))
        xrefs = tuple(sorted(names.get((iri, "xref"), ())))
        attrs: dict[str, object] = {"label": labels.get(iri, nid), "synonyms": synonyms}
        attrs.update(type=kinds[0] if kinds else "Entity", xrefs=xrefs)
        return nid, attrs

    db = _connect()
    for statement in _SCHEMA[:-1]:
        db.execute(statement)
    ends: dict[str, None] = {}
    relations = {r.value: (r.sign, r.causal) for r in Relation}
    edges = []
    for s, o, key, name, evidence, contradicts in quads.edge_rows(store):
        ends.setdefault(s)
        ends.setdefault(o)
        sign, causal = relations[name]
        data = {
            "relation": name, "sign": sign, "causal": causal,
            "evidence": tuple(evidence), "contradicts": tuple(contradicts),
        }  # fmt: skip
        edges.append((quads.node_id(s), quads.node_id(o), key, data))
    entities = _new_graph([node(i) for i in labels if i.startswith(quads.ENTITY)], [])
    mechanisms = _new_graph(map(node, ends), edges)
    for view, graph in ((_ENTITIES, entities), (_MECHANISMS, mechanisms)):
        blob = marshal.dumps((graph._node, graph._succ, graph._pred))
        db.execute("INSERT INTO graphs VALUES (?, ?, ?)", (view, blob, _digest(blob)))
    records = _profiled(quads.evidence_rows(store))
    db.executemany("INSERT INTO evidence VALUES (?, ?, ?)", records)
    db.executemany("INSERT INTO pmids VALUES (?, ?)", quads.pmid_rows(store))
    db.executemany("INSERT INTO refs VALUES (?, ?, ?, ?, ?, ?, ?)", quads.reference_rows(store))
    db.execute(_SCHEMA[-1])
    db.execute("INSERT INTO meta VALUES ('format', ?)", (FORMAT,))
    db.commit()
    return Views(db, "(in memory)", (mechanisms, entities))


def _new_graph(
    nodes: Iterable[tuple[str, dict[str, object]]],
    edges: list[tuple[str, str, str, dict[str, object]]],
) -> nx.MultiDiGraph:
    """A graph of nodes and keyed edges. The view file keeps its dicts as networkx holds them
    (node, successor and predecessor dicts, each edge's dict shared by the two, as marshal
    keeps it), so that they are read back in one call, not row by row (:meth:`Views.graphs`)."""
    import networkx as nx

    graph = nx.MultiDiGraph()
    graph.add_nodes_from(nodes)
    add_edges(graph, edges)
    return graph


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _read_graph(view: int, data: bytes, digest: str) -> nx.MultiDiGraph:
    """The graph of a view file (see :func:`_new_graph`), once ``data`` matches the digest
    written with it (marshal is data, not code, but trusts its input: a damaged blob is
    refused unread).

    Raises:
        ValueError: the blob was damaged; TypeError: it does not hold a graph.
    """
    import networkx as nx

    if _digest(data) != digest:
        raise ValueError(f"graph {view} does not match its digest")
    node, succ, pred = marshal.loads(data)  # noqa: S302 - kg's own blob, its digest checked
    if not all(isinstance(d, dict) for d in (node, succ, pred)):
        raise TypeError(f"graph {view} is not a graph")
    graph = nx.MultiDiGraph()
    graph._node, graph._succ, graph._pred = node, succ, pred
    graph._adj = succ
    return graph


def add_edges(graph: nx.MultiDiGraph, edges: list[tuple[str, str, str, dict[str, object]]]) -> None:
    """``graph.add_edges_from(edges)`` for keyed edges, in a third of the time: the body of
    networkx's ``MultiDiGraph.add_edge`` (same structures and factories) without the call
    and cache clearing per edge (``tests/test_knowledge.py`` checks the graphs are equal).
    A new edge's ``attrs`` dict becomes its data dict (not copied): pass fresh dicts."""
    import networkx as nx

    succ, pred, node = graph._succ, graph._pred, graph._node
    plain = graph.edge_attr_dict_factory is dict
    for u, v, key, attrs in edges:
        for end in (u, v):
            if end not in succ:
                succ[end] = graph.adjlist_inner_dict_factory()
                pred[end] = graph.adjlist_inner_dict_factory()
                node[end] = graph.node_attr_dict_factory()
        keydict = succ[u].get(v)
        if keydict is None:
            keydict = graph.edge_key_dict_factory()
            succ[u][v] = keydict
            pred[v][u] = keydict
        datadict = keydict.get(key)
        if datadict is None and plain:
            keydict[key] = attrs
            continue
        if datadict is None:
            keydict[key] = datadict = graph.edge_attr_dict_factory()
        datadict.update(attrs)
    nx._clear_cache(graph)


def private_directory(path: Path) -> bool:
    """Create ``path`` (mode 0700) if needed; whether it is the user's own and not writable
    by anyone else, so that no other user can plant or swap a cache entry in it."""
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = os.stat(path)
    except OSError:
        return False
    return (
        stat.S_ISDIR(info.st_mode)
        and info.st_uid == os.geteuid()
        and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
    )


def save(db: sqlite3.Connection, target: Path) -> bool:
    """Write ``db`` to ``target`` atomically (mode 0600); False when it cannot be written,
    with no temporary file left behind."""
    tmp: str | None = None
    try:
        data = db.serialize()
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".", suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, target)
        tmp = None
    except (OSError, sqlite3.Error, MemoryError):
        return False
    finally:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
    return True


def open_entry(
    target: Path, *, schema: tuple[str, ...] = _SCHEMA, fmt: str = FORMAT
) -> sqlite3.Connection | None:
    """The view file at ``target`` (or another file of kg's cache with ``schema`` and
    ``fmt``), or None when there is none or it cannot be trusted or has the wrong shape (see
    the module docstring)."""
    try:
        fd = os.open(target, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    try:
        with os.fdopen(fd, "rb") as handle:
            info = os.fstat(handle.fileno())
            if not (
                stat.S_ISREG(info.st_mode)
                and info.st_uid == os.geteuid()
                and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
            ):
                return None
            data = handle.read()
        db = _connect()
        db.deserialize(data)
        if not _has_schema(db, schema, fmt):
            db.close()
            return None
    except (OSError, sqlite3.Error, MemoryError, OverflowError):
        return None
    return db


def _has_schema(db: sqlite3.Connection, schema: tuple[str, ...], fmt: str) -> bool:
    expected = _connect()
    for statement in schema:
        expected.execute(statement)
    query = "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name"
    if db.execute(query).fetchall() != expected.execute(query).fetchall():
        return False
    if db.execute("PRAGMA quick_check").fetchall() != [("ok",)]:
        return False
    return db.execute("SELECT value FROM meta WHERE name = 'format'").fetchall() == [(fmt,)]


class Views:
    """The views read from a view file."""

    def __init__(
        self,
        db: sqlite3.Connection,
        where: str,
        graphs: tuple[nx.MultiDiGraph, nx.MultiDiGraph] | None = None,
    ) -> None:
        self._db = db
        self._where = where
        self._graphs = graphs

    @property
    def db(self) -> sqlite3.Connection:
        """The database the views are read from."""
        return self._db

    def at(self, where: str) -> Views:
        """The same views, saying they were read from ``where`` (in error messages)."""
        return Views(self._db, where, self._graphs)

    def graphs(self) -> tuple[nx.MultiDiGraph, nx.MultiDiGraph]:
        """The mechanism graph and the entity-name graph.

        Each is checked against the digest written with it before marshal reads it (marshal
        is data, not code, but trusts its input: a damaged blob is refused, not read).

        Raises:
            KGError: the view file is damaged.
        """
        if self._graphs is not None:  # built in this process: handed over once
            graphs, self._graphs = self._graphs, None
            return graphs
        import networkx as nx

        try:
            rows = self._db.execute("SELECT view, data, digest FROM graphs").fetchall()
            found = {view: _read_graph(view, data, digest) for view, data, digest in rows}
            mechanisms, entities = found[_MECHANISMS], found[_ENTITIES]
        except (sqlite3.Error, ValueError, KeyError, TypeError, EOFError) as exc:
            raise self.damaged(exc) from None
        nx._clear_cache(mechanisms)
        nx._clear_cache(entities)
        return mechanisms, entities

    def references(self) -> dict[int, Reference]:
        """The review's reference list by number."""
        query = "SELECT number, authors, title, journal, year, volume, pages FROM refs"
        try:
            rows = self._db.execute(query).fetchall()
            return {
                n: Reference(number=n, authors=a, title=t, journal=j, year=y, volume=v, pages=p)
                for n, a, t, j, y, v, p in rows
            }
        except sqlite3.Error as exc:
            raise self.damaged(exc) from None

    def evidence(self) -> EvidenceIndex:
        """The evidence records by id, each read when first asked for."""
        return EvidenceIndex(self)

    def damaged(self, exc: Exception) -> KGError:
        """The error for a view file that stopped making sense after it was opened."""
        return KGError(
            f"the cached views {self._where} cannot be read ({exc}): delete the file, "
            "or set KG_CACHE_DIR=off"
        )

    def rows(self, query: str, *args: object) -> list[tuple[object, ...]]:
        """The rows of ``query`` (for :class:`EvidenceIndex`)."""
        try:
            return self._db.execute(query, args).fetchall()
        except sqlite3.Error as exc:
            raise self.damaged(exc) from None
