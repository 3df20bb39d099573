"""The views derived from Oxigraph's store equal the rdflib-derived ones on generated data,
with every evidence field filled and values made to break naive separators."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from rdflib import Graph

from kg.model import vocab
from kg.model.errors import KGError, TurtleSyntaxError
from kg.model.records import Assertion, Entity, Evidence, Level, Reference, Relation, StudyType
from kg.store import knowledge, provenance, quads, rdf
from tests.test_knowledge import assert_same_views

TRICKY = ("α-β", "a b", "x=y", "50%", "a\x1fb", "\x1ec", "tab\there", 'say "hi"', "é", "")


def _text(rng: random.Random) -> str:
    return " ".join(rng.choice(TRICKY) for _ in range(rng.randint(1, 3))) + str(rng.random())


def _maybe(rng: random.Random) -> str | None:
    return _text(rng) if rng.random() < 0.5 else None


def _graph(seed: int) -> Graph:
    rng = random.Random(seed)
    graph = rdf.new_graph()
    types = ("MicroRNA", "GeneOrProtein", "Pathway", "CellType", "Organism")
    ids = [f"e{i}" for i in range(12)]
    for i, eid in enumerate(ids):
        entity = Entity(
            id=eid,
            type=types[i % len(types)],
            label=_text(rng),
            synonyms=tuple(_text(rng) for _ in range(rng.randint(0, 2))),
            xrefs=tuple(f"HGNC:{rng.randint(1, 99)}" for _ in range(rng.randint(0, 2))),
        )
        provenance.add_entity(graph, entity)
    for number in range(1, 6):
        year = rng.choice((None, 2000 + number))
        ref = Reference(number, _text(rng), _text(rng), _text(rng), year, _maybe(rng), None)
        provenance.add_reference(graph, ref)
    for a in range(40):
        evidence = tuple(
            Evidence(
                id=f"a{a}-{k}",
                quote=_text(rng),
                section=_text(rng),
                references=tuple(sorted(rng.sample(range(1, 6), rng.randint(0, 2)))),
                level=rng.choice(list(Level)),
                citation_printed=_maybe(rng),
                cited=tuple(sorted(rng.sample(range(1, 6), rng.randint(0, 2)))),
                citation_note=_maybe(rng),
                study_types=tuple(rng.sample(list(StudyType), rng.randint(0, 2))),
                species=tuple(sorted(rng.sample(ids, rng.randint(0, 2)))),
                cell_types=tuple(sorted(rng.sample(ids, rng.randint(0, 2)))),
                exosome_origins=tuple(sorted(rng.sample(ids, rng.randint(0, 1)))),
                stressors=tuple(sorted(rng.sample(ids, rng.randint(0, 1)))),
                context=_maybe(rng),
                inference_reason=_maybe(rng),
                printed_as=_maybe(rng),
                note=_maybe(rng),
                pmids=tuple(sorted(str(rng.randint(1, 30)) for _ in range(rng.randint(0, 2)))),
                source=_maybe(rng),
                source_record=_maybe(rng),
                experiments=tuple(sorted({_text(rng) for _ in range(rng.randint(0, 2))})),
                support_type=_maybe(rng),
            )
            for k in range(rng.randint(1, 3))
        )
        subject, obj = rng.sample(ids, 2)
        others = tuple(f"a{o}" for o in rng.sample(range(a), min(a, rng.randint(0, 1))))
        assertion = Assertion(
            id=f"a{a}",
            subject=subject,
            relation=rng.choice(list(Relation)),
            object=obj,
            evidence=evidence,
            contradicts=others,
        )
        provenance.add_assertion(graph, assertion)
    return graph


@pytest.mark.parametrize("seed", range(8))
def test_views_equal_on_generated_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seed: int
) -> None:
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    path = tmp_path / "data.ttl"
    rdf.write_turtle(_graph(seed), path)
    old = knowledge.derive(rdf.load([path]))
    assert len(old.evidence) >= 40
    assert_same_views(knowledge.load_knowledge([path], cache=False), old)
    assert_same_views(knowledge.load_knowledge([path]), old)  # writes the entry
    assert_same_views(knowledge.load_knowledge([path]), old)  # reads it


def test_iris_match_the_vocabulary() -> None:
    assert str(vocab.KG._NS) == quads.KG
    assert str(vocab.ENTITY) == quads.ENTITY
    assert str(vocab.ASSERTION) == quads.ASSERTION
    assert str(vocab.EVIDENCE) == quads.EVIDENCE
    assert str(vocab.STUDY) == quads.STUDY
    assert str(vocab.REFERENCE) == quads.REFERENCE
    for prefix in ("rdf", "rdfs", "skos", "dcterms"):
        assert getattr(quads, prefix.upper()) == vocab.PREFIXES[prefix]


def test_syntax_error_is_file_line_message(tmp_path: Path) -> None:
    path = tmp_path / "bad.ttl"
    path.write_text('@prefix ex: <http://ex/> .\nex:a ex:b ex:c .\nex:a ex:b "open .\n')
    with pytest.raises(TurtleSyntaxError) as caught:
        quads.open_store([path])
    assert str(caught.value) == f"{path}:3: Unexpected end of file (column 11)"
    assert "\n" not in str(caught.value)


def test_a_non_relation_predicate_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "data.ttl"
    path.write_text(
        "@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .\n"
        "<http://x/a> a <https://w3id.org/kg-ivd/vocab#Assertion> ; rdf:subject <http://x/s> ;"
        " rdf:predicate <http://x/p> ; rdf:object <http://x/o> .\n"
    )
    with pytest.raises(KGError, match="not a kg relation"):
        knowledge.load_knowledge([path], cache=False)


def test_names_read_back_from_the_cache_as_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # synonyms that a joined-string encoding would garble: empty, separator characters
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    path = tmp_path / "data.ttl"
    path.write_text(
        "@prefix kg: <https://w3id.org/kg-ivd/vocab#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        '<https://w3id.org/kg-ivd/entity/x> a kg:Gene ; rdfs:label "x" ;\n'
        '  skos:altLabel "", "a\\u001fb", "\\u001e", "b c" .\n'
    )
    first = knowledge.load_knowledge([path])
    again = knowledge.load_knowledge([path])  # from the cache entry the first call wrote
    assert first.entities.nodes["x"]["synonyms"] == ("", "\x1e", "a\x1fb", "b c")
    assert dict(again.entities.nodes(data=True)) == dict(first.entities.nodes(data=True))
