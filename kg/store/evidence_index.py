"""Evidence records read lazily from a view file (:mod:`kg.store.cache`): each record is
decoded from its property values the first time it is asked for; ids, weights and the
profiles the evidence score reads come without building any record."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Protocol

from kg.model.errors import KGError
from kg.model.records import Evidence, Level
from kg.store import quads

__all__ = ["EvidenceIndex", "LightEvidence", "ViewRows"]


class ViewRows(Protocol):
    """What the index reads a view file through (:class:`kg.store.cache.Views`)."""

    def rows(self, query: str, *args: object) -> list[tuple[object, ...]]:
        """The rows of ``query``; KGError when the view file is damaged."""
        ...

    def damaged(self, exc: Exception) -> KGError:
        """The error for a view file that stopped making sense after it was opened."""
        ...


class EvidenceIndex(Mapping[str, Evidence]):
    """Evidence records by id, built on first access from the view file's index.

    Iteration, ``len`` and :meth:`weights` read only the evidence ids; ``index[eid]`` reads
    the values of that one evidence.
    """

    def __init__(self, views: ViewRows) -> None:
        self._views = views
        self._records: dict[str, Evidence] = {}
        self._ids: tuple[str, ...] | None = None
        self._light: LightEvidence | None = None

    def __getitem__(self, eid: str) -> Evidence:
        record = self._records.get(eid)
        if record is None:
            record = self._records[eid] = self.decode(eid, light=False)
        return record

    def decode(self, eid: str, *, light: bool) -> Evidence:
        """The record of ``eid`` read from the view file (not kept); ``light``: without its
        text (see :class:`LightEvidence`).

        Raises:
            KeyError: no such evidence; KGError: the view file is damaged.
        """
        rows = self._views.rows("SELECT fields FROM evidence WHERE id = ?", eid)
        if not rows:
            raise KeyError(eid)
        try:
            fields = str(rows[0][0])
            pairs = quads.decode_fields(fields, text=not light)
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
        return found

    def light(self) -> LightEvidence:
        """The same evidence as the searches read it (see :class:`LightEvidence`)."""
        if self._light is None:
            self._light = LightEvidence(self)
        return self._light

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
        rows = self._views.rows("SELECT DISTINCT profile FROM evidence")
        return {self._profile(text) for (text,) in rows}

    def weights(self) -> dict[str, float]:
        """Each evidence's ranking weight (1 stated, 0.5 inferred), from its profile's level,
        without reading records."""
        weight: dict[object, float] = {}  # by profile: there are few distinct ones
        found = {}
        for eid, text in self._views.rows("SELECT id, profile FROM evidence"):
            if text not in weight:
                weight[text] = 1.0 if self._profile(text)[2] == Level.STATED.value else 0.5
            found[str(eid)] = weight[text]
        return found

    def _profile(self, text: object) -> tuple[tuple[str, ...], tuple[str, ...], str]:
        try:
            kinds, species, level = json.loads(str(text))
            return tuple(map(str, kinds)), tuple(map(str, species)), str(level)
        except (ValueError, TypeError) as exc:
            raise self._views.damaged(exc) from None


class LightEvidence(Mapping[str, Evidence]):
    """The records of an :class:`EvidenceIndex` with only what a search reads (level, study,
    study types, species, cell types and other contexts, references, cited references, PubMed
    ids, the review mark): the quote, section, notes and other text are left empty (``""`` or
    None), so they are never decoded. The trace, upstream and downstream searches and their
    scores run on these; what an answer shows comes from the index itself. A record the index
    already decoded is given whole.
    """

    def __init__(self, index: EvidenceIndex) -> None:
        self._index = index
        self._records: dict[str, Evidence] = {}

    def __getitem__(self, eid: str) -> Evidence:
        record = self._records.get(eid) or self._index._records.get(eid)
        if record is None:
            record = self._records[eid] = self._index.decode(eid, light=True)
        return record

    def __contains__(self, eid: object) -> bool:
        return eid in self._records or eid in self._index

    def __iter__(self) -> Iterator[str]:
        return iter(self._index)

    def __len__(self) -> int:
        return len(self._index)

    def profiles(self) -> set[tuple[tuple[str, ...], tuple[str, ...], str]]:
        """:meth:`EvidenceIndex.profiles` (what ``Scorer.hop_ceiling`` reads)."""
        return self._index.profiles()
