"""Curation coverage: how many assertions and evidence each section, paragraph, figure
caption and table row of the review contributed, so gaps are visible at a glance.

The units come from the review text itself (the abstract, its numbered headings, every prose
paragraph under them, the figure captions and the rows of Tables 1-3), so a paragraph nobody
curated shows up with 0. A piece of evidence counts for the paragraph of its section whose
text contains its quote. Evidence whose ``section`` matches no unit is listed under
"unmatched" (a typo in the curation, usually).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from rdflib import RDF, Graph

from kg.model.names import name_key
from kg.model.records import Evidence
from kg.model.review import normalise
from kg.model.vocab import ASSERTION, EVIDENCE, KG

__all__ = ["Unit", "coverage", "review_paragraphs", "review_units"]

_HEADING = re.compile(r"^(\d+(?:\.\d+)?)\. ([A-Z].{2,90})$")
_TABLE = re.compile(r"^Table (\d)\. ")
_FIGURE = re.compile(r"^Figure (\d)\. ")
_ABSTRACT = "Abstract: "
_BACK_MATTER = "\nAuthor Contributions:"
_PROSE_MIN = 60  # shorter untabbed lines are headings, captions' leftovers or front matter
_CITATION = re.compile(r"\[[\d,–-]+\]\s*$")


@dataclass(frozen=True)
class Unit:
    """A section or table row of the review and what was curated from it."""

    kind: str  # section | paragraph | figure | table | references | unmatched
    name: str
    assertions: int = 0
    evidence: int = 0


def review_units(text: str) -> list[tuple[str, str, tuple[str, ...]]]:
    """(kind, display name, section keys that count for it) for every heading and table row.

    Table 1 rows are also matched with their group (``IGF-1 (gene therapy)``), since the
    table lists IGF-1 twice.
    """
    body = text.split("\nReferences\n", maxsplit=1)[0]
    units: list[tuple[str, str, tuple[str, ...]]] = []
    table, group = "", ""
    for line in body.splitlines():
        if line.startswith(_ABSTRACT):
            units.append(("section", "Abstract", ("Abstract",)))
            continue
        if figure := _FIGURE.match(line):
            number = figure.group(1)
            units.append(("figure", f"Figure {number} caption", (f"Figure {number}",)))
            continue
        if (heading := _HEADING.match(line)) and "\t" not in line:
            number, title = heading.groups()
            units.append(("section", f"{number} {title}", (number,)))
            table = ""
            continue
        if caption := _TABLE.match(line):
            table = caption.group(1)
            continue
        if "\t" not in line or not table:
            continue
        cells = [c.strip() for c in line.split("\t")]
        if cells[0] in {"Biological Therapies", "Aim of Experiment"}:
            continue
        if not any(cells[1:]):
            group = cells[0]
            continue
        keys: tuple[str, ...]
        if table == "3":
            label = cells[-1]
            keys = (f"Table 3, row {label}",)
        else:
            label = cells[0]
            keys = (f"Table {table}, row {label}", f"Table {table}, row {label} ({group})")
            if table == "1":
                label = f"{label} ({group})"
        units.append(("table", f"Table {table}, row {label}", keys))
    return units


def review_paragraphs(text: str) -> dict[str, list[str]]:
    """The prose paragraphs of the abstract and of each numbered section, by section key
    (``"Abstract"``, ``"8.2"``), whitespace-normalised. A paragraph split by a page break
    (a line that does not end a sentence) is joined with the next one.

    >>> paragraphs = review_paragraphs("Abstract: One. Two.\\n\\n1. Introduction\\n\\n"
    ...     + "A first paragraph that is long enough to be prose, and goes on over\\n\\n"
    ...     + "a page break to its end.\\n"
    ...     + "A second paragraph, long enough to count as prose in a review.")
    >>> [len(paragraphs[k]) for k in ("Abstract", "1")]
    [1, 2]
    """
    body = text.split("\nReferences\n", maxsplit=1)[0].split(_BACK_MATTER, maxsplit=1)[0]
    paragraphs: dict[str, list[str]] = defaultdict(list)
    section, open_paragraph = "", False
    for line in body.splitlines():
        if not line.strip():
            continue
        if line.startswith(_ABSTRACT):
            paragraphs["Abstract"].append(normalise(line.removeprefix(_ABSTRACT)))
            section, open_paragraph = "", False  # front matter follows until section 1
            continue
        if (heading := _HEADING.match(line)) and "\t" not in line:
            section, open_paragraph = heading.group(1), False
            continue
        prose = (
            section
            and "\t" not in line
            and (open_paragraph or len(line) >= _PROSE_MIN)
            and not _TABLE.match(line)
            and not _FIGURE.match(line)
        )
        if not prose:
            open_paragraph = False
            continue
        if open_paragraph:
            paragraphs[section][-1] += " " + normalise(line)
        else:
            paragraphs[section].append(normalise(line))
        open_paragraph = not line.rstrip().endswith((".", "]", ")"))
    return dict(paragraphs)


def _paragraph_units(
    section: str,
    paragraphs: list[str],
    located: dict[str, list[tuple[str, str]]],
) -> list[Unit]:
    """One unit per paragraph of ``section``: the evidence whose quote it contains."""
    found: list[tuple[set[str], int]] = [(set(), 0) for _ in paragraphs]
    for aid, quote in located.get(name_key(section), ()):
        for index, paragraph in enumerate(paragraphs):
            if quote in paragraph:
                found[index][0].add(aid)
                found[index] = (found[index][0], found[index][1] + 1)
                break
    return [
        Unit("paragraph", f"{section} ¶{i}", len(aids), count)
        for i, (aids, count) in enumerate(found, start=1)
    ]


def coverage(graph: Graph, evidence: Mapping[str, Evidence], review_text: str) -> list[Unit]:
    """Counts per review unit (each section followed by its paragraphs), then
    reference-list titles, then unmatched sections."""
    by_section: dict[str, set[str]] = defaultdict(set)
    counts: dict[str, int] = defaultdict(int)
    located: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for assertion in graph.subjects(RDF.type, KG.Assertion):
        aid = str(assertion).removeprefix(str(ASSERTION))
        for node in graph.objects(assertion, KG.evidence):
            record = evidence.get(str(node).removeprefix(str(EVIDENCE)))
            if record is not None:
                key = name_key(record.section)
                by_section[key].add(aid)
                counts[key] += 1
                located[key].append((aid, normalise(record.quote)))
    paragraphs = review_paragraphs(review_text)
    units, used = [], set()
    for kind, name, keys in review_units(review_text):
        matched = {name_key(k) for k in keys} & set(by_section)
        used |= matched
        assertions = set().union(*(by_section[k] for k in matched)) if matched else set()
        units.append(Unit(kind, name, len(assertions), sum(counts[k] for k in matched)))
        if kind == "section":
            units += _paragraph_units(keys[0], paragraphs.get(keys[0], []), located)
    titles = sorted(k for k in by_section if k.startswith("referencesentry"))
    if titles:
        used |= set(titles)
        assertions = set().union(*(by_section[k] for k in titles))
        units.append(
            Unit(
                "references",
                "Reference-list titles",
                len(assertions),
                sum(counts[k] for k in titles),
            )
        )
    originals = {name_key(e.section): e.section for e in evidence.values()}
    for key in sorted(set(by_section) - used):
        units.append(Unit("unmatched", originals.get(key, key), len(by_section[key]), counts[key]))
    return units
