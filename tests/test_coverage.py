from __future__ import annotations

from kg.curation.coverage import review_units


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
