"""Read the curation tables (``data/curation/*.tsv``) into model objects, row by row.

The tables are the curator's working form; ``kg build`` turns them into ``data/review.ttl``,
the stored RDF. Columns (tab-separated, a header line first, ``#`` starts a comment line,
several values in one cell are separated by ``|``):

``entities.tsv``
    id, type, label, synonyms, xrefs, note
``studies.tsv``
    id, reference, citation_printed, aim, exosome_origin, exosome_origin_printed,
    animal_model, species, in_vitro, in_vivo, study_types, note
``assertions.tsv`` (one row per piece of evidence; rows with the same ``assertion`` id form
one assertion, and later rows may leave subject, relation and object empty)
    assertion, subject, relation, object, quote, section, citation_printed, reference,
    citation_note, study, study_type, species, cell_type, exosome_origin, stressor, context,
    level, inference_reason, printed_as, contradicts, contradiction_note, note

``level`` is ``stated`` (the default), ``inferred`` (curator-inferred), ``as-printed`` (the
review's words read literally where they contradict the review elsewhere, the cited study or
textbook biology; its assertion must ``contradicts`` the adopted reading) or ``corrected``
(the adopted reading); ``inferred`` and ``corrected`` need ``inference_reason``. ``reference``
is the entry that really reports the finding when the printed citation is wrong, or ``review``
for a sentence no entry reports (uncited sentences: the evidence cites the review itself).

Every problem is a :class:`~kg.model.errors.CurationError` naming the file and line.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from pathlib import Path

from kg.model.errors import CurationError, NotFoundError
from kg.model.records import Assertion, Entity, Evidence, Level, Relation, Study, StudyType

__all__ = [
    "ASSERTION_COLUMNS",
    "ENTITY_COLUMNS",
    "REVIEW_ITSELF",
    "STUDY_COLUMNS",
    "Curation",
    "parse_citation",
    "read_curation",
]

ENTITY_COLUMNS = ("id", "type", "label", "synonyms", "xrefs", "note")
STUDY_COLUMNS = (
    "id", "reference", "citation_printed", "aim", "exosome_origin", "exosome_origin_printed",
    "animal_model", "species", "in_vitro", "in_vivo", "study_types", "note",
)  # fmt: skip
ASSERTION_COLUMNS = (
    "assertion", "subject", "relation", "object", "quote", "section", "citation_printed",
    "reference", "citation_note", "study", "study_type", "species", "cell_type",
    "exosome_origin", "stressor", "context", "level", "inference_reason", "printed_as",
    "contradicts", "contradiction_note", "note",
)  # fmt: skip

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_STUDY_TYPES = {
    "in vitro": StudyType.IN_VITRO,
    "in vivo": StudyType.IN_VIVO,
    "clinical": StudyType.CLINICAL,
    "review": StudyType.REVIEW_STATEMENT,
}
_LEVELS = {
    "stated": Level.STATED,
    "inferred": Level.CURATOR_INFERRED,
    "as-printed": Level.AS_PRINTED,
    "corrected": Level.CORRECTED,
}
_NEEDS_REASON = {Level.CURATOR_INFERRED: "an inferred link", Level.CORRECTED: "a corrected reading"}
REVIEW_ITSELF = "review"
_RELATION_NAMES = ", ".join(r.value for r in Relation)


@dataclass(frozen=True)
class Curation:
    """Everything curated: entities by id, studies by id, assertions in file order."""

    entities: dict[str, Entity]
    studies: dict[str, Study]
    assertions: list[Assertion]


Row = dict[str, str]


def parse_citation(printed: str) -> tuple[int, ...]:
    """Reference numbers of a printed citation, ranges expanded.

    >>> parse_citation("[15,73,82,135–141]")
    (15, 73, 82, 135, 136, 137, 138, 139, 140, 141)
    """
    body = printed.strip().removeprefix("[").removesuffix("]")
    numbers: list[int] = []
    for part in re.split(r"\s*,\s*", body):
        if not part:
            continue
        bounds = re.split(r"\s*[–-]\s*", part)
        if not all(b.isdigit() for b in bounds) or len(bounds) > 2:
            raise ValueError(f"not a citation: {printed!r}")
        lo, hi = int(bounds[0]), int(bounds[-1])
        numbers.extend(range(lo, hi + 1))
    return tuple(numbers)


def _rows(
    path: Path,
    columns: tuple[str, ...],
    *,
    errors: list[CurationError] | None = None,
    skip: Collection[int] = (),
) -> Iterator[tuple[int, Row]]:
    """Data rows with their line numbers. A row with too many cells raises, or with
    ``errors`` is recorded there and left out; lines in ``skip`` are left out silently."""
    if not path.is_file():
        raise NotFoundError(f"{path}: no such curation file")
    lines = path.read_text(encoding="utf-8").splitlines()
    header_seen = False
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if not header_seen:
            if tuple(cells) != columns:
                raise CurationError(
                    str(path), number, f"header must be the columns {', '.join(columns)}"
                )
            header_seen = True
            continue
        if number in skip:
            continue
        if len(cells) > len(columns):
            error = CurationError(
                str(path), number, f"{len(cells)} cells, expected at most {len(columns)}"
            )
            if errors is None:
                raise error
            errors.append(error)
            continue
        cells += [""] * (len(columns) - len(cells))
        yield number, {c: v.strip() for c, v in zip(columns, cells, strict=True)}


def _multi(value: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in value.split("|") if v.strip())


def _numbers(path: Path, line: int, column: str, value: str) -> tuple[int, ...]:
    try:
        return tuple(int(v) for v in _multi(value))
    except ValueError:
        raise CurationError(
            str(path), line, f"{column} must be reference numbers separated by '|', not {value!r}"
        ) from None


def _study_types(path: Path, line: int, value: str) -> tuple[StudyType, ...]:
    try:
        return tuple(_STUDY_TYPES[v.lower()] for v in _multi(value))
    except KeyError as exc:
        raise CurationError(
            str(path), line, f"unknown study type {exc.args[0]!r}; use {', '.join(_STUDY_TYPES)}"
        ) from None


def read_entities(path: Path, classes: frozenset[str]) -> dict[str, Entity]:
    """Read ``entities.tsv``; ``classes`` are the kg entity class names allowed as ``type``."""
    entities: dict[str, Entity] = {}
    for line, row in _rows(path, ENTITY_COLUMNS):
        if not _ID.match(row["id"]):
            raise CurationError(str(path), line, f"bad entity id {row['id']!r}: use [A-Za-z0-9_.-]")
        if row["id"] in entities:
            raise CurationError(str(path), line, f"duplicate entity id {row['id']!r}")
        if row["type"] not in classes:
            raise CurationError(
                str(path),
                line,
                f"unknown type {row['type']!r}; use one of {', '.join(sorted(classes))}",
            )
        if not row["label"]:
            raise CurationError(str(path), line, f"entity {row['id']!r} has no label")
        entities[row["id"]] = Entity(
            id=row["id"],
            type=row["type"],
            label=row["label"],
            synonyms=_multi(row["synonyms"]),
            xrefs=_multi(row["xrefs"]),
            note=row["note"] or None,
        )
    return entities


def _known(
    path: Path, line: int, column: str, ids: tuple[str, ...], known: dict[str, Entity]
) -> tuple[str, ...]:
    for value in ids:
        if value not in known:
            raise CurationError(
                str(path), line, f"{column}: unknown entity {value!r}; add it to entities.tsv"
            )
    return ids


def read_studies(path: Path, entities: dict[str, Entity]) -> dict[str, Study]:
    """Read ``studies.tsv`` (the review's Table 3 rows)."""
    studies: dict[str, Study] = {}
    for line, row in _rows(path, STUDY_COLUMNS):
        if not _ID.match(row["id"]) or row["id"] in studies:
            raise CurationError(str(path), line, f"bad or duplicate study id {row['id']!r}")
        refs = _numbers(path, line, "reference", row["reference"])
        if len(refs) != 1:
            raise CurationError(str(path), line, "reference must be exactly one number")
        origin = _known(path, line, "exosome_origin", (row["exosome_origin"],), entities)[0]
        studies[row["id"]] = Study(
            id=row["id"],
            reference=refs[0],
            aim=row["aim"],
            exosome_origin=origin,
            exosome_origin_printed=row["exosome_origin_printed"],
            animal_model=row["animal_model"],
            in_vitro=row["in_vitro"],
            in_vivo=row["in_vivo"],
            study_types=_study_types(path, line, row["study_types"]),
            citation_printed=row["citation_printed"],
            species=_known(path, line, "species", _multi(row["species"]), entities),
            note=row["note"] or None,
        )
    return studies


def read_assertions(
    path: Path,
    entities: dict[str, Entity],
    studies: dict[str, Study],
    *,
    errors: list[CurationError] | None = None,
    skip: Collection[int] = (),
) -> list[Assertion]:
    """Read ``assertions.tsv``: one row per evidence, grouped by assertion id.

    The first problem raises a :class:`CurationError`. With ``errors``, every bad row is
    recorded there instead and left out (an assertion whose first good row names an unknown
    entity or relation is left out with all its rows), and the rest is returned. Lines in
    ``skip`` are ignored (an importer's rows already rejected for other reasons).
    """
    heads: dict[str, tuple[int, Row]] = {}
    evidence: dict[str, list[Evidence]] = {}
    lines: dict[str, list[int]] = {}
    for line, row in _rows(path, ASSERTION_COLUMNS, errors=errors, skip=skip):
        aid = row["assertion"]
        try:
            _check_row(path, line, row, heads.get(aid))
            eid = f"{aid}-{len(evidence.get(aid, ())) + 1}"
            record = _evidence(path, line, row, eid, entities, studies)
        except CurationError as exc:
            if errors is None:
                raise
            errors.append(exc)
            continue
        heads.setdefault(aid, (line, row))
        evidence.setdefault(aid, []).append(record)
        lines.setdefault(aid, []).append(line)
    assertions = []
    for aid, (line, row) in heads.items():
        try:
            assertions.append(_assertion(path, (line, row), evidence[aid], entities, heads))
        except CurationError as exc:
            if errors is None:
                raise
            errors.append(exc)
            errors.extend(
                CurationError(str(path), n, f"left out with its assertion {aid!r} (line {line})")
                for n in lines[aid][1:]
            )
    return assertions


def _check_row(path: Path, line: int, row: Row, head: tuple[int, Row] | None) -> None:
    """A row's id is well formed, and a later row of an assertion repeats its first row's
    subject, relation and object (or leaves them empty)."""
    aid = row["assertion"]
    if not _ID.match(aid):
        raise CurationError(str(path), line, f"bad assertion id {aid!r}: use [A-Za-z0-9_.-]")
    if head is None:
        return
    for col in ("subject", "relation", "object"):
        if row[col] and row[col] != head[1][col]:
            message = f"{col} {row[col]!r} differs from the first row of {aid!r}"
            raise CurationError(str(path), line, message)


def _assertion(
    path: Path,
    head: tuple[int, Row],
    evidence: list[Evidence],
    entities: dict[str, Entity],
    assertion_ids: Collection[str],
) -> Assertion:
    """The assertion whose first row is ``head``: the checks that need the whole table."""
    line, row = head
    _known(path, line, "subject", (row["subject"],), entities)
    _known(path, line, "object", (row["object"],), entities)
    try:
        relation = Relation(row["relation"])
    except ValueError:
        raise CurationError(
            str(path),
            line,
            f"unknown relation {row['relation']!r}; use one of {_RELATION_NAMES}",
        ) from None
    contradicts = _multi(row["contradicts"])
    for other in contradicts:
        if other not in assertion_ids:
            raise CurationError(str(path), line, f"contradicts unknown assertion {other!r}")
    return Assertion(
        id=row["assertion"],
        subject=row["subject"],
        relation=relation,
        object=row["object"],
        evidence=tuple(evidence),
        contradicts=contradicts,
        contradiction_note=row["contradiction_note"] or None,
    )


def _evidence(  # noqa: PLR0917 - private helper called once, with the row's full context
    path: Path,
    line: int,
    row: Row,
    eid: str,
    entities: dict[str, Entity],
    studies: dict[str, Study],
) -> Evidence:
    where = str(path)
    if not row["quote"]:
        raise CurationError(
            where, line, "quote is empty: every evidence needs the review's exact words"
        )
    if not row["section"]:
        raise CurationError(where, line, "section is empty (e.g. '8.2' or 'Table 3, row [20]')")
    try:
        level = _LEVELS[row["level"] or "stated"]
    except KeyError:
        raise CurationError(
            where, line, f"level must be one of {', '.join(_LEVELS)}, not {row['level']!r}"
        ) from None
    if level in _NEEDS_REASON and not row["inference_reason"]:
        raise CurationError(where, line, f"{_NEEDS_REASON[level]} needs inference_reason")
    try:
        cited = parse_citation(row["citation_printed"]) if row["citation_printed"] else ()
    except ValueError as exc:
        raise CurationError(where, line, str(exc)) from None
    cites_review = row["reference"].strip().lower() == REVIEW_ITSELF
    references = (
        () if cites_review else (_numbers(path, line, "reference", row["reference"]) or cited)
    )
    if not references and not cites_review:
        raise CurationError(
            where, line, "no reference: give citation_printed or reference ('review' if none)"
        )
    if set(cited) and set(cited) != set(references) and not row["citation_note"]:
        raise CurationError(
            where, line, "citation_printed and reference differ: explain in citation_note"
        )
    if row["study"] and row["study"] not in studies:
        raise CurationError(where, line, f"unknown study {row['study']!r}; add it to studies.tsv")
    return Evidence(
        id=eid,
        quote=row["quote"],
        section=row["section"],
        references=references,
        level=level,
        citation_printed=row["citation_printed"] or None,
        cited=cited,
        citation_note=row["citation_note"] or None,
        study=row["study"] or None,
        study_types=_study_types(path, line, row["study_type"]),
        species=_known(path, line, "species", _multi(row["species"]), entities),
        cell_types=_known(path, line, "cell_type", _multi(row["cell_type"]), entities),
        exosome_origins=_known(
            path, line, "exosome_origin", _multi(row["exosome_origin"]), entities
        ),
        stressors=_known(path, line, "stressor", _multi(row["stressor"]), entities),
        context=row["context"] or None,
        inference_reason=row["inference_reason"] or None,
        printed_as=row["printed_as"] or None,
        note=row["note"] or None,
        cites_review=cites_review,
    )


def read_curation(directory: Path, classes: frozenset[str]) -> Curation:
    """Read ``entities.tsv``, ``studies.tsv`` and ``assertions.tsv`` from ``directory``."""
    entities = read_entities(directory / "entities.tsv", classes)
    studies = read_studies(directory / "studies.tsv", entities)
    assertions = read_assertions(directory / "assertions.tsv", entities, studies)
    return Curation(entities=entities, studies=studies, assertions=assertions)
