"""Load and save RDF, and the one place that decides how provenance is shaped in RDF.

The assertion model (see README, "Data model"): each mechanism edge is both

* a plain triple ``ent:miR-21 kg:repressesTarget ent:PTEN`` so that ordinary SPARQL and
  property paths (``kg:increases+``) work, and
* an assertion node typed ``kg:Assertion`` (a subclass of ``rdf:Statement``) that names the
  same triple with ``rdf:subject``/``rdf:predicate``/``rdf:object`` and links one or more
  ``kg:Evidence`` nodes.

Store: ``memory`` is rdflib's own store; ``oxigraph`` is oxrdflib's Oxigraph-backed store with
its native Turtle parser (much faster at scale). Both are rdflib ``Graph`` objects.
"""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Literal as TypingLiteral

from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, SKOS
from rdflib.plugins.parsers.notation3 import BadSyntax

from kg.errors import KGError, NotFoundError, TurtleSyntaxError
from kg.model import Assertion, Entity, Evidence, Level, Reference, Study, StudyType
from kg.vocab import ASSERTION, ENTITY, EVIDENCE, KG, PREFIXES, REFERENCE, REVIEW, STUDY, term

__all__ = [
    "Store",
    "add_assertion",
    "add_entity",
    "add_pubmed",
    "add_reference",
    "add_study",
    "entity_iri",
    "load",
    "new_graph",
    "parse_turtle",
    "pubmed_iri",
    "read_evidence",
    "read_references",
    "reference_iri",
    "write_atomic",
    "write_turtle",
]

Store = TypingLiteral["memory", "oxigraph"]


def new_graph(store: Store = "memory") -> Graph:
    """An empty graph with kg's prefixes bound."""
    graph = Graph(store="Oxigraph") if store == "oxigraph" else Graph()
    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, iri, override=True)
    return graph


def _is_oxigraph(graph: Graph) -> bool:
    """Whether ``graph`` lives in oxrdflib's Oxigraph store (which has its own Turtle I/O)."""
    return graph.store.__class__.__name__ == "OxigraphStore"


def parse_turtle(graph: Graph, path: Path) -> None:
    """Parse one Turtle file into ``graph``.

    Raises:
        NotFoundError: the file does not exist.
        TurtleSyntaxError: the file does not parse; the error names the file and line.
    """
    if not path.is_file():
        raise NotFoundError(f"{path}: no such file")
    fmt = "ox-turtle" if _is_oxigraph(graph) else "turtle"
    # rdflib logs a warning for IRIs with spaces; kg.validate reports those itself.
    term_logger = logging.getLogger("rdflib.term")
    previous = term_logger.level
    term_logger.setLevel(logging.ERROR)
    try:
        graph.parse(path, format=fmt)
    except BadSyntax as exc:
        raise TurtleSyntaxError(str(path), exc.lines + 1, exc._why) from None
    except (SyntaxError, ValueError, UnicodeDecodeError) as exc:
        line = getattr(exc, "lineno", None)
        raise TurtleSyntaxError(str(path), line, str(exc).splitlines()[0]) from None
    finally:
        term_logger.setLevel(previous)


def load(paths: Iterable[Path], *, store: Store = "memory") -> Graph:
    """Parse Turtle files into one graph.

    Example:
        >>> from kg import shipped
        >>> g = load([shipped.ontology_file()])
        >>> (KG.increases, RDFS.label, Literal("increases")) in g
        True
    """
    graph = new_graph(store)
    for path in paths:
        parse_turtle(graph, Path(path))
    return graph


