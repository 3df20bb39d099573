"""Resolve the names researchers type to graph nodes.

Labels, synonyms, identifiers (CURIEs) and entity ids all resolve. Matching ignores case,
treats Greek letters and their spelled-out names alike (α/alpha, β/beta, κ/kappa) and drops
spaces, hyphens, slashes and other punctuation, so ``TNF-α``, ``tnf alpha`` and ``TNF-alpha``
meet; short forms such as ``TNFa`` are listed as synonyms in the data.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from typing import TYPE_CHECKING

from kg.model.errors import KGError
from kg.model.names import name_key
from kg.reasoning.hierarchy import generals, kinds

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["AmbiguousNameError", "UnknownNameError", "resolve"]


class UnknownNameError(KGError):
    """No node has this name; the message suggests near matches."""

    exit_code = 2


class AmbiguousNameError(KGError):
    """Several nodes share this name; the message lists them."""

    exit_code = 2


def _index(graph: nx.MultiDiGraph) -> dict[str, set[str]]:
    index: dict[str, set[str]] = defaultdict(set)
    for node, attrs in graph.nodes(data=True):
        names = [
            node,
            attrs.get("label", node),
            *attrs.get("synonyms", ()),
            *attrs.get("xrefs", ()),
        ]
        for name in names:
            index[name_key(str(name))].add(node)
    return index


def _ambiguous(graph: nx.MultiDiGraph, name: str, found: set[str]) -> str:
    """The message for a name several nodes share, with the hierarchy among them: each
    candidate's general entities and kinds, and the one that stands for all the others."""

    def label(node: str) -> str:
        return str(graph.nodes[node].get("label", node))

    listed = []
    for node in sorted(found):
        parts = [label(node)]
        if up := generals(graph, node):
            parts.append("a kind of " + ", ".join(label(g) for g in up))
        if down := kinds(graph, node):
            parts.append("kinds: " + ", ".join(label(k) for k in down))
        listed.append(f"{node} ({'; '.join(parts)})")
    message = f"{name!r} is ambiguous: {', '.join(listed)}; use one of these ids"
    general = [n for n in sorted(found) if found - {n} <= set(kinds(graph, n))]
    if general:
        message += f" ({general[0]} stands for all of them in a query; --exact for itself alone)"
    return message


def resolve(graph: nx.MultiDiGraph, name: str) -> str:
    """The node named ``name`` (label, synonym, CURIE or id).

    Raises:
        UnknownNameError: nothing matches; the message suggests near matches.
        AmbiguousNameError: several nodes match; the message lists them.

    Example:
        >>> import networkx as nx
        >>> g = nx.MultiDiGraph()
        >>> g.add_node("TNF", label="TNF-α", synonyms=("TNF-alpha", "TNFa"), xrefs=("HGNC:11892",))
        >>> resolve(g, "tnf alpha"), resolve(g, "HGNC:11892"), resolve(g, "TNFa")
        ('TNF', 'TNF', 'TNF')
    """
    index = _index(graph)
    found = index.get(name_key(name), set())
    if len(found) == 1:
        return next(iter(found))
    if found:
        raise AmbiguousNameError(_ambiguous(graph, name, found))
    labels = {
        name_key(str(a.get("label", n))): str(a.get("label", n)) for n, a in graph.nodes(data=True)
    }
    for key, nodes in index.items():
        for node in nodes:
            labels.setdefault(key, str(graph.nodes[node].get("label", node)))
    close = difflib.get_close_matches(name_key(name), list(labels), n=6, cutoff=0.6)
    suggestions = list(dict.fromkeys(labels[c] for c in close))[:3]
    hint = f"; did you mean {', '.join(map(repr, suggestions))}?" if suggestions else ""
    raise UnknownNameError(f"no entity named {name!r} in the graph{hint}")
