"""Synthetic benchmark data: miRTarBase-format tables and mechanism Turtle at three scales.

For each scale (about 10^4, 10^5 and 10^6 triples once the table is imported and both files
are loaded) this writes, under OUT/<scale>/:

* ``mirtarbase.tsv`` - miRNA -> target rows in the miRTarBase download layout; miRNAs and
  targets are drawn from power laws (a few hub miRNAs and hub genes), a pair has 1-3 rows
  (one miRTarBase ID, several references, as in the real download);
* ``mechanisms.ttl`` - signed gene -> gene, gene -> pathway and pathway -> process assertions
  (also power-law hubs), each with evidence citing PubMed ids, written through ``kg.io``; so
  miRNA -> gene -> pathway -> process chains exist for ``kg trace``.

* ``planted.ttl`` - a few hundred triples with planted errors of every kind ``kg validate``
  reports (SHACL, identifiers, terms, IRIs), so that validators can be compared on what they
  find, not only on clean data (``benchmarks/run.py`` validates the three files together).

``--bad-demo`` also writes OUT/mirtarbase-100k-bad.tsv: 10^5 rows, three of them malformed.
Deterministic (``--seed``). Never writes into the repository.

    python benchmarks/generate.py [OUT] [--scales 1e4,1e5,1e6] [--seed 7] [--bad-demo]

Scale 1e7 (about 10^7 triples) is written only when asked for (``--scales 1e7``).
"""

from __future__ import annotations

import argparse
import bisect
import itertools
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

from rdflib import Graph

from kg.curation.imported import safe_id
from kg.curation.mirtarbase import MIRTARBASE_COLUMNS
from kg.model.records import Assertion, Entity, Evidence, Relation, StudyType
from kg.store import provenance, rdf

DEFAULT_OUT = Path("/tmp/kg-bench")  # noqa: S108 - a scratch directory, by design
SCALES = {"1e4": 10_000, "1e5": 100_000, "1e6": 1_000_000, "1e7": 10_000_000}
DEFAULT_SCALES = "1e4,1e5,1e6"
PLANTED = 20  # planted errors of each kind per scale
# Measured triples per unit (see benchmarks/README.md): one miRTarBase row imports as about
# 17 triples, one mechanism assertion as about 21. Half the triples come from each file.
TRIPLES_PER_ROW = 17
TRIPLES_PER_MECHANISM = 21
EXPERIMENTS = (
    "Luciferase reporter assay", "Western blot", "qRT-PCR", "Reporter assay",
    "Microarray", "Immunoblot", "Immunohistochemistry", "Flow cytometry",
)  # fmt: skip
SUPPORT = (("Functional MTI", 6), ("Functional MTI (Weak)", 3), ("Non-Functional MTI", 1))
SPECIES = (("Homo sapiens", 80), ("Mus musculus", 14), ("Rattus norvegicus", 5), ("Danio rerio", 1))


class _PowerLaw:
    """Draws indices 0..n-1 with weight 1 / (rank + 1) ** exponent."""

    def __init__(self, rng: random.Random, n: int, exponent: float) -> None:
        self.rng = rng
        self.cumulative = list(itertools.accumulate(1 / (i + 1) ** exponent for i in range(n)))

    def draw(self) -> int:
        return bisect.bisect(self.cumulative, self.rng.random() * self.cumulative[-1])


