"""Command-line commands for export (registered on the ``kg`` group by :mod:`kg.cli`).

The library (:mod:`kg.views.export`) does the work; this module only translates options.
"""

from __future__ import annotations

from pathlib import Path

import click

from kg.cli.options import data_option

__all__ = ["COMMANDS"]

# The same tuple as kg.views.export.FORMATS, spelled out so that importing the CLI stays cheap.
_FORMATS = ("ttl", "nt", "jsonld", "graphml", "nodelink", "tsv", "indra", "bel", "kgx", "cx2")


@click.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(_FORMATS),
    required=True,
    help="ttl, nt, jsonld: the RDF graph. graphml (Cytoscape; plain attribute values), "
    "nodelink (networkx JSON, evidence nested): the mechanism network. tsv: one row per "
    "assertion × evidence. indra (INDRA Statements JSON), bel (BEL script for PyBEL), kgx "
    "(Biolink KGX nodes/edges TSV; --out BASE), cx2 (NDEx, Cytoscape; with a style).",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=None,
    help="Write to this file (atomically) instead of standard output; kgx: BASE of "
    "BASE_nodes.tsv and BASE_edges.tsv (required).",
)
@data_option("export")
@click.option(
    "--with-ontology",
    is_flag=True,
    help="ttl, nt, jsonld: include the vocabulary (ontology/kg.ttl) in the output.",
)
def export(fmt: str, out: Path | None, data: tuple[Path, ...], with_ontology: bool) -> None:
    """Export the graph as RDF, a network, a table, or in INDRA, BEL, KGX or CX2 form.

    The network formats hold the mechanism graph: entities as nodes, assertions as edges
    (edge id = assertion id) with their evidence: quotes, sections, references, study types,
    species, cell types, evidence level and flags. Several values in one GraphML attribute
    or TSV cell are joined with " | ".

    \b
    Examples:
      kg export --format ttl --with-ontology --out kg.ttl
      kg export --format graphml --out kg.graphml    # File > Import > Network in Cytoscape
      kg export --format tsv > evidence.tsv
      kg export --format indra --out kg.indra.json  # indra.statements.stmts_from_json
      kg export --format kgx --out kg               # kg_nodes.tsv, kg_edges.tsv
    """
    from kg.model import shipped
    from kg.model.errors import UsageError
    from kg.store import rdf
    from kg.views.export import RDF_FORMATS, export_kgx, write_atomic
    from kg.views.export import export as run

    if with_ontology and fmt not in RDF_FORMATS:
        raise UsageError(f"--with-ontology applies to {', '.join(RDF_FORMATS)}, not {fmt}")
    files = list(data) or shipped.data_files()
    if with_ontology:
        files = [shipped.ontology_file(), *files]
    if fmt == "kgx":
        if out is None:
            raise UsageError("kgx writes two files: give --out BASE")
        for path in export_kgx(rdf.load(files), out):
            click.echo(f"wrote {path}", err=True)
        return
    text = run(rdf.load(files), fmt)
    if out is None:
        click.echo(text, nl=False)
    else:
        write_atomic(text, out)


COMMANDS: list[click.Command] = [export]
