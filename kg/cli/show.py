"""``kg show ENTITY``: the entity card (type, identifiers with registry links, synonyms, kinds,
what it regulates and what regulates it, references, contradictions). Registered on the
``kg`` group with the viz commands; :mod:`kg.views.card` does the work."""

from __future__ import annotations

from pathlib import Path

import click

from kg.cli.options import data_option

__all__ = ["show"]


@click.command()
@click.argument("entity")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text for reading, json for programs.",
)
@data_option("describe")
def show(*, entity: str, fmt: str, data: tuple[Path, ...]) -> None:
    """Show what ENTITY is: its card.

    ENTITY is a name, synonym, identifier (HGNC:9588) or id. The card gives its type, its
    identifiers with a link to each registry, its synonyms, its kinds and what it is a kind
    of, how many entities it regulates and is regulated by (by sign), the references behind
    its assertions, and the contradictions that touch it. The same card opens when you click
    an entity in `kg viz`.
    """
    from kg.reasoning.resolve import resolve
    from kg.store.knowledge import load_knowledge
    from kg.views.card import card_dumps, card_text

    kg = load_knowledge(list(data) or None)
    node = resolve(kg.entities, entity)
    click.echo(card_dumps(kg, node) if fmt == "json" else card_text(kg, node))
