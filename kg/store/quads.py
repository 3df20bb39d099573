"""Turtle parsed by Oxigraph, and the rows of the derived views read from its store.

The store does the grouping: each view is one SPARQL query over the whole store (the
assertions with their ends, the evidence of each assertion, every evidence's property values,
the names of every node), so Python sees each value once and never looks anything up row by
row. The rows are what :mod:`kg.store.views` writes into a view file; :func:`evidence_record`
turns one evidence's rows back into an :class:`~kg.model.records.Evidence`.

The IRIs are spelled here as strings (no rdflib at this level, so a cache hit does not import
it); ``tests/test_quads.py`` checks them against :mod:`kg.model.vocab`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote

from kg.model.errors import KGError, NotFoundError, TurtleSyntaxError
from kg.model.records import Evidence, Level, Relation, StudyType

if TYPE_CHECKING:  # a cache hit reads records without importing Oxigraph (34 ms)
    import pyoxigraph as ox

__all__ = [
    "ASSERTION",
    "ENTITY",
    "EVIDENCE",
    "KG",
    "decode_fields",
    "decoded",
    "edge_rows",
    "evidence_record",
    "evidence_rows",
    "name_rows",
    "node_id",
    "open_store",
    "pmid_rows",
    "reference_number",
    "reference_rows",
    "syntax_error",
    "type_rows",
]

KG = "https://w3id.org/kg-ivd/vocab#"
ENTITY = "https://w3id.org/kg-ivd/entity/"
ASSERTION = "https://w3id.org/kg-ivd/assertion/"
EVIDENCE = "https://w3id.org/kg-ivd/evidence/"
STUDY = "https://w3id.org/kg-ivd/study/"
REFERENCE = "https://w3id.org/kg-ivd/reference/bhujel2022/"
_REVIEW = "https://doi.org/10.3390/ijms23137306"  # kg.model.vocab.REVIEW: evidence citing it
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCTERMS = "http://purl.org/dc/terms/"
_PREFIXES = (
    f"PREFIX kg: <{KG}>\nPREFIX rdf: <{RDF}>\nPREFIX rdfs: <{RDFS}>\n"
    f"PREFIX skos: <{SKOS}>\nPREFIX dcterms: <{DCTERMS}>\n"
)

_TEXT_FIELDS = {
    "quote": "quote", "section": "section", "citationPrinted": "citation_printed",
    "citationNote": "citation_note", "context": "context", "inferenceReason": "inference_reason",
    "printedAs": "printed_as", "curatorNote": "note", "source": "source",
    "sourceRecord": "source_record", "supportType": "support_type",
}  # fmt: skip
_RELATIONS = {KG + r.value: r for r in Relation}
_PARSER_PREFIX = re.compile(r"^Parser error (?:at|between) [^:]*: ")
_FILE_SUFFIX = re.compile(r" \([^()]*, line \d+\)$")


def open_store(paths: Sequence[Path]) -> ox.Store:
    """Parse Turtle files into an in-memory Oxigraph store.

    IRIs are not checked (as rdflib does not check them; ``kg validate`` reports bad ones).

    Raises:
        NotFoundError: a file does not exist.
        TurtleSyntaxError: a file does not parse (``file:line: message``).
        KGError: a file cannot be read.

    Example:
        >>> from kg.model import shipped
        >>> len(open_store(shipped.data_files())) > 10_000
        True
    """
    import pyoxigraph as ox

    store = ox.Store()
    for path in paths:
        if not Path(path).is_file():
            raise NotFoundError(f"{path}: no such file")
        try:
            store.load(path=str(path), format=ox.RdfFormat.TURTLE, lenient=True)
        except SyntaxError as exc:
            raise syntax_error(path, exc) from None
        except (OSError, ValueError) as exc:
            raise KGError(f"{path}: cannot read: {str(exc).splitlines()[0]}") from None
    return store


def syntax_error(path: Path, exc: SyntaxError) -> TurtleSyntaxError:
    """Oxigraph's parse error as ``file:line: message`` (the column kept in the message)."""
    text = (str(exc).splitlines() or ["syntax error"])[0]
    column = f" (column {exc.offset})" if exc.offset else ""
    message = _FILE_SUFFIX.sub("", _PARSER_PREFIX.sub("", text))
    return TurtleSyntaxError(str(path), exc.lineno, message + column)


def node_id(iri: str) -> str:
    """The networkx node id of an entity IRI: its local id in the entity namespace."""
    return iri.removeprefix(ENTITY) if iri.startswith(ENTITY) else iri


def _select(store: ox.Store, query: str) -> Iterator[ox.QuerySolution]:
    import pyoxigraph as ox

    solutions = store.query(_PREFIXES + query)
    assert isinstance(solutions, ox.QuerySolutions)  # every query here is a SELECT
    return iter(solutions)


