from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import XSD, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from kg.model import shipped
from kg.model.errors import NotFoundError, TurtleSyntaxError
from kg.store import rdf


def _plain(graph: Graph) -> Graph:
    """Oxigraph types simple literals as xsd:string explicitly (the same in RDF 1.1)."""
    out = Graph()
    for s, p, o in graph:
        plain = Literal(str(o)) if isinstance(o, Literal) and o.datatype == XSD.string else o
        out.add((s, p, plain))
    return out


def test_oxigraph_store_holds_the_same_graph(data: Graph) -> None:
    ox = rdf.load(shipped.data_files(), store="oxigraph")
    assert len(ox) == len(data)
    assert isomorphic(_plain(ox), data)


@pytest.mark.parametrize("store", ["memory", "oxigraph"])
def test_syntax_error_carries_file_and_line(tmp_path: Path, store: rdf.Store) -> None:
    path = tmp_path / "bad.ttl"
    path.write_text("@prefix ex: <http://ex/> .\nex:a ex:b ex:c .\nex:a ex:b ex:c ex:d .\n")
    with pytest.raises(TurtleSyntaxError) as info:
        rdf.load([path], store=store)
    assert info.value.path == str(path)
    assert info.value.line == 3
    assert str(info.value).startswith(f"{path}:3: ")


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(NotFoundError, match="no such file"):
        rdf.load([tmp_path / "nope.ttl"])


def test_write_turtle_round_trips_and_leaves_no_temp_file(tmp_path: Path) -> None:
    graph = rdf.new_graph()
    graph.add((URIRef("http://ex/a"), URIRef("http://ex/b"), Literal("TNF- α")))
    target = tmp_path / "out" / "g.ttl"
    rdf.write_turtle(graph, target)
    assert isomorphic(rdf.load([target]), graph)
    assert [p.name for p in target.parent.iterdir()] == ["g.ttl"]
