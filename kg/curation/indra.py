"""Import INDRA Statements JSON: each signed Statement one assertion, each INDRA Evidence one
kg evidence with its provenance.

``Activation`` and ``IncreaseAmount`` become ``increases``, ``Inhibition`` and
``DecreaseAmount`` ``decreases`` (or the kg relation an evidence's ``kg_relation`` annotation
names, when its sign agrees: kg's own export round-trips exactly). An agent is reconciled
with kg's entities: grounded (``db_refs``) to an identifier exactly one kg entity has (HGNC,
MIRBASE, GO, MESH, FPLX, in that order), it is that entity; else the entity its ``KG``
reference names; else the one whose label or synonym is its name; otherwise a new entity
(id = the name made safe) with the groundings that kg's identifier tables confirm as xrefs,
the others in its note, typed by its grounding (HGNC gene or protein, MIRBASE microRNA, FPLX
protein family or complex, otherwise biological process). Every evidence keeps its source
(``source_api``), record (``source_id``), text (the quote; a source without text is quoted as
its record), PubMed id and, from kg's own annotations, the section, species, cell types and
exosome origins. Statements of other types, or without agents or evidence, are rejected
one by one (``FILE:#N: message``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from kg.curation.imported import Ids, Imported, name_index, safe_id, shipped_curation
from kg.model.errors import CurationError, KGError, NotFoundError
from kg.model.identifiers import load_tables
from kg.model.names import name_key
from kg.model.records import Assertion, Entity, Evidence, Reference, Relation

__all__ = ["SIGNS", "StatementError", "read_indra"]

SIGNS = {"Activation": 1, "IncreaseAmount": 1, "Inhibition": -1, "DecreaseAmount": -1}
"""INDRA Statement types kg imports, with their sign."""

_DEFAULT = {1: Relation.INCREASES, -1: Relation.DECREASES}
# INDRA namespace -> (kg CURIE prefix, whether INDRA keeps the prefix in the id, new type)
_GROUNDINGS = {
    "HGNC": ("HGNC", False, "GeneOrProtein"),
    "MIRBASE": ("mirbase", False, "MicroRNA"),
    "GO": ("GO", True, "BiologicalProcess"),
    "MESH": ("mesh", False, "BiologicalProcess"),
    "FPLX": ("fplx", False, "ProteinFamilyOrComplex"),
}
_FIELDS = {"species": "species", "cell_types": "cell_types", "exosome_origins": "exosome_origins"}


class StatementError(CurationError):
    """A rejected statement: ``str()`` is ``file:#N: message`` (N counts statements from 1)."""

    def __init__(self, path: str, number: int, message: str) -> None:
        self.path = path
        self.line = number
        self.message = message
        KGError.__init__(self, f"{path}:#{number}: {message}")


class _RejectedError(Exception):
    """Why one statement cannot be imported (becomes a :class:`StatementError`)."""


def _curie(namespace: str, identifier: str) -> str | None:
    spec = _GROUNDINGS.get(namespace)
    if spec is None or not identifier:
        return None
    prefix, keeps, _ = spec
    return identifier if keeps else f"{prefix}:{identifier}"


