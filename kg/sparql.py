"""Run SPARQL queries on the kg graph safely, the named queries, and pushing the graph out.

How a query runs (``kg sparql``, ``kg serve``):

1. :func:`check_query` refuses what must never be evaluated, *before* evaluation: updates
   (``INSERT``, ``DELETE``, ``LOAD`` ...), ``SERVICE`` (a call to another endpoint) and
   ``FROM`` / ``FROM NAMED`` (a dataset chosen by the query). It tokenises the query the way
   the SPARQL grammar does (so comments, strings and IRIs cannot hide or fake a keyword; the
   check is conservative where the grammar is ambiguous) and then walks rdflib's parse tree as
   a second opinion.
2. An :class:`Engine` keeps the graph in Oxigraph inside worker *processes*. A query that
   passes its deadline gets its worker killed (``SIGKILL``) and replaced, so a runaway query
   stops burning CPU at once; rdflib has no query timeout, and Oxigraph cannot be cancelled
   from Python.
3. Rows past ``max_rows`` stop the query (:class:`RowLimitError`); results are written in the
   standard SPARQL 1.1 formats by :func:`serialize`.

Exit codes: syntax error 3, refused query 4, timeout 5, row limit 6, endpoint error 7.
"""

from __future__ import annotations

import csv
import io
import json
import os
import pickle
import queue
import re
import select
import struct
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox

from kg.errors import KGError, NotFoundError

__all__ = [
    "DEFAULT_MAX_ROWS",
    "DEFAULT_TIMEOUT",
    "FORMATS",
    "EndpointError",
    "Engine",
    "NamedQuery",
    "QueryRefusedError",
    "QuerySyntaxError",
    "QueryTimeoutError",
    "Result",
    "RowLimitError",
    "bind_params",
    "check_query",
    "load_store",
    "media_type",
    "named_queries",
    "named_query",
    "push",
    "run_query",
    "serialize",
]

DEFAULT_TIMEOUT = 10.0
DEFAULT_MAX_ROWS = 10_000

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


# --------------------------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------------------------


class QuerySyntaxError(KGError):
    """The query does not parse. ``str()`` is ``SOURCE:LINE:COL: message``."""

    exit_code = 3

    def __init__(self, source: str, line: int, column: int, message: str) -> None:
        self.source, self.line, self.column, self.message = source, line, column, message
        super().__init__(f"{source}:{line}:{column}: {message}")


class QueryRefusedError(KGError):
    """The query asks for something kg never does: an update, SERVICE, LOAD or FROM."""

    exit_code = 4


class QueryTimeoutError(KGError):
    """The query ran past its wall-clock timeout and was stopped."""

    exit_code = 5


class RowLimitError(KGError):
    """The query produced more rows (or triples) than allowed."""

    exit_code = 6


class EndpointError(KGError):
    """A remote SPARQL / Graph Store endpoint could not be reached or refused the request."""

    exit_code = 7


# --------------------------------------------------------------------------------------------
# Checking a query before evaluation
# --------------------------------------------------------------------------------------------

_ECHAR = r"""\\[tbnrf"'\\]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}"""
_NAME_CHARS = "0-9A-Za-z_\\-.:%\\\\\u00b7\u00c0-\U000effff"
_TOKEN = re.compile(
    rf"""(?P<ws>\s+)
    |(?P<comment>\#[^\n\r]*)
    |(?P<iri><(?:[^<>"{{}}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{{4}}|\\U[0-9A-Fa-f]{{8}})*>)
    |(?P<string>'''(?:[^'\\]|{_ECHAR}|'(?!''))*'''
       |\"\"\"(?:[^"\\]|{_ECHAR}|"(?!""))*\"\"\"
       |'(?:[^'\\\n\r]|{_ECHAR})*'
       |"(?:[^"\\\n\r]|{_ECHAR})*")
    |(?P<var>[?$][0-9A-Za-z_\u00b7\u00c0-\U000effff]+)
    |(?P<name>[{_NAME_CHARS}]+)
    |(?P<other>.)""",
    re.VERBOSE | re.DOTALL,
)
_UCHAR = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
_UPDATES = ("INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH")
_NUMBER_PREFIX = re.compile(r"^[0-9.eE+\-]*")
_OX_SYNTAX = re.compile(r"^error at (\d+):(\d+): (.*)$", re.DOTALL)


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str
    start: int


