"""Import records from outside the review (miRTarBase downloads, kg's own curation TSV, INDRA
Statements JSON) into one Turtle file.

Every format is validated row by row, or statement by statement
(:mod:`kg.curation.mirtarbase`, :mod:`kg.curation.tsv`, :mod:`kg.curation.indra`);
:func:`import_file` either refuses the whole file (the default: nothing is written) or, with
``skip_bad``, imports the good rows and returns the skipped ones.
The output holds everything its assertions name (entities, organisms, studies, references,
PubMed records), so it validates on its own and merges with the shipped data.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph

from kg.curation.imported import BadRowsError, Format, Imported, Progress
from kg.curation.mirtarbase import read_mirtarbase
from kg.curation.tsv import read_tsv
from kg.model.errors import KGError
from kg.store import provenance, rdf

__all__ = ["import_file", "to_graph"]


_PROGRESS_EVERY = 1000


def to_graph(
    imported: Imported, *, store: rdf.Store = "memory", progress: Progress | None = None
) -> Graph:
    """The RDF of an import: its entities, studies, references and assertions."""
    graph = rdf.new_graph(store)
    for entity in imported.entities.values():
        provenance.add_entity(graph, entity)
    for reference in imported.references.values():
        provenance.add_reference(graph, reference)
    for study in imported.studies.values():
        provenance.add_study(graph, study)
    total = len(imported.assertions)
    for done, assertion in enumerate(imported.assertions, start=1):
        provenance.add_assertion(graph, assertion)
        if progress is not None and (done % _PROGRESS_EVERY == 0 or done == total):
            progress(done, total)
    return graph


def import_file(
    path: Path,
    *,
    fmt: Format,
    out: Path,
    skip_bad: bool = False,
    entities_file: Path | None = None,
    progress: Progress | None = None,
) -> Imported:
    """Validate ``path`` row by row and write its graph to ``out`` (atomically).

    Raises:
        BadRowsError: some rows are bad and ``skip_bad`` is false; nothing is written.
        KGError: no good row is left to import; nothing is written.
        CurationError: the file's header is not that of ``fmt``.
        NotFoundError: the file does not exist.
    """
    if fmt != "tsv" and entities_file is not None:
        raise KGError("--entities applies to --format tsv only")
    if fmt == "mirtarbase":
        imported = read_mirtarbase(path)
    elif fmt == "indra":
        from kg.curation.indra import read_indra

        imported = read_indra(path)
    else:
        imported = read_tsv(path, entities_file=entities_file)
    if imported.bad and not skip_bad:
        raise BadRowsError(path, imported.bad)
    if not imported.assertions:
        raise KGError(f"{path}: no good rows to import; nothing written")
    # Oxigraph's store and Turtle writer: 6.5 s instead of 21 s for 539,000 triples.
    rdf.write_turtle(to_graph(imported, store="oxigraph", progress=progress), out)
    return imported
