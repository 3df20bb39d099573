"""The one place that decides how assertions and their provenance are shaped in RDF.

The assertion model (see README, "Data model"): each mechanism edge is both

* a plain triple ``ent:miR-21 kg:repressesTarget ent:PTEN`` so that ordinary SPARQL and
  property paths (``kg:increases+``) work, and
* an assertion node typed ``kg:Assertion`` (a subclass of ``rdf:Statement``) that names the
  same triple with ``rdf:subject``/``rdf:predicate``/``rdf:object`` and links one or more
  ``kg:Evidence`` nodes.

This module writes entities, references, studies and assertions with their evidence, and
reads evidence and references back into :mod:`kg.model.records`.
"""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, SKOS

from kg.model.records import Assertion, Entity, Evidence, Level, Reference, Study, StudyType
from kg.model.vocab import (
    ASSERTION,
    ENTITY,
    EVIDENCE,
    KG,
    REFERENCE,
    REVIEW,
    REVIEW_LABEL,
    STUDY,
    term,
)
from kg.store.rdf import entity_iri, pubmed_iri, reference_iri

__all__ = [
    "add_assertion",
    "add_entity",
    "add_pubmed",
    "add_reference",
    "add_review_reference",
    "add_study",
    "read_evidence",
    "read_references",
]


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


def add_review_reference(graph: Graph) -> URIRef:
    """Add the review itself as a ``kg:Reference`` (cited by evidence for its uncited
    sentences); the same triples each time, so calling it twice changes nothing."""
    graph.add((REVIEW, RDF.type, KG.Reference))
    graph.add((REVIEW, RDFS.label, Literal(REVIEW_LABEL)))
    graph.add(
        (
            REVIEW,
            DCTERMS.title,
            Literal(
                "Mesenchymal Stem Cell-Derived Exosomes and Intervertebral Disc Regeneration: "
                "Review"
            ),
        )
    )
    graph.add((REVIEW, KG.authors, Literal("Bhujel, B.; Shin, H.-E.; Choi, D.-J.; Han, I.")))
    graph.add((REVIEW, KG.journal, Literal("Int. J. Mol. Sci.")))
    graph.add((REVIEW, KG.year, Literal(2022, datatype=XSD.integer)))
    return REVIEW


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
    if ev.cites_review:
        graph.add((node, KG.reference, add_review_reference(graph)))
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
        >>> from kg.model import shipped
        >>> from kg.store.rdf import load
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
            cites_review=(node, KG.reference, REVIEW) in graph,
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