def _tokens(text: str) -> Iterator[_Token]:
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "other"
        if kind not in ("ws", "comment"):
            yield _Token(kind, match.group(), match.start())


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _unescaped_variants(text: str) -> list[str]:
    """The text, and the text after SPARQL's ``\\u`` escape processing (applied until stable)."""
    variants = [text]
    for _ in range(4):
        nxt = _UCHAR.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), variants[-1])
        if nxt == variants[-1]:
            break
        variants.append(nxt)
    return variants


def _scan(text: str, source: str) -> None:
    for token in _tokens(text):
        if token.kind != "name":
            continue
        # A keyword glued to a number, a dot, a prefix or a local name could still be read as a
        # keyword by a parser without word boundaries: check every dot-separated piece's start.
        for piece in token.text.split("."):
            word = _NUMBER_PREFIX.sub("", piece).upper()
            for keyword, why in (
                ("SERVICE", "SERVICE (calling another endpoint)"),
                ("FROM", "FROM / FROM NAMED (choosing another dataset)"),
            ):
                if word.startswith(keyword):
                    line, col = _position(text, token.start)
                    raise QueryRefusedError(
                        f"{source}:{line}:{col}: {why} is refused: queries run on kg's graph only"
                    )
        if token.text.upper() in _UPDATES and token.text.upper() not in ("ADD", "WITH"):
            line, col = _position(text, token.start)
            raise QueryRefusedError(
                f"{source}:{line}:{col}: {token.text.upper()} is a SPARQL update; "
                "kg runs read-only queries"
            )


def _query_form(text: str, source: str) -> str:
    tokens = list(_tokens(text))
    index = 0
    while index < len(tokens):
        word = tokens[index].text.upper()
        if tokens[index].kind == "name" and word == "BASE":
            index += 2
        elif tokens[index].kind == "name" and word == "PREFIX":
            index += 3
        else:
            break
    if index >= len(tokens):
        raise QuerySyntaxError(source, *_position(text, len(text)), "empty query")
    token = tokens[index]
    word = token.text.upper()
    if word in _UPDATES:
        line, col = _position(text, token.start)
        raise QueryRefusedError(
            f"{source}:{line}:{col}: {word} is a SPARQL update; kg runs read-only queries"
        )
    if word not in _FORMS:
        line, col = _position(text, token.start)
        raise QuerySyntaxError(
            source, line, col, f"expected SELECT, ASK, CONSTRUCT or DESCRIBE, found {token.text!r}"
        )
    return word


def _walk(node: object) -> Iterator[object]:
    from pyparsing import ParseResults

    yield node
    if isinstance(node, dict):
        for value in dict.values(node):
            yield from _walk(value)
    elif isinstance(node, list | tuple | ParseResults):
        for value in node:
            yield from _walk(value)


def _parse_tree_check(text: str, source: str) -> None:
    """A second opinion from rdflib's SPARQL parser (which never evaluates anything here)."""
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        tree = parseQuery(text)
    except (ParseBaseException, ValueError, TypeError):
        return  # Oxigraph is the judge of syntax; the token scan has already run.
    for node in _walk(list(tree)):
        name = getattr(node, "name", None)
        if name == "ServiceGraphPattern":
            raise QueryRefusedError(f"{source}: SERVICE is refused: queries run on kg's graph only")
        if isinstance(node, dict) and dict.get(node, "datasetClause"):
            raise QueryRefusedError(
                f"{source}: FROM / FROM NAMED is refused: queries run on kg's graph only"
            )


def check_query(query: str, *, source: str = "query") -> str:
    """Refuse what must never be evaluated, and return the query form.

    Args:
        query: SPARQL query text.
        source: what to call the query in messages (``query`` or a file name).

    Returns:
        ``"SELECT"``, ``"ASK"``, ``"CONSTRUCT"`` or ``"DESCRIBE"``.

    Raises:
        QueryRefusedError: an update, ``LOAD``, ``SERVICE`` or ``FROM`` / ``FROM NAMED``.
        QuerySyntaxError: the text is not a query at all.

    Example:
        >>> check_query("ASK { ?s ?p ?o }")
        'ASK'
        >>> check_query('SELECT * { ?s ?p "SERVICE" } # FROM here')
        'SELECT'
        >>> check_query("SELECT * { SERVICE <http://example.org/> { ?s ?p ?o } }")
        Traceback (most recent call last):
        ...
        kg.sparql.QueryRefusedError: query:1:12: SERVICE (calling another endpoint) is refused: ...
    """
    for variant in _unescaped_variants(query):
        _scan(variant, source)
    form = _query_form(query, source)
    _parse_tree_check(query, source)
    return form