def name_rows(store: ox.Store) -> Iterator[tuple[str, str, str]]:
    """(node IRI, "label" | "altLabel" | "xref", value) for every IRI with such a value."""
    query = """SELECT ?s ?p ?o WHERE {
        VALUES ?p { rdfs:label skos:altLabel kg:xref } ?s ?p ?o FILTER(isIRI(?s)) }"""
    names = {RDFS + "label": "label", SKOS + "altLabel": "altLabel", KG + "xref": "xref"}
    for s, p, o in _select(store, query):
        yield s.value, names[p.value], o.value


def type_rows(store: ox.Store) -> Iterator[tuple[str, str]]:
    """(node IRI, kg class local name) for every kg-typed IRI but evidence and assertions."""
    query = f"""SELECT ?s ?t WHERE {{ ?s a ?t FILTER(isIRI(?s) && STRSTARTS(STR(?t), "{KG}")
        && ?t NOT IN (kg:Evidence, kg:Assertion)) }}"""
    for s, t in _select(store, query):
        yield s.value, t.value.removeprefix(KG)


def edge_rows(store: ox.Store) -> Iterator[tuple[str, str, str, str, list[str], list[str]]]:
    """(subject IRI, object IRI, assertion id, relation, evidence ids, contradicted ids).

    Raises:
        KGError: an assertion uses a predicate that is not a kg relation.
    """
    import pyoxigraph as ox

    evidence: dict[str, list[str]] = {}
    query = "SELECT ?a ?e WHERE { ?a a kg:Assertion ; kg:evidence ?e FILTER(isIRI(?e)) }"
    for a, e in _select(store, query):
        evidence.setdefault(a.value, []).append(e.value.removeprefix(EVIDENCE))
    contradicts: dict[str, list[str]] = {}
    query = "SELECT ?a ?b WHERE { ?a a kg:Assertion ; kg:contradicts ?b FILTER(isIRI(?b)) }"
    for a, b in _select(store, query):
        contradicts.setdefault(a.value, []).append(b.value.removeprefix(ASSERTION))
    query = """SELECT ?a ?s ?p ?o WHERE { ?a a kg:Assertion ; rdf:subject ?s ; rdf:object ?o
        FILTER(isIRI(?a) && isIRI(?s) && isIRI(?o)) OPTIONAL { ?a rdf:predicate ?p } }"""
    seen: set[str] = set()
    for a, s, p, o in _select(store, query):
        if a.value in seen:
            continue  # an assertion with two subjects or objects: the first, as rdflib does
        seen.add(a.value)
        relation = _RELATIONS.get(p.value) if isinstance(p, ox.NamedNode) else None
        if relation is None:
            predicate = p.value if p is not None else None
            raise KGError(f"assertion {a.value} uses {predicate}, which is not a kg relation")
        yield (
            s.value,
            o.value,
            a.value.removeprefix(ASSERTION),
            relation.value,
            sorted(evidence.get(a.value, ())),
            sorted(contradicts.get(a.value, ())),
        )


def evidence_rows(store: ox.Store) -> Iterator[tuple[str, str]]:
    """(evidence id, fields) for every kg:Evidence node: its kg properties grouped by the
    store into one string, ``name=value`` pairs separated by spaces, each value
    percent-encoded (so no value can contain a separator); see :func:`decode_fields`."""
    query = f"""SELECT ?e (GROUP_CONCAT(CONCAT(STRAFTER(STR(?p), "#"), "=",
        ENCODE_FOR_URI(STR(?o))); separator=" ") AS ?fields) WHERE {{
        ?e a kg:Evidence ; ?p ?o
        FILTER(isIRI(?e) && STRSTARTS(STR(?e), "{EVIDENCE}") && STRSTARTS(STR(?p), "{KG}")) }}
        GROUP BY ?e"""
    start = len(EVIDENCE)
    for e, fields in _select(store, query):
        yield e.value[start:], fields.value


def decode_fields(fields: str, *, text: bool = True) -> list[tuple[str, str]]:
    """The (kg property local name, value) pairs of an :func:`evidence_rows` string; without
    ``text``, the text (quote, section, notes...) is left out undecoded, and an empty quote
    stands for the one left out.

    Example:
        >>> decode_fields("quote=a%20b section=8.2")
        [('quote', 'a b'), ('section', '8.2')]
        >>> decode_fields("quote=a%20b section=8.2 species=https%3A%2F%2Fx%2Frat", text=False)
        [('quote', ''), ('species', 'https://x/rat')]
    """
    pairs = [] if text else [("quote", "")]
    for item in fields.split(" "):
        name, equals, value = item.partition("=")
        if not equals:
            continue
        if name not in _TEXT_FIELDS:
            pairs.append((name, decoded(value)))  # shared IRIs and names: decoded once
        elif text:
            pairs.append((name, unquote(value)))
    return pairs


