"""Evidence records read lazily from a view file (:mod:`kg.store.cache`): each record is
decoded from its property values the first time it is asked for; ids, weights and the
profiles the evidence score reads come without building any record."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING

from kg.model.records import Evidence
from kg.store import quads

if TYPE_CHECKING:
    from kg.store.cache import Views

__all__ = ["EvidenceIndex"]


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
