"""Context coherence of a path: are its hops supported within one study, one cell type, or
stitched together from different contexts?

A hop's studies are those of any of its evidence (the Table 3 study, the references that
report it, PubMed ids); its cell types likewise. A path is ``study``-coherent when one study
supports every hop, ``cell-type``-coherent when one cell type does (and no study does), and
``stitched`` otherwise: each step may be true, but no single experiment showed the chain.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Literal

from kg.reasoning.signed import Coherence, Hop, MechanismPath, SignedView

__all__ = ["COHERENCE_RANK", "CoherenceFilter", "admits", "annotate", "candidates", "of_hops"]

#: ``--coherence`` values: the least coherence a path must have.
CoherenceFilter = Literal["study", "cell-type", "any"]
#: Sort key: coherent paths first.
COHERENCE_RANK: dict[Coherence, int] = {"study": 0, "cell-type": 1, "stitched": 2}


def of_hops(
    view: SignedView, hops: Iterable[Hop]
) -> tuple[Coherence, tuple[str, ...], tuple[str, ...]]:
    """(coherence, studies shared by every hop, cell types shared by every hop)."""
    studies: frozenset[str] | None = None
    cells: frozenset[str] | None = None
    for hop in hops:
        s, c = view.hop_contexts(hop)
        studies = s if studies is None else studies & s
        cells = c if cells is None else cells & c
    shared_studies = tuple(sorted(studies or ()))
    shared_cells = tuple(sorted(cells or ()))
    level: Coherence = "study" if shared_studies else "cell-type" if shared_cells else "stitched"
    return level, shared_studies, shared_cells


def annotate(view: SignedView, path: MechanismPath) -> MechanismPath:
    """``path`` with its coherence, shared studies and shared cell types filled in."""
    level, studies, cells = of_hops(view, path.hops)
    return replace(path, coherence=level, studies=studies, cell_types=cells)


def admits(wanted: CoherenceFilter, level: Coherence) -> bool:
    """Whether a path of coherence ``level`` passes ``--coherence wanted``."""
    if wanted == "any":
        return True
    if wanted == "cell-type":
        return level in ("study", "cell-type")
    return level == "study"


def candidates(
    view: SignedView,
    first: Iterable[Hop],
    last: Iterable[Hop],
    wanted: CoherenceFilter,
) -> list[tuple[str, str]]:
    """The contexts (``("study", s)`` or ``("cell-type", c)``) that could support a whole
    path: each supports some hop leaving a source and some hop entering a target."""
    out_s: set[str] = set()
    out_c: set[str] = set()
    in_s: set[str] = set()
    in_c: set[str] = set()
    for hop in first:
        s, c = view.hop_contexts(hop)
        out_s |= s
        out_c |= c
    for hop in last:
        s, c = view.hop_contexts(hop)
        in_s |= s
        in_c |= c
    found = [("study", s) for s in sorted(out_s & in_s)]
    if wanted != "study":
        found += [("cell-type", c) for c in sorted(out_c & in_c)]
    return found
