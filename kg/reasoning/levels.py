"""Which evidence levels an answer uses: the ``--evidence`` choices.

``curated`` (the default)
    stated, corrected and curator-inferred evidence: everything the curation stands behind.
    As-printed readings (the review's words read literally where they contradict the review
    elsewhere, the cited study or textbook biology) are left out, and answers say how many;
``stated``
    only what the review states: stated evidence and corrected readings (a correction is
    the review's own statement with a misprint put right, not an inference);
``all``
    everything, as-printed readings included; paths through them are marked.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Literal

from kg.model.records import Evidence, Level

__all__ = ["EVIDENCE_MODES", "EvidenceMode", "admits", "both", "level_filter"]

EvidenceMode = Literal["curated", "stated", "all"]
EVIDENCE_MODES: tuple[EvidenceMode, ...] = ("curated", "stated", "all")


def admits(mode: EvidenceMode, level: Level) -> bool:
    """Whether evidence of ``level`` is used under ``--evidence mode``.

    >>> admits("curated", Level.CURATOR_INFERRED), admits("stated", Level.CURATOR_INFERRED)
    (True, False)
    >>> admits("curated", Level.AS_PRINTED), admits("all", Level.AS_PRINTED)
    (False, True)
    """
    if mode == "all":
        return True
    if level is Level.AS_PRINTED:
        return False
    return mode == "curated" or level in (Level.STATED, Level.CORRECTED)


def level_filter(
    evidence: Mapping[str, Evidence], mode: EvidenceMode
) -> Callable[[str], bool] | None:
    """A predicate on evidence ids for ``--evidence mode`` (None: keep everything).

    Evidence ids with no record are kept: the filter decides on levels, nothing else.
    """
    if mode not in EVIDENCE_MODES:
        raise ValueError(f"unknown evidence mode {mode!r}")
    if mode == "all":
        return None

    def keep(eid: str) -> bool:
        record = evidence.get(eid)
        return record is None or admits(mode, record.level)

    return keep


def both(
    first: Callable[[str], bool] | None, second: Callable[[str], bool] | None
) -> Callable[[str], bool] | None:
    """The conjunction of two evidence predicates (None stands for "keep all")."""
    if first is None:
        return second
    if second is None:
        return first
    return lambda eid: first(eid) and second(eid)