@lru_cache(maxsize=1 << 14)
def decoded(value: str) -> str:
    """A percent-encoded value of :func:`evidence_rows`, decoded (the IRIs and names that
    many evidence share are decoded once)."""
    return unquote(value)


def pmid_rows(store: ox.Store) -> Iterator[tuple[str, str]]:
    """(reference IRI, PubMed id) of every reference with a kg:pmid."""
    for r, pmid in _select(store, "SELECT ?r ?o WHERE { ?r kg:pmid ?o FILTER(isIRI(?r)) }"):
        yield r.value, pmid.value


def reference_rows(
    store: ox.Store,
) -> Iterator[tuple[int, str, str, str, int | None, str | None, str | None]]:
    """(number, authors, title, journal, year, volume, pages) of the review's references."""
    query = """SELECT ?n (SAMPLE(?a) AS ?A) (SAMPLE(?t) AS ?T) (SAMPLE(?j) AS ?J)
        (SAMPLE(?y) AS ?Y) (SAMPLE(?v) AS ?V) (SAMPLE(?g) AS ?G) WHERE {
        ?r kg:referenceNumber ?n FILTER(isIRI(?r))
        OPTIONAL { ?r kg:authors ?a } OPTIONAL { ?r dcterms:title ?t }
        OPTIONAL { ?r kg:journal ?j } OPTIONAL { ?r kg:year ?y }
        OPTIONAL { ?r kg:volume ?v } OPTIONAL { ?r kg:pages ?g } } GROUP BY ?r ?n"""
    for n, a, t, j, y, v, g in _select(store, query):
        yield (
            _integer(n.value),
            a.value if a is not None else "",
            t.value if t is not None else "",
            j.value if j is not None else "",
            _integer(y.value) if y is not None else None,
            v.value if v is not None else None,
            g.value if g is not None else None,
        )


def _integer(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise KGError(f"{text!r} is not an integer (kg:referenceNumber, kg:year)") from None


def reference_number(iri: str) -> int | None:
    """The number of a reference of the review's list from its IRI (None for another IRI).

    Example:
        >>> reference_number(REFERENCE + "R20"), reference_number("https://example.org/R20")
        (20, None)
    """
    local = iri.removeprefix(REFERENCE)
    if local == iri or not local.startswith("R") or not local[1:].isdigit():
        return None
    return int(local[1:])


def evidence_record(eid: str, pairs: Iterable[tuple[str, str]]) -> Evidence | None:
    """The evidence record of one evidence's (kg property local name, value) pairs, with
    ``("pmid", id)`` for the PubMed ids of its references; None without a quote (not an
    evidence node kg wrote).

    Raises:
        ValueError: an evidence level or study type that kg does not know.

    Example:
        >>> evidence_record("e1", [("quote", "a quote"), ("section", "8.2")]).section
        '8.2'
    """
    text: dict[str, str] = {}
    many: dict[str, list[str]] = {}
    for name, value in pairs:
        field = _TEXT_FIELDS.get(name)
        if field is None:
            found = many.get(name)
            if found is None:
                many[name] = [value]
            else:
                found.append(value)
        elif field not in text:
            text[field] = value
    if "quote" not in text:
        return None
    get = many.get
    level, study, kinds = get("evidenceLevel"), get("study"), get("studyType")
    refs = get("reference")
    return Evidence(
        id=eid,
        quote=text["quote"],
        section=text.get("section") or "",
        references=_numbers(refs),
        level=Level(level[0].removeprefix(KG)) if level else Level.STATED,
        citation_printed=text.get("citation_printed"),
        cited=_numbers(get("citedReference")),
        citation_note=text.get("citation_note"),
        study=study[0].removeprefix(STUDY) if study else None,
        study_types=_study_types(kinds) if kinds else (),
        species=_entity_ids(get("species")),
        cell_types=_entity_ids(get("cellType")),
        exosome_origins=_entity_ids(get("exosomeOrigin")),
        stressors=_entity_ids(get("stressor")),
        context=text.get("context"),
        inference_reason=text.get("inference_reason"),
        printed_as=text.get("printed_as"),
        note=text.get("note"),
        pmids=tuple(sorted(get("pmid", ()))),
        source=text.get("source"),
        source_record=text.get("source_record"),
        experiments=tuple(sorted(get("experiment", ()))),
        support_type=text.get("support_type"),
        cites_review=refs is not None and _REVIEW in refs,
    )


def _numbers(values: list[str] | None) -> tuple[int, ...]:
    if not values:
        return ()
    found = (reference_number(v) for v in values)
    return tuple(sorted(n for n in found if n is not None))


def _entity_ids(values: list[str] | None) -> tuple[str, ...]:
    return tuple(sorted(v.removeprefix(ENTITY) for v in values)) if values else ()


def _study_types(values: list[str]) -> tuple[StudyType, ...]:
    return tuple(sorted((StudyType(t.removeprefix(KG)) for t in values), key=lambda t: t.value))
