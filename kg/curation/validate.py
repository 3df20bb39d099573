"""Validate RDF data against the kg model: syntax, SHACL shapes, quotes, identifiers, terms.

``validate`` never raises for problems in the data: it returns a :class:`Report` listing them,
each as one line (``file:line: message`` for syntax, ``focus-node: message`` otherwise).

The files are parsed by Oxigraph into one named graph, the ontology into another; every check
is a query over the whole store: the SHACL shapes compiled to SPARQL (:mod:`kg.curation.shacl`;
pyshacl only for a shape the compiler does not support), and one query each for the quotes,
the identifiers, the IRIs and the terms.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import pyoxigraph as ox
from rdflib import Graph, URIRef

from kg.curation import shacl
from kg.model import shipped
from kg.model.errors import NotFoundError, TurtleSyntaxError
from kg.model.identifiers import PREFIX_TABLES, IdentifierTables, load_tables
from kg.model.names import name_key
from kg.model.review import find_quote, normalise
from kg.store import quads, rdf

__all__ = ["Engine", "Problem", "Report", "validate", "validate_graph"]

Engine = Literal["compiled", "pyshacl"]

_BAD_IRI = re.compile(r"[\s<>\"{}|^`\\]")


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the data."""

    kind: str  # syntax | shacl | quote | identifier | iri | term
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass(frozen=True)
class Report:
    """The outcome of a validation run."""

    files: tuple[Path, ...]
    problems: tuple[Problem, ...]
    triples: int

    @property
    def ok(self) -> bool:
        """True when nothing is wrong."""
        return not self.problems


_DATA = ox.NamedNode("urn:kg:validate:data")
_ONTOLOGY = ox.NamedNode("urn:kg:validate:ontology")
_PREFIXES = f"PREFIX kg: <{quads.KG}>\nPREFIX rdfs: <{quads.RDFS}>\nPREFIX skos: <{quads.SKOS}>\n"
# A superset of _BAD_IRI for Oxigraph's regex (Python's \s also matches U+001C-U+001F); each
# IRI it finds is checked again with _BAD_IRI itself.
_BAD_IRI_SPARQL = json.dumps(r'[\s\x{1c}-\x{1f}<>"{}|^`\\]')


def validate(
    paths: Sequence[Path] | None = None,
    *,
    review_text: str | None = None,
    tables: IdentifierTables | None = None,
    engine: Engine = "compiled",
) -> Report:
    """Validate Turtle files (default: the shipped data) together with the ontology.

    ``engine="pyshacl"`` checks the SHACL shapes with pyshacl instead of compiling them
    (slow at scale; to compare the two, as ``tests/test_validate.py`` and the benchmarks do).

    Example:
        >>> report = validate()
        >>> report.ok, report.problems
        (True, ())
    """
    files = tuple(Path(p) for p in paths) if paths else tuple(shipped.data_files())
    store = ox.Store()
    problems: list[Problem] = []
    for path in files:
        try:
            _load(store, path, _DATA)
        except TurtleSyntaxError as exc:
            problems.append(Problem("syntax", f"{exc.path}:{exc.line or '?'}", exc.message))
    if problems:
        return Report(files, tuple(problems), _triples(store))
    text = review_text if review_text is not None else shipped.review_text_file().read_text("utf-8")
    problems = _validate_store(
        store, review_text=text, tables=tables or load_tables(), engine=engine
    )
    return Report(files, tuple(problems), _triples(store))


def validate_graph(data: Graph, *, review_text: str, tables: IdentifierTables) -> list[Problem]:
    """All problems of an already-parsed data graph (the ontology is added here)."""
    store = ox.Store()
    triples = data.serialize(format="nt", encoding="utf-8")
    store.load(triples, ox.RdfFormat.N_TRIPLES, to_graph=_DATA, lenient=True)
    return _validate_store(store, review_text=review_text, tables=tables)


def _load(store: ox.Store, path: Path, graph: ox.NamedNode) -> None:
    if not path.is_file():
        raise NotFoundError(f"{path}: no such file")
    try:
        store.load(path=str(path), format=ox.RdfFormat.TURTLE, to_graph=graph, lenient=True)
    except SyntaxError as exc:
        raise quads.syntax_error(path, exc) from None
    except (OSError, ValueError) as exc:
        raise TurtleSyntaxError(str(path), None, str(exc).splitlines()[0]) from None


def _triples(store: ox.Store) -> int:
    return sum(1 for _ in store.quads_for_pattern(None, None, None, _DATA))


def _select(store: ox.Store, query: str, *, union: bool = False) -> list[tuple[Any, ...]]:
    solutions = store.query(_PREFIXES + query, use_default_graph_as_union=union)
    assert isinstance(solutions, ox.QuerySolutions)  # SELECT queries only
    return [tuple(row) for row in solutions]


def _validate_store(
    store: ox.Store, *, review_text: str, tables: IdentifierTables, engine: Engine = "compiled"
) -> list[Problem]:
    _load(store, shipped.ontology_file(), _ONTOLOGY)
    names = rdf.new_graph()
    problems = _shacl(store, names, engine)
    problems += _quotes(store, normalise(review_text), names)
    problems += _identifiers(store, tables, names)
    problems += _iris(store)
    problems += _terms(store)
    return sorted(set(problems))


