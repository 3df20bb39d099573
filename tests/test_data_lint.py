"""Lint rules over the curated tables themselves (bioregistry style: the data is the source of
truth, and tests keep it honest). Each rule is a function from the tables to its problems;
each is checked on the shipped tables and shown to fail on a planted bad row in a copy."""

from __future__ import annotations

import re
import shutil
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib import RDFS, URIRef

from kg.curation.build import entity_classes
from kg.curation.tables import ASSERTION_COLUMNS, ENTITY_COLUMNS, Curation, read_curation
from kg.model import shipped
from kg.model.names import name_key
from kg.model.records import Assertion, Level, Relation
from kg.model.vocab import KG
from kg.store import rdf

Rule = Callable[[Curation], list[str]]

_OPPOSITES = (
    ("survival", "death"),
    ("survive", "die"),
    ("anabolic", "catabolic"),
    ("anabolism", "catabolism"),
    ("synthesis", "degradation"),
    ("increase", "decrease"),
    ("activation", "inhibition"),
    ("agonist", "antagonist"),
    ("upregulation", "downregulation"),
)
_PREFIXES = (("pro", "anti"),)


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z]+", text.lower()))


def _prefixed(text: str) -> set[tuple[str, str]]:
    """(prefix, stem) of words like 'pro-inflammatory', 'anti-inflammatory', 'proapoptotic'."""
    found = set()
    for prefix, _ in _PREFIXES + tuple((b, a) for a, b in _PREFIXES):
        for stem in re.findall(rf"\b{prefix}-?([a-z]{{4,}})", text.lower()):
            found.add((prefix, stem))
    return found


def opposite_synonyms(curation: Curation) -> list[str]:
    """No synonym means the opposite of its entity's label (survival/death, pro-/anti-...)."""
    problems = []
    pairs = _OPPOSITES + tuple((b, a) for a, b in _OPPOSITES)
    for entity in curation.entities.values():
        label_words, label_prefixed = _words(entity.label), _prefixed(entity.label)
        for synonym in entity.synonyms:
            words = _words(synonym)
            for one, other in pairs:
                if one in label_words and other in words and other not in label_words:
                    problems.append(f"{entity.id}: synonym {synonym!r} is the opposite of {one!r}")
            for prefix, stem in _prefixed(synonym):
                flipped = {"pro": "anti", "anti": "pro"}[prefix]
                if (flipped, stem) in label_prefixed and (prefix, stem) not in label_prefixed:
                    problems.append(f"{entity.id}: synonym {synonym!r} flips {flipped}-{stem}")
    return problems


def _class_level(curation: Curation) -> set[str]:
    return {e.id for e in curation.entities.values() if "class-level" in (e.note or "")}


def class_level_subjects(curation: Curation) -> list[str]:
    """No class-level entity (its note says 'class-level': microRNA, exosome) is the subject
    of a signed assertion: a class as a whole does not increase or decrease anything."""
    classes = _class_level(curation)
    return [
        f"{a.id}: class-level subject {a.subject!r} of a signed assertion"
        for a in curation.assertions
        if a.subject in classes and a.relation.sign != 0
    ]


def signed_beside_unsigned(curation: Curation) -> list[str]:
    """No signed and unsigned assertion for one (subject, object) pair, unless a note of the
    unsigned one names the signed one (saying why both are kept)."""
    by_pair: dict[tuple[str, str], list[Assertion]] = defaultdict(list)
    for a in curation.assertions:
        by_pair[(a.subject, a.object)].append(a)
    problems = []
    for group in by_pair.values():
        signed = [a for a in group if a.relation.sign != 0]
        for unsigned in (a for a in group if a.relation.sign == 0):
            notes = " ".join(e.note or "" for e in unsigned.evidence)
            for other in signed:
                if other.id not in notes:
                    problems.append(
                        f"{unsigned.id}: unsigned beside signed {other.id}, no note why"
                    )
    return problems


def _therapies() -> frozenset[str]:
    ontology = rdf.load([shipped.ontology_file()])
    return frozenset(
        str(c).removeprefix(str(KG._NS))
        for c in ontology.transitive_subjects(RDFS.subClassOf, KG.Therapy)
        if isinstance(c, URIRef)
    )


def therapy_objects(curation: Curation) -> list[str]:
    """A therapy is not the object of a signed effect of something that is not a therapy
    (a stressor impairs the transplanted cells or their function, not 'the therapy')."""
    therapies = _therapies()
    types = {e.id: e.type for e in curation.entities.values()}
    return [
        f"{a.id}: therapy {a.object!r} is the object of an effect of {a.subject!r}"
        for a in curation.assertions
        if a.relation.sign != 0 and types[a.object] in therapies
        and types[a.subject] not in therapies
    ]  # fmt: skip


def _tokens(name: str) -> tuple[str, ...]:
    return tuple(t for t in re.split(r"[^0-9a-zα-ω]+", name.lower()) if t)


def _contains(inner: tuple[str, ...], outer: tuple[str, ...]) -> bool:
    n = len(inner)
    return 0 < n < len(outer) and any(outer[i : i + n] == inner for i in range(len(outer) - n + 1))


