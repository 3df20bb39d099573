"""Curation coverage: how many assertions and evidence each section and table row of the
review contributed, so gaps are visible at a glance.

The units come from the review text itself (its numbered headings and the rows of Tables 1-3),
so a section nobody curated shows up with 0. Evidence whose ``section`` matches no unit is
listed under "unmatched" (a typo in the curation, usually).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from rdflib import RDF, Graph

from kg.model.names import name_key
from kg.model.records import Evidence
from kg.model.vocab import ASSERTION, EVIDENCE, KG

__all__ = ["Unit", "coverage", "review_units"]

_HEADING = re.compile(r"^(\d+(?:\.\d+)?)\. ([A-Z].{2,90})$")
_TABLE = re.compile(r"^Table (\d)\. ")
_CITATION = re.compile(r"\[[\d,–-]+\]\s*$")


@dataclass(frozen=True)
class Unit:
    """A section or table row of the review and what was curated from it."""

    kind: str  # section | table | references | unmatched
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


def coverage(graph: Graph, evidence: Mapping[str, Evidence], review_text: str) -> list[Unit]:
    """Counts per review unit, then reference-list titles, then unmatched sections."""
    by_section: dict[str, set[str]] = defaultdict(set)
    counts: dict[str, int] = defaultdict(int)
    for assertion in graph.subjects(RDF.type, KG.Assertion):
        aid = str(assertion).removeprefix(str(ASSERTION))
        for node in graph.objects(assertion, KG.evidence):
            record = evidence.get(str(node).removeprefix(str(EVIDENCE)))
            if record is not None:
                key = name_key(record.section)
                by_section[key].add(aid)
                counts[key] += 1
    units, used = [], set()
    for kind, name, keys in review_units(review_text):
        matched = {name_key(k) for k in keys} & set(by_section)
        used |= matched
        assertions = set().union(*(by_section[k] for k in matched)) if matched else set()
        units.append(Unit(kind, name, len(assertions), sum(counts[k] for k in matched)))
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
