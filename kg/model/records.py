"""The data model: entities, evidence, assertions, studies and references. No I/O here.

An :class:`Assertion` cannot exist without evidence, and every :class:`Evidence` carries a
quote and the reference that really reports the finding (as in PyBEL, where an edge needs a
citation and evidence text).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

__all__ = [
    "Assertion",
    "Entity",
    "Evidence",
    "Level",
    "Reference",
    "Relation",
    "Study",
    "StudyType",
]


class Relation(Enum):
    """Relations usable as assertion predicates; values are the local names in ``kg.ttl``.

    >>> Relation("repressesTarget").sign
    -1
    """

    INCREASES = "increases"
    DECREASES = "decreases"
    DIRECTLY_INCREASES = "directlyIncreases"
    DIRECTLY_DECREASES = "directlyDecreases"
    REPRESSES_TARGET = "repressesTarget"
    DELIVERS = "delivers"
    REGULATES = "regulates"
    CARRIES = "carries"
    PART_OF = "partOf"
    HAS_PART = "hasPart"
    DERIVED_FROM = "derivedFrom"
    ASSOCIATED_WITH = "associatedWith"
    KIND_OF = "kindOf"

    @property
    def sign(self) -> int:
        """+1, -1, or 0 (no direction); the same as ``kg:sign`` in the ontology."""
        return _SIGNS[self]

    @property
    def causal(self) -> bool:
        """Whether the relation says the subject acts on the object."""
        return self not in _NON_CAUSAL


_SIGNS = {
    Relation.INCREASES: 1,
    Relation.DIRECTLY_INCREASES: 1,
    Relation.DELIVERS: 1,
    Relation.DECREASES: -1,
    Relation.DIRECTLY_DECREASES: -1,
    Relation.REPRESSES_TARGET: -1,
}
for _r in Relation:
    _SIGNS.setdefault(_r, 0)
_NON_CAUSAL = frozenset(
    {
        Relation.CARRIES,
        Relation.PART_OF,
        Relation.HAS_PART,
        Relation.DERIVED_FROM,
        Relation.ASSOCIATED_WITH,
        Relation.KIND_OF,
    }
)


class Level(Enum):
    """How a piece of evidence reads the review.

    ``STATED``: the review says it. ``CURATOR_INFERRED``: the curator adds a link the review
    relies on but does not state (``inference_reason`` says why). ``AS_PRINTED``: the review's
    words read literally where they contradict the review elsewhere, the cited study or
    textbook biology; kept, and linked by ``contradicts`` to the adopted reading.
    ``CORRECTED``: the reading the curation adopts instead (``inference_reason`` says why).
    """

    STATED = "Stated"
    CURATOR_INFERRED = "CuratorInferred"
    AS_PRINTED = "AsPrinted"
    CORRECTED = "Corrected"


class StudyType(Enum):
    """The kind of experiment behind a finding; values are ``kg.ttl`` local names."""

    IN_VITRO = "InVitro"
    IN_VIVO = "InVivo"
    CLINICAL = "Clinical"
    REVIEW_STATEMENT = "ReviewStatement"


@dataclass(frozen=True)
class Entity:
    """A node of the mechanism graph. ``type`` is a kg class local name (``"MicroRNA"``)."""

    id: str
    type: str
    label: str
    synonyms: tuple[str, ...] = ()
    xrefs: tuple[str, ...] = ()
    note: str | None = None


@dataclass(frozen=True)
class Evidence:
    """Support for an assertion from one place in the review, or one imported record.

    ``cited`` are the reference numbers the printed citation points to; ``references`` those
    that actually report the finding. They differ when the review mis-cites. Evidence for a
    sentence of the review that no entry of its reference list reports (an uncited sentence,
    or a citation that points nowhere useful) cites the review itself: ``cites_review`` is
    true and ``references`` may be empty. Evidence
    imported from a database (``source``, e.g. miRTarBase) cites PubMed ids (``pmids``)
    instead, and its ``quote`` is the source record's own text.
    """

    id: str
    quote: str
    section: str
    references: tuple[int, ...]
    level: Level = Level.STATED
    citation_printed: str | None = None
    cited: tuple[int, ...] = ()
    citation_note: str | None = None
    study: str | None = None
    study_types: tuple[StudyType, ...] = ()
    species: tuple[str, ...] = ()
    cell_types: tuple[str, ...] = ()
    exosome_origins: tuple[str, ...] = ()
    stressors: tuple[str, ...] = ()
    context: str | None = None
    inference_reason: str | None = None
    printed_as: str | None = None
    note: str | None = None
    pmids: tuple[str, ...] = ()
    source: str | None = None
    source_record: str | None = None
    experiments: tuple[str, ...] = ()
    support_type: str | None = None
    cites_review: bool = False

    @property
    def citation_mismatch(self) -> bool:
        """True when the printed citation does not point to the references that report it."""
        return bool(self.cited) and set(self.cited) != set(self.references)


@dataclass(frozen=True)
class Assertion:
    """One signed mechanism edge with its evidence; it cannot exist without evidence."""

    id: str
    subject: str
    relation: Relation
    object: str
    evidence: tuple[Evidence, ...]
    contradicts: tuple[str, ...] = ()
    contradiction_note: str | None = None

    def __post_init__(self) -> None:
        if not self.evidence:
            raise ValueError(f"assertion {self.id} has no evidence")


@dataclass(frozen=True)
class Reference:
    """One entry of the review's reference list, as printed."""

    number: int
    authors: str
    title: str
    journal: str
    year: int | None
    volume: str | None = None
    pages: str | None = None
    text: str = field(default="", compare=False)


@dataclass(frozen=True)
class Study:
    """A primary study as the review's Table 3 summarises it."""

    id: str
    reference: int
    aim: str
    exosome_origin: str
    exosome_origin_printed: str
    animal_model: str
    in_vitro: str
    in_vivo: str
    study_types: tuple[StudyType, ...]
    citation_printed: str
    species: tuple[str, ...] = ()
    note: str | None = None