def one_node_per_thing(curation: Curation) -> list[str]:
    """One node for one thing: no two entities share a name (label or synonym, compared as kg
    resolves names); and no evidence (same quote and section) supports the same relation and
    object from two subjects when one's name is part of the other's (MSCs / MSC
    transplantation) and no kindOf or derivedFrom link says they differ."""
    problems = []
    owner: dict[str, str] = {}
    for e in curation.entities.values():
        for name in {e.label, *e.synonyms}:
            key = name_key(name)
            if key in owner and owner[key] != e.id:
                problems.append(f"{e.id} and {owner[key]} share the name {name!r}")
            owner.setdefault(key, e.id)
    linked = {
        frozenset((a.subject, a.object))
        for a in curation.assertions
        if a.relation in (Relation.KIND_OF, Relation.DERIVED_FROM)
    }
    names = {e.id: [_tokens(n) for n in (e.label, *e.synonyms)] for e in curation.entities.values()}
    seen: dict[tuple[str, str, str, str], set[str]] = defaultdict(set)
    for a in curation.assertions:
        for ev in a.evidence:
            seen[(ev.quote, ev.section, a.relation.value, a.object)].add(a.subject)
    for (_, section, relation, obj), subjects in seen.items():
        for one in subjects:
            for other in subjects - {one}:
                if frozenset((one, other)) in linked:
                    continue
                if any(_contains(i, o) for i in names[one] for o in names[other]):
                    problems.append(
                        f"{one} and {other} hold the same evidence ({section}, {relation} {obj})"
                    )
    return problems


def as_printed_linked(curation: Curation) -> list[str]:
    """Every as-printed reading belongs to an assertion linked by contradicts (either way) to
    an assertion holding a corrected reading."""
    by_id = {a.id: a for a in curation.assertions}
    partners: dict[str, set[str]] = defaultdict(set)
    for a in curation.assertions:
        for other in a.contradicts:
            partners[a.id].add(other)
            partners[other].add(a.id)
    problems = []
    for a in curation.assertions:
        if not any(e.level is Level.AS_PRINTED for e in a.evidence):
            continue
        if not any(
            e.level is Level.CORRECTED for other in partners[a.id] for e in by_id[other].evidence
        ):
            problems.append(f"{a.id}: as-printed reading not linked to a corrected one")
    return problems


RULES: tuple[Rule, ...] = (
    opposite_synonyms,
    class_level_subjects,
    signed_beside_unsigned,
    therapy_objects,
    one_node_per_thing,
    as_printed_linked,
)


def _read(directory: Path) -> Curation:
    ontology = rdf.load([shipped.ontology_file()])
    return read_curation(directory, entity_classes(ontology))


@pytest.fixture(scope="module")
def shipped_curation() -> Curation:
    return _read(shipped.data_dir() / "curation")


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.__name__)
def test_shipped_tables_pass(rule: Rule, shipped_curation: Curation) -> None:
    assert rule(shipped_curation) == []


def _row(columns: tuple[str, ...], **cells: str) -> str:
    row = dict.fromkeys(columns, "")
    row.update(cells)
    return "\t".join(row[c] for c in columns)


QUOTE = "Thus, minimizing cell death has been explored as an important therapeutic approach"
PLANTED: dict[str, tuple[list[str], list[str]]] = {
    # rule name: (entity rows, assertion rows) appended to a copy of the shipped tables
    "opposite_synonyms": (
        [_row(ENTITY_COLUMNS, id="death2", type="BiologicalProcess", label="necrotic death",
              synonyms="cell survival")],
        [],
    ),
    "class_level_subjects": (
        [],
        [_row(ASSERTION_COLUMNS, assertion="bad", subject="microRNA", relation="decreases",
              object="apoptosis", quote=QUOTE, section="8.2", citation_printed="[146]",
              reference="141", citation_note="planted")],
    ),
    "signed_beside_unsigned": (
        [],
        [_row(ASSERTION_COLUMNS, assertion="bad", subject="miR-21", relation="regulates",
              object="apoptosis", quote=QUOTE, section="8.2", citation_printed="[20]")],
    ),
    "therapy_objects": (
        [],
        [_row(ASSERTION_COLUMNS, assertion="bad", subject="acidic-pH", relation="decreases",
              object="cell-therapy", quote=QUOTE, section="8.2", citation_printed="[6]")],
    ),
    "one_node_per_thing": (
        [_row(ENTITY_COLUMNS, id="MSC-therapy", type="CellTherapy", label="MSC therapy")],
        [_row(ASSERTION_COLUMNS, assertion="bad", subject="MSC-therapy", relation="decreases",
              object="IVDD", quote="MSC transplantation in the degenerated environment of the "
              "IVD shows promising results by restoring homeostasis in the disc", section="5",
              citation_printed="[69]")],
    ),
    "as_printed_linked": (
        [],
        [_row(ASSERTION_COLUMNS, assertion="bad", subject="miR-21", relation="increases",
              object="apoptosis", quote=QUOTE, section="8.2", citation_printed="[6]",
              level="as-printed", inference_reason="planted")],
    ),
}  # fmt: skip


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.__name__)
def test_rule_fails_on_a_planted_bad_row(rule: Rule, tmp_path: Path) -> None:
    tables = tmp_path / "curation"
    shutil.copytree(shipped.data_dir() / "curation", tables)
    entities, assertions = PLANTED[rule.__name__]
    for name, rows in (("entities.tsv", entities), ("assertions.tsv", assertions)):
        with (tables / name).open("a", encoding="utf-8") as handle:
            handle.writelines(f"{row}\n" for row in rows)
    problems = rule(_read(tables))
    assert problems, rule.__name__
    planted_ids = {"death2", "bad", "MSC-therapy"}
    assert all(any(i in p for i in planted_ids) for p in problems), problems