def write_atomic(data: bytes | str, path: Path) -> None:
    """Write ``data`` (text as UTF-8) to ``path`` atomically: a temporary file in the same
    directory, then :func:`os.replace`. A reader never sees half a file; on any error nothing
    is left behind and an existing ``path`` is untouched. An existing file keeps its mode, a
    new one is created as the umask allows.

    Raises:
        NotFoundError: the directory does not exist.
        KGError: the file cannot be written (not a directory, no permission, disk full...).

    Example:
        >>> import tempfile
        >>> target = Path(tempfile.mkdtemp()) / "out.tsv"
        >>> write_atomic("a\\tb\\n", target)
        >>> target.read_text(encoding="utf-8")
        'a\\tb\\n'
    """
    path = Path(path)
    if not path.parent.is_dir():
        raise NotFoundError(f"cannot write {path}: {path.parent} is not a directory")
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise KGError(f"cannot write {path}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
        if path.is_file():
            mode = path.stat().st_mode & 0o7777
        else:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(tmp, mode)  # mkstemp creates the file private (0600)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise KGError(f"cannot write {path}: {exc.strerror or exc}") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_turtle(graph: Graph, path: Path) -> None:
    """Serialise ``graph`` to ``path`` atomically (see :func:`write_atomic`), creating the
    directory if needed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    oxigraph = _is_oxigraph(graph)
    write_atomic(
        graph.serialize(format="ox-turtle" if oxigraph else "turtle", encoding="utf-8"), path
    )


def entity_iri(entity_id: str) -> URIRef:
    """The IRI of an entity id (``"miR-21"`` → ``ent:miR-21``)."""
    return ENTITY[entity_id]


def reference_iri(number: int) -> URIRef:
    """The IRI of the review's reference ``number``."""
    return REFERENCE[f"R{number}"]


def _text(graph: Graph, node: URIRef, prop: URIRef, value: str | None) -> None:
    if value:
        graph.add((node, prop, Literal(value)))


def add_entity(graph: Graph, entity: Entity) -> URIRef:
    """Add an entity with its class, label, synonyms and grounded identifiers."""
    node = entity_iri(entity.id)
    graph.add((node, RDF.type, term(entity.type)))
    graph.add((node, RDFS.label, Literal(entity.label)))
    for synonym in entity.synonyms:
        graph.add((node, SKOS.altLabel, Literal(synonym)))
    for xref in entity.xrefs:
        graph.add((node, KG.xref, Literal(xref)))
    _text(graph, node, KG.curatorNote, entity.note)
    return node


def add_reference(graph: Graph, ref: Reference) -> URIRef:
    """Add one entry of the review's reference list."""
    node = reference_iri(ref.number)
    graph.add((node, RDF.type, KG.Reference))
    graph.add((node, KG.referenceNumber, Literal(ref.number, datatype=XSD.integer)))
    graph.add((node, KG.authors, Literal(ref.authors)))
    graph.add((node, DCTERMS.title, Literal(ref.title)))
    graph.add((node, KG.journal, Literal(ref.journal)))
    if ref.year is not None:
        graph.add((node, KG.year, Literal(ref.year, datatype=XSD.integer)))
    _text(graph, node, KG.volume, ref.volume)
    _text(graph, node, KG.pages, ref.pages)
    _text(graph, node, DCTERMS.bibliographicCitation, ref.text)
    graph.add((node, RDFS.label, Literal(f"[{ref.number}] {ref.authors.split(';')[0]} {ref.year}")))
    graph.add((node, KG.inReview, REVIEW))
    return node


def add_study(graph: Graph, study: Study) -> URIRef:
    """Add a Table 3 study."""
    node = STUDY[study.id]
    graph.add((node, RDF.type, KG.Study))
    graph.add((node, RDFS.label, Literal(study.id)))
    graph.add((node, KG.reportedIn, reference_iri(study.reference)))
    graph.add((node, KG.aim, Literal(study.aim)))
    graph.add((node, KG.exosomeOrigin, entity_iri(study.exosome_origin)))
    _text(graph, node, KG.printedAs, study.exosome_origin_printed)
    graph.add((node, KG.animalModel, Literal(study.animal_model)))
    _text(graph, node, KG.inVitroConclusion, study.in_vitro)
    _text(graph, node, KG.inVivoConclusion, study.in_vivo)
    for study_type in study.study_types:
        graph.add((node, KG.studyType, term(study_type.value)))
    for species in study.species:
        graph.add((node, KG.species, entity_iri(species)))
    graph.add((node, KG.citationPrinted, Literal(study.citation_printed)))
    _text(graph, node, KG.curatorNote, study.note)
    return node


def _add_evidence(graph: Graph, ev: Evidence) -> URIRef:
    node = EVIDENCE[ev.id]
    graph.add((node, RDF.type, KG.Evidence))
    graph.add((node, KG.quote, Literal(ev.quote)))
    graph.add((node, KG.section, Literal(ev.section)))
    _text(graph, node, KG.citationPrinted, ev.citation_printed)
    for number in ev.cited:
        graph.add((node, KG.citedReference, reference_iri(number)))
    for number in ev.references:
        graph.add((node, KG.reference, reference_iri(number)))
    graph.add((node, KG.citationMismatch, Literal(ev.citation_mismatch)))
    _text(graph, node, KG.citationNote, ev.citation_note)
    if ev.study:
        graph.add((node, KG.study, STUDY[ev.study]))
    for study_type in ev.study_types:
        graph.add((node, KG.studyType, term(study_type.value)))
    for prop, ids in (
        (KG.species, ev.species),
        (KG.cellType, ev.cell_types),
        (KG.exosomeOrigin, ev.exosome_origins),
        (KG.stressor, ev.stressors),
    ):
        for entity_id in ids:
            graph.add((node, prop, entity_iri(entity_id)))
    _text(graph, node, KG.context, ev.context)
    graph.add((node, KG.evidenceLevel, term(ev.level.value)))
    _text(graph, node, KG.inferenceReason, ev.inference_reason)
    _text(graph, node, KG.printedAs, ev.printed_as)
    _text(graph, node, KG.curatorNote, ev.note)
    for pmid in ev.pmids:
        graph.add((node, KG.reference, add_pubmed(graph, pmid)))
    _text(graph, node, KG.source, ev.source)
    _text(graph, node, KG.sourceRecord, ev.source_record)
    for experiment in ev.experiments:
        graph.add((node, KG.experiment, Literal(experiment)))
    _text(graph, node, KG.supportType, ev.support_type)
    return node


def pubmed_iri(pmid: str) -> URIRef:
    """The IRI of a PubMed record."""
    return URIRef(f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/")


def add_pubmed(graph: Graph, pmid: str) -> URIRef:
    """Add a PubMed record as a kg:Reference (as the importing source names it)."""
    node = pubmed_iri(pmid)
    graph.add((node, RDF.type, KG.Reference))
    graph.add((node, KG.pmid, Literal(pmid)))
    graph.add((node, RDFS.label, Literal(f"PMID:{pmid}")))
    return node


def add_assertion(graph: Graph, assertion: Assertion) -> URIRef:
    """Add the plain triple and the assertion node with all its evidence."""
    node = ASSERTION[assertion.id]
    subject, predicate, obj = (
        entity_iri(assertion.subject),
        term(assertion.relation.value),
        entity_iri(assertion.object),
    )
    graph.add((subject, predicate, obj))
    graph.add((node, RDF.type, KG.Assertion))
    graph.add((node, RDF.subject, subject))
    graph.add((node, RDF.predicate, predicate))
    graph.add((node, RDF.object, obj))
    for ev in assertion.evidence:
        graph.add((node, KG.evidence, _add_evidence(graph, ev)))
    for other in assertion.contradicts:
        graph.add((node, KG.contradicts, ASSERTION[other]))
        graph.add((ASSERTION[other], KG.contradicts, node))
    _text(graph, node, KG.contradictionNote, assertion.contradiction_note)
    return node


def _local(node: object, namespace: object) -> str:
    return str(node).removeprefix(str(namespace))


def _texts(graph: Graph, node: URIRef, prop: URIRef) -> str | None:
    value = graph.value(node, prop)
    return str(value) if value is not None else None


def _ids(graph: Graph, node: URIRef, prop: URIRef) -> tuple[str, ...]:
    return tuple(sorted(_local(o, ENTITY) for o in graph.objects(node, prop)))


def _numbers(graph: Graph, node: URIRef, prop: URIRef) -> tuple[int, ...]:
    return tuple(
        sorted(
            int(_local(o, REFERENCE).removeprefix("R"))
            for o in graph.objects(node, prop)
            if str(o).startswith(str(REFERENCE))
        )
    )


def _pmids(graph: Graph, node: URIRef) -> tuple[str, ...]:
    found = (str(p) for r in graph.objects(node, KG.reference) for p in graph.objects(r, KG.pmid))
    return tuple(sorted(found))


def read_evidence(graph: Graph, ids: Iterable[str] | None = None) -> dict[str, Evidence]:
    """Evidence records by id (all of them, or those in ``ids``), read back from RDF.

    Example:
        >>> from kg import shipped
        >>> ev = read_evidence(load(shipped.data_files()), ["mir21-represses-pten-1"])
        >>> ev["mir21-represses-pten-1"].references
        (20,)
    """
    nodes = (
        [EVIDENCE[i] for i in ids]
        if ids is not None
        else [n for n in graph.subjects(RDF.type, KG.Evidence) if isinstance(n, URIRef)]
    )
    records = {}
    for node in nodes:
        quote = graph.value(node, KG.quote)
        if quote is None:
            continue
        level = graph.value(node, KG.evidenceLevel)
        study = graph.value(node, KG.study)
        eid = _local(node, EVIDENCE)
        records[eid] = Evidence(
            id=eid,
            quote=str(quote),
            section=_texts(graph, node, KG.section) or "",
            references=_numbers(graph, node, KG.reference),
            level=Level(_local(level, KG._NS)) if level is not None else Level.STATED,
            citation_printed=_texts(graph, node, KG.citationPrinted),
            cited=_numbers(graph, node, KG.citedReference),
            citation_note=_texts(graph, node, KG.citationNote),
            study=_local(study, STUDY) if study is not None else None,
            study_types=tuple(
                sorted(
                    (StudyType(_local(t, KG._NS)) for t in graph.objects(node, KG.studyType)),
                    key=lambda t: t.value,
                )
            ),
            species=_ids(graph, node, KG.species),
            cell_types=_ids(graph, node, KG.cellType),
            exosome_origins=_ids(graph, node, KG.exosomeOrigin),
            stressors=_ids(graph, node, KG.stressor),
            context=_texts(graph, node, KG.context),
            inference_reason=_texts(graph, node, KG.inferenceReason),
            printed_as=_texts(graph, node, KG.printedAs),
            note=_texts(graph, node, KG.curatorNote),
            pmids=_pmids(graph, node),
            source=_texts(graph, node, KG.source),
            source_record=_texts(graph, node, KG.sourceRecord),
            experiments=tuple(sorted(str(e) for e in graph.objects(node, KG.experiment))),
            support_type=_texts(graph, node, KG.supportType),
        )
    return records


def read_references(graph: Graph) -> dict[int, Reference]:
    """The review's reference list by number, read back from RDF."""
    refs = {}
    for node, number in graph.subject_objects(KG.referenceNumber):
        if not isinstance(node, URIRef):
            continue
        year = graph.value(node, KG.year)
        refs[int(str(number))] = Reference(
            number=int(str(number)),
            authors=str(graph.value(node, KG.authors) or ""),
            title=str(graph.value(node, DCTERMS.title) or ""),
            journal=str(graph.value(node, KG.journal) or ""),
            year=int(str(year)) if year is not None else None,
            volume=_texts(graph, node, KG.volume),
            pages=_texts(graph, node, KG.pages),
        )
    return refs