def bind_params(query: str, params: Mapping[str, str], *, source: str = "query") -> str:
    """Bind parameters: replace the body of each one-variable ``VALUES ?name { ... }`` clause.

    A value becomes a plain string literal, so it can never change the query's structure.

    Example:
        >>> query = 'SELECT * { VALUES ?entity { "miR-21" } ?e ?p ?entity }'
        >>> bind_params(query, {"entity": 'PTEN"'})
        'SELECT * { VALUES ?entity { "PTEN\\\\"" } ?e ?p ?entity }'
    """
    tokens = list(_tokens(query))
    spans: dict[str, tuple[int, int]] = {}
    for i, token in enumerate(tokens[:-3]):
        if token.kind == "name" and token.text.upper() == "VALUES" and tokens[i + 1].kind == "var":
            opening = tokens[i + 2]
            if opening.text != "{":
                continue
            closing = next((t for t in tokens[i + 3 :] if t.text == "}"), None)
            if closing is not None:
                spans.setdefault(tokens[i + 1].text[1:], (opening.start, closing.start + 1))
    text = query
    for name in sorted(params, key=lambda n: spans.get(n, (0, 0))[0], reverse=True):
        if name not in spans:
            known = ", ".join(sorted(spans)) or "none"
            raise KGError(f"{source}: unknown parameter {name!r} (parameters: {known})")
        start, end = spans[name]
        text = f"{text[:start]}{{ {ox.Literal(params[name])} }}{text[end:]}"
    return text


# --------------------------------------------------------------------------------------------
# Named queries
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NamedQuery:
    """A query shipped in ``kg/queries/NAME.rq``.

    ``description`` is the file's first ``# `` comment line; ``params`` maps each
    ``# param NAME: what it is`` line to its text.
    """

    name: str
    description: str
    text: str
    params: dict[str, str] = field(default_factory=dict)


def named_queries() -> dict[str, NamedQuery]:
    """The shipped named queries, by name.

    Example:
        >>> "table3" in named_queries()
        True
        >>> named_queries()["entity-evidence"].params["entity"][:20]
        "the entity's id, lab"
    """
    found: dict[str, NamedQuery] = {}
    folder = resources.files("kg") / "queries"
    for item in sorted(folder.iterdir(), key=lambda p: p.name):
        if not item.name.endswith(".rq"):
            continue
        text = item.read_text(encoding="utf-8")
        lines = text.splitlines()
        description = lines[0][2:].strip() if lines and lines[0].startswith("# ") else ""
        params = {}
        for line in lines:
            if match := re.match(r"^# param (\w+): (.*)$", line):
                params[match.group(1)] = match.group(2).strip()
        name = item.name[: -len(".rq")]
        found[name] = NamedQuery(name, description, text, params)
    return found


def named_query(name: str) -> NamedQuery:
    """The named query ``name``; the error suggests close names.

    Example:
        >>> named_query("table3").description.startswith("The review's Table 3")
        True
    """
    import difflib

    queries = named_queries()
    if name in queries:
        return queries[name]
    close = difflib.get_close_matches(name, list(queries), n=1)
    hint = f"; did you mean {close[0]!r}?" if close else "; see `kg sparql --list`"
    raise NotFoundError(f"no named query {name!r}{hint}")


# --------------------------------------------------------------------------------------------
# Results and their formats
# --------------------------------------------------------------------------------------------


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


# --------------------------------------------------------------------------------------------
# Worker processes
# --------------------------------------------------------------------------------------------

_HEADER = struct.Struct(">Q")


class _DeadlineError(Exception):
    pass


class _WorkerGoneError(Exception):
    pass


def _send(stream: IO[bytes], message: object) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_HEADER.pack(len(data)) + data)
    stream.flush()


def _read_exact(fd: int, size: int, deadline: float | None) -> bytes:
    chunks: list[bytes] = []
    while size:
        wait = None if deadline is None else deadline - time.monotonic()
        if wait is not None and wait <= 0:
            raise _DeadlineError
        ready, _, _ = select.select([fd], [], [], wait)
        if not ready:
            raise _DeadlineError
        chunk = os.read(fd, min(size, 1 << 20))
        if not chunk:
            raise _WorkerGoneError
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def _receive(fd: int, deadline: float | None) -> Any:
    (size,) = _HEADER.unpack(_read_exact(fd, _HEADER.size, deadline))
    # Only ever unpickles what our own worker (or parent) process wrote.
    return pickle.loads(_read_exact(fd, size, deadline))  # noqa: S301


