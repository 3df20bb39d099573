"""Parse the review's numbered reference list from its text.

The list is printed MDPI-style, one entry per line::

    20. Cheng, X.; ... Mesenchymal stem cells deliver ... *J. Cell. Mol. Med.* **2018**,
    *22*, 261–276. [[CrossRef](#)]

(one line in the text; wrapped here)

Example:
    >>> refs = parse_references("References\\n\\n1. Zheng, C.-J.; Chen, J. Disc degeneration "
    ...     "implies low back pain. *Theor. Biol. Med. Model.* **2015**, *12*, 24. [[CrossRef](#)]")
    >>> refs[0].authors, refs[0].year, refs[0].journal
    ('Zheng, C.-J.; Chen, J.', 2015, 'Theor. Biol. Med. Model.')
"""

from __future__ import annotations

import re

from kg.model.errors import KGError
from kg.model.records import Reference

__all__ = ["parse_references"]

_INITIALS = r"(?:[A-Z][a-z]?\.(?:-[A-Za-z][a-z]?\.)?)+(?:, Jr\.)?"
_AUTHOR = rf"[^;.*]+?, {_INITIALS}"
_HEAD = re.compile(rf"^(?P<number>\d+)\. (?P<authors>{_AUTHOR}(?:; {_AUTHOR})*) (?P<rest>.*)$")
_SOURCE = re.compile(
    r"^(?P<title>.+?)[.]? \*(?P<journal>[^*]+)\* \*\*(?P<year>\d{4})\*\*"
    r"(?:, \*(?P<volume>[^*]+)\*(?P<supplement>[^,]*))?(?:, (?P<pages>[^\[]+?))?\.(?: \[.*)?$"
)


def parse_references(text: str) -> list[Reference]:
    """Return the numbered entries after the ``References`` heading, in order.

    Raises:
        KGError: an entry does not have the expected shape, or the numbering has a gap.
    """
    _, sep, tail = text.partition("\nReferences\n")
    if not sep:
        tail = text.partition("References\n")[2]
    refs: list[Reference] = []
    for raw in tail.splitlines():
        line = raw.strip()
        if re.match(r"^\d+\. ", line):
            refs.append(_parse_entry(line))
    for expected, ref in enumerate(refs, start=1):
        if ref.number != expected:
            raise KGError(f"reference list: expected entry {expected}, found {ref.number}")
    return refs


def _parse_entry(line: str) -> Reference:
    head = _HEAD.match(line)
    if head is None:
        raise KGError(f"reference entry has no author list: {line[:80]}")
    source = _SOURCE.match(head["rest"])
    if source is None:
        raise KGError(f"reference {head['number']} has no journal/year: {line[:80]}")
    volume = source["volume"]
    if volume and source["supplement"]:
        volume += source["supplement"]
    return Reference(
        number=int(head["number"]),
        authors=head["authors"],
        title=source["title"].strip(),
        journal=source["journal"].strip(),
        year=int(source["year"]),
        volume=volume.strip() if volume else None,
        pages=source["pages"].strip() if source["pages"] else None,
        text=line,
    )
