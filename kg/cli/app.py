"""The ``kg`` command line: the click group, and the one place that turns errors into text.

Errors the user can fix (:class:`kg.model.errors.KGError`) become one line on stderr and a
non-zero exit code; no traceback. The commands live in one module per family
(:mod:`kg.cli.curation`, :mod:`kg.cli.reasoning`, :mod:`kg.cli.sparql`, :mod:`kg.cli.viz`,
:mod:`kg.cli.export`) and are registered here.
"""

from __future__ import annotations

from typing import IO, Any

import click

from kg.model.errors import KGError

__all__ = ["cli", "main"]


class _UserError(click.ClickException):
    """A :class:`KGError` shown as one line, with the error's own exit code."""

    def __init__(self, error: KGError) -> None:
        super().__init__(str(error))
        self.exit_code = error.exit_code  # type: ignore[misc]

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(f"kg: error: {self.format_message()}", err=True, file=file)


class _Group(click.Group):
    """Turns kg errors raised by any command into one-line messages."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KGError as exc:
            raise _UserError(exc) from None


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="kg-ivd", prog_name="kg")
def cli() -> None:
    """kg: mechanisms of MSC-exosome therapy for intervertebral disc degeneration.

    A knowledge graph curated from Bhujel et al. 2022 (Int. J. Mol. Sci. 23, 7306), where
    every signed edge carries its quote, section and reference.
    """


def _register() -> None:
    from kg.cli.curation import COMMANDS as CURATION_COMMANDS
    from kg.cli.export import COMMANDS as EXPORT_COMMANDS
    from kg.cli.predict import COMMANDS as PREDICT_COMMANDS
    from kg.cli.reasoning import COMMANDS as REASONING_COMMANDS
    from kg.cli.sparql import COMMANDS as SPARQL_COMMANDS
    from kg.cli.viz import COMMANDS as VIZ_COMMANDS

    for command in (
        *CURATION_COMMANDS,
        *REASONING_COMMANDS,
        *SPARQL_COMMANDS,
        *VIZ_COMMANDS,
        *EXPORT_COMMANDS,
        *PREDICT_COMMANDS,
    ):
        cli.add_command(command)


_register()


def main() -> None:
    """Console entry point."""
    cli()
