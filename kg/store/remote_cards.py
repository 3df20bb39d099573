"""The entity cards of a page drawn from a remote store, counted by the server.

A card counts over the whole graph (what an entity regulates and is regulated by, its kinds,
the references behind its edges, the contradictions touching it), but a page fetches only the
neighbourhood it draws. :func:`fetch_cards` asks the server for exactly what the cards of the
drawn entities say, in batched ``VALUES`` queries: aggregate counts by direction and sign,
the ``kindOf`` links, the ``kg:contradicts`` links and the distinct references (with their
PubMed ids) of the evidence on each entity's edges, then the records of those references.
The answers go into :attr:`~kg.store.knowledge.Knowledge.cards`, the same
:class:`~kg.store.knowledge.CardFacts` that :func:`kg.views.card.card_facts` counts from an
embedded graph (``tests/test_remote_commands.py`` compares the pages whole).
"""

from __future__ import annotations

from collections.abc import Iterable

from kg.model.records import Relation
from kg.model.vocab import ASSERTION, ENTITY, EVIDENCE, KG
from kg.store.knowledge import CardFacts
from kg.store.quads import reference_number
from kg.store.remote_evidence import read_subjects
from kg.store.remote_query import select_batched
from kg.store.remote_views import RemoteKnowledge, node_id

__all__ = ["fetch_cards"]

_NS = str(KG._NS)
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_ENT = str(ENTITY)


def _in(relations: Iterable[Relation]) -> str:
    return ", ".join(f"<{_NS}{r.value}>" for r in relations)


_CAUSAL = _in(r for r in Relation if r.causal)
_UP = _in(r for r in Relation if r.causal and r.sign > 0)
_DOWN = _in(r for r in Relation if r.causal and r.sign < 0)
_A, _S, _P, _O = f"<{_NS}Assertion>", f"<{_RDF}subject>", f"<{_RDF}predicate>", f"<{_RDF}object>"
# the edges of ?n, the other end ?x, the direction ?d; an edge from ?n to itself counts once,
# out (as the embedded card counts in_edges without self-loops)
_SIDES = (
    f'{{ ?a {_S} ?n ; {_O} ?x BIND("out" AS ?d) }} UNION '
    f'{{ ?a {_O} ?n ; {_S} ?x FILTER(?x != ?n) BIND("in" AS ?d) }} '
    f"?a a {_A} FILTER(isIRI(?x)) "
)
# one aggregate per direction: distinct other ends in all, and by sign (?up, ?down, ?none
# are bound only for their sign: IF's unbound branch is an error, which leaves them unbound)
_COUNTS = (
    "SELECT ?n ?d (COUNT(DISTINCT ?x) AS ?total) (COUNT(DISTINCT ?up) AS ?increases) "
    "(COUNT(DISTINCT ?down) AS ?decreases) (COUNT(DISTINCT ?none) AS ?unsigned) "
    f"{{ {{values}} {_SIDES} ?a {_P} ?p FILTER(?p IN ({_CAUSAL})) "
    f"BIND(IF(?p IN ({_UP}), ?x, ?unbound) AS ?up) "
    f"BIND(IF(?p IN ({_DOWN}), ?x, ?unbound) AS ?down) "
    f"BIND(IF(?p IN ({_UP}, {_DOWN}), ?unbound, ?x) AS ?none) }} GROUP BY ?n ?d"
)
# kindOf links (?x, no ?b) and kg:contradicts links (?a ?b) of the edges of ?n
_LINKS = (
    f"SELECT DISTINCT ?n ?d ?x ?a ?b {{ {{values}} {_SIDES} "
    f"{{ ?a {_P} <{_NS}kindOf> }} UNION {{ ?a <{_NS}contradicts> ?b }} }}"
)
_REFERENCES = (
    f"SELECT DISTINCT ?n ?r ?m {{ {{values}} {_SIDES} ?a <{_NS}evidence> ?e . "
    f"?e a <{_NS}Evidence> ; <{_NS}quote> ?q ; <{_NS}reference> ?r "
    f'FILTER(STRSTARTS(STR(?e), "{EVIDENCE}")) '
    f"OPTIONAL {{ ?r <{_NS}pmid> ?m FILTER(isIRI(?r)) }} }}"
)


def fetch_cards(kg: RemoteKnowledge, nodes: Iterable[str]) -> None:
    """Fill ``kg.cards`` for ``nodes`` (node ids) from the server, and ``kg.references``
    with the reference records the cards name (the caller checks that the data did not
    change meanwhile: :meth:`~kg.store.remote_views.Session.check_unchanged`)."""
    assert kg.session is not None
    client = kg.session.client
    wanted = sorted(set(nodes) - set(kg.cards))
    iris = [n if "://" in n else f"{_ENT}{n}" for n in wanted]
    if not iris:
        return
    names = ("total", "increases", "decreases", "unsigned")
    counts = {(n, d): dict.fromkeys(names, 0) for n in wanted for d in ("out", "in")}
    for row in select_batched(client, _COUNTS, "n", iris):
        counts[node_id(row["n"]), row["d"]] = {k: int(row[k]) for k in names}
    kinds: dict[tuple[str, str], set[str]] = {}
    contradictions: dict[str, set[tuple[str, str]]] = {}
    for row in select_batched(client, _LINKS, "n", iris):
        n = node_id(row["n"])
        if "b" not in row:
            kinds.setdefault((n, row["d"]), set()).add(node_id(row["x"]))
        else:
            pair = (row["a"].removeprefix(str(ASSERTION)), row["b"].removeprefix(str(ASSERTION)))
            contradictions.setdefault(n, set()).add(pair)
    numbers: dict[str, set[int]] = {}
    pmids: dict[str, set[str]] = {}
    records: set[str] = set()
    for row in select_batched(client, _REFERENCES, "n", iris):
        number = reference_number(row["r"])
        if number is not None:
            numbers.setdefault(node_id(row["n"]), set()).add(number)
            if number not in kg.references:
                records.add(row["r"])
        if "m" in row:
            pmids.setdefault(node_id(row["n"]), set()).add(row["m"])
    _references(kg, sorted(records))
    for n in wanted:
        kg.cards[n] = CardFacts(
            kinds=tuple(sorted(kinds.get((n, "in"), ()))),
            kind_of=tuple(sorted(kinds.get((n, "out"), ()))),
            regulates=counts[n, "out"],
            regulated_by=counts[n, "in"],
            references=tuple(sorted(numbers.get(n, ()))),
            pmids=tuple(sorted(pmids.get(n, ()))),
            contradictions=tuple(sorted(contradictions.get(n, ()))),
        )


def _references(kg: RemoteKnowledge, iris: list[str]) -> None:
    from kg.store.provenance import read_references

    assert kg.session is not None
    kg.references.update(read_references(read_subjects(kg.session.client, iris)))