class _Builder:
    def __init__(
        self, path: Path, known: dict[str, Entity], references: dict[int, Reference]
    ) -> None:
        self.path = path
        self.known = known
        self.references = references
        self.cited: dict[int, Reference] = {}
        self.tables = load_tables()
        owners: dict[str, set[str]] = {}
        for entity in known.values():
            for xref in entity.xrefs:
                owners.setdefault(xref, set()).add(entity.id)
        self.by_xref = {x: next(iter(ids)) for x, ids in owners.items() if len(ids) == 1}
        self.by_name = name_index(known, frozenset(e.type for e in known.values()))
        self.organisms = name_index(known, frozenset({"Organism"}))
        self.entities: dict[str, Entity] = {}
        self.new_of: dict[str, str] = {}
        self.entity_ids = Ids(set(known))
        self.evidence_ids = Ids(set())
        self.assertion_ids = Ids(set())
        self.edges: dict[tuple[str, Relation, str], list[Evidence]] = {}

    def _known(self, agent: Mapping[str, Any]) -> str | None:
        refs = agent.get("db_refs") or {}
        for namespace in _GROUNDINGS:
            curie = _curie(namespace, str(refs.get(namespace) or ""))
            if curie is not None and curie in self.by_xref:
                return self.by_xref[curie]
        own = refs.get("KG")
        if isinstance(own, str) and own in self.known:
            return own
        return self.by_name.get(name_key(str(agent["name"])))

    def _new(self, agent: Mapping[str, Any]) -> str:
        name = " ".join(str(agent["name"]).split())
        key = name_key(name)
        if key in self.new_of:
            return self.new_of[key]
        refs = {str(k): str(v) for k, v in (agent.get("db_refs") or {}).items() if k != "TEXT"}
        xrefs: list[str] = []
        others: list[str] = []
        kind = "BiologicalProcess"
        for namespace, identifier in refs.items():
            curie = _curie(namespace, identifier)
            if curie is not None and self.tables.lookup(curie) is not None:
                if not xrefs:
                    kind = _GROUNDINGS[namespace][2]
                xrefs.append(curie)
            elif namespace != "KG":
                others.append(f"{namespace}:{identifier}")
        note = "Imported from INDRA" + (
            f"; groundings not in kg's tables: {', '.join(others)}" if others else ""
        )
        entity = Entity(
            id=self.entity_ids.new(safe_id(name)),
            type=kind,
            label=name,
            xrefs=tuple(xrefs),
            note=note,
        )
        self.entities[entity.id] = entity
        self.new_of[key] = entity.id
        return entity.id

    def _agent(self, agent: Any, role: str) -> str:
        if not isinstance(agent, Mapping) or not str(agent.get("name") or "").strip():
            raise _RejectedError(f"no {role} agent with a name")
        found = self._known(agent)
        if found is None:
            return self._new(agent)
        self.entities[found] = self.known[found]
        return found

    def _sources(
        self, record: Mapping[str, Any], source: str, notes: Mapping[str, Any]
    ) -> tuple[list[str], list[int], bool]:
        """The PubMed ids and, for kg's own evidence, the review's reference numbers and whether
        it cites the review itself."""
        refs = record.get("text_refs") or {}
        pmids = [str(p) for p in (record.get("pmid"), refs.get("PMID")) if p]
        for pmid in pmids:
            if not pmid.isdigit():
                raise _RejectedError(f"non-numeric PMID {pmid!r}")
        numbers = (notes.get("reference_numbers") or []) if source == "kg" else []
        if not isinstance(numbers, list) or any(n not in self.references for n in numbers):
            raise _RejectedError(f"reference_numbers {numbers!r} are not entries of the review")
        review = source == "kg" and notes.get("cites_review") is True
        if not pmids and not numbers and not review:
            raise _RejectedError(
                "an evidence has neither a PMID nor a kg reference: kg needs its source"
            )
        for n in numbers:
            self.cited[n] = self.references[n]
        return list(dict.fromkeys(pmids)), numbers, review

    def _species(self, notes: Mapping[str, Any]) -> tuple[list[str], list[str]]:
        species, unmapped = [], []
        for label in notes.get("species") or []:
            organism = self.organisms.get(name_key(str(label)))
            if organism is None:
                unmapped.append(f"species: {label}")
            else:
                species.append(organism)
                self.entities[organism] = self.known[organism]
        return species, unmapped

    def _named(self, notes: Mapping[str, Any], field: str) -> list[str]:
        """The kg entities whose names a context annotation lists (others are dropped)."""
        found = [self.by_name.get(name_key(str(v))) for v in notes.get(field) or []]
        for node in found:
            if node is not None:
                self.entities[node] = self.known[node]
        return [n for n in found if n is not None]

    def _evidence(self, record: Any, relation: Relation) -> tuple[Evidence, Relation]:
        if not isinstance(record, Mapping):
            raise _RejectedError("an evidence is not a JSON object")
        source = str(record.get("source_api") or "").strip()
        if not source:
            raise _RejectedError("an evidence has no source_api")
        notes = record.get("annotations") or {}
        named = notes.get("kg_relation")
        if named is not None:
            try:
                candidate = Relation(str(named))
            except ValueError:
                raise _RejectedError(f"unknown kg_relation {named!r}") from None
            if candidate.causal and candidate.sign == relation.sign:
                relation = candidate
            else:
                raise _RejectedError(f"kg_relation {named!r} contradicts the statement's sign")
        record_id = str(record.get("source_id") or "").strip() or None
        pmids, numbers, review = self._sources(record, source, notes)
        text = " ".join(str(record.get("text") or "").split())
        quote = text or f"{source} record {record_id or '(no id)'}"
        species, unmapped = self._species(notes)
        context = {f: self._named(notes, f) for f in ("cell_types", "exosome_origins")}
        evidence = Evidence(
            id=self.evidence_ids.new(safe_id(f"indra-{source}-{record_id or 'evidence'}")),
            quote=quote,
            section=str(notes.get("section") or f"INDRA ({source})"),
            references=tuple(dict.fromkeys(numbers)),
            cites_review=review,
            species=tuple(dict.fromkeys(species)),
            cell_types=tuple(dict.fromkeys(context["cell_types"])),
            exosome_origins=tuple(dict.fromkeys(context["exosome_origins"])),
            context="; ".join(unmapped) or None,
            pmids=tuple(dict.fromkeys(pmids)),
            source=source,
            source_record=record_id,
        )
        return evidence, relation

    def add(self, statement: Any) -> None:
        """Add one statement, or raise _RejectedError leaving the builder as it was."""
        saved = (
            dict(self.entities),
            dict(self.new_of),
            set(self.entity_ids.taken),
            dict(self.cited),
        )
        try:
            self._add(statement)
        except _RejectedError:
            self.entities, self.new_of, self.entity_ids.taken, self.cited = saved
            raise

    def _add(self, statement: Any) -> None:
        if not isinstance(statement, Mapping):
            raise _RejectedError("not a JSON object")
        kind = statement.get("type")
        if kind not in SIGNS:
            raise _RejectedError(
                f"statement type {kind!r} has no signed kg relation; kg imports " + ", ".join(SIGNS)
            )
        subject = self._agent(statement.get("subj"), "subject")
        target = self._agent(statement.get("obj"), "object")
        records = statement.get("evidence")
        if not isinstance(records, list) or not records:
            raise _RejectedError("no evidence: kg keeps no assertion without its evidence")
        relation = _DEFAULT[SIGNS[str(kind)]]
        found = [self._evidence(r, relation) for r in records]
        for evidence, named in found:
            self.edges.setdefault((subject, named, target), []).append(evidence)

    def assertions(self) -> list[Assertion]:
        return [
            Assertion(
                id=self.assertion_ids.new(safe_id(f"indra-{s}-{r.value}-{o}")),
                subject=s,
                relation=r,
                object=o,
                evidence=tuple(evidence),
            )
            for (s, r, o), evidence in self.edges.items()
        ]


