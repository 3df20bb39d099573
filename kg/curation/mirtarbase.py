"""Import miRTarBase downloads: each row one evidence of ``<miRNA> repressesTarget <gene>``.

The miRTarBase download layout, tab-separated, header first (:data:`MIRTARBASE_COLUMNS`).
Each row becomes one :class:`~kg.model.records.Evidence` of the assertion
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
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from kg.curation.imported import Ids, Imported, name_index, safe_id, shipped_curation
from kg.model.errors import CurationError, NotFoundError
from kg.model.names import name_key
from kg.model.records import Assertion, Entity, Evidence, Relation

__all__ = ["MIRTARBASE_COLUMNS", "SOURCE", "SUPPORT_TYPES", "read_mirtarbase"]


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
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_SCIENTIFIC = {
    "homo sapiens": "human",
    "mus musculus": "mouse",
    "rattus norvegicus": "rat",
    "sus scrofa": "pig",
    "oryctolagus cuniculus": "rabbit",
}
_GENE_TYPES = frozenset({"GeneOrProtein", "Cytokine", "GrowthFactor"})


_SPECIES = re.compile(r"^[A-Za-z][A-Za-z0-9 .()'/-]*$")
_EXPERIMENTS = re.compile(r"\s*(?://|;)\s*")
_PMIDS = re.compile(r"\s*(?://|[;,|])\s*")


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


class _MirtarbaseBuilder:
    def __init__(self, known: dict[str, Entity]) -> None:
        self.known = known
        self.mirna_index = name_index(known, frozenset({"MicroRNA"}))
        self.gene_index = name_index(known, _GENE_TYPES)
        organisms = {e.id for e in known.values() if e.type == "Organism"}
        self.organism_index = name_index(known, frozenset({"Organism"}))
        for scientific, oid in _SCIENTIFIC.items():
            if oid in organisms:
                self.organism_index.setdefault(name_key(scientific), oid)
        self.entities: dict[str, Entity] = {}
        self.entity_of: dict[tuple[str, str], str] = {}
        self.entrez: dict[str, set[str]] = {}
        self.entity_ids = Ids(set(known))
        self.evidence_ids = Ids(set())
        self.assertion_ids = Ids(set())
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
    builder = _MirtarbaseBuilder(known if known is not None else shipped_curation().entities)
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
