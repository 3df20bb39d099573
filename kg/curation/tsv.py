"""Import kg's own curation TSV: the assertions table of the curation, from outside the
shipped data.

The assertions table of the curation (:data:`kg.curation.tables.ASSERTION_COLUMNS`), read by
:func:`kg.curation.tables.read_assertions`. Entities, studies and reference numbers resolve
against the shipped curation; entities the shipped data lacks go in an accompanying
``entities.tsv`` (:data:`kg.curation.tables.ENTITY_COLUMNS`). Quotes must still be the
review's own words (``kg validate`` checks them).
"""

from __future__ import annotations

from pathlib import Path

from kg.curation.imported import Imported, Shipped, shipped_curation
from kg.model import shipped
from kg.model.errors import CurationError, KGError, NotFoundError
from kg.model.records import Assertion, Entity, Study
from kg.store import rdf

__all__ = ["read_tsv"]


def _row_lines(lines: list[str]) -> tuple[int | None, dict[str, list[int]]]:
    """The header's line number, and the data lines of each assertion id, in file order.

    Mirrors what :func:`kg.curation.tables.read_assertions` skips (blank and ``#`` lines).
    """
    header: int | None = None
    groups: dict[str, list[int]] = {}
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.startswith("#"):
            continue
        if header is None:
            header = number
            continue
        groups.setdefault(line.split("\t")[0].strip(), []).append(number)
    return header, groups


def read_tsv(
    path: Path,
    *,
    entities_file: Path | None = None,
    known: Shipped | None = None,
) -> Imported:
    """Read a curation assertions table (the columns of ``data/curation/assertions.tsv``).

    Entities, studies and reference numbers resolve against the shipped curation;
    ``entities_file`` (``entities.tsv`` columns) adds entities it lacks. Every bad row is
    collected: :func:`kg.curation.tables.read_assertions` records the rows it rejects, and the rows
    rejected by the checks it does not make (:func:`_tsv_problems`) are left out in one more
    read, until a read rejects nothing new.

    Raises:
        NotFoundError: a file does not exist.
        CurationError: the header is wrong, or the entities file is malformed (both are
            problems of the whole file, not of one row).
    """
    from kg.curation.tables import read_assertions

    base = known if known is not None else shipped_curation()
    entities = _with_entities(base.entities, entities_file)
    if not path.is_file():
        raise NotFoundError(f"{path}: no such file")
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    header, groups = _row_lines(lines)
    if header is None:
        raise CurationError(str(path), 1, "empty file: no header")
    bad: list[CurationError] = []
    while True:
        errors: list[CurationError] = []
        skip = {e.line for e in bad}
        assertions = read_assertions(path, entities, base.studies, errors=errors, skip=skip)
        bad += errors
        skip |= {e.line for e in errors}
        left = {aid: [n for n in rows if n not in skip] for aid, rows in groups.items()}
        problems = _tsv_problems(assertions, base, left)
        bad += [CurationError(str(path), line, message) for line, message in problems]
        if not errors and not problems:
            break
    bad.sort(key=lambda e: e.line)
    return _tsv_imported(
        path, assertions=assertions, entities=entities, base=base, bad=tuple(bad), groups=groups
    )


def _with_entities(known: dict[str, Entity], entities_file: Path | None) -> dict[str, Entity]:
    from kg.curation.build import entity_classes
    from kg.curation.tables import read_entities

    entities = dict(known)
    if entities_file is None:
        return entities
    classes = entity_classes(rdf.load([shipped.ontology_file()]))
    for eid, entity in read_entities(entities_file, classes).items():
        if eid in entities and entities[eid] != entity:
            raise KGError(
                f"{entities_file}: entity {eid!r} is already a shipped entity; "
                "drop it from the file or give it another id"
            )
        entities[eid] = entity
    return entities


def _tsv_imported(
    path: Path,
    *,
    assertions: list[Assertion],
    entities: dict[str, Entity],
    base: Shipped,
    bad: tuple[CurationError, ...],
    groups: dict[str, list[int]],
) -> Imported:
    """The import of a curation table: its assertions and all they name."""
    used: dict[str, Entity] = {}
    studies: dict[str, Study] = {}
    numbers: set[int] = set()
    for assertion in assertions:
        names = [assertion.subject, assertion.object]
        for ev in assertion.evidence:
            names += [*ev.species, *ev.cell_types, *ev.exosome_origins, *ev.stressors]
            numbers |= {*ev.references, *ev.cited}
            if ev.study:
                study = base.studies[ev.study]
                studies[study.id] = study
                names += [study.exosome_origin, *study.species]
                numbers.add(study.reference)
        for name in names:
            used[name] = entities[name]
    rows = sum(len(g) for g in groups.values())
    return Imported(
        path=path,
        rows=rows,
        assertions=assertions,
        entities=used,
        bad=bad,
        studies=studies,
        references={n: base.references[n] for n in sorted(numbers)},
    )


def _tsv_problems(
    assertions: list[Assertion], base: Shipped, groups: dict[str, list[int]]
) -> list[tuple[int, str]]:
    """Row problems :func:`kg.curation.tables.read_assertions` does not check, by line."""
    problems: list[tuple[int, str]] = []
    for assertion in assertions:
        lines = groups.get(assertion.id, [])
        if assertion.id in base.assertion_ids:
            message = f"assertion id {assertion.id!r} is already in the shipped data; rename it"
            problems += [(n, message) for n in lines]
            continue
        # Evidence k of an assertion comes from its k-th row left in the file.
        for ev, line in zip(assertion.evidence, lines, strict=False):
            missing = sorted((set(ev.references) | set(ev.cited)) - set(base.references))
            if missing:
                listed = ", ".join(map(str, missing))
                problems.append((line, f"reference {listed} is not in the review's list"))
    return problems
