"""SHACL shapes compiled to SPARQL and run once over the whole graph on Oxigraph.

pyshacl checks every constraint once per focus node (and parses each SPARQL-based constraint
again for each), which takes minutes at 10^5 triples. Here each constraint becomes one query
that returns the focus nodes violating it, evaluated by Oxigraph over the whole store.

Supported (everything ``ontology/shapes.ttl`` uses): node shapes with ``sh:targetClass``
(instances of subclasses included), ``sh:targetNode``, ``sh:targetSubjectsOf``,
``sh:targetObjectsOf``; ``sh:property`` shapes with an IRI ``sh:path`` and ``sh:minCount``,
``sh:maxCount``, ``sh:class``, ``sh:datatype``, ``sh:in``, ``sh:pattern`` (``sh:flags``),
``sh:minLength``, ``sh:maxLength``; SPARQL-based constraints (``sh:sparql`` SELECT with
``$this``, prefixes from ``sh:prefixes``); ``sh:or`` of such shapes on a node shape. Each
result carries the shape's ``sh:message``. A shape that uses anything else, or lacks a
message, is not compiled: :func:`compile_shapes` returns it separately, for pyshacl.
``tests/test_validate.py`` checks on planted errors that both report the same problems.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import RDF, XSD, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH
from rdflib.term import Node

__all__ = ["Check", "Compiled", "compile_shapes", "node_shapes", "pyshacl_results", "run"]

Focus = ox.NamedNode | ox.BlankNode | ox.Literal | str
Result = tuple[Focus, str | None, URIRef | None]  # focus node, message, path
_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
_SUBCLASS = "<http://www.w3.org/2000/01/rdf-schema#subClassOf>"
# "The classes C and its subclasses", filled in by run() from the graph itself: a SHACL
# instance of C is a node whose rdf:type is one of them (cheaper than the property path).
_CLASSES = re.compile(r"\{(CLASSES|CLASSLIST) (<[^>]*>)\}")
_SHAPE_KEYS = {RDF.type, SH.message, SH.name, SH.description, SH.severity, SH.order, SH.group}
_TARGETS = {SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf}
_VALUE_KEYS = {SH["class"], SH.datatype, SH["in"], SH.pattern, SH.flags, SH.minLength,
               SH.maxLength}  # fmt: skip
_PROPERTY_KEYS = _SHAPE_KEYS | _VALUE_KEYS | {SH.path, SH.minCount, SH.maxCount}


class UnsupportedError(Exception):
    """A shape uses something this compiler does not translate."""


@dataclass(frozen=True)
class Check:
    """One compiled constraint: ``query`` selects the violating focus nodes as ``?this``."""

    query: str
    message: str | None
    path: URIRef | None


@dataclass(frozen=True)
class Alternatives:
    """An ``sh:or``: focus nodes that violate every member (each a list of checks)."""

    members: tuple[tuple[Check, ...], ...]
    message: str
    target: str


@dataclass
class Compiled:
    """The compiled checks, and the node shapes left to pyshacl."""

    checks: list[Check | Alternatives] = field(default_factory=list)
    uncompiled: list[Node] = field(default_factory=list)


def _term(node: Node) -> str:
    if isinstance(node, URIRef):
        return f"<{node}>"
    if isinstance(node, Literal):
        return node.n3()
    raise UnsupportedError(f"not an IRI or literal: {node}")


def _message(shapes: Graph, shape: Node) -> str | None:
    value = shapes.value(shape, SH.message)
    return str(value) if value is not None else None


def _keys(shapes: Graph, node: Node, allowed: set[URIRef]) -> None:
    for predicate in shapes.predicates(node, None):
        if predicate not in allowed:
            raise UnsupportedError(f"{predicate}")


def _target(shapes: Graph, shape: Node) -> str:
    parts = []
    for kind, value in ((k, v) for k in _TARGETS for v in shapes.objects(shape, k)):
        if kind == SH.targetClass:
            parts.append(f"VALUES ?k {{ {{CLASSES {_term(value)}}} }} ?this {_TYPE} ?k .")
        elif kind == SH.targetNode:
            parts.append(f"VALUES ?this {{ {_term(value)} }}")
        elif kind == SH.targetSubjectsOf:
            parts.append(f"?this {_term(value)} [] .")
        else:
            parts.append(f"[] {_term(value)} ?this .")
    if not parts:
        raise UnsupportedError("a node shape without a target")
    union = " UNION ".join(f"{{ {p} }}" for p in sorted(parts))
    return f"{{ SELECT DISTINCT ?this WHERE {{ {union} }} }}"


def _value_violation(shapes: Graph, prop: Node) -> str | None:
    """A FILTER expression true for a value node ``?v`` that breaks a value constraint."""
    tests = []
    for cls in shapes.objects(prop, SH["class"]):
        classes = f"{{CLASSLIST {_term(cls)}}}"
        tests.append(f"NOT EXISTS {{ ?v {_TYPE} ?t FILTER(?t IN ({classes})) }}")
    for datatype in shapes.objects(prop, SH.datatype):
        test = f"!isLiteral(?v) || !sameTerm(DATATYPE(?v), {_term(datatype)})"
        lexical = {XSD.integer: "^[+-]?[0-9]+$", XSD.boolean: "^(true|false|1|0)$"}
        pattern = lexical.get(datatype) if isinstance(datatype, URIRef) else None
        if pattern is not None:  # an ill-typed literal ("x"^^xsd:integer) breaks sh:datatype
            test += f' || !REGEX(STR(?v), "{pattern}")'
        tests.append(test)
    for listed in shapes.objects(prop, SH["in"]):
        members = " || ".join(f"sameTerm(?v, {_term(m)})" for m in Collection(shapes, listed))
        tests.append(f"!({members or 'false'})")
    flags = shapes.value(prop, SH.flags)
    for regex in shapes.objects(prop, SH.pattern):
        options = f", {Literal(str(flags)).n3()}" if flags is not None else ""
        tests.append(f"isBlank(?v) || !REGEX(STR(?v), {Literal(str(regex)).n3()}{options})")
    for length in shapes.objects(prop, SH.minLength):
        tests.append(f"isBlank(?v) || STRLEN(STR(?v)) < {_int(length)}")
    for length in shapes.objects(prop, SH.maxLength):
        tests.append(f"isBlank(?v) || STRLEN(STR(?v)) > {_int(length)}")
    return " || ".join(f"({t})" for t in tests) or None


def _int(node: Node) -> int:
    if not isinstance(node, Literal):
        raise UnsupportedError(f"not a number: {node}")
    return int(str(node))


def _property_checks(shapes: Graph, prop: Node, target: str, message: str | None) -> list[Check]:
    _keys(shapes, prop, _PROPERTY_KEYS)
    path = shapes.value(prop, SH.path)
    if not isinstance(path, URIRef):
        raise UnsupportedError("a path that is not one IRI")
    p = _term(path)
    checks = []
    for count in shapes.objects(prop, SH.minCount):
        n = _int(count)
        if n == 1:
            query = f"SELECT ?this WHERE {{ {target} FILTER NOT EXISTS {{ ?this {p} ?v }} }}"
        elif n > 1:
            query = (
                f"SELECT ?this WHERE {{ {target} OPTIONAL {{ ?this {p} ?v }} }} "
                f"GROUP BY ?this HAVING (COUNT(DISTINCT ?v) < {n})"
            )
        else:
            continue
        checks.append(Check(query, message, path))
    for count in shapes.objects(prop, SH.maxCount):
        query = (
            f"SELECT ?this WHERE {{ {target} ?this {p} ?v }} "
            f"GROUP BY ?this HAVING (COUNT(DISTINCT ?v) > {_int(count)})"
        )
        checks.append(Check(query, message, path))
    violation = _value_violation(shapes, prop)
    if violation is not None:
        query = f"SELECT DISTINCT ?this WHERE {{ {target} ?this {p} ?v FILTER({violation}) }}"
        checks.append(Check(query, message, path))
    return checks


def _prefixes(shapes: Graph, constraint: Node) -> str:
    lines = []
    for source in shapes.objects(constraint, SH.prefixes):
        for declaration in shapes.objects(source, SH.declare):
            prefix = shapes.value(declaration, SH.prefix)
            namespace = shapes.value(declaration, SH.namespace)
            lines.append(f"PREFIX {prefix}: <{namespace}>")
    return "\n".join(lines)


def _sparql_check(shapes: Graph, constraint: Node, target: str, shape: Node) -> Check:
    _keys(shapes, constraint, {RDF.type, SH.message, SH.prefixes, SH.select, SH.severity})
    text_node = shapes.value(constraint, SH.select)
    message = _message(shapes, constraint) or _message(shapes, shape)
    if text_node is None or message is None:
        raise UnsupportedError("a SPARQL constraint without a SELECT or a message")
    text = str(text_node)
    if re.search(r"[?$](path|value)\b", text):
        raise UnsupportedError("a SPARQL constraint that reports ?path or ?value")
    inner = text.replace("$this", "?this")
    select = f"SELECT DISTINCT ?this WHERE {{ {target} {{ {inner} }} }}"
    query = f"{_prefixes(shapes, constraint)}\n{select}"
    return Check(query, message, None)


def _member_checks(shapes: Graph, member: Node, target: str) -> tuple[Check, ...]:
    if shapes.value(member, SH.path) is not None:
        return tuple(_property_checks(shapes, member, target, None))
    _keys(shapes, member, _SHAPE_KEYS | {SH.property})
    return tuple(
        c for prop in shapes.objects(member, SH.property)
        for c in _property_checks(shapes, prop, target, None)
    )  # fmt: skip


def _node_shape(shapes: Graph, shape: Node) -> list[Check | Alternatives]:
    _keys(shapes, shape, _SHAPE_KEYS | _TARGETS | {SH.property, SH.sparql, SH["or"]})
    target = _target(shapes, shape)
    checks: list[Check | Alternatives] = []
    for prop in shapes.objects(shape, SH.property):
        if shapes.value(prop, SH.deactivated) == Literal(True):
            continue
        message = _message(shapes, prop)
        if message is None:
            raise UnsupportedError("a property shape without sh:message")
        checks.extend(_property_checks(shapes, prop, target, message))
    for constraint in shapes.objects(shape, SH.sparql):
        checks.append(_sparql_check(shapes, constraint, target, shape))
    for listed in shapes.objects(shape, SH["or"]):
        message = _message(shapes, shape)
        if message is None:
            raise UnsupportedError("an sh:or without sh:message")
        members = tuple(_member_checks(shapes, m, target) for m in Collection(shapes, listed))
        checks.append(Alternatives(members, message, target))
    return checks


def node_shapes(shapes: Graph) -> list[Node]:
    """The active node shapes of ``shapes`` (typed sh:NodeShape, or with a target)."""
    nodes = set(shapes.subjects(RDF.type, SH.NodeShape))
    nodes |= {s for t in _TARGETS for s in shapes.subjects(t, None)}
    active = (n for n in nodes if shapes.value(n, SH.deactivated) != Literal(True))
    return sorted(active, key=str)


def compile_shapes(shapes: Graph) -> Compiled:
    """Compile every node shape of ``shapes`` that this module supports."""
    compiled = Compiled()
    for shape in node_shapes(shapes):
        try:
            compiled.checks.extend(_node_shape(shapes, shape))
        except (UnsupportedError, ValueError, TypeError):
            compiled.uncompiled.append(shape)
    return compiled


def _subclasses(store: ox.Store, match: re.Match[str], known: dict[str, list[str]]) -> str:
    kind, cls = match.groups()
    if cls not in known:
        query = f"SELECT DISTINCT ?k WHERE {{ ?k {_SUBCLASS}* {cls} FILTER(isIRI(?k)) }}"
        found = store.query(query, use_default_graph_as_union=True)
        assert isinstance(found, ox.QuerySolutions)  # a SELECT
        known[cls] = sorted({str(row[0]) for row in found} | {cls})
    return (" " if kind == "CLASSES" else ", ").join(known[cls])


def _focus(store: ox.Store, check: Check, known: dict[str, list[str]]) -> set[Focus]:
    query = _CLASSES.sub(lambda m: _subclasses(store, m, known), check.query)
    solutions = store.query(query, use_default_graph_as_union=True)
    assert isinstance(solutions, ox.QuerySolutions)  # compiled SELECTs only
    return {row[0] for row in solutions if row[0] is not None}


def run(store: ox.Store, checks: list[Check | Alternatives]) -> Iterator[Result]:
    """(focus node, message, path) of every violation of the compiled ``checks``."""
    known: dict[str, list[str]] = {}
    for check in checks:
        if isinstance(check, Check):
            for node in _focus(store, check, known):
                yield node, check.message, check.path
            continue
        violators: set[Focus] | None = None
        for member in check.members:
            broken: set[Focus] = set().union(*(_focus(store, c, known) for c in member))
            violators = broken if violators is None else violators & broken
        for node in violators or ():
            yield node, check.message, None


def pyshacl_results(store: ox.Store, shapes: Graph, only: list[Node]) -> list[Result]:
    """(focus, message, path) of pyshacl's results for the node shapes ``only`` (with what
    they reach, and the prefix declarations), over every graph of ``store`` as one graph."""
    from pyshacl import validate as shacl_validate

    subset = Graph()
    todo = [*only, *shapes.subjects(SH.declare, None)]
    seen: set[Node] = set()
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for p, o in shapes.predicate_objects(node):
            subset.add((node, p, o))
            if (o, None, None) in shapes and p != RDF.type:
                todo.append(o)
    data = Graph()
    for name in {q.graph_name for q in store}:
        dump = store.dump(format=ox.RdfFormat.TURTLE, from_graph=name)
        data.parse(data=dump, format="turtle")  # (rdflib's N-Triples parser refuses bad IRIs)
    _conforms, report, _text = shacl_validate(
        data, shacl_graph=subset, inference="none", allow_warnings=True
    )
    results: list[Result] = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(result, SH.focusNode)
        message = report.value(result, SH.resultMessage)
        path = report.value(result, SH.resultPath)
        results.append(
            (
                ox.NamedNode(str(focus)) if isinstance(focus, URIRef) else str(focus),
                str(message) if message is not None else None,
                path if isinstance(path, URIRef) else None,
            )
        )
    return results
