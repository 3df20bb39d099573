"""Malformed curation rows are refused with the file and line that is wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.curation.tables import (
    ASSERTION_COLUMNS,
    ENTITY_COLUMNS,
    STUDY_COLUMNS,
    parse_citation,
    read_curation,
)
from kg.model.errors import CurationError

CLASSES = frozenset({"MicroRNA", "GeneOrProtein", "BiologicalProcess", "CellType", "Organism"})
ENTITIES = [
    ["miR-21", "MicroRNA", "miR-21", "hsa-miR-21-5p", "mirbase:MI0000077", ""],
    ["PTEN", "GeneOrProtein", "PTEN", "", "HGNC:9588", ""],
    ["NPC", "CellType", "nucleus pulposus cell", "", "", ""],
]


def _assertion(**cells: str) -> list[str]:
    row = dict.fromkeys(ASSERTION_COLUMNS, "")
    row.update(
        assertion="a1", subject="miR-21", relation="repressesTarget", object="PTEN",
        quote="exosomal miR-21 inhibits", section="8.2", citation_printed="[20]",
    )  # fmt: skip
    row.update(cells)
    return [row[c] for c in ASSERTION_COLUMNS]


def _write(
    tmp_path: Path, assertions: list[list[str]], entities: list[list[str]] = ENTITIES
) -> Path:
    def table(columns: tuple[str, ...], rows: list[list[str]]) -> str:
        return "\n".join(["# comment", "\t".join(columns), *("\t".join(r) for r in rows)]) + "\n"

    (tmp_path / "entities.tsv").write_text(table(ENTITY_COLUMNS, entities))
    (tmp_path / "studies.tsv").write_text(table(STUDY_COLUMNS, []))
    (tmp_path / "assertions.tsv").write_text(table(ASSERTION_COLUMNS, assertions))
    return tmp_path


def test_valid_rows_read(tmp_path: Path) -> None:
    rows = [_assertion(), _assertion(subject="", relation="", object="", section="Table 3")]
    curation = read_curation(_write(tmp_path, rows), CLASSES)
    (assertion,) = curation.assertions
    assert [e.id for e in assertion.evidence] == ["a1-1", "a1-2"]
    assert assertion.evidence[0].references == (20,)
    assert curation.entities["miR-21"].xrefs == ("mirbase:MI0000077",)


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        ({"relation": "inhibits"}, "unknown relation 'inhibits'"),
        ({"object": "PTENN"}, "object: unknown entity 'PTENN'"),
        ({"quote": ""}, "quote is empty"),
        ({"section": ""}, "section is empty"),
        ({"reference": "126", "citation_printed": "[130]"}, "explain in citation_note"),
        ({"level": "inferred"}, "needs inference_reason"),
        ({"level": "maybe"}, "level must be one of stated, inferred, as-printed, corrected"),
        ({"level": "corrected"}, "a corrected reading needs inference_reason"),
        ({"citation_printed": "", "reference": ""}, "no reference"),
        ({"study_type": "in silico"}, "unknown study type 'in silico'"),
        ({"citation_printed": "[twenty]"}, "not a citation"),
        ({"reference": "x"}, "reference must be reference numbers"),
        ({"study": "nope"}, "unknown study 'nope'"),
        ({"contradicts": "a9"}, "contradicts unknown assertion 'a9'"),
        ({"cell_type": "PTEN|NPCs"}, "cell_type: unknown entity 'NPCs'"),
    ],
)
def test_bad_assertion_rows_name_file_and_line(
    tmp_path: Path, cells: dict[str, str], message: str
) -> None:
    path = _write(tmp_path, [_assertion(**cells)])
    with pytest.raises(CurationError, match=message) as info:
        read_curation(path, CLASSES)
    assert info.value.path.endswith("assertions.tsv")
    assert info.value.line == 3
    assert str(info.value).startswith(f"{info.value.path}:3: ")


def test_continuation_row_must_not_change_the_triple(tmp_path: Path) -> None:
    path = _write(tmp_path, [_assertion(), _assertion(object="miR-21")])
    with pytest.raises(CurationError, match="differs from the first row"):
        read_curation(path, CLASSES)


def test_bad_entity_rows(tmp_path: Path) -> None:
    with pytest.raises(CurationError, match="unknown type 'Gene'"):
        read_curation(_write(tmp_path, [], [["X", "Gene", "X", "", "", ""]]), CLASSES)
    with pytest.raises(CurationError, match="duplicate entity id"):
        read_curation(_write(tmp_path, [], [ENTITIES[0], ENTITIES[0]]), CLASSES)
    with pytest.raises(CurationError, match="bad entity id"):
        read_curation(_write(tmp_path, [], [["a b", "MicroRNA", "x", "", "", ""]]), CLASSES)


def test_wrong_header(tmp_path: Path) -> None:
    path = _write(tmp_path, [])
    (path / "entities.tsv").write_text("id\ttype\n")
    with pytest.raises(CurationError, match="header must be the columns"):
        read_curation(path, CLASSES)


def test_parse_citation_ranges() -> None:
    assert parse_citation("[15,73,82,135–141]") == (15, 73, 82, *range(135, 142))
    assert parse_citation("[4,57]") == (4, 57)
    assert parse_citation("[8–11]") == (8, 9, 10, 11)