def _weighted(rng: random.Random, options: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([o for o, _ in options], weights=[w for _, w in options])[0]


def mirna_name(i: int) -> str:
    return f"hsa-miR-{10_000 + i}-{'5p' if i % 2 else '3p'}"


def gene_name(i: int) -> str:
    return f"SYN{i}"


def _sizes(triples: int) -> dict[str, int]:
    rows = triples // 2 // TRIPLES_PER_ROW
    mechanisms = triples // 2 // TRIPLES_PER_MECHANISM
    return {
        "rows": rows,
        "mirnas": max(20, rows // 40),
        "genes": max(50, rows // 6),
        "pathways": max(10, mechanisms // 40),
        "processes": max(5, mechanisms // 200),
        "mechanisms": mechanisms,
    }


def _row(rng: random.Random, record: str, mirna: str, gene: int, pmids: _PowerLaw) -> list[str]:
    species = _weighted(rng, SPECIES)
    experiments = "//".join(rng.sample(EXPERIMENTS, rng.randint(1, 3)))
    return [
        record, mirna, species, gene_name(gene), str(900_000 + gene), species, experiments,
        _weighted(rng, SUPPORT), str(10_000_000 + pmids.draw()),
    ]  # fmt: skip


def write_mirtarbase(path: Path, sizes: dict[str, int], rng: random.Random) -> int:
    """Write the miRTarBase-format table; return its number of data rows."""
    mirnas = _PowerLaw(rng, sizes["mirnas"], 1.0)
    genes = _PowerLaw(rng, sizes["genes"], 0.8)
    pmids = _PowerLaw(rng, max(10, sizes["rows"] // 3), 0.5)
    seen: set[tuple[int, int]] = set()
    rows = 0
    with path.open("w", encoding="utf-8") as handle:
        handle.write("\t".join(MIRTARBASE_COLUMNS) + "\n")
        for pair in itertools.count(1):
            if rows >= sizes["rows"]:
                break
            m, g = mirnas.draw(), genes.draw()
            if (m, g) in seen:
                continue
            seen.add((m, g))
            repeats = min(3, 1 + int(rng.expovariate(1.5)), sizes["rows"] - rows)
            for _ in range(repeats):
                row = _row(rng, f"MIRT{pair:07d}", mirna_name(m), g, pmids)
                handle.write("\t".join(row) + "\n")
                rows += 1
    return rows


def mechanism_graph(sizes: dict[str, int], rng: random.Random) -> tuple[int, Graph]:
    """Signed gene/pathway/process assertions with evidence, as an rdflib graph."""
    graph = rdf.new_graph()
    genes = _PowerLaw(rng, sizes["genes"], 0.8)
    pathways = _PowerLaw(rng, sizes["pathways"], 0.9)
    processes = _PowerLaw(rng, sizes["processes"], 0.7)
    pmids = _PowerLaw(rng, max(10, sizes["mechanisms"] // 2), 0.5)
    declared: set[str] = set()

    def entity(eid: str, kind: str) -> str:
        if eid not in declared:
            provenance.add_entity(graph, Entity(id=eid, type=kind, label=eid))
            declared.add(eid)
        return eid

    made: set[tuple[str, str]] = set()
    count = 0
    while count < sizes["mechanisms"]:
        kind = rng.random()
        if kind < 0.5:
            s = entity(safe_id(gene_name(genes.draw())), "GeneOrProtein")
            o = entity(f"pathway-{pathways.draw()}", "Pathway")
        elif kind < 0.8:
            s = entity(f"pathway-{pathways.draw()}", "Pathway")
            o = entity(f"process-{processes.draw()}", "BiologicalProcess")
        else:
            s = entity(safe_id(gene_name(genes.draw())), "GeneOrProtein")
            o = entity(safe_id(gene_name(genes.draw())), "GeneOrProtein")
        if s == o or (s, o) in made:
            continue
        made.add((s, o))
        count += 1
        relation = Relation.INCREASES if rng.random() < 0.6 else Relation.DECREASES
        evidence = tuple(
            Evidence(
                id=f"syn-{count}-{k}",
                quote=f"synthetic finding {count}.{k}: {s} {relation.value} {o}",
                section="synthetic",
                references=(),
                study_types=(rng.choice((StudyType.IN_VITRO, StudyType.IN_VIVO)),),
                pmids=(str(20_000_000 + pmids.draw()),),
                source="synthetic benchmark",
                source_record=f"S{count}.{k}",
            )
            for k in range(1, 1 + rng.choice((1, 1, 2)))
        )
        provenance.add_assertion(
            graph,
            Assertion(id=f"syn-{count}", subject=s, relation=relation, object=o, evidence=evidence),
        )
    return count, graph


def write_bad_demo(path: Path, rng: random.Random, rows: int = 100_000) -> list[int]:
    """A 10^5-row table with three malformed rows; return their line numbers."""
    sizes = {**_sizes(rows * 2 * TRIPLES_PER_ROW), "rows": rows}
    write_mirtarbase(path, sizes, rng)
    lines = path.read_text(encoding="utf-8").splitlines()
    bad: dict[int, Callable[[list[str]], list[str]]] = {
        1_234: lambda c: [*c[:8], "PMID:abc"],  # non-numeric PMID
        50_001: lambda c: [*c[:7], "Strongly Functional", c[8]],  # unknown support type
        99_000: lambda c: c[:6],  # missing columns
    }
    for line, damage in bad.items():
        lines[line - 1] = "\t".join(damage(lines[line - 1].split("\t")))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return sorted(bad)


_PLANTED_PREFIXES = """\
@prefix kg: <https://w3id.org/kg-ivd/vocab#> .
@prefix ent: <https://w3id.org/kg-ivd/entity/> .
@prefix asr: <https://w3id.org/kg-ivd/assertion/> .
@prefix ev: <https://w3id.org/kg-ivd/evidence/> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
"""


def planted_errors(count: int = PLANTED) -> str:
    """Turtle with ``count`` planted errors of each kind, on the synthetic entities."""
    parts = [_PLANTED_PREFIXES]
    for i in range(count):
        gene, other = safe_id(gene_name(i)), safe_id(gene_name(i + 1))
        parts.append(f"""
asr:planted-a{i} a kg:Assertion ; rdf:subject ent:{gene} ; rdf:predicate kg:increases ;
    rdf:object ent:pathway-0 .
ent:{gene} kg:increases ent:pathway-0 .
asr:planted-b{i} a kg:Assertion ; rdf:subject ent:{gene} ; rdf:predicate kg:decreases ;
    rdf:object ent:{other} ; kg:evidence ev:planted-b{i} .
ev:planted-b{i} a kg:Evidence ; kg:quote "planted {i}" ; kg:citationMismatch true ;
    kg:reference <https://pubmed.ncbi.nlm.nih.gov/{20_000_000 + i}/> ;
    kg:evidenceLevel kg:CuratorInferred ; kg:source "planted" ; kg:studyType kg:Stated .
asr:planted-c{i} a kg:Assertion ; rdf:subject ent:{gene} ; rdf:predicate kg:increases ;
    rdf:object ent:planted-ghost-{i} ; kg:evidence ev:planted-b{i} .
ent:{gene} kg:increases ent:planted-ghost-{i} .
ent:planted-gene-{i} a kg:GeneOrProtein ; rdfs:label "one" , "two" ; kg:xref "foo:{i}" ;
    kg:plantedTerm "x" .
ev:planted-d{i} a kg:Evidence ; kg:quote "not in the review {i}" ; kg:section "1" ;
    kg:reference <https://pubmed.ncbi.nlm.nih.gov/{20_000_000 + i}/> ;
    kg:citationMismatch false ; kg:evidenceLevel kg:Stated .
<https://w3id.org/kg-ivd/entity/planted space {i}> rdfs:label "space" .""")
    return "".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--scales", default=DEFAULT_SCALES)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--bad-demo", action="store_true")
    args = parser.parse_args()
    repo = Path(__file__).resolve().parent.parent
    if args.out.resolve().is_relative_to(repo):
        sys.exit(f"refusing to write benchmark data inside the repository ({repo})")
    for label in args.scales.split(","):
        sizes = _sizes(SCALES[label])
        rng = random.Random(f"{args.seed}-{label}")  # noqa: S311 - synthetic data
        directory = args.out / label
        directory.mkdir(parents=True, exist_ok=True)
        start = time.perf_counter()
        rows = write_mirtarbase(directory / "mirtarbase.tsv", sizes, rng)
        count, graph = mechanism_graph(sizes, rng)
        rdf.write_turtle(graph, directory / "mechanisms.ttl")
        (directory / "planted.ttl").write_text(planted_errors(), encoding="utf-8")
        print(
            f"{label}: {rows} miRTarBase rows, {count} mechanism assertions "
            f"({len(graph)} triples) in {time.perf_counter() - start:.1f} s -> {directory}"
        )
    if args.bad_demo:
        path = args.out / "mirtarbase-100k-bad.tsv"
        rng = random.Random(f"{args.seed}-bad")  # noqa: S311 - synthetic data
        lines = write_bad_demo(path, rng)
        print(f"bad demo: {path} (malformed lines {', '.join(map(str, lines))})")


if __name__ == "__main__":
    main()
