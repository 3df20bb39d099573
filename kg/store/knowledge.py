"""The graph loaded in the forms the queries need: the networkx mechanism view, evidence and
reference records, and every entity's names (for resolving filter values).

The files are parsed by Oxigraph and the views derived from its store in one pass
(:mod:`kg.store.quads`) into a view file (:mod:`kg.store.cache`). A repeated call on unchanged
data opens that file instead of parsing: the cache is keyed by the SHA-256 of the files'
content and of the kg code that derives the views, so an edited file (or an upgraded kg) is
parsed again. Evidence records are read from the file's index when first asked for. The cache
lives in ``$KG_CACHE_DIR`` or ``$XDG_CACHE_HOME/kg`` (default ``~/.cache/kg``), a directory
that must be the user's own and writable by no one else (otherwise it is not used);
``KG_CACHE_DIR=off`` disables it.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import stat
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from kg.model import __version__, shipped
from kg.model.errors import KGError, NotFoundError
from kg.model.records import Evidence, Level, Reference, StudyType

if TYPE_CHECKING:  # rdflib is imported only where a user asks for an rdflib Graph
    import networkx as nx
    from rdflib import Graph

    from kg.store.cache import Views

__all__ = [
    "CardFacts",
    "Knowledge",
    "cache_dir",
    "derive",
    "evidence_filter",
    "evidence_weights",
    "load_knowledge",
    "load_rdf",
    "prune_entries",
]


@dataclass(frozen=True)
class CardFacts:
    """What an entity card says about an entity's place in the whole graph: its kinds and
    what it is a kind of, how many entities it regulates and is regulated by (``total`` and
    by sign), the reference numbers and PubMed ids behind its edges, and the contradictions
    touching it, as (assertion, contradicting assertion)."""

    kinds: tuple[str, ...]
    kind_of: tuple[str, ...]
    regulates: dict[str, int]
    regulated_by: dict[str, int]
    references: tuple[int, ...]
    pmids: tuple[str, ...]
    contradictions: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Knowledge:
    """Everything the trace, upstream/downstream and conflicts commands read; ``cards`` holds
    the :class:`CardFacts` of entities whose edges are not all in ``mechanisms`` (a graph
    read from a remote store), the cards of the others are counted from ``mechanisms``."""

    paths: tuple[Path, ...]
    mechanisms: nx.MultiDiGraph
    entities: nx.MultiDiGraph
    evidence: Mapping[str, Evidence]
    references: dict[int, Reference]
    cards: dict[str, CardFacts] = field(default_factory=dict)

    def label(self, node: str) -> str:
        """The display label of an entity id."""
        if node in self.entities:
            return str(self.entities.nodes[node].get("label", node))
        return node

    @property
    def search_evidence(self) -> Mapping[str, Evidence]:
        """The evidence as the searches read it: a view file's light records (the quote and
        other text not decoded; see :class:`kg.store.evidence_index.LightEvidence`), else
        :attr:`evidence` itself. What an answer shows comes from :attr:`evidence`."""
        from kg.store.evidence_index import EvidenceIndex

        if isinstance(self.evidence, EvidenceIndex):
            return self.evidence.light()
        return self.evidence

    def nodes_of_type(self, type_name: str) -> set[str]:
        """Ids of the mechanism nodes of one kg class (``"Disease"``, ``"MicroRNA"``...)."""
        return {n for n, t in self.mechanisms.nodes(data="type") if t == type_name}


def _files(paths: Sequence[Path] | None) -> tuple[Path, ...]:
    files = tuple(Path(p) for p in paths) if paths else tuple(shipped.data_files())
    for path in files:
        if not path.is_file():
            raise NotFoundError(f"{path}: no such file")
    return files


def load_rdf(paths: Sequence[Path] | None = None) -> Graph:
    """The RDF graph of Turtle files (default: the shipped data)."""
    from kg.store import rdf

    return rdf.load(_files(paths))


def cache_dir() -> Path | None:
    """Where derived views are cached, or None when caching is off."""
    configured = os.environ.get("KG_CACHE_DIR")
    if configured == "off":
        return None
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "kg"


# The modules whose code decides what the cached views contain: a change to any of them
# (a new Evidence field, say) must not be answered from a cache written by the old code.
_VIEW_CODE = (
    "model/records.py",
    "store/quads.py",
    "store/cache.py",
    "store/knowledge.py",
)


def _key(files: Iterable[Path]) -> str:
    digest = hashlib.sha256(f"kg {__version__}\n".encode())
    package = Path(__file__).resolve().parent.parent  # kg/
    for name in _VIEW_CODE:
        digest.update(hashlib.sha256((package / name).read_bytes()).digest())
    for path in files:
        digest.update(str(path.resolve()).encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def derive(graph: Graph, paths: tuple[Path, ...] = ()) -> Knowledge:
    """The query views of an RDF graph already in memory (``paths``: where it came from)."""
    from kg.store import provenance
    from kg.store.convert import entity_nodes, to_networkx

    return Knowledge(
        paths=paths,
        mechanisms=to_networkx(graph),
        entities=entity_nodes(graph),
        evidence=provenance.read_evidence(graph),
        references=provenance.read_references(graph),
    )


def load_knowledge(paths: Sequence[Path] | None = None, *, cache: bool = True) -> Knowledge:
    """Load Turtle files (default: the shipped data) and derive the query views.

    Raises:
        NotFoundError: a file does not exist.
        TurtleSyntaxError: a file does not parse (``file:line: message``).
        KGError: an assertion uses a predicate that is not a kg relation.

    Example:
        >>> kg = load_knowledge()
        >>> kg.mechanisms.has_edge("miR-21", "PTEN"), kg.references[20].year
        (True, 2018)
    """
    from kg.store import cache as views

    files = _files(paths)
    directory = cache_dir() if cache else None
    if directory is not None and not views.private_directory(directory):
        directory = None  # another user could write there: do not read or write entries
    target = directory / f"{_key(files)}.sqlite" if directory is not None else None
    db = views.open_entry(target) if target is not None else None
    where = str(target) if target is not None else "(in memory)"
    if db is not None:
        assert target is not None
        try:
            graphs = views.Views(db, where).graphs()
        except KGError:  # a graph that fails its digest: rebuilt, like any damaged entry
            pass
        else:
            with contextlib.suppress(OSError):
                os.utime(target)  # used now: see prune_entries
            return _knowledge(views.Views(db, where, graphs), files)
    from kg.store import quads

    built = views.build(quads.open_store(files))
    if target is not None and views.save(built.db, target):
        prune_entries(target.parent, keep=target)
    return _knowledge(built.at(where), files)


#: A view file that no call has read or written for this many days is deleted when kg next
#: writes one (each version of kg, and each edit of the data, writes a new file).
STALE_DAYS = 30
_ENTRY_NAME = re.compile(r"[0-9a-f]{64}\.sqlite")


def prune_entries(directory: Path, *, keep: Path, now: float | None = None) -> list[Path]:
    """Delete the view files in ``directory`` (only files with kg's own entry names; not
    ``keep``, nor the remote stores' answers) unused for :data:`STALE_DAYS`; the deleted."""
    cutoff = (time.time() if now is None else now) - STALE_DAYS * 86400
    deleted = []
    for entry in sorted(directory.iterdir()):
        if entry == keep or not _ENTRY_NAME.fullmatch(entry.name):
            continue
        with contextlib.suppress(OSError):
            info = entry.lstat()
            if stat.S_ISREG(info.st_mode) and info.st_mtime < cutoff:
                entry.unlink()
                deleted.append(entry)
    return deleted


def _knowledge(views: Views, files: tuple[Path, ...]) -> Knowledge:
    mechanisms, entities = views.graphs()
    return Knowledge(files, mechanisms, entities, views.evidence(), views.references())


def evidence_filter(
    evidence: Mapping[str, Evidence],
    *,
    cell_types: Iterable[str] = (),
    species: Iterable[str] = (),
    study_types: Iterable[StudyType] = (),
    stated_only: bool = False,
) -> Callable[[str], bool] | None:
    """A predicate on evidence ids: keep evidence whose context matches every given filter.

    Each filter lists accepted values; evidence that names none of them is dropped (evidence
    that does not record the dimension at all is dropped too, since it cannot be shown to
    match). Returns None when no filter is set.
    """
    cells, kinds, types = set(cell_types), set(species), set(study_types)
    if not (cells or kinds or types or stated_only):
        return None

    def keep(eid: str) -> bool:
        record = evidence.get(eid)
        if record is None:
            return False
        return (
            (not cells or bool(cells & set(record.cell_types)))
            and (not kinds or bool(kinds & set(record.species)))
            and (not types or bool(types & set(record.study_types)))
            and (not stated_only or record.level is Level.STATED)
        )

    return keep


def evidence_weights(evidence: Mapping[str, Evidence]) -> dict[str, float]:
    """Ranking weight of each evidence: 1 when stated in the review, 0.5 when inferred."""
    from kg.store.evidence_index import EvidenceIndex

    if isinstance(evidence, EvidenceIndex):
        return evidence.weights()  # without building every record
    return {e.id: 1.0 if e.level is Level.STATED else 0.5 for e in evidence.values()}
