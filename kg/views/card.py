"""The entity card: what an entity is and how it sits in the graph, for ``kg show ENTITY``
and for the side panel of the HTML pages.

A card gives the type, the identifiers with a link to each registry's record, the synonyms,
its kinds and what it is a kind of (``kindOf`` edges), how many entities it regulates and is
regulated by (causal edges, by sign), the references behind its edges, and the assertions
touching it that a contradiction involves.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kg.model.records import Relation
from kg.store.knowledge import CardFacts

if TYPE_CHECKING:
    from kg.store.knowledge import Knowledge

__all__ = [
    "REGISTRY_URLS",
    "Card",
    "card_facts",
    "card_json",
    "card_text",
    "entity_card",
    "registry_url",
    "xref_links",
]

#: Identifier prefix (lower case) -> URL of a record, ``{id}`` the whole CURIE and ``{local}``
#: the part after the colon.
REGISTRY_URLS = {
    "hgnc": "https://www.genenames.org/data/gene-symbol-report/#!/hgnc_id/{id}",
    "mirbase": "https://www.mirbase.org/hairpin/{local}",
    "go": "https://amigo.geneontology.org/amigo/term/{id}",
    "mesh": "https://meshb.nlm.nih.gov/record/ui?ui={local}",
    "fplx": "https://github.com/sorgerlab/famplex/blob/master/entities.csv#{local}",
    "ncbigene": "https://www.ncbi.nlm.nih.gov/gene/{local}",
    "pmid": "https://pubmed.ncbi.nlm.nih.gov/{local}/",
}
_KIND_OF = Relation.KIND_OF.value
_REFERENCE_LIMIT = 30


def registry_url(curie: str) -> str | None:
    """The registry page of an identifier, or None for a prefix kg does not know.

    Example:
        >>> registry_url("GO:0006915")
        'https://amigo.geneontology.org/amigo/term/GO:0006915'
        >>> registry_url("nonsense") is None
        True
    """
    prefix, sep, local = curie.partition(":")
    template = REGISTRY_URLS.get(prefix.lower())
    if not sep or not local or template is None:
        return None
    return template.format(id=curie, local=local)


def xref_links(curies: Iterable[str]) -> list[list[str | None]]:
    """``[curie, url-or-None]`` pairs, in the given order."""
    return [[c, registry_url(c)] for c in curies]


@dataclass(frozen=True)
class Card:
    """Everything ``kg show`` tells about one entity."""

    id: str
    label: str
    type: str
    synonyms: tuple[str, ...]
    identifiers: tuple[tuple[str, str | None], ...]
    kinds: tuple[str, ...]
    kind_of: tuple[str, ...]
    regulates: dict[str, int]
    regulated_by: dict[str, int]
    references: tuple[str, ...]
    more_references: int
    contradictions: tuple[tuple[str, str], ...]


def _counts(pairs: Iterable[tuple[str, int]]) -> dict[str, int]:
    seen: dict[str, set[str]] = {"increases": set(), "decreases": set(), "unsigned": set()}
    for other, sign in pairs:
        seen["increases" if sign > 0 else "decreases" if sign < 0 else "unsigned"].add(other)
    total = set().union(*seen.values())
    return {"total": len(total), **{k: len(v) for k, v in seen.items()}}


def entity_card(knowledge: Knowledge, node: str) -> Card:
    """The card of the entity ``node`` (an id: resolve names first).

    Example:
        >>> from kg.store.knowledge import load_knowledge
        >>> card = entity_card(load_knowledge(), "PTEN")
        >>> card.type, card.regulated_by["decreases"] > 0
        ('GeneOrProtein', True)
    """
    from kg.views.evidence import reference_label

    graph = knowledge.mechanisms
    attrs = knowledge.entities.nodes[node] if node in knowledge.entities else {}
    if node in graph and not attrs:
        attrs = graph.nodes[node]
    facts = knowledge.cards.get(node) or card_facts(knowledge, node)
    references = [reference_label(knowledge, n) for n in facts.references]
    references += [f"PMID:{p}" for p in facts.pmids]
    return Card(
        id=node,
        label=str(attrs.get("label", node)),
        type=str(attrs.get("type", "Entity")),
        synonyms=tuple(str(s) for s in attrs.get("synonyms", ())),
        identifiers=tuple((str(c), registry_url(str(c))) for c in attrs.get("xrefs", ())),
        kinds=facts.kinds,
        kind_of=facts.kind_of,
        regulates=facts.regulates,
        regulated_by=facts.regulated_by,
        references=tuple(references[:_REFERENCE_LIMIT]),
        more_references=max(0, len(references) - _REFERENCE_LIMIT),
        contradictions=facts.contradictions,
    )


def card_facts(knowledge: Knowledge, node: str) -> CardFacts:
    """What the card of ``node`` counts, from the edges of ``knowledge.mechanisms`` (a
    remote store's facts are fetched instead: :mod:`kg.store.remote_cards`).

    Example:
        >>> from kg.store.knowledge import load_knowledge
        >>> card_facts(load_knowledge(), "miR-21").regulates["decreases"] > 0
        True
    """
    graph = knowledge.mechanisms
    kinds: set[str] = set()
    kind_of: set[str] = set()
    out: list[tuple[str, int]] = []
    into: list[tuple[str, int]] = []
    evidence: set[str] = set()
    contradictions: set[tuple[str, str]] = set()
    if node in graph:
        incident = [*graph.out_edges(node, keys=True, data=True)]
        incident += [e for e in graph.in_edges(node, keys=True, data=True) if e[0] != node]
        for u, v, key, data in incident:
            evidence.update(data.get("evidence", ()))
            for other in data.get("contradicts", ()):
                contradictions.add((str(key), str(other)))
            if data.get("relation") == _KIND_OF:
                (kind_of if u == node else kinds).add(str(v if u == node else u))
            elif data.get("causal"):
                sign = int(data.get("sign", 0))
                (out if u == node else into).append((str(v if u == node else u), sign))
    numbers: set[int] = set()
    pmids: set[str] = set()
    for eid in evidence:
        ev = knowledge.evidence.get(eid)
        if ev is not None:
            numbers.update(ev.references)
            pmids.update(ev.pmids)
    return CardFacts(
        kinds=tuple(sorted(kinds)),
        kind_of=tuple(sorted(kind_of)),
        regulates=_counts(out),
        regulated_by=_counts(into),
        references=tuple(sorted(numbers)),
        pmids=tuple(sorted(pmids)),
        contradictions=tuple(sorted(contradictions)),
    )


def card_json(knowledge: Knowledge, node: str) -> dict[str, Any]:
    """The card as plain JSON data (what ``kg show --format json`` prints).

    Example:
        >>> from kg.store.knowledge import load_knowledge
        >>> card_json(load_knowledge(), "miR-21")["type"]
        'MicroRNA'
    """
    card = entity_card(knowledge, node)
    return {
        "id": card.id,
        "label": card.label,
        "type": card.type,
        "synonyms": list(card.synonyms),
        "identifiers": [{"id": c, "url": u} for c, u in card.identifiers],
        "kinds": list(card.kinds),
        "kind_of": list(card.kind_of),
        "regulates": dict(card.regulates),
        "regulated_by": dict(card.regulated_by),
        "references": list(card.references),
        "more_references": card.more_references,
        "contradictions": [{"assertion": a, "contradicts": b} for a, b in card.contradictions],
    }


def _count_line(counts: dict[str, int], words: tuple[str, str, str]) -> str:
    total = counts["total"]
    parts = [
        f"{counts[k]} {w}"
        for k, w in zip(("increases", "decreases", "unsigned"), words, strict=True)
        if counts[k]
    ]
    return f"{total} {'entity' if total == 1 else 'entities'}" + (
        f" ({', '.join(parts)})" if parts else ""
    )


def card_text(knowledge: Knowledge, node: str) -> str:
    """The card as the text ``kg show`` prints.

    Example:
        >>> from kg.store.knowledge import load_knowledge
        >>> print(card_text(load_knowledge(), "PTEN").splitlines()[0])
        PTEN (gene or protein, id PTEN)
    """
    card = entity_card(knowledge, node)
    words = re.findall(r"[A-Z]+(?![a-z])|[A-Z][a-z]*|[a-z]+|\d+", card.type)
    kind = " ".join(w if w.isupper() and len(w) > 1 else w.lower() for w in words)
    lines = [f"{card.label} ({kind}, id {card.id})"]
    if card.synonyms:
        lines.append("synonyms: " + ", ".join(card.synonyms))
    for curie, url in card.identifiers:
        lines.append(f"identifier: {curie}" + (f"  {url}" if url else ""))
    if card.kind_of:
        lines.append("is a kind of: " + ", ".join(knowledge.label(k) for k in card.kind_of))
    if card.kinds:
        lines.append("its kinds: " + ", ".join(knowledge.label(k) for k in card.kinds))
    lines.append(
        "regulates: " + _count_line(card.regulates, ("increased", "decreased", "unsigned"))
    )
    lines.append(
        "regulated by: "
        + _count_line(card.regulated_by, ("increasing it", "decreasing it", "unsigned"))
    )
    if card.references:
        more = f" and {card.more_references} more" if card.more_references else ""
        lines.append(f"references ({len(card.references) + card.more_references}):")
        lines += [f"  {r}" for r in card.references]
        if more:
            lines.append(f"  ...{more}")
    if card.contradictions:
        lines.append("contradictions touching it:")
        lines += [f"  {a} is contradicted by {b}" for a, b in card.contradictions]
    else:
        lines.append("contradictions touching it: none")
    return "\n".join(lines)


def card_dumps(knowledge: Knowledge, node: str) -> str:
    """:func:`card_json` as indented JSON text."""
    return json.dumps(card_json(knowledge, node), indent=2, ensure_ascii=False)
