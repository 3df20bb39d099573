"""Refuse what must never be evaluated, before evaluation: updates, SERVICE, LOAD, FROM, and
nesting deeper than the parser can take (it runs in the worker, under the query's deadline).

Also the errors of the SPARQL layer, each with its own exit code.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import pyoxigraph as ox

from kg.model.errors import KGError


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


def _scan(text: str, source: str, *, allow_from: bool) -> None:
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
                if word.startswith(keyword) and not (allow_from and keyword == "FROM"):
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


MAX_DEPTH = 100


def _check_depth(text: str, source: str) -> None:
    """Refuse brackets nested deeper than :data:`MAX_DEPTH` (the parser would overflow)."""
    depth = 0
    for token in _tokens(text):
        if token.kind == "other" and token.text in "{([":
            depth += 1
            if depth > MAX_DEPTH:
                line, col = _position(text, token.start)
                raise QuerySyntaxError(
                    source, line, col,
                    f"brackets nested more than {MAX_DEPTH} levels deep; flatten the query",
                )  # fmt: skip
        elif token.kind == "other" and token.text in "})]":
            depth = max(0, depth - 1)


def check_query(query: str, *, source: str = "query", protocol_dataset: bool = False) -> str:
    """Refuse what must never be evaluated, and return the query form.

    Args:
        query: SPARQL query text.
        source: what to call the query in messages (``query`` or a file name).
        protocol_dataset: the request names its dataset (``default-graph-uri`` /
            ``named-graph-uri``), which replaces any ``FROM`` of the query, so ``FROM`` is
            allowed.

    Returns:
        ``"SELECT"``, ``"ASK"``, ``"CONSTRUCT"`` or ``"DESCRIBE"``.

    Raises:
        QueryRefusedError: an update, ``LOAD``, ``SERVICE`` or ``FROM`` / ``FROM NAMED``.
        QuerySyntaxError: the text is not a query at all, or is nested too deeply.

    Example:
        >>> check_query("ASK { ?s ?p ?o }")
        'ASK'
        >>> check_query('SELECT * { ?s ?p "SERVICE" } # FROM here')
        'SELECT'
        >>> check_query("SELECT * { SERVICE <http://example.org/> { ?s ?p ?o } }")
        Traceback (most recent call last):
        ...
        kg.store.sparql.check.QueryRefusedError: query:1:12: SERVICE (calling another endpoint) ...
    """
    for variant in _unescaped_variants(query):
        _scan(variant, source, allow_from=protocol_dataset)
    _check_depth(query, source)
    return _query_form(query, source)


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