def _name(names: Graph, node: object) -> str:
    if isinstance(node, ox.NamedNode):
        try:
            return names.namespace_manager.normalizeUri(URIRef(node.value))
        except ValueError:
            return f"<{node.value}>"
    return str(getattr(node, "value", node))


def _shacl(store: ox.Store, names: Graph, engine: Engine) -> list[Problem]:
    shapes = rdf.load([shipped.shapes_file()])
    compiled = shacl.compile_shapes(shapes)
    if engine == "pyshacl":
        compiled = shacl.Compiled([], shacl.node_shapes(shapes))
    results: list[shacl.Result] = list(shacl.run(store, compiled.checks))
    if compiled.uncompiled:
        results += shacl.pyshacl_results(store, shapes, compiled.uncompiled)
    problems = []
    for focus, message, path in results:
        text = message if message is not None else "violates a shape"
        if path is not None:
            text += f" (path {_name(names, ox.NamedNode(str(path)))})"
        problems.append(Problem("shacl", _name(names, focus), text))
    return problems


def _quotes(store: ox.Store, review: str, names: Graph) -> list[Problem]:
    query = """SELECT ?e ?q WHERE { GRAPH <urn:kg:validate:data> {
        ?e kg:quote ?q FILTER(isLiteral(?q)) FILTER NOT EXISTS { ?e kg:source ?s } } }"""
    found: dict[str, bool] = {}
    problems = []
    for evidence, quote in _select(store, query):
        text = quote.value
        if text not in found:
            found[text] = find_quote(review, text)
        if not found[text]:  # imported evidence (kg:source) quotes its source record instead
            short = normalise(text)
            short = short if len(short) <= 60 else short[:57] + "..."
            message = f"quote not found in the review: {short!r}"
            problems.append(Problem("quote", _name(names, evidence), message))
    return problems


def _identifiers(store: ox.Store, tables: IdentifierTables, names: Graph) -> list[Problem]:
    """Each xref must exist in its table, and the table's name for it must be one of the
    entity's names (label or synonym), so that a real but wrong identifier fails too."""
    ours: dict[Any, set[str]] = {}
    query = """SELECT ?x ?n WHERE { GRAPH <urn:kg:validate:data> {
        ?x kg:xref [] . ?x rdfs:label|skos:altLabel ?n } }"""
    for entity, name in _select(store, query):
        ours.setdefault(entity, set()).add(name_key(name.value))
    problems = []
    query = "SELECT ?x ?r WHERE { GRAPH <urn:kg:validate:data> { ?x kg:xref ?r } }"
    xrefs = [(entity, xref.value) for entity, xref in _select(store, query)]
    records = tables.lookup_many(c for _e, c in xrefs if c.partition(":")[0] in PREFIX_TABLES)
    for entity, curie in xrefs:
        prefix = curie.partition(":")[0]
        where = _name(names, entity)
        if prefix not in PREFIX_TABLES:
            known = ", ".join(PREFIX_TABLES)
            message = f"{curie}: no table for prefix {prefix!r} (use {known})"
            problems.append(Problem("identifier", where, message))
            continue
        record = records.get(curie)
        if record is None:
            message = f"{curie}: unknown identifier, not in the {PREFIX_TABLES[prefix]} table"
            problems.append(Problem("identifier", where, message))
            continue
        theirs = {name_key(n) for n in (record.label, *record.synonyms)}
        if not ours.get(entity, set()) & theirs:
            message = (
                f"{curie} is {record.label!r} in the {PREFIX_TABLES[prefix]} table, which is "
                "neither the label nor a synonym of this entity: check the identifier, or add "
                "the table's name as a synonym"
            )
            problems.append(Problem("identifier", where, message))
    return problems


def _iris(store: ox.Store) -> list[Problem]:
    query = f"""SELECT DISTINCT ?n WHERE {{ GRAPH <urn:kg:validate:data> {{
        {{ ?n ?p ?o }} UNION {{ ?s ?n ?o }} UNION {{ ?s ?p ?n }} }}
        FILTER(isIRI(?n) && REGEX(STR(?n), {_BAD_IRI_SPARQL})) }}"""
    bad = {row[0].value for row in _select(store, query)}
    return [
        Problem("iri", f"<{iri}>", "IRI contains a space or a character IRIs forbid")
        for iri in bad
        if _BAD_IRI.search(iri)
    ]


def _terms(store: ox.Store) -> list[Problem]:
    """kg terms used as a predicate or an object in the data but not declared (as the
    subject of a triple) in the ontology."""
    query = f"""SELECT DISTINCT ?t WHERE {{
        GRAPH <urn:kg:validate:data> {{ {{ ?s ?t ?o }} UNION {{ ?s ?p ?t }} }}
        FILTER(isIRI(?t) && STRSTARTS(STR(?t), "{quads.KG}"))
        FILTER NOT EXISTS {{ GRAPH <urn:kg:validate:ontology> {{ ?t ?x ?y }} }} }}"""
    return [
        Problem(
            "term",
            f"kg:{row[0].value.removeprefix(quads.KG)}",
            "term is not declared in ontology/kg.ttl",
        )
        for row in _select(store, query)
    ]
