"""Oxigraph's SPARQL parser errors, said in words a user understands.

Oxigraph reports ``error at LINE:COL: expected one of ...`` with the grammar's character
classes; this module turns that into what was found, what would fit there, and for the two
common mistakes (an undeclared prefix, a relative IRI) what to do about it.
"""

from __future__ import annotations

import re

__all__ = ["explain_syntax_error"]

_OX_ERROR = re.compile(r"^error at (\d+):(\d+): (.*)$", re.DOTALL)
_QUOTED = re.compile(r'"((?:[^"\\]|\\.)*)"')
_WORDS = {
    "?": "a variable",
    "$": "a variable",
    "<": "an IRI",
    "<<": "a quoted triple",
    "<<(": "a quoted triple",
    '"': "a string",
    "'": "a string",
    '"""': "a string",
    "'''": "a string",
    "_:": "a blank node",
    "[": "a blank node",
    "true": "a boolean",
    "false": "a boolean",
}


def _offset(query: str, line: int, column: int) -> int:
    lines = query.split("\n")
    if line - 1 >= len(lines):
        return len(query)
    return sum(len(text) + 1 for text in lines[: line - 1]) + max(column - 1, 0)


def _found(query: str, offset: int) -> str:
    rest = query[offset:].lstrip()
    if not rest:
        return "the end of the query"
    word = re.match(r"[\w:?$<>\-.]+|\S", rest)
    text = word.group() if word else rest[0]
    return repr(text[:30])


def _expected(raw: str) -> str:
    body = raw.removeprefix("expected one of ").removeprefix("expected ")
    items: list[str] = []
    for token in _QUOTED.findall(body):
        words = _WORDS.get(token, f"'{token}'")
        if words not in items:
            items.append(words)
    keywords = re.findall(r"(?<![\w'\"])([A-Z][A-Z_]+)(?![\w'\"])", _QUOTED.sub("", body))
    items += [k for k in dict.fromkeys(keywords) if k not in items]
    if "'" in body and "..=" in body and "a name" not in items:
        items.append("a name")
    if not items:
        return " ".join(body.split())[:120]
    if len(items) > 8:
        items = [*items[:8], "..."]
    return ", ".join(items)


def explain_syntax_error(error: str, query: str) -> tuple[int, int, str]:
    """``(line, column, message)`` for Oxigraph's parser ``error`` on ``query``.

    Example:
        >>> error = "error at 1:24: expected one of Prefix not found, ['%']"
        >>> explain_syntax_error(error, "SELECT * { ?s a foo:bar }")
        (1, 17, "undeclared prefix 'foo:'; declare it with PREFIX foo: <...> before the query")
        >>> explain_syntax_error('error at 1:9: expected one of "{", WHERE', "ASK { ?s")[2]
        "the query ends too early; expected '{', WHERE"
    """
    match = _OX_ERROR.match(error)
    if not match:
        return 1, 1, " ".join(error.split())[:200]
    line, column, raw = int(match.group(1)), int(match.group(2)), match.group(3)
    offset = _offset(query, line, column)
    if "Prefix not found" in raw:
        head = query[:offset]
        start = max(head.rfind(c) for c in " \t\n{}()[],;/|^") + 1
        prefix = head[start:].split(":", 1)[0]
        return (
            line,
            column - (offset - start),
            (
                f"undeclared prefix '{prefix}:'; declare it with PREFIX {prefix}: <...> "
                "before the query"
            ),
        )
    if "IRI parsing failed" in raw:
        return (
            line,
            column,
            (
                f"found {_found(query, offset)}: a relative IRI needs a base; write a full IRI "
                "<http://...> or declare BASE <http://...>"
            ),
        )
    found = _found(query, offset)
    if found == "the end of the query":
        return line, column, f"the query ends too early; expected {_expected(raw)}"
    return line, column, f"found {found}; expected {_expected(raw)}"
