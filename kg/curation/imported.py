"""What an import file holds, and what every importer shares: the shipped curation that names
resolve against, safe ids, and the error that lists every bad row.

A bad row is a :class:`~kg.model.errors.CurationError` naming the file and line; the readers
(:mod:`kg.curation.mirtarbase`, :mod:`kg.curation.tsv`) collect **all** of them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from kg.model import shipped
from kg.model.errors import CurationError, KGError
from kg.model.names import name_key
from kg.model.records import Assertion, Entity, Reference, Study
from kg.store import rdf

__all__ = [
    "BadRowsError",
    "Format",
    "Ids",
    "Imported",
    "Progress",
    "Shipped",
    "name_index",
    "safe_id",
    "shipped_curation",
]


Format = Literal["mirtarbase", "tsv", "indra"]
Progress = Callable[[int, int], None]
"""Called with (done, total) assertions while the graph is built."""


_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")


class BadRowsError(KGError):
    """Rows of an import file are malformed; ``errors`` lists every one (``file:line: ...``).

    ``str()`` is a one-line summary; the CLI prints the rows first.
    """

    def __init__(self, path: Path, errors: tuple[CurationError, ...]) -> None:
        self.path = path
        self.errors = errors
        super().__init__(
            f"{len(errors)} bad row(s) in {path}; nothing written "
            "(fix them, or use --skip-bad to import the good rows)"
        )


@dataclass(frozen=True)
class Imported:
    """What an import file holds: its assertions, everything they name, and its bad rows."""

    path: Path
    rows: int
    assertions: list[Assertion]
    entities: dict[str, Entity]
    bad: tuple[CurationError, ...] = ()
    studies: dict[str, Study] = field(default_factory=dict)
    references: dict[int, Reference] = field(default_factory=dict)

    @property
    def evidence(self) -> int:
        """How many evidence records (good rows) the assertions carry."""
        return sum(len(a.evidence) for a in self.assertions)


class Ids:
    """Hands out unique ids: a name keeps its id, a clash gets ``-2``, ``-3``..."""

    def __init__(self, taken: set[str]) -> None:
        self.taken = taken

    def new(self, base: str) -> str:
        candidate, n = base, 1
        while candidate in self.taken:
            n += 1
            candidate = f"{base}-{n}"
        self.taken.add(candidate)
        return candidate


def safe_id(name: str) -> str:
    """An entity id made of ``[A-Za-z0-9_.-]`` from a name, starting with a letter or digit.

    >>> safe_id("hsa-miR-21-5p"), safe_id("HLA-A*02:01"), safe_id(" (weird) ")
    ('hsa-miR-21-5p', 'HLA-A_02_01', 'weird')
    """
    slug = _UNSAFE.sub("_", name).strip("_.-")
    return slug or "entity"


# ---------------------------------------------------------------- shipped entities


@dataclass(frozen=True)
class Shipped:
    entities: dict[str, Entity]
    studies: dict[str, Study]
    assertion_ids: frozenset[str]
    references: dict[int, Reference]


def shipped_curation() -> Shipped:
    from kg.curation.build import entity_classes
    from kg.curation.tables import read_curation
    from kg.model.references import parse_references

    classes = entity_classes(rdf.load([shipped.ontology_file()]))
    curation = read_curation(shipped.data_dir() / "curation", classes)
    refs = parse_references(shipped.review_text_file().read_text(encoding="utf-8"))
    return Shipped(
        entities=curation.entities,
        studies=curation.studies,
        assertion_ids=frozenset(a.id for a in curation.assertions),
        references={r.number: r for r in refs},
    )


def name_index(entities: dict[str, Entity], types: frozenset[str]) -> dict[str, str]:
    """name key → entity id, for names that belong to exactly one entity of these types."""
    owners: dict[str, set[str]] = {}
    for entity in entities.values():
        if entity.type in types:
            for name in (entity.id, entity.label, *entity.synonyms):
                owners.setdefault(name_key(name), set()).add(entity.id)
    return {key: next(iter(ids)) for key, ids in owners.items() if len(ids) == 1}
