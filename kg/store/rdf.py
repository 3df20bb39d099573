"""Read and write RDF: graphs, Turtle files, and the IRIs of kg's entities and references.

Store: ``memory`` is rdflib's own store; ``oxigraph`` is oxrdflib's Oxigraph-backed store with
its native Turtle parser (much faster at scale). Both are rdflib ``Graph`` objects. How
assertions and their provenance are shaped in RDF is :mod:`kg.store.provenance`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path
from typing import Literal as TypingLiteral

from rdflib import Graph, URIRef
from rdflib.plugins.parsers.notation3 import BadSyntax

from kg.model.errors import NotFoundError, TurtleSyntaxError
from kg.model.vocab import ENTITY, PREFIXES, REFERENCE
from kg.store.files import write_atomic

__all__ = [
    "Store",
    "entity_iri",
    "is_oxigraph",
    "load",
    "new_graph",
    "parse_turtle",
    "pubmed_iri",
    "reference_iri",
    "write_turtle",
]


Store = TypingLiteral["memory", "oxigraph"]


def new_graph(store: Store = "memory") -> Graph:
    """An empty graph with kg's prefixes bound."""
    graph = Graph(store="Oxigraph") if store == "oxigraph" else Graph()
    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, iri, override=True)
    return graph


def is_oxigraph(graph: Graph) -> bool:
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
    fmt = "ox-turtle" if is_oxigraph(graph) else "turtle"
    # rdflib logs a warning for IRIs with spaces; kg.curation.validate reports those itself.
    term_logger = logging.getLogger("rdflib.term")
    previous = term_logger.level
    term_logger.setLevel(logging.ERROR)
    try:
        graph.parse(path, format=fmt)
    except BadSyntax as exc:
        raise TurtleSyntaxError(str(path), exc.lines + 1, exc._why) from None
    except UnicodeDecodeError as exc:
        raise TurtleSyntaxError(
            str(path), None, f"not UTF-8 text (byte {exc.object[exc.start]:#04x} at offset "
            f"{exc.start}); save the file as UTF-8",
        ) from None  # fmt: skip
    except RecursionError:
        raise TurtleSyntaxError(
            str(path), None, "nested too deeply to read (thousands of levels of brackets or "
            "lists); flatten it",
        ) from None  # fmt: skip
    except (SyntaxError, ValueError) as exc:
        line = getattr(exc, "lineno", None)
        raise TurtleSyntaxError(str(path), line, str(exc).splitlines()[0]) from None
    finally:
        term_logger.setLevel(previous)


def load(paths: Iterable[Path], *, store: Store = "memory") -> Graph:
    """Parse Turtle files into one graph.

    Example:
        >>> from kg.model import shipped
        >>> from rdflib import RDFS, Literal
        >>> from kg.model.vocab import KG
        >>> g = load([shipped.ontology_file()])
        >>> (KG.increases, RDFS.label, Literal("increases")) in g
        True
    """
    graph = new_graph(store)
    for path in paths:
        parse_turtle(graph, Path(path))
    return graph


def write_turtle(graph: Graph, path: Path) -> None:
    """Serialise ``graph`` to ``path`` atomically (see :func:`write_atomic`), creating the
    directory if needed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    oxigraph = is_oxigraph(graph)
    write_atomic(
        graph.serialize(format="ox-turtle" if oxigraph else "turtle", encoding="utf-8"), path
    )


def entity_iri(entity_id: str) -> URIRef:
    """The IRI of an entity id (``"miR-21"`` → ``ent:miR-21``)."""
    return ENTITY[entity_id]


def reference_iri(number: int) -> URIRef:
    """The IRI of the review's reference ``number``."""
    return REFERENCE[f"R{number}"]


def pubmed_iri(pmid: str) -> URIRef:
    """The IRI of a PubMed record."""
    return URIRef(f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/")
