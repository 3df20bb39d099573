from __future__ import annotations

import networkx as nx
import pytest

from kg.model.names import name_key
from kg.reasoning.resolve import AmbiguousNameError, UnknownNameError, resolve


@pytest.fixture
def graph() -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    g.add_node("TNF", label="TNF-α", synonyms=("TNF-alpha", "TNFa"), xrefs=("HGNC:11892",))
    g.add_node("NFKB", label="NF-κB", synonyms=("NF-kB",), xrefs=())
    g.add_node("miR-21", label="miR-21", synonyms=("hsa-miR-21-5p",), xrefs=("mirbase:MI0000077",))
    g.add_node("MMP", label="MMPs", synonyms=("MMP",), xrefs=())
    g.add_node("MMP-1", label="MMP-1", synonyms=("MMP",), xrefs=())
    return g


@pytest.mark.parametrize(
    ("name", "node"),
    [
        ("TNF-α", "TNF"), ("tnf alpha", "TNF"), ("TNF-ALPHA", "TNF"), ("TNFa", "TNF"),
        ("HGNC:11892", "TNF"), ("hgnc:11892", "TNF"), ("NF-kB", "NFKB"), ("NF-kappaB", "NFKB"),
        ("nf κb", "NFKB"), ("hsa-miR-21-5p", "miR-21"), ("mir21", "miR-21"),
        ("mirbase:MI0000077", "miR-21"), ("MMP-1", "MMP-1"),
    ],
)  # fmt: skip
def test_names_resolve(graph: nx.MultiDiGraph, name: str, node: str) -> None:
    assert resolve(graph, name) == node


def test_ambiguous_name_lists_candidates(graph: nx.MultiDiGraph) -> None:
    with pytest.raises(
        AmbiguousNameError, match=r"'MMP' is ambiguous: MMP \(MMPs\), MMP-1 \(MMP-1\)"
    ):
        resolve(graph, "MMP")
    assert AmbiguousNameError.exit_code == 2


def test_unknown_name_suggests_near_matches(graph: nx.MultiDiGraph) -> None:
    with pytest.raises(UnknownNameError, match=r"did you mean 'miR-21'\?"):
        resolve(graph, "miR-12")
    with pytest.raises(UnknownNameError, match=r"^no entity named 'zzzz' in the graph$"):
        resolve(graph, "zzzz")
    assert UnknownNameError.exit_code == 2


def test_name_key_ignores_case_greek_and_punctuation() -> None:
    assert name_key("IL-1β") == name_key("il 1 beta") == "il1beta"
    assert name_key("H ₂ O ₂") == "h2o2"


def test_ambiguous_name_offers_the_hierarchy() -> None:
    g = nx.MultiDiGraph()
    g.add_node("msc-exo", label="MSC-derived exosomes", synonyms=("MSC exosomes",))
    g.add_node("bm-exo", label="BM-MSC-derived exosomes", synonyms=("MSC exosomes",))
    g.add_node("uc-exo", label="UC-MSC-derived exosomes")
    g.add_edge("bm-exo", "msc-exo", key="k1", relation="kindOf", sign=0)
    g.add_edge("uc-exo", "msc-exo", key="k2", relation="kindOf", sign=0)
    with pytest.raises(AmbiguousNameError) as caught:
        resolve(g, "MSC exosomes")
    message = str(caught.value)
    assert "bm-exo (BM-MSC-derived exosomes; a kind of MSC-derived exosomes)" in message
    assert (
        "msc-exo (MSC-derived exosomes; kinds: BM-MSC-derived exosomes, UC-MSC-derived exosomes)"
        in message
    )
    assert "msc-exo stands for all of them" in message