def read_indra(path: Path, *, known: dict[str, Entity] | None = None) -> Imported:
    """Read an INDRA Statements JSON file, collecting every rejected statement.

    ``known`` are the entities agents reconcile with first (default: the shipped ones).

    Raises:
        NotFoundError: the file does not exist.
        CurationError: the file is not JSON, or not a list of statements.

    Example:
        >>> import tempfile
        >>> tmp = Path(tempfile.mkdtemp()) / "stmts.json"
        >>> agent = lambda name, **refs: {"name": name, "db_refs": refs}
        >>> ev = {"source_api": "reach", "text": "miR-21 suppresses PTEN", "pmid": "19956200"}
        >>> _ = tmp.write_text(json.dumps([{"type": "Inhibition", "subj": agent("MIR21",
        ...     HGNC="31586"), "obj": agent("PTEN", HGNC="9588"), "evidence": [ev]}]))
        >>> result = read_indra(tmp)
        >>> [(a.subject, a.relation.value, a.object) for a in result.assertions]
        [('miR-21', 'decreases', 'PTEN')]
        >>> result.assertions[0].evidence[0].pmids
        ('19956200',)
    """
    if not path.is_file():
        raise NotFoundError(f"{path}: no such file")
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except json.JSONDecodeError as exc:
        raise CurationError(str(path), exc.lineno, f"not JSON: {exc.msg}") from None
    if isinstance(data, Mapping) and isinstance(data.get("statements"), list):
        data = data["statements"]
    if not isinstance(data, list):
        raise CurationError(
            str(path), 1, "not INDRA Statements JSON: expected a list of statements"
        )
    curation = shipped_curation()
    builder = _Builder(path, known if known is not None else curation.entities, curation.references)
    bad: list[CurationError] = []
    for number, statement in enumerate(data, start=1):
        try:
            builder.add(statement)
        except _RejectedError as exc:
            bad.append(StatementError(str(path), number, str(exc)))
    return Imported(
        path=path,
        rows=len(data),
        assertions=builder.assertions(),
        entities=dict(builder.entities),
        bad=tuple(bad),
        references=dict(builder.cited),
    )
