"""Evidence records read from a remote store: whole (with the references they cite, read
back by :func:`kg.store.provenance.read_evidence`), or light, with only the fields the
search reads (level, cell types, species, study types)."""

from __future__ import annotations

from collections.abc import Sequence

from rdflib import Graph, URIRef

from kg.model.records import Evidence, Level, Reference, StudyType
from kg.model.vocab import ENTITY, EVIDENCE, KG, REFERENCE, REVIEW, STUDY
from kg.store.remote import Client
from kg.store.remote_query import batches, select_batched, values
from kg.store.sparql.check import EndpointError

__all__ = ["construct_graph", "parse_answer", "read_light", "read_subjects", "read_whole"]

_NS = str(KG._NS)
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_ENT = str(ENTITY)

# The triples of given subjects. The references an evidence cites are read with a second
# query, by their IRIs: joined in one (?e kg:reference ?r . ?r ?q ?w), Virtuoso 7.2 took 10 s
# for 34 evidence records of the 10^6 benchmark graph, where each query alone takes ~10 ms.
_SUBJECTS = "CONSTRUCT { ?x ?p ?v } { {values} ?x ?p ?v }"


def read_whole(
    client: Client, ids: Sequence[str]
) -> tuple[dict[str, Evidence], dict[int, Reference]]:
    """The evidence records ``ids``, whole, and the references they cite.

    Raises:
        EndpointError: an answer is not RDF, or a record is missing (the data changed).
    """
    from kg.store.provenance import read_evidence, read_references

    graph = read_subjects(client, [f"{EVIDENCE}{i}" for i in ids], size=100)
    cited = {o for p in (KG.reference, KG.citedReference) for o in graph.objects(None, p)}
    graph += read_subjects(client, sorted(str(o) for o in cited if isinstance(o, URIRef)))
    records = read_evidence(graph, ids)
    references = read_references(graph)
    missing = [i for i in ids if i not in records]
    if missing:
        raise EndpointError(
            f"{client.endpoint.where}: evidence {missing[0]} is linked but has no quote: the "
            "data changed while kg was reading it, or the graph is incomplete"
        )
    return records, references


def read_subjects(client: Client, iris: Sequence[str], *, size: int = 200) -> Graph:
    """Every triple whose subject is one of ``iris``, ``size`` subjects per CONSTRUCT.

    Raises:
        EndpointError: an answer is not RDF.
    """
    graph = Graph()
    for batch in batches(iris, size):
        graph += construct_graph(client, _SUBJECTS.replace("{values}", values("x", batch)))
    return graph


def construct_graph(client: Client, query: str) -> Graph:
    """The answer to a CONSTRUCT as an rdflib graph.

    Raises:
        EndpointError: the answer is not RDF.
    """
    return parse_answer(client, *client.construct(query))


def parse_answer(client: Client, fmt: str, body: bytes) -> Graph:
    """An RDF answer of ``client``'s server (rdflib format name, body) as a graph.

    Raises:
        EndpointError: the answer is not valid RDF.
    """
    graph = Graph()
    try:
        graph.parse(data=body, format=fmt)
    except (SyntaxError, ValueError) as exc:
        raise EndpointError(
            f"{client.endpoint.where}: the answer is not valid RDF ({str(exc)[:80]})"
        ) from None
    return graph


#: What the search and the evidence score read (cited references make the citation-mismatch
#: flag; a reference to the review itself marks a sentence that cites no study).
_PROPS = ("evidenceLevel", "cellType", "species", "studyType", "study", "reference",
          "citedReference")  # fmt: skip
_LIGHT = (
    "SELECT ?e ?k ?v { {values} ?e ?k ?v FILTER(?k IN (<"
    + _RDF
    + "type>, "
    + ", ".join(f"<{_NS}{p}>" for p in _PROPS)
    + ")) }"
)


def _ids(values: set[str]) -> tuple[str, ...]:
    return tuple(sorted(v.removeprefix(_ENT) if v.startswith(_ENT) else v for v in values))


def read_light(client: Client, ids: Sequence[str]) -> dict[str, Evidence]:
    """The evidence records ``ids`` with only what the search reads: level, cell types,
    species, study types, the Table 3 study and references that give a path its coherence,
    and the cited references and review mark that the evidence score reads (quote, section
    and the rest left empty).

    Raises:
        EndpointError: a record is missing (the data changed while kg was reading).
    """
    rows = select_batched(client, _LIGHT, "e", [f"{EVIDENCE}{i}" for i in ids], size=1000)
    fields: dict[str, dict[str, set[str]]] = {}
    for row in rows:
        eid = row["e"].removeprefix(str(EVIDENCE))
        fields.setdefault(eid, {}).setdefault(row["k"], set()).add(row["v"])
    records = {}
    for eid in ids:
        found = fields.get(eid, {})
        if f"{_NS}Evidence" not in found.get(f"{_RDF}type", ()):
            raise EndpointError(
                f"{client.endpoint.where}: evidence {eid} is linked but not there: the data "
                "changed while kg was reading it, or the graph is incomplete"
            )
        levels = sorted(v.removeprefix(_NS) for v in found.get(f"{_NS}evidenceLevel", ()))
        kinds = (StudyType(t.removeprefix(_NS)) for t in found.get(f"{_NS}studyType", ()))
        records[eid] = Evidence(
            id=eid,
            quote="",
            section="",
            level=Level(levels[0]) if levels else Level.STATED,
            study_types=tuple(sorted(kinds, key=lambda t: t.value)),
            species=_ids(found.get(f"{_NS}species", set())),
            cell_types=_ids(found.get(f"{_NS}cellType", set())),
            study=_study(found.get(f"{_NS}study", set())),
            references=_numbers(found.get(f"{_NS}reference", set())),
            cited=_numbers(found.get(f"{_NS}citedReference", set())),
            cites_review=str(REVIEW) in found.get(f"{_NS}reference", set()),
            pmids=tuple(
                sorted(
                    r.removeprefix(_PUBMED).rstrip("/")
                    for r in found.get(f"{_NS}reference", set())
                    if r.startswith(_PUBMED)
                )
            ),
        )
    return records


_PUBMED = "https://pubmed.ncbi.nlm.nih.gov/"


def _study(values: set[str]) -> str | None:
    found = sorted(v.removeprefix(str(STUDY)) for v in values if v.startswith(str(STUDY)))
    return found[0] if found else None


def _numbers(values: set[str]) -> tuple[int, ...]:
    prefix = f"{REFERENCE}R"
    return tuple(sorted(int(v.removeprefix(prefix)) for v in values if v.startswith(prefix)))
