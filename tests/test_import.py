"""kg import: miRTarBase and curation-TSV files, validated row by row, all or nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.curation.imported import BadRowsError, safe_id
from kg.curation.importer import import_file
from kg.curation.mirtarbase import MIRTARBASE_COLUMNS, read_mirtarbase
from kg.curation.tables import ASSERTION_COLUMNS
from kg.curation.tsv import read_tsv
from kg.curation.validate import validate
from kg.model import shipped
from kg.model.errors import CurationError
from kg.model.records import Entity
from kg.store import provenance, rdf

HEADER = "\t".join(MIRTARBASE_COLUMNS)
GOOD = [
    "MIRT000001\thsa-miR-21-5p\tHomo sapiens\tPTEN\t5728\tHomo sapiens"
    "\tLuciferase reporter assay//Western blot\tFunctional MTI\t19956200",
    "MIRT000001\thsa-miR-21-5p\tHomo sapiens\tPTEN\t5728\tHomo sapiens"
    "\tqRT-PCR;Western blot\tFunctional MTI (Weak)\t20000001//20000002",
    "MIRT000002\tmmu-miR-1a-3p\tMus musculus\tHand2\t15111\tMus musculus"
    "\tWestern blot\tNon-Functional MTI\t12345",
    "MIRT000003\tdre-miR-430\tDanio rerio\tsox2 (zebrafish)\t30333\tDanio rerio"
    "\tqPCR\tFunctional MTI\t999",
]
KNOWN = {
    "miR-21": Entity("miR-21", "MicroRNA", "miR-21", synonyms=("hsa-miR-21-5p",)),
    "PTEN": Entity("PTEN", "GeneOrProtein", "PTEN"),
    "human": Entity("human", "Organism", "human", synonyms=("Homo sapiens",)),
    "mouse": Entity("mouse", "Organism", "mouse", synonyms=("Mus musculus",)),
}


def _write(path: Path, *rows: str) -> Path:
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def _import(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["import", *args])
    return result.exit_code, result.stdout, result.stderr


def test_good_rows_round_trip(tmp_path: Path) -> None:
    source, out = _write(tmp_path / "mti.tsv", *GOOD), tmp_path / "mti.ttl"
    code, stdout, stderr = _import(str(source), "--format", "mirtarbase", "--out", str(out))
    assert code == 0, stderr
    assert "imported 4 row(s) of 4 as 3 assertion(s)" in stdout
    graph = rdf.load([out])
    evidence = provenance.read_evidence(graph)
    assert sorted(evidence) == ["MIRT000001", "MIRT000001-2", "MIRT000002", "MIRT000003"]
    first, second = evidence["MIRT000001"], evidence["MIRT000001-2"]
    assert first.pmids == ("19956200",)
    assert second.pmids == ("20000001", "20000002")
    assert second.experiments == ("Western blot", "qRT-PCR")
    assert second.support_type == "Functional MTI (Weak)"
    assert (first.source, first.source_record, first.section) == (
        "miRTarBase",
        "MIRT000001",
        "miRTarBase",
    )
    assert first.species == ("human",)
    assert first.quote.startswith("miRTarBase ID: MIRT000001; miRNA: hsa-miR-21-5p;")
    zebrafish = evidence["MIRT000003"]
    assert zebrafish.species == ()
    assert zebrafish.context == "Species (miRNA): Danio rerio; Species (Target Gene): Danio rerio"
    # The duplicate (miRNA, gene) pair is one assertion with both evidence, on the shipped ids.
    from kg.store.convert import to_networkx

    mechanisms = to_networkx(graph)
    edge = mechanisms.edges["miR-21", "PTEN", "miR-21-represses-PTEN"]
    assert edge["evidence"] == ("MIRT000001", "MIRT000001-2")
    assert edge["sign"] == -1
    assert mechanisms.has_edge("dre-miR-430", "sox2_zebrafish")
    assert mechanisms.nodes["sox2_zebrafish"]["label"] == "sox2 (zebrafish)"


def test_output_passes_validate(tmp_path: Path) -> None:
    source, out = _write(tmp_path / "mti.tsv", *GOOD), tmp_path / "mti.ttl"
    import_file(source, fmt="mirtarbase", out=out)
    report = validate([out])
    assert report.ok, report.problems


def _row(**changes: str) -> str:
    cells = dict(zip(MIRTARBASE_COLUMNS, GOOD[2].split("\t"), strict=True))
    cells.update({k.replace("_", " "): v for k, v in changes.items()})
    return "\t".join(cells.values())


BAD_ROWS = {
    "missing field": (_row(miRNA=""), "missing miRNA"),
    "non-numeric PMID": (
        "\t".join([*GOOD[2].split("\t")[:8], "PMID:12x"]),
        "non-numeric PMID 'PMID:12x'",
    ),
    "bad species": (
        "\t".join([*GOOD[2].split("\t")[:2], "10090", *GOOD[2].split("\t")[3:]]),
        "bad species '10090'",
    ),
    "wrong column count": ("MIRT9\thsa-miR-1\tHomo sapiens", "3 cells, expected 9"),
    "unknown support type": (
        "\t".join([*GOOD[2].split("\t")[:7], "Strong", "1"]),
        "unknown support type 'Strong'",
    ),
    "non-numeric Entrez ID": (
        "\t".join([*GOOD[2].split("\t")[:4], "HGNC:1", *GOOD[2].split("\t")[5:]]),
        "non-numeric Entrez ID 'HGNC:1'",
    ),
    "unsafe record id": (
        "\t".join(["MIRT 1", *GOOD[2].split("\t")[1:]]),
        "bad miRTarBase ID 'MIRT 1'",
    ),
}


@pytest.mark.parametrize("kind", sorted(BAD_ROWS))
def test_each_kind_of_bad_row_is_reported_with_its_line(tmp_path: Path, kind: str) -> None:
    row, message = BAD_ROWS[kind]
    source = _write(tmp_path / "mti.tsv", GOOD[0], row, GOOD[2])
    result = read_mirtarbase(source, known=KNOWN)
    assert [(e.path, e.line) for e in result.bad] == [(str(source), 3)]
    assert message in str(result.bad[0])
    assert str(result.bad[0]).startswith(f"{source}:3: ")
    assert result.evidence == 2


def test_all_or_nothing_reports_every_bad_row(tmp_path: Path) -> None:
    rows = [GOOD[0], BAD_ROWS["bad species"][0], GOOD[1], "", BAD_ROWS["missing field"][0]]
    source, out = _write(tmp_path / "mti.tsv", *rows), tmp_path / "out.ttl"
    code, stdout, stderr = _import(str(source), "--format", "mirtarbase", "--out", str(out))
    assert code == 1
    lines = stderr.strip().splitlines()
    assert lines[0].startswith(f"{source}:3: bad species")
    assert lines[1].startswith(f"{source}:6: missing miRNA")
    assert lines[2].startswith("kg: error: 2 bad row(s)")
    assert len(lines) == 3
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [source]  # no temporary file left either
    assert stdout == ""


def test_skip_bad_imports_the_rest_and_reports_each_skipped_row(tmp_path: Path) -> None:
    rows = [GOOD[0], BAD_ROWS["unknown support type"][0], GOOD[2], BAD_ROWS["non-numeric PMID"][0]]
    source, out = _write(tmp_path / "mti.tsv", *rows), tmp_path / "out.ttl"
    code, stdout, stderr = _import(
        str(source), "--format", "mirtarbase", "--out", str(out), "--skip-bad"
    )
    assert code == 0, stderr
    assert stderr.splitlines() == [
        f"{source}:3: unknown support type 'Strong'; use one of Functional MTI, "
        "Functional MTI (Weak), Non-Functional MTI, Non-Functional MTI (Weak) (row skipped)",
        f"{source}:5: non-numeric PMID 'PMID:12x': PubMed ids are digits (row skipped)",
    ]
    assert "imported 2 row(s) of 4" in stdout
    assert "skipped 2 bad row(s)" in stdout
    assert sorted(provenance.read_evidence(rdf.load([out]))) == ["MIRT000001", "MIRT000002"]


def test_bad_rows_error_without_skip(tmp_path: Path) -> None:
    source = _write(tmp_path / "mti.tsv", GOOD[0], BAD_ROWS["missing field"][0])
    with pytest.raises(BadRowsError) as info:
        import_file(source, fmt="mirtarbase", out=tmp_path / "out.ttl")
    assert [e.line for e in info.value.errors] == [3]


def test_wrong_header_is_a_file_error(tmp_path: Path) -> None:
    source = tmp_path / "mti.tsv"
    source.write_text("ID\tmiRNA\n" + GOOD[0] + "\n", encoding="utf-8")
    code, _, stderr = _import(str(source), "--format", "mirtarbase", "--out", "x.ttl", "--skip-bad")
    assert code == 1
    assert stderr.startswith(f"kg: error: {source}:1: not a miRTarBase file")


def test_nothing_good_writes_nothing(tmp_path: Path) -> None:
    source, out = _write(tmp_path / "mti.tsv", BAD_ROWS["missing field"][0]), tmp_path / "o.ttl"
    code, _, stderr = _import(
        str(source), "--format", "mirtarbase", "--out", str(out), "--skip-bad"
    )
    assert code == 1
    assert "no good rows" in stderr
    assert not out.exists()


def test_progress_is_reported_while_building(tmp_path: Path) -> None:
    source = _write(tmp_path / "mti.tsv", *GOOD)
    seen: list[tuple[int, int]] = []
    import_file(
        source, fmt="mirtarbase", out=tmp_path / "o.ttl", progress=lambda d, t: seen.append((d, t))
    )
    assert seen == [(3, 3)]


def test_safe_ids_never_collide(tmp_path: Path) -> None:
    rows = [
        "MIRT1\thsa-miR-9\tHomo sapiens\tA B\t1\tHomo sapiens\tqPCR\tFunctional MTI\t1",
        "MIRT2\thsa-miR-9\tHomo sapiens\tA_B\t2\tHomo sapiens\tqPCR\tFunctional MTI\t1",
    ]
    result = read_mirtarbase(_write(tmp_path / "mti.tsv", *rows), known=KNOWN)
    assert sorted(a.object for a in result.assertions) == ["A_B", "A_B-2"]
    assert safe_id("HLA-A*02:01") == "HLA-A_02_01"


# ---------------------------------------------------------------- curation TSV


def _shipped_rows() -> list[str]:
    lines = (shipped.data_dir() / "curation" / "assertions.tsv").read_text("utf-8").splitlines()
    return [line for line in lines[1:] if line and not line.startswith("#")][1:]


def _tsv(path: Path, *rows: list[str]) -> Path:
    path.write_text(
        "\n".join(["\t".join(ASSERTION_COLUMNS), *("\t".join(r) for r in rows)]) + "\n",
        encoding="utf-8",
    )
    return path


def _renamed(row: str, new_id: str, **changes: str) -> list[str]:
    cells = row.split("\t")
    cells += [""] * (len(ASSERTION_COLUMNS) - len(cells))
    cells[0] = new_id
    for column, value in changes.items():
        cells[ASSERTION_COLUMNS.index(column)] = value
    return cells


def test_tsv_import_round_trips_and_validates(tmp_path: Path) -> None:
    row = _shipped_rows()[0]
    source = _tsv(tmp_path / "a.tsv", _renamed(row, "my-new-assertion", contradicts=""))
    out = tmp_path / "a.ttl"
    code, stdout, stderr = _import(str(source), "--format", "tsv", "--out", str(out))
    assert code == 0, stderr
    assert "as 1 assertion(s)" in stdout
    graph = rdf.load([out])
    assert list(provenance.read_evidence(graph)) == ["my-new-assertion-1"]
    report = validate([out])
    assert report.ok, report.problems


def test_tsv_bad_rows_by_line_and_skip(tmp_path: Path) -> None:
    row = _shipped_rows()[0]
    source = _tsv(
        tmp_path / "a.tsv",
        _renamed(row, "ok-one", contradicts=""),
        _renamed(row, "bad-subject", subject="no-such-entity", contradicts=""),
        _renamed(row, "bad-quote", quote="", contradicts=""),
        _renamed(row, "bad-ref", citation_printed="", reference="999", contradicts=""),
    )
    out = tmp_path / "a.ttl"
    code, _, stderr = _import(str(source), "--format", "tsv", "--out", str(out))
    assert code == 1
    lines = stderr.strip().splitlines()
    assert [line.split(": ", 1)[0] for line in lines[:3]] == [
        f"{source}:3",
        f"{source}:4",
        f"{source}:5",
    ]
    assert "unknown entity 'no-such-entity'" in lines[0]
    assert "quote is empty" in lines[1]
    assert "reference 999 is not in the review's list" in lines[2]
    assert not out.exists()
    code, _, stderr = _import(str(source), "--format", "tsv", "--out", str(out), "--skip-bad")
    assert code == 0, stderr
    assert list(provenance.read_evidence(rdf.load([out]))) == ["ok-one-1"]


def test_tsv_rejects_shipped_assertion_ids(tmp_path: Path) -> None:
    row = _shipped_rows()[0]
    source = _tsv(tmp_path / "a.tsv", row.split("\t"))
    result = read_tsv(source)
    assert [e.line for e in result.bad] == [2]
    assert "already in the shipped data" in result.bad[0].message


def test_tsv_entities_file_adds_entities(tmp_path: Path) -> None:
    row = _shipped_rows()[0]
    entities = tmp_path / "entities.tsv"
    entities.write_text(
        "id\ttype\tlabel\tsynonyms\txrefs\tnote\nmy-gene\tGeneOrProtein\tMYGENE\t\t\t\n",
        encoding="utf-8",
    )
    source = _tsv(tmp_path / "a.tsv", _renamed(row, "x1", object="my-gene", contradicts=""))
    with pytest.raises(BadRowsError):
        import_file(source, fmt="tsv", out=tmp_path / "o.ttl")
    result = import_file(source, fmt="tsv", out=tmp_path / "o.ttl", entities_file=entities)
    assert result.assertions[0].object == "my-gene"
    assert "my-gene" in result.entities


def test_tsv_wrong_header_is_a_file_error(tmp_path: Path) -> None:
    source = tmp_path / "a.tsv"
    source.write_text("assertion\tsubject\n", encoding="utf-8")
    with pytest.raises(CurationError, match="header must be"):
        read_tsv(source)
