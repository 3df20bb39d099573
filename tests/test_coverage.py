from __future__ import annotations

from rdflib import Graph

from kg.curation.coverage import coverage, review_paragraphs, review_units
from kg.store.provenance import read_evidence


def test_units_are_read_from_the_review(review_text: str) -> None:
    units = review_units(review_text)
    names = [name for _, name, _ in units]
    assert "8.2 Inhibition of Apoptosis" in names
    assert "10 Conclusions and Future Perspectives" in names
    table3 = [n for n in names if n.startswith("Table 3")]
    assert len(table3) == 15
    assert "Table 3, row [20]" in table3
    table1 = [n for n in names if n.startswith("Table 1")]
    assert "Table 1, row IGF-1 (Gene therapy)" in table1
    assert len(table1) == 13
    table2 = [n.removeprefix("Table 2, row ") for n in names if n.startswith("Table 2")]
    assert table2 == ["Growth factor therapy", "Cell therapy", "Gene therapy"]
    assert not any("Abbreviation" in n or "Chemokine" in n for n in names)


def test_every_paragraph_and_caption_is_a_unit(review_text: str) -> None:
    paragraphs = review_paragraphs(review_text)
    assert len(paragraphs["Abstract"]) == 1
    assert len(paragraphs["10"]) == 2  # the back matter (funding, contributions) is not prose
    # a paragraph split by a page break is one paragraph
    (section2,) = paragraphs["2"]
    assert "associated with the genetic changes in the matrix proteins" in section2
    names = [name for _, name, _ in review_units(review_text)]
    assert names[0] == "Abstract"
    assert {"Figure 1 caption", "Figure 2 caption"} <= set(names)


def test_paragraph_counts_add_up_to_their_section(data: Graph, review_text: str) -> None:
    units = coverage(data, read_evidence(data), review_text)
    by_section: dict[str, int] = {}
    sections: dict[str, int] = {}
    for unit in units:
        if unit.kind == "section":
            sections[unit.name.split(" ")[0]] = unit.evidence
        elif unit.kind == "paragraph":
            key = unit.name.split(" ")[0]
            by_section[key] = by_section.get(key, 0) + unit.evidence
    assert by_section  # paragraphs were found
    for key, total in by_section.items():
        assert total == sections[key], key
