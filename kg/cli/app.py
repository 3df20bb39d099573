"""The ``kg`` command line: the click group, and the one place that turns errors into text.

Errors the user can fix (:class:`kg.model.errors.KGError`) become one line on stderr and a
non-zero exit code; no traceback. The commands live in one module per family
(:mod:`kg.cli.curation`, :mod:`kg.cli.reasoning`, :mod:`kg.cli.sparql`, :mod:`kg.cli.viz`,
:mod:`kg.cli.export`, :mod:`kg.cli.predict`); :data:`FAMILIES` says which command is where, so
that a run imports only its own command's module (``kg trace`` never loads the SPARQL server
or the importers).
"""

from __future__ import annotations

import contextlib
import errno
import importlib
import os
import sys
from typing import IO, Any

import click

from kg.model.errors import KGError

__all__ = ["FAMILIES", "cli", "main"]

#: Each command's module (a test checks this against every module's ``COMMANDS``).
FAMILIES: dict[str, str] = {
    **dict.fromkeys(["validate", "stats", "build", "coverage", "import"], "kg.cli.curation"),
    **dict.fromkeys(["trace", "upstream", "downstream", "conflicts"], "kg.cli.reasoning"),
    **dict.fromkeys(["sparql", "serve", "push"], "kg.cli.sparql"),
    **dict.fromkeys(["viz", "show"], "kg.cli.viz"),
    "export": "kg.cli.export",
    **dict.fromkeys(["predict", "explain"], "kg.cli.predict"),
}


class _UserError(click.ClickException):
    """A :class:`KGError` shown as one line, with the error's own exit code."""

    def __init__(self, error: KGError) -> None:
        super().__init__(str(error))
        self.exit_code = error.exit_code  # type: ignore[misc]

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(f"kg: error: {self.format_message()}", err=True, file=file)


class _UsageLine(click.UsageError):
    """A click usage error (a bad option value...) shown as one line with a pointer to --help."""

    def __init__(self, error: click.UsageError) -> None:
        super().__init__(error.format_message(), error.ctx)
        self.exit_code = error.exit_code  # type: ignore[misc]

    def show(self, file: IO[Any] | None = None) -> None:
        command = self.ctx.command_path if self.ctx is not None else "kg"
        message = " ".join(self.format_message().split())
        click.echo(f"kg: error: {message} (see '{command} --help')", err=True, file=file)


_OUTPUT_ERRNOS = frozenset({errno.ENOSPC, errno.EIO, errno.EFBIG, errno.EDQUOT})


def _silence_stdout() -> None:
    """Point file descriptor 1 at /dev/null so the exit-time flush of unwritten output cannot
    fail a second time (and print a traceback)."""
    try:
        fd = sys.stdout.fileno()
    except (OSError, ValueError):
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, fd)
    os.close(devnull)


def _as_user_error(exc: BaseException) -> KGError | None:
    """The one-line error for a failure that bad input can cause outside kg's own checks."""
    if isinstance(exc, RecursionError):
        return KGError(
            "the input is nested too deeply to read (thousands of levels of brackets or "
            "lists); flatten it"
        )
    if isinstance(exc, UnicodeEncodeError):
        return KGError(
            f"the output's encoding ({exc.encoding}) cannot write "
            f"{exc.object[exc.start : exc.end]!r}; set PYTHONIOENCODING=utf-8"
        )
    if isinstance(exc, UnicodeDecodeError):
        return KGError(
            f"an input file is not UTF-8 text (byte {exc.object[exc.start]:#04x} at offset "
            f"{exc.start}); save it as UTF-8"
        )
    if isinstance(exc, OSError) and exc.errno != errno.EPIPE:
        if exc.filename is None and exc.errno in _OUTPUT_ERRNOS:
            _silence_stdout()
            return KGError(
                f"cannot write standard output: {exc.strerror}; free some space or send the "
                "output elsewhere"
            )
        where = f"{exc.filename}: " if exc.filename else ""
        return KGError(f"{where}{exc.strerror or exc}")
    return None


class _Group(click.Group):
    """Turns kg errors raised by any command, and bad option values, into one-line messages;
    loads a command's module only when that command is asked for."""

    def list_commands(self, ctx: click.Context) -> list[str]:  # noqa: ARG002 - click's signature
        return sorted(FAMILIES)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:  # noqa: ARG002
        if cmd_name not in FAMILIES:
            return None
        commands: list[click.Command] = importlib.import_module(FAMILIES[cmd_name]).COMMANDS
        return next(c for c in commands if c.name == cmd_name)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KGError as exc:
            raise _UserError(exc) from None
        except click.UsageError as exc:
            if isinstance(exc, _UsageLine):
                raise
            raise _UsageLine(exc) from None
        except (RecursionError, UnicodeError, OSError) as exc:
            error = _as_user_error(exc)
            if error is None:
                raise
            raise _UserError(error) from None


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="kg-ivd", prog_name="kg")
def cli() -> None:
    """kg: mechanisms of MSC-exosome therapy for intervertebral disc degeneration.

    A knowledge graph curated from Bhujel et al. 2022 (Int. J. Mol. Sci. 23, 7306), where
    every signed edge carries its quote, section and reference.
    """


def main() -> None:
    """Console entry point (``kg``, ``python -m kg``): runs the command, flushes what it
    printed and ends the process without the interpreter's teardown. By then every file a
    command writes is complete and closed (they are written whole and renamed into place);
    the teardown would only free memory, a tenth of a shipped ``kg trace``."""
    try:
        cli.main()
        code: str | int | None = 0
    except SystemExit as done:
        code = done.code
    if isinstance(code, str):
        click.echo(code, err=True)  # what ``sys.exit(message)`` would print
        code = 1
    try:
        sys.stdout.flush()
    except BrokenPipeError:  # the reader left: nothing more to say
        pass
    except (OSError, ValueError) as exc:  # click.echo flushes, so this is rare
        click.echo(f"kg: error: cannot write standard output: {exc}", err=True)
        code = code or 1
    with contextlib.suppress(OSError, ValueError):
        sys.stderr.flush()
    if _observed():
        sys.exit(code)  # a profiler or coverage writes its report at exit: let it
    os._exit(code or 0)


def _observed() -> bool:
    """Whether a profiler, tracer or coverage tool watches this process."""
    if sys.gettrace() is not None or sys.getprofile() is not None:
        return True
    monitoring = getattr(sys, "monitoring", None)  # Python 3.12+: coverage's sys.monitoring
    return monitoring is not None and any(monitoring.get_tool(i) for i in range(6))