def _open_worker_store(files: Sequence[str], store: str | None) -> Any:
    if store is not None:
        return ox.Store.read_only(store)
    graph = ox.Store()
    for path in files:
        graph.bulk_load(path=path, format=ox.RdfFormat.TURTLE)
    return graph


def _capped(items: Iterator[Any], max_rows: int) -> tuple[Any, ...] | None:
    out: list[Any] = []
    for item in items:
        if len(out) == max_rows:
            return None
        out.append(item)
    return tuple(out)


def _evaluate(store: Any, query: str, prefixes: dict[str, str], max_rows: int) -> tuple[Any, ...]:
    try:
        answer = store.query(query, prefixes=prefixes)
        if isinstance(answer, ox.QueryBoolean):
            reply: tuple[Any, ...] = ("ask", bool(answer))
        elif isinstance(answer, ox.QuerySolutions):
            variables = tuple(v.value for v in answer.variables)
            rows = _capped((tuple(s) for s in answer), max_rows)
            reply = ("rows", max_rows) if rows is None else ("select", variables, rows)
        else:
            triples = _capped(iter(answer), max_rows)
            reply = ("rows", max_rows) if triples is None else ("graph", triples)
    except SyntaxError as exc:
        return ("syntax", str(exc))
    except (OSError, ValueError, RuntimeError, TypeError) as exc:
        return ("error", str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
    return reply


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(0)


def _worker_main() -> None:
    """Entry point of a worker process: load the graph, then answer queries on stdin/stdout."""
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # stray prints must not corrupt the message stream
    threading.Thread(target=_watch_parent, args=(os.getppid(),), daemon=True).start()
    fd = sys.stdin.fileno()
    try:
        files, store_path = _receive(fd, None)
        store = _open_worker_store(files, store_path)
    except (OSError, SyntaxError, ValueError) as exc:
        _send(out, ("error", str(exc).splitlines()[0] if str(exc) else type(exc).__name__))
        return
    except _WorkerGoneError:
        return
    _send(out, ("ready", len(store)))
    while True:
        try:
            query, prefixes, max_rows = _receive(fd, None)
        except _WorkerGoneError:
            return
        _send(out, _evaluate(store, query, prefixes, max_rows))


class _Worker:
    def __init__(self, files: Sequence[str], store: str | None, *, startup: float) -> None:
        env = dict(os.environ)
        root = str(Path(__file__).resolve().parent.parent)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
        self.process = subprocess.Popen(
            [sys.executable, "-P", "-c", "from kg.sparql import _worker_main; _worker_main()"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
            start_new_session=True,  # Ctrl-C reaches the parent only; the parent stops us
        )
        try:
            reply = self.request((list(files), store), time.monotonic() + startup)
        except (_DeadlineError, _WorkerGoneError):
            self.kill()
            raise KGError("the query worker did not start (could not load the graph)") from None
        if reply[0] != "ready":
            self.kill()
            raise KGError(f"cannot load the graph: {reply[1]}")
        self.triples: int = reply[1]

    def request(self, message: object, deadline: float | None) -> Any:
        assert self.process.stdin is not None
        assert self.process.stdout is not None
        try:
            _send(self.process.stdin, message)
        except (BrokenPipeError, ValueError):
            raise _WorkerGoneError from None
        return _receive(self.process.stdout.fileno(), deadline)

    def kill(self) -> None:
        self.process.kill()
        self.process.wait()
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None:
                stream.close()


class Engine:
    """Worker processes that hold the graph in Oxigraph and answer queries with a deadline.

    Open it with :meth:`Engine.open` and close it (or use ``with``); :func:`run_query` runs
    a query on it. Each worker answers one query at a time; a query that times out gets its
    worker killed and replaced.

    Example:
        >>> from kg import shipped
        >>> with Engine.open([shipped.ontology_file()]) as engine:
        ...     run_query(engine, "ASK { kg:increases a kg:Relation }").boolean
        True
    """

    def __init__(
        self, files: Sequence[Path], *, store: Path | None = None, workers: int = 1
    ) -> None:
        from kg.vocab import PREFIXES

        self.prefixes: dict[str, str] = dict(PREFIXES)
        self._files = [str(p) for p in files]
        self._store = str(store) if store is not None else None
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._lock = threading.Lock()
        self._live: set[_Worker] = set()
        self._closed = False
        for path in files:
            if not Path(path).is_file():
                raise NotFoundError(f"{path}: no such file")
        try:
            for _ in range(max(1, workers)):
                self._idle.put(self._spawn())
        except KGError:
            self.close()
            raise

    @classmethod
    def open(
        cls, files: Sequence[Path] | None = None, *, store: Path | None = None, workers: int = 1
    ) -> Engine:
        """Start ``workers`` processes on Turtle ``files`` (default: shipped data + ontology),
        or on a persistent Oxigraph ``store`` made by :func:`load_store`."""
        from kg import shipped

        if files is None and store is None:
            files = [*shipped.data_files(), shipped.ontology_file()]
        return cls(list(files or []), store=store, workers=workers)

    @property
    def triples(self) -> int:
        """How many triples the graph has."""
        with self._lock:
            return next(iter(self._live)).triples if self._live else 0

    def _spawn(self) -> _Worker:
        worker = _Worker(self._files, self._store, startup=120.0)
        with self._lock:
            if self._closed:
                worker.kill()
                raise KGError("the query engine is closed")
            self._live.add(worker)
        return worker

    def _acquire(self) -> _Worker:
        while True:
            with self._lock:
                if self._closed or not self._live:
                    raise KGError("the query engine is closed")
            try:
                return self._idle.get(timeout=0.5)
            except queue.Empty:
                continue

    def _discard(self, worker: _Worker) -> None:
        with self._lock:
            self._live.discard(worker)
        worker.kill()

    def _replace(self, worker: _Worker) -> None:
        self._discard(worker)
        self._idle.put(self._spawn())

    def close(self) -> None:
        """Stop every worker process."""
        with self._lock:
            self._closed = True
            live, self._live = list(self._live), set()
        for worker in live:
            worker.kill()

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def run_query(
    engine: Engine,
    query: str,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    max_rows: int = DEFAULT_MAX_ROWS,
    source: str = "query",
) -> Result:
    """Check and run one read-only query on ``engine``.

    Args:
        engine: an open :class:`Engine`.
        query: SPARQL query text; kg's prefixes (``kg:``, ``ent:``, ``rdfs:`` ...) are
            predeclared.
        timeout: wall-clock seconds before the query is stopped.
        max_rows: most rows (SELECT) or triples (CONSTRUCT/DESCRIBE) allowed.
        source: what to call the query in messages.

    Raises:
        QueryRefusedError: see :func:`check_query`.
        QuerySyntaxError: ``SOURCE:LINE:COL: message``.
        QueryTimeoutError: the query ran longer than ``timeout``.
        RowLimitError: more than ``max_rows`` rows.

    Example:
        >>> from kg import shipped
        >>> with Engine.open([shipped.ontology_file()]) as engine:
        ...     r = run_query(engine, "SELECT ?l { kg:increases rdfs:label ?l }")
        >>> r.variables, r.rows[0][0].value
        (('l',), 'increases')
    """
    form = check_query(query, source=source)
    worker = engine._acquire()
    try:
        reply = worker.request((query, engine.prefixes, max_rows), time.monotonic() + timeout)
    except _DeadlineError:
        engine._replace(worker)
        raise QueryTimeoutError(
            f"{source}: stopped after the {timeout:g} s timeout; "
            "narrow the query or allow more time"
        ) from None
    except _WorkerGoneError:
        engine._replace(worker)
        raise KGError(f"{source}: the query worker died while running the query") from None
    engine._idle.put(worker)
    kind = reply[0]
    if kind == "select":
        return Result(form, reply[1], reply[2])
    if kind == "ask":
        return Result(form, boolean=reply[1])
    if kind == "graph":
        return Result(form, triples=reply[1])
    if kind == "rows":
        noun = "triples" if form in ("CONSTRUCT", "DESCRIBE") else "rows"
        raise RowLimitError(
            f"{source}: more than {reply[1]} {noun}; add a LIMIT or raise the row cap"
        )
    if kind == "syntax":
        match = _OX_SYNTAX.match(reply[1])
        if match:
            message = " ".join(match.group(3).split())
            raise QuerySyntaxError(source, int(match.group(1)), int(match.group(2)), message)
        raise QuerySyntaxError(source, 1, 1, " ".join(reply[1].split()))
    raise KGError(f"{source}: {reply[1]}")


# --------------------------------------------------------------------------------------------
# Persistent stores and pushing the graph to other SPARQL servers
# --------------------------------------------------------------------------------------------


def load_store(path: Path, files: Sequence[Path] | None = None, *, reload: bool = False) -> int:
    """Create (or with ``reload``, refill) a persistent Oxigraph store at ``path``.

    The graph (default: shipped data + ontology) is loaded only when the store is empty or
    ``reload`` is set; afterwards queries open the store read-only without parsing anything.

    Returns:
        The number of triples in the store.

    Example:
        >>> import tempfile
        >>> from kg import shipped
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     load_store(Path(tmp) / "store", [shipped.ontology_file()]) > 100
        True
    """
    from kg import shipped

    if files is None:
        files = [*shipped.data_files(), shipped.ontology_file()]
    for file in files:
        if not Path(file).is_file():
            raise NotFoundError(f"{file}: no such file")
    try:
        store = ox.Store(str(path))
        if reload:
            store.clear()
        if reload or len(store) == 0:
            for file in files:
                store.bulk_load(path=str(file), format=ox.RdfFormat.TURTLE)
            store.flush()
        count = len(store)
    except (OSError, SyntaxError, ValueError) as exc:
        raise KGError(
            f"{path}: cannot build the Oxigraph store: {str(exc).splitlines()[0]}"
        ) from None
    del store  # release the write lock before workers open the store read-only
    return count


def _ntriples(files: Sequence[Path], store: Path | None) -> bytes:
    try:
        graph = ox.Store.read_only(str(store)) if store is not None else ox.Store()
        if store is None:
            for file in files:
                graph.bulk_load(path=str(file), format=ox.RdfFormat.TURTLE)
        data = graph.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    except (OSError, SyntaxError, ValueError) as exc:
        raise KGError(f"cannot read the graph: {str(exc).splitlines()[0]}") from None
    assert data is not None
    return data


def push(
    files: Sequence[Path] | None,
    endpoint: str,
    *,
    store: Path | None = None,
    graph: str | None = None,
    replace: bool = True,
    timeout: float = 60.0,
) -> int:
    """Load the graph into a SPARQL 1.1 Graph Store Protocol endpoint.

    Args:
        files: Turtle files (default: shipped data + ontology); ignored when ``store`` is set.
        endpoint: the server's graph store URL, e.g. ``http://127.0.0.1:7878/store`` for
            Oxigraph or ``http://127.0.0.1:3030/ds/data`` for Fuseki.
        store: read the graph from this persistent Oxigraph store instead.
        graph: target named graph IRI (default: the default graph).
        replace: PUT (replace the graph) rather than POST (add to it).
        timeout: seconds to wait for the server.

    Returns:
        The number of triples sent.

    Raises:
        EndpointError: the server cannot be reached or answers with an error status.

    Example:
        >>> push(None, "ftp://example.org/store")
        Traceback (most recent call last):
        ...
        kg.sparql.EndpointError: ftp://example.org/store: not an http(s) URL
    """
    from kg import shipped

    parts = urllib.parse.urlsplit(endpoint)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise EndpointError(f"{endpoint}: not an http(s) URL")
    if files is None and store is None:
        files = [*shipped.data_files(), shipped.ontology_file()]
    body = _ntriples(list(files or []), store)
    target = urllib.parse.quote(graph, safe="") if graph else None
    query = f"graph={target}" if target else "default"
    url = urllib.parse.urlunsplit(
        (parts.scheme, parts.netloc, parts.path, f"{parts.query}&{query}".lstrip("&"), "")
    )
    request = urllib.request.Request(  # noqa: S310 - scheme checked above
        url,
        data=body,
        method="PUT" if replace else "POST",
        headers={"Content-Type": "application/n-triples"},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            response.read()
    except urllib.error.HTTPError as exc:
        detail = " ".join(exc.read(300).decode("utf-8", "replace").split())
        raise EndpointError(f"{endpoint}: {exc.code} {exc.reason}: {detail}".rstrip(": ")) from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise EndpointError(f"{endpoint}: cannot reach the server ({reason})") from None
    return body.count(b"\n")
