"""The derived views as one SQLite file: built from an Oxigraph store, read back lazily.

A view file holds the mechanism graph and the entity names (read whole: the searches need
them), the reference list, and every evidence's property values indexed by evidence id, so an
:class:`EvidenceIndex` builds only the records a command looks at. SQLite is data, not code:
a damaged or foreign file can at worst be refused, never run anything (unlike a pickle).

Cache entries live in a private directory (created ``0700``; one owned by another user, or
writable by others, is not used). An entry is read only when it is a regular file owned by the
user and not writable by others, has exactly this module's schema and passes SQLite's own
integrity check; otherwise it is ignored (and rebuilt). Entries are written to a temporary
file in the same directory, then renamed; on any failure the temporary file is removed.
"""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote, unquote

from kg.model.errors import KGError
from kg.model.records import Evidence, Reference, Relation
from kg.store import quads

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

FORMAT = "kg-views 2"
_SCHEMA = (
    "CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE nodes (view INTEGER NOT NULL, id TEXT NOT NULL, label TEXT NOT NULL, "
    "type TEXT NOT NULL, synonyms TEXT NOT NULL, xrefs TEXT NOT NULL)",
    "CREATE TABLE edges (source TEXT NOT NULL, target TEXT NOT NULL, key TEXT NOT NULL, "
    "relation TEXT NOT NULL, evidence TEXT NOT NULL, contradicts TEXT NOT NULL)",
    "CREATE TABLE evidence (id TEXT PRIMARY KEY, weight REAL NOT NULL, fields TEXT NOT NULL, "
    "profile TEXT NOT NULL)",
    "CREATE TABLE pmids (reference TEXT NOT NULL, pmid TEXT NOT NULL)",
    "CREATE TABLE refs (number INTEGER PRIMARY KEY, authors TEXT NOT NULL, "
    "title TEXT NOT NULL, journal TEXT NOT NULL, year INTEGER, volume TEXT, pages TEXT)",
    "CREATE INDEX pmids_by_reference ON pmids (reference)",
)
_MECHANISMS, _ENTITIES = 0, 1
_STATED = quads.KG + "Stated"
_STATED_FIELD = "evidenceLevel=" + quote(_STATED, safe="")


def _weighted(rows: Iterable[tuple[str, str]]) -> Iterator[tuple[str, float, str, str]]:
    """(id, ranking weight, fields, profile) of the evidence rows that have a quote: weight 1
    when the (first) evidence level is kg:Stated or absent, 0.5 otherwise; the profile is
    what the evidence score reads (study types, species, level; see
    :meth:`EvidenceIndex.profiles`), as JSON."""
    for eid, fields in rows:
        items = fields.split(" ")
        if not any(item.startswith("quote=") for item in items):
            continue
        level = next((i for i in items if i.startswith("evidenceLevel=")), _STATED_FIELD)
        level_iri = _STATED if level == _STATED_FIELD else unquote(level.partition("=")[2])
        kinds = sorted(unquote(i[10:]).removeprefix(quads.KG) for i in items
                       if i.startswith("studyType="))  # fmt: skip
        species = sorted(unquote(i[8:]).removeprefix(quads.ENTITY) for i in items
                         if i.startswith("species="))  # fmt: skip
        profile = json.dumps([kinds, species, level_iri.removeprefix(quads.KG)])
        yield eid, 1.0 if level_iri == _STATED else 0.5, fields, profile


def _connect() -> sqlite3.Connection:
    return sqlite3.connect(":memory:", check_same_thread=False)


