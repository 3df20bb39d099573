"""Import records from outside the review: miRTarBase downloads and kg's own curation TSV.

Both formats are validated row by row. A bad row is a :class:`~kg.errors.CurationError`
naming the file and line; :func:`read_mirtarbase` and :func:`read_tsv` collect **all** of
them, and :func:`import_file` either refuses the whole file (the default: nothing is
written) or, with ``skip_bad``, imports the good rows and returns the skipped ones.

``mirtarbase``
    The miRTarBase download layout, tab-separated, header first (:data:`MIRTARBASE_COLUMNS`).
    Each row becomes one :class:`~kg.model.Evidence` of the assertion
    ``<miRNA> repressesTarget <gene>``; rows naming the same (miRNA, gene) pair are one
    assertion with several evidence. The evidence id is the miRTarBase ID (``MIRT000002``;
    a repeated ID gets ``-2``, ``-3``...), its quote the row's own fields rendered as
    ``column: value; ...``, its section and source ``miRTarBase``; experiments are split on
    ``//`` or ``;``, PubMed ids on ``//``, ``;``, ``,`` or ``|``. A species that names one
    of kg's organisms (``Homo sapiens`` → ``human``) becomes the evidence's species, any
    other stays in its context text. A miRNA or gene name that is the label or a synonym of
    exactly one shipped entity of a matching type (``hsa-miR-21-5p`` → ``miR-21``,
    ``PTEN``) is that entity, so imported targets join the review's mechanisms; other names
    become new entities typed ``MicroRNA`` / ``GeneOrProtein`` whose id is the name made
    safe (``[A-Za-z0-9_.-]``). Every row is read as ``repressesTarget`` whatever its support
    type; the support type is kept on the evidence for filtering.
``tsv``
    The assertions table of the curation (:data:`kg.curation.ASSERTION_COLUMNS`), read by
    :func:`kg.curation.read_assertions`. Entities, studies and reference numbers resolve
    against the shipped curation; entities the shipped data lacks go in an accompanying
    ``entities.tsv`` (:data:`kg.curation.ENTITY_COLUMNS`). Quotes must still be the review's
    own words (``kg validate`` checks them).

The output holds everything its assertions name (entities, organisms, studies, references,
PubMed records), so it validates on its own and merges with the shipped data.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from rdflib import Graph

from kg import io, shipped
from kg.errors import CurationError, KGError, NotFoundError
from kg.model import Assertion, Entity, Evidence, Reference, Relation, Study
from kg.resolve import name_key

__all__ = [
    "MIRTARBASE_COLUMNS",
    "SUPPORT_TYPES",
    "BadRowsError",
    "Format",
    "Imported",
    "Progress",
    "import_file",
    "read_mirtarbase",
    "read_tsv",
    "safe_id",
    "to_graph",
]

Format = Literal["mirtarbase", "tsv"]
Progress = Callable[[int, int], None]
"""Called with (done, total) assertions while the graph is built."""

MIRTARBASE_COLUMNS = (
    "miRTarBase ID", "miRNA", "Species (miRNA)", "Target Gene", "Target Gene (Entrez ID)",
    "Species (Target Gene)", "Experiments", "Support Type", "References (PMID)",
)  # fmt: skip
SUPPORT_TYPES = (
    "Functional MTI",
    "Functional MTI (Weak)",
    "Non-Functional MTI",
    "Non-Functional MTI (Weak)",
)
SOURCE = "miRTarBase"
# Scientific names miRTarBase uses for the organisms kg's shipped entities already name.
_SCIENTIFIC = {
    "homo sapiens": "human",
    "mus musculus": "mouse",
    "rattus norvegicus": "rat",
    "sus scrofa": "pig",
    "oryctolagus cuniculus": "rabbit",
}
_GENE_TYPES = frozenset({"GeneOrProtein", "Cytokine", "GrowthFactor"})
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")
_SPECIES = re.compile(r"^[A-Za-z][A-Za-z0-9 .()'/-]*$")
_EXPERIMENTS = re.compile(r"\s*(?://|;)\s*")
_PMIDS = re.compile(r"\s*(?://|[;,|])\s*")
_PROGRESS_EVERY = 1000


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


def safe_id(name: str) -> str:
    """An entity id made of ``[A-Za-z0-9_.-]`` from a name, starting with a letter or digit.

    >>> safe_id("hsa-miR-21-5p"), safe_id("HLA-A*02:01"), safe_id(" (weird) ")
    ('hsa-miR-21-5p', 'HLA-A_02_01', 'weird')
    """
    slug = _UNSAFE.sub("_", name).strip("_.-")
    return slug or "entity"


# ---------------------------------------------------------------- shipped entities


@dataclass(frozen=True)
class _Shipped:
    entities: dict[str, Entity]
    studies: dict[str, Study]
    assertion_ids: frozenset[str]
    references: dict[int, Reference]


def _shipped() -> _Shipped:
    from kg.build import entity_classes
    from kg.curation import read_curation
    from kg.references import parse_references

    classes = entity_classes(io.load([shipped.ontology_file()]))
    curation = read_curation(shipped.data_dir() / "curation", classes)
    refs = parse_references(shipped.review_text_file().read_text(encoding="utf-8"))
    return _Shipped(
        entities=curation.entities,
        studies=curation.studies,
        assertion_ids=frozenset(a.id for a in curation.assertions),
        references={r.number: r for r in refs},
    )


def _name_index(entities: dict[str, Entity], types: frozenset[str]) -> dict[str, str]:
    """name key → entity id, for names that belong to exactly one entity of these types."""
    owners: dict[str, set[str]] = {}
    for entity in entities.values():
        if entity.type in types:
            for name in (entity.id, entity.label, *entity.synonyms):
                owners.setdefault(name_key(name), set()).add(entity.id)
    return {key: next(iter(ids)) for key, ids in owners.items() if len(ids) == 1}


# ---------------------------------------------------------------- miRTarBase


@dataclass(frozen=True)
class _Row:
    line: int
    record: str
    mirna: str
    mirna_species: str
    gene: str
    entrez: str
    gene_species: str
    experiments: tuple[str, ...]
    support_type: str
    pmids: tuple[str, ...]
    quote: str


def _lines(path: Path) -> Iterator[tuple[int, str]]:
    if not path.is_file():
        raise NotFoundError(f"{path}: no such file")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for number, line in enumerate(handle, start=1):
            yield number, line.rstrip("\r\n")


def _mirtarbase_row(path: Path, line: int, text: str) -> _Row:
    where = str(path)
    cells = [c.strip() for c in text.split("\t")]
    if len(cells) != len(MIRTARBASE_COLUMNS):
        raise CurationError(where, line, f"{len(cells)} cells, expected {len(MIRTARBASE_COLUMNS)}")
    row = dict(zip(MIRTARBASE_COLUMNS, cells, strict=True))
    for column, value in row.items():
        if not value:
            raise CurationError(where, line, f"missing {column}")
    record = row["miRTarBase ID"]
    if not _ID.match(record):
        raise CurationError(where, line, f"bad miRTarBase ID {record!r}: use [A-Za-z0-9_.-]")
    if not row["Target Gene (Entrez ID)"].isdigit():
        entrez = row["Target Gene (Entrez ID)"]
        raise CurationError(where, line, f"non-numeric Entrez ID {entrez!r}")
    for column in ("Species (miRNA)", "Species (Target Gene)"):
        if not _SPECIES.match(row[column]):
            raise CurationError(
                where, line, f"bad species {row[column]!r} in {column}: give the organism's name"
            )
    if row["Support Type"] not in SUPPORT_TYPES:
        raise CurationError(
            where,
            line,
            f"unknown support type {row['Support Type']!r}; use one of {', '.join(SUPPORT_TYPES)}",
        )
    experiments = tuple(e for e in _EXPERIMENTS.split(row["Experiments"]) if e)
    if not experiments:
        raise CurationError(where, line, "missing Experiments")
    pmids = tuple(p for p in _PMIDS.split(row["References (PMID)"]) if p)
    for pmid in pmids:
        if not pmid.isdigit():
            raise CurationError(where, line, f"non-numeric PMID {pmid!r}: PubMed ids are digits")
    if not pmids:
        raise CurationError(where, line, "missing References (PMID)")
    return _Row(
        line=line,
        record=record,
        mirna=row["miRNA"],
        mirna_species=row["Species (miRNA)"],
        gene=row["Target Gene"],
        entrez=row["Target Gene (Entrez ID)"],
        gene_species=row["Species (Target Gene)"],
        experiments=experiments,
        support_type=row["Support Type"],
        pmids=tuple(dict.fromkeys(pmids)),
        quote="; ".join(f"{c}: {v}" for c, v in row.items()),
    )


class _Ids:
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


class _MirtarbaseBuilder:
    def __init__(self, known: dict[str, Entity]) -> None:
        self.known = known
        self.mirna_index = _name_index(known, frozenset({"MicroRNA"}))
        self.gene_index = _name_index(known, _GENE_TYPES)
        organisms = {e.id for e in known.values() if e.type == "Organism"}
        self.organism_index = _name_index(known, frozenset({"Organism"}))
        for scientific, oid in _SCIENTIFIC.items():
            if oid in organisms:
                self.organism_index.setdefault(name_key(scientific), oid)
        self.entities: dict[str, Entity] = {}
        self.entity_of: dict[tuple[str, str], str] = {}
        self.entrez: dict[str, set[str]] = {}
        self.entity_ids = _Ids(set(known))
        self.evidence_ids = _Ids(set())
        self.assertion_ids = _Ids(set())
        self.pairs: dict[tuple[str, str], list[Evidence]] = {}

    def _entity(self, kind: str, name: str) -> str:
        found = self.entity_of.get((kind, name))
        if found is not None:
            return found
        index = self.mirna_index if kind == "MicroRNA" else self.gene_index
        known = index.get(name_key(name))
        if known is not None:
            entity = self.known[known]
        else:
            entity = Entity(id=self.entity_ids.new(safe_id(name)), type=kind, label=name)
        self.entities[entity.id] = entity
        self.entity_of[(kind, name)] = entity.id
        return entity.id

    def add(self, row: _Row) -> None:
        mirna = self._entity("MicroRNA", row.mirna)
        gene = self._entity("GeneOrProtein", row.gene)
        if self.entities[gene].type == "GeneOrProtein" and gene not in self.known:
            self.entrez.setdefault(gene, set()).add(row.entrez)
        species: list[str] = []
        unmapped: list[str] = []
        for column, name in (
            ("Species (miRNA)", row.mirna_species),
            ("Species (Target Gene)", row.gene_species),
        ):
            organism = self.organism_index.get(name_key(name))
            if organism is None:
                unmapped.append(f"{column}: {name}")
            elif organism not in species:
                species.append(organism)
                self.entities[organism] = self.known[organism]
        evidence = Evidence(
            id=self.evidence_ids.new(row.record),
            quote=row.quote,
            section=SOURCE,
            references=(),
            species=tuple(sorted(species)),
            context="; ".join(unmapped) or None,
            pmids=row.pmids,
            source=SOURCE,
            source_record=row.record,
            experiments=row.experiments,
            support_type=row.support_type,
        )
        self.pairs.setdefault((mirna, gene), []).append(evidence)

    def assertions(self) -> list[Assertion]:
        return [
            Assertion(
                id=self.assertion_ids.new(f"{mirna}-represses-{gene}"),
                subject=mirna,
                relation=Relation.REPRESSES_TARGET,
                object=gene,
                evidence=tuple(evidence),
            )
            for (mirna, gene), evidence in self.pairs.items()
        ]

    def final_entities(self) -> dict[str, Entity]:
        result = dict(self.entities)
        for gene, ids in self.entrez.items():
            note = f"NCBI Gene (Entrez) {', '.join(sorted(ids, key=int))}, as miRTarBase gives it"
            label = result[gene].label
            result[gene] = Entity(id=gene, type="GeneOrProtein", label=label, note=note)
        return result


def read_mirtarbase(path: Path, *, known: dict[str, Entity] | None = None) -> Imported:
    """Read a miRTarBase-format file, collecting every bad row instead of stopping at one.

    ``known`` are the entities names resolve against first (default: the shipped ones).

    Raises:
        NotFoundError: the file does not exist.
        CurationError: the header is not :data:`MIRTARBASE_COLUMNS` (the file is not in the
            miRTarBase layout at all).

    Example:
        >>> import tempfile
        >>> tmp = Path(tempfile.mkdtemp()) / "mti.tsv"
        >>> row = "MIRT000001\\thsa-miR-21-5p\\tHomo sapiens\\tPTEN\\t5728\\tHomo sapiens" \\
        ...     "\\tLuciferase reporter assay//Western blot\\tFunctional MTI\\t19956200"
        >>> _ = tmp.write_text("\\t".join(MIRTARBASE_COLUMNS) + "\\n" + row + "\\n")
        >>> result = read_mirtarbase(tmp)
        >>> [(a.subject, a.object, a.evidence[0].pmids) for a in result.assertions]
        [('miR-21', 'PTEN', ('19956200',))]
    """
    builder = _MirtarbaseBuilder(known if known is not None else _shipped().entities)
    bad: list[CurationError] = []
    rows = 0
    header = False
    for line, text in _lines(path):
        if not text.strip():
            continue
        if not header:
            if tuple(c.strip() for c in text.split("\t")) != MIRTARBASE_COLUMNS:
                raise CurationError(
                    str(path),
                    line,
                    "not a miRTarBase file: the header must be the columns "
                    + ", ".join(MIRTARBASE_COLUMNS),
                )
            header = True
            continue
        rows += 1
        try:
            builder.add(_mirtarbase_row(path, line, text))
        except CurationError as exc:
            bad.append(exc)
    if not header:
        raise CurationError(str(path), 1, "empty file: no miRTarBase header")
    return Imported(
        path=path,
        rows=rows,
        assertions=builder.assertions(),
        entities=builder.final_entities(),
        bad=tuple(bad),
    )


# ---------------------------------------------------------------- curation TSV


def _row_lines(lines: list[str]) -> tuple[int | None, dict[str, list[int]]]:
    """The header's line number, and the data lines of each assertion id, in file order.

    Mirrors what :func:`kg.curation.read_assertions` skips (blank and ``#`` lines).
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
    known: _Shipped | None = None,
) -> Imported:
    """Read a curation assertions table (the columns of ``data/curation/assertions.tsv``).

    Entities, studies and reference numbers resolve against the shipped curation;
    ``entities_file`` (``entities.tsv`` columns) adds entities it lacks. Every bad row is
    collected: :func:`kg.curation.read_assertions` records the rows it rejects, and the rows
    rejected by the checks it does not make (:func:`_tsv_problems`) are left out in one more
    read, until a read rejects nothing new.

    Raises:
        NotFoundError: a file does not exist.
        CurationError: the header is wrong, or the entities file is malformed (both are
            problems of the whole file, not of one row).
    """
    from kg.curation import read_assertions

    base = known if known is not None else _shipped()
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
    from kg.build import entity_classes
    from kg.curation import read_entities

    entities = dict(known)
    if entities_file is None:
        return entities
    classes = entity_classes(io.load([shipped.ontology_file()]))
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
    base: _Shipped,
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
    assertions: list[Assertion], base: _Shipped, groups: dict[str, list[int]]
) -> list[tuple[int, str]]:
    """Row problems :func:`kg.curation.read_assertions` does not check, by line."""
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


