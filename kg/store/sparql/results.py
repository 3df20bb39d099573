"""Query results and their formats (SPARQL 1.1 JSON, XML, CSV, TSV; RDF for graphs)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from kg.model.errors import KGError

FORMATS: dict[str, tuple[str, str]] = {
    # name: (media type, what it is for)
    "json": ("application/sparql-results+json", "SELECT/ASK: SPARQL 1.1 JSON results"),
    "xml": ("application/sparql-results+xml", "SELECT/ASK: SPARQL XML results"),
    "csv": ("text/csv; charset=utf-8", "SELECT/ASK: SPARQL 1.1 CSV results"),
    "tsv": ("text/tab-separated-values; charset=utf-8", "SELECT/ASK: SPARQL 1.1 TSV results"),
    "table": ("text/plain; charset=utf-8", "any: a table (graphs as Turtle) for people"),
    "ttl": ("text/turtle; charset=utf-8", "CONSTRUCT/DESCRIBE: Turtle"),
    "nt": ("application/n-triples", "CONSTRUCT/DESCRIBE: N-Triples"),
    "jsonld": ("application/ld+json", "CONSTRUCT/DESCRIBE: JSON-LD"),
    "rdfxml": ("application/rdf+xml", "CONSTRUCT/DESCRIBE: RDF/XML"),
}
_RESULT_FORMATS = ("json", "xml", "csv", "tsv", "table")
_GRAPH_FORMATS = {
    "ttl": ox.RdfFormat.TURTLE,
    "table": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "json": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}


@dataclass(frozen=True)
class Result:
    """A query's answer: rows for SELECT, a boolean for ASK, triples for CONSTRUCT/DESCRIBE.

    Terms are pyoxigraph terms (``NamedNode``, ``BlankNode``, ``Literal``, ``Triple``); an
    unbound variable is ``None``.
    """

    form: str
    variables: tuple[str, ...] = ()
    rows: tuple[tuple[Any, ...], ...] = ()
    boolean: bool | None = None
    triples: tuple[Any, ...] = ()

    @property
    def is_graph(self) -> bool:
        """True for CONSTRUCT and DESCRIBE."""
        return self.form in ("CONSTRUCT", "DESCRIBE")


def media_type(result_form: str, fmt: str) -> str:
    """The media type of ``fmt``, or raise if it does not fit the query form.

    Example:
        >>> media_type("SELECT", "json")
        'application/sparql-results+json'
    """
    graph = result_form in ("CONSTRUCT", "DESCRIBE")
    allowed = tuple(_GRAPH_FORMATS) if graph else _RESULT_FORMATS
    if fmt not in allowed:
        kind = "graphs (CONSTRUCT/DESCRIBE)" if graph else "SELECT/ASK results"
        raise KGError(f"format {fmt!r} does not fit {kind}; use one of: {', '.join(allowed)}")
    return FORMATS["jsonld" if graph and fmt == "json" else fmt][0]


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def _json_term(term: Any) -> dict[str, Any]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out: dict[str, Any] = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != _XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    return {
        "type": "triple",
        "value": {
            "subject": _json_term(term.subject),
            "predicate": _json_term(term.predicate),
            "object": _json_term(term.object),
        },
    }


def _nt_term(term: Any) -> str:
    if isinstance(term, ox.Triple):
        return f"<< {_nt_term(term.subject)} {_nt_term(term.predicate)} {_nt_term(term.object)} >>"
    return str(term)


def _plain_term(term: Any) -> str:
    if isinstance(term, ox.NamedNode | ox.Literal):
        return str(term.value)
    return _nt_term(term)


def _xml_escape(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def _xml_term(term: Any) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{_xml_escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{_xml_escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            attr = f' xml:lang="{_xml_escape(term.language)}"'
        elif term.datatype.value != _XSD_STRING:
            attr = f' datatype="{_xml_escape(term.datatype.value)}"'
        else:
            attr = ""
        return f"<literal{attr}>{_xml_escape(term.value)}</literal>"
    return (
        f"<triple><subject>{_xml_term(term.subject)}</subject>"
        f"<predicate>{_xml_term(term.predicate)}</predicate>"
        f"<object>{_xml_term(term.object)}</object></triple>"
    )


def _compact(term: Any, prefixes: Mapping[str, str]) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        best = max(
            ((p, ns) for p, ns in prefixes.items() if term.value.startswith(ns)),
            key=lambda item: len(item[1]),
            default=None,
        )
        return f"{best[0]}:{term.value[len(best[1]) :]}" if best else f"<{term.value}>"
    text = term.value if isinstance(term, ox.Literal) else _nt_term(term)
    return " ".join(str(text).split())


def _table(result: Result, prefixes: Mapping[str, str]) -> str:
    if result.form == "ASK":
        return "true\n" if result.boolean else "false\n"
    header = list(result.variables)
    body = [[_compact(term, prefixes) for term in row] for row in result.rows]
    widths = [max([len(h), *(len(r[i]) for r in body)]) for i, h in enumerate(header)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in body]
    lines.append(f"({len(body)} row{'s' if len(body) != 1 else ''})")
    return "\n".join(lines) + "\n"


def _graph_bytes(result: Result, fmt: str, prefixes: dict[str, str]) -> bytes:
    data = ox.serialize(list(result.triples), format=_GRAPH_FORMATS[fmt], prefixes=prefixes)
    assert data is not None
    return data


def _json(result: Result) -> bytes:
    if result.form == "ASK":
        return json.dumps({"head": {}, "boolean": bool(result.boolean)}).encode("utf-8")
    bindings = [
        {v: _json_term(t) for v, t in zip(result.variables, row, strict=True) if t is not None}
        for row in result.rows
    ]
    payload = {"head": {"vars": list(result.variables)}, "results": {"bindings": bindings}}
    return json.dumps(payload, ensure_ascii=False).encode("utf-8")


def _tsv(result: Result) -> bytes:
    if result.form == "ASK":
        return b"?_askResult\n" + (b"true\n" if result.boolean else b"false\n")
    lines = ["\t".join(f"?{v}" for v in result.variables)]
    lines += ["\t".join("" if t is None else _nt_term(t) for t in row) for row in result.rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


def _csv(result: Result) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    if result.form == "ASK":
        writer.writerows([["_askResult"], ["true" if result.boolean else "false"]])
    else:
        writer.writerow(result.variables)
        writer.writerows(["" if t is None else _plain_term(t) for t in row] for row in result.rows)
    return buffer.getvalue().encode("utf-8")


def serialize(result: Result, fmt: str, *, prefixes: Mapping[str, str] | None = None) -> bytes:
    """Write ``result`` in ``fmt`` (see :data:`FORMATS`) with the standard SPARQL 1.1 formats.

    Args:
        result: what :func:`run_query` returned.
        fmt: ``json``, ``xml``, ``csv``, ``tsv`` or ``table`` for SELECT/ASK; ``ttl``, ``nt``,
            ``jsonld`` (or ``json``), ``rdfxml`` or ``table`` for CONSTRUCT/DESCRIBE.
        prefixes: prefixes for Turtle and the table (default: none).

    Example:
        >>> r = Result("SELECT", ("x",), ((ox.Literal("1"),), (None,)))
        >>> serialize(r, "tsv")
        b'?x\\n"1"\\n\\n'
        >>> serialize(Result("ASK", boolean=True), "json")
        b'{"head": {}, "boolean": true}'
    """
    media_type(result.form, fmt)
    prefixes = dict(prefixes or {})
    if result.is_graph:
        return _graph_bytes(result, fmt, prefixes)
    if fmt == "table":
        return _table(result, prefixes).encode("utf-8")
    writers = {"json": _json, "xml": _xml, "tsv": _tsv, "csv": _csv}
    return writers[fmt](result)


def _xml(result: Result) -> bytes:
    out = ['<?xml version="1.0"?>', '<sparql xmlns="http://www.w3.org/2005/sparql-results#">']
    if result.form == "ASK":
        out += ["<head/>", f"<boolean>{'true' if result.boolean else 'false'}</boolean>"]
    else:
        out.append("<head>")
        out += [f'<variable name="{_xml_escape(v)}"/>' for v in result.variables]
        out += ["</head>", "<results>"]
        for row in result.rows:
            cells = "".join(
                f'<binding name="{_xml_escape(v)}">{_xml_term(t)}</binding>'
                for v, t in zip(result.variables, row, strict=True)
                if t is not None
            )
            out.append(f"<result>{cells}</result>")
        out.append("</results>")
    out.append("</sparql>")
    return ("\n".join(out) + "\n").encode("utf-8")