def build(store: ox.Store) -> sqlite3.Connection:
    """The views of ``store``, as an in-memory SQLite database (see :func:`save`).

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

    def node(view: int, iri: str) -> tuple[int, str, str, str, str, str]:
        nid = quads.node_id(iri)
        kinds = sorted(types.get(iri, ()))
        synonyms = sorted(names.get((iri, "altLabel"), ()))
        xrefs = sorted(names.get((iri, "xref"), ()))
        label = labels.get(iri, nid)
        return view, nid, label, kinds[0] if kinds else "Entity", _list(synonyms), _list(xrefs)

    db = _connect()
    for statement in _SCHEMA[:-1]:
        db.execute(statement)
    ends: dict[str, None] = {}
    edges = []
    for s, o, key, relation, evidence, contradicts in quads.edge_rows(store):
        ends.setdefault(s)
        ends.setdefault(o)
        row = (quads.node_id(s), quads.node_id(o), key, relation, _list(evidence))
        edges.append((*row, _list(contradicts)))
    entities = (node(_ENTITIES, i) for i in labels if i.startswith(quads.ENTITY))
    db.executemany("INSERT INTO nodes VALUES (?, ?, ?, ?, ?, ?)", entities)
    db.executemany("INSERT INTO nodes VALUES (?, ?, ?, ?, ?, ?)", (node(0, i) for i in ends))
    db.executemany("INSERT INTO edges VALUES (?, ?, ?, ?, ?, ?)", edges)
    records = _weighted(quads.evidence_rows(store))
    db.executemany("INSERT INTO evidence VALUES (?, ?, ?, ?)", records)
    db.executemany("INSERT INTO pmids VALUES (?, ?)", quads.pmid_rows(store))
    db.executemany("INSERT INTO refs VALUES (?, ?, ?, ?, ?, ?, ?)", quads.reference_rows(store))
    db.execute(_SCHEMA[-1])
    db.execute("INSERT INTO meta VALUES ('format', ?)", (FORMAT,))
    db.commit()
    return db


def _list(values: list[str]) -> str:
    """A list of strings as text: joined by U+001F, or JSON after U+001E when a value is
    empty or holds either character (so that :func:`_tuple` reads back exactly ``values``)."""
    if all(v and "\x1f" not in v and not v.startswith("\x1e") for v in values):
        return "\x1f".join(values)
    return "\x1e" + json.dumps(values, ensure_ascii=False)


def _tuple(text: str) -> tuple[str, ...]:
    if not text:
        return ()
    if text[0] == "\x1e":
        values = json.loads(text[1:])
        if not (isinstance(values, list) and all(isinstance(v, str) for v in values)):
            raise ValueError("not a list of strings")
        return tuple(values)
    return tuple(text.split("\x1f"))


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

    def __init__(self, db: sqlite3.Connection, where: str) -> None:
        self._db = db
        self._where = where

    def graphs(self) -> tuple[nx.MultiDiGraph, nx.MultiDiGraph]:
        """The mechanism graph and the entity-name graph.

        Raises:
            KGError: the view file is damaged.
        """
        import networkx as nx

        mechanisms, entities = nx.MultiDiGraph(), nx.MultiDiGraph()
        try:
            rows = self._db.execute("SELECT view, id, label, type, synonyms, xrefs FROM nodes")
            for view, nid, label, kind, synonyms, xrefs in rows:
                target = mechanisms if view == _MECHANISMS else entities
                attrs = {"label": label, "type": kind}
                attrs.update(synonyms=_tuple(synonyms), xrefs=_tuple(xrefs))
                target.add_node(nid, **attrs)
            relations = {r.value: (r.sign, r.causal) for r in Relation}
            edges = []
            query = "SELECT source, target, key, relation, evidence, contradicts FROM edges"
            for source, target, key, name, evidence, contradicts in self._db.execute(query):
                sign, causal = relations[name]
                data = {
                    "relation": name, "sign": sign, "causal": causal,
                    "evidence": _tuple(evidence), "contradicts": _tuple(contradicts),
                }  # fmt: skip
                edges.append((source, target, key, data))
        except (sqlite3.Error, ValueError, KeyError, TypeError) as exc:
            raise self.damaged(exc) from None
        add_edges(mechanisms, edges)
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


class EvidenceIndex(Mapping[str, Evidence]):
    """Evidence records by id, built on first access from the view file's index.

    Iteration, ``len`` and :meth:`weights` read only the evidence ids; ``index[eid]`` reads
    the values of that one evidence.
    """

    def __init__(self, views: Views) -> None:
        self._views = views
        self._records: dict[str, Evidence] = {}
        self._ids: tuple[str, ...] | None = None

    def __getitem__(self, eid: str) -> Evidence:
        record = self._records.get(eid)
        if record is not None:
            return record
        rows = self._views.rows("SELECT fields FROM evidence WHERE id = ?", eid)
        if not rows:
            raise KeyError(eid)
        try:
            pairs = quads.decode_fields(str(rows[0][0]))
            cited = [value for name, value in pairs if name == "reference"]
            marks = ", ".join("?" * len(cited))  # placeholders only: the values are bound
            query = f"SELECT pmid FROM pmids WHERE reference IN ({marks})"  # noqa: S608
            pmids = self._views.rows(query, *cited) if cited else []
            pairs += [("pmid", str(pmid)) for (pmid,) in pmids]
            found = quads.evidence_record(eid, pairs)
        except (ValueError, TypeError) as exc:
            raise self._views.damaged(exc) from None
        if found is None:
            raise KeyError(eid)
        self._records[eid] = found
        return found

    def __contains__(self, eid: object) -> bool:
        if eid in self._records:
            return True
        query = "SELECT 1 FROM evidence WHERE id = ?"
        return isinstance(eid, str) and bool(self._views.rows(query, eid))

    def _all_ids(self) -> tuple[str, ...]:
        if self._ids is None:
            rows = self._views.rows("SELECT id FROM evidence ORDER BY rowid")
            self._ids = tuple(str(eid) for (eid,) in rows)
        return self._ids

    def __iter__(self) -> Iterator[str]:
        return iter(self._all_ids())

    def __len__(self) -> int:
        return len(self._all_ids())

    def profiles(self) -> set[tuple[tuple[str, ...], tuple[str, ...], str]]:
        """The distinct (study types, species, level) of the evidence, read without building
        records: what bounds every evidence score (``Scorer.hop_ceiling``). Raises KGError
        when the view file is damaged."""
        found = set()
        for (text,) in self._views.rows("SELECT DISTINCT profile FROM evidence"):
            try:
                kinds, species, level = json.loads(str(text))
                found.add((tuple(map(str, kinds)), tuple(map(str, species)), str(level)))
            except (ValueError, TypeError) as exc:
                raise self._views.damaged(exc) from None
        return found

    def weights(self) -> dict[str, float]:
        """Each evidence's ranking weight (1 stated, 0.5 inferred), without reading records."""
        rows = self._views.rows("SELECT id, weight FROM evidence")
        return {str(eid): float(weight) for eid, weight in rows}  # type: ignore[arg-type]