# ---------------------------------------------------------------- graph and file


def to_graph(
    imported: Imported, *, store: io.Store = "memory", progress: Progress | None = None
) -> Graph:
    """The RDF of an import: its entities, studies, references and assertions."""
    graph = io.new_graph(store)
    for entity in imported.entities.values():
        io.add_entity(graph, entity)
    for reference in imported.references.values():
        io.add_reference(graph, reference)
    for study in imported.studies.values():
        io.add_study(graph, study)
    total = len(imported.assertions)
    for done, assertion in enumerate(imported.assertions, start=1):
        io.add_assertion(graph, assertion)
        if progress is not None and (done % _PROGRESS_EVERY == 0 or done == total):
            progress(done, total)
    return graph


def import_file(
    path: Path,
    *,
    fmt: Format,
    out: Path,
    skip_bad: bool = False,
    entities_file: Path | None = None,
    progress: Progress | None = None,
) -> Imported:
    """Validate ``path`` row by row and write its graph to ``out`` (atomically).

    Raises:
        BadRowsError: some rows are bad and ``skip_bad`` is false; nothing is written.
        KGError: no good row is left to import; nothing is written.
        CurationError: the file's header is not that of ``fmt``.
        NotFoundError: the file does not exist.
    """
    if fmt == "mirtarbase":
        if entities_file is not None:
            raise KGError("--entities applies to --format tsv only")
        imported = read_mirtarbase(path)
    else:
        imported = read_tsv(path, entities_file=entities_file)
    if imported.bad and not skip_bad:
        raise BadRowsError(path, imported.bad)
    if not imported.assertions:
        raise KGError(f"{path}: no good rows to import; nothing written")
    # Oxigraph's store and Turtle writer: 6.5 s instead of 21 s for 539,000 triples.
    io.write_turtle(to_graph(imported, store="oxigraph", progress=progress), out)
    return imported
