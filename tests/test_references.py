"""The reference list is parsed from the review text, all 171 entries."""

from __future__ import annotations

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from kg.curation.build import reference_graph
from kg.model.errors import KGError
from kg.model.references import parse_references
from kg.model.vocab import KG


def test_all_171_entries_parse_in_order(review_text: str) -> None:
    refs = parse_references(review_text)
    assert [r.number for r in refs] == list(range(1, 172))
    assert all(r.authors and r.title and r.journal and r.year for r in refs)


def test_entry_fields(review_text: str) -> None:
    refs = {r.number: r for r in parse_references(review_text)}
    cheng = refs[20]
    assert cheng.authors.startswith("Cheng, X.; Zhang, G.")
    assert cheng.title.startswith("Mesenchymal stem cells deliver exogenous miR-21 via exosomes")
    assert (cheng.journal, cheng.year, cheng.volume, cheng.pages) == (
        "J. Cell. Mol. Med.",
        2018,
        "22",
        "261–276",
    )
    assert refs[3].volume == "9 (Suppl. S1)"
    assert refs[89].authors.startswith("Acosta, F.L., Jr.; Metz, L.; Adkisson IV, H.D.")
    assert refs[65].title.endswith("the new frontier?")
    assert refs[171].journal == "Tissue Eng. Regen. Med."


def test_shipped_references_ttl_is_in_sync_with_the_text(review_text: str, data: Graph) -> None:
    built = reference_graph(review_text)
    shipped_refs = Graph()
    for ref in data.subjects(predicate=KG.referenceNumber):
        for triple in data.triples((ref, None, None)):
            shipped_refs.add(triple)
    assert isomorphic(built, shipped_refs)


def test_gap_in_numbering_is_an_error() -> None:
    text = "References\n1. A, B. T. *J.* **2000**, *1*, 1.\n3. C, D. T. *J.* **2001**, *1*, 2.\n"
    with pytest.raises(KGError, match="expected entry 2"):
        parse_references(text)


def test_malformed_entry_is_an_error() -> None:
    with pytest.raises(KGError, match="reference 1 has no journal"):
        parse_references("References\n1. Smith, J. A title without journal.\n")
