"""The named queries shipped in ``kg/queries/*.rq``."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib import resources

from kg.model.errors import NotFoundError


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
