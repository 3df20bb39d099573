"""Validate RDF data against the kg model: syntax, SHACL shapes, quotes, identifiers, terms.

``validate`` never raises for problems in the data: it returns a :class:`Report` listing them,
each as one line (``file:line: message`` for syntax, ``focus-node: message`` otherwise).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import SH, SKOS
from rdflib.term import Node

from kg.model import shipped
from kg.model.errors import TurtleSyntaxError
from kg.model.identifiers import PREFIX_TABLES, IdentifierTables, load_tables
from kg.model.names import name_key
from kg.model.review import find_quote, normalise
from kg.model.vocab import KG
from kg.store import rdf

__all__ = ["Problem", "Report", "validate", "validate_graph"]

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


def validate(
    paths: Sequence[Path] | None = None,
    *,
    review_text: str | None = None,
    tables: IdentifierTables | None = None,
) -> Report:
    """Validate Turtle files (default: the shipped data) together with the ontology.

    Example:
        >>> report = validate()
        >>> report.ok, report.problems
        (True, ())
    """
    files = tuple(Path(p) for p in paths) if paths else tuple(shipped.data_files())
    data = rdf.new_graph()
    problems: list[Problem] = []
    for path in files:
        try:
            rdf.parse_turtle(data, path)
        except TurtleSyntaxError as exc:
            problems.append(Problem("syntax", f"{exc.path}:{exc.line or '?'}", exc.message))
    if problems:
        return Report(files, tuple(problems), len(data))
    text = review_text if review_text is not None else shipped.review_text_file().read_text("utf-8")
    problems = validate_graph(data, review_text=text, tables=tables or load_tables())
    return Report(files, tuple(problems), len(data))


def validate_graph(data: Graph, *, review_text: str, tables: IdentifierTables) -> list[Problem]:
    """All problems of an already-parsed data graph (the ontology is added here)."""
    ontology = rdf.load([shipped.ontology_file()])
    full = rdf.new_graph()
    for triple in data:
        full.add(triple)
    for triple in ontology:
        full.add(triple)
    problems = _shacl(full)
    problems += _quotes(data, normalise(review_text), full)
    problems += _identifiers(data, tables, full)
    problems += _iris(data)
    problems += _terms(data, ontology)
    return sorted(set(problems))


def _name(graph: Graph, node: Node) -> str:
    if isinstance(node, URIRef):
        try:
            return graph.namespace_manager.normalizeUri(node)
        except ValueError:
            return f"<{node}>"
    return str(node)


def _shacl(full: Graph) -> list[Problem]:
    from pyshacl import validate as shacl_validate

    shapes = rdf.load([shipped.shapes_file()])
    _conforms, results, _text = shacl_validate(
        full, shacl_graph=shapes, inference="none", allow_warnings=True
    )
    problems = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        focus = results.value(result, SH.focusNode)
        message = results.value(result, SH.resultMessage)
        path = results.value(result, SH.resultPath)
        where = _name(full, focus) if focus is not None else "?"
        text = str(message) if message is not None else "violates a shape"
        if path is not None:
            text += f" (path {_name(full, path)})"
        problems.append(Problem("shacl", where, text))
    return problems


def _quotes(data: Graph, review: str, full: Graph) -> list[Problem]:
    problems = []
    for evidence, quote in data.subject_objects(KG.quote):
        if (evidence, KG.source, None) in data:
            continue  # imported evidence quotes its source record, not the review
        if isinstance(quote, Literal) and not find_quote(review, str(quote)):
            short = normalise(str(quote))
            short = short if len(short) <= 60 else short[:57] + "..."
            problems.append(
                Problem("quote", _name(full, evidence), f"quote not found in the review: {short!r}")
            )
    return problems


def _identifiers(data: Graph, tables: IdentifierTables, full: Graph) -> list[Problem]:
    """Each xref must exist in its table, and the table's name for it must be one of the
    entity's names (label or synonym), so that a real but wrong identifier fails too."""
    problems = []
    for entity, xref in data.subject_objects(KG.xref):
        curie = str(xref)
        prefix = curie.partition(":")[0]
        where = _name(full, entity)
        if prefix not in PREFIX_TABLES:
            known = ", ".join(PREFIX_TABLES)
            message = f"{curie}: no table for prefix {prefix!r} (use {known})"
            problems.append(Problem("identifier", where, message))
            continue
        record = tables.lookup(curie)
        if record is None:
            message = f"{curie}: unknown identifier, not in the {PREFIX_TABLES[prefix]} table"
            problems.append(Problem("identifier", where, message))
            continue
        ours = {
            name_key(str(n)) for p in (RDFS.label, SKOS.altLabel) for n in data.objects(entity, p)
        }
        theirs = {name_key(n) for n in (record.label, *record.synonyms)}
        if not ours & theirs:
            message = (
                f"{curie} is {record.label!r} in the {PREFIX_TABLES[prefix]} table, which is "
                "neither the label nor a synonym of this entity: check the identifier, or add "
                "the table's name as a synonym"
            )
            problems.append(Problem("identifier", where, message))
    return problems


def _iris(data: Graph) -> list[Problem]:
    bad = {
        node
        for triple in data
        for node in triple
        if isinstance(node, URIRef) and _BAD_IRI.search(node)
    }
    return [
        Problem("iri", f"<{node}>", "IRI contains a space or a character IRIs forbid")
        for node in bad
    ]


def _terms(data: Graph, ontology: Graph) -> list[Problem]:
    declared = {s for s in ontology.subjects() if isinstance(s, URIRef)}
    namespace = str(KG._NS)
    used = set()
    for _s, p, o in data:
        used.add(p)
        if p == RDF.type or (isinstance(o, URIRef) and str(o).startswith(namespace)):
            used.add(o)
    return [
        Problem(
            "term",
            f"kg:{str(term).removeprefix(namespace)}",
            "term is not declared in ontology/kg.ttl",
        )
        for term in used
        if isinstance(term, URIRef) and str(term).startswith(namespace) and term not in declared
    ]
