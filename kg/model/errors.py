"""The exceptions kg raises on purpose. The CLI turns each into one line on stderr.

Every error carries the exit code the CLI should use and a message that says what is wrong
and, where it can, how to fix it.
"""

from __future__ import annotations

__all__ = [
    "CurationError",
    "KGError",
    "NotFoundError",
    "TurtleSyntaxError",
    "UsageError",
]


class KGError(Exception):
    """Base class: a problem with the user's input or data, not a bug in kg."""

    exit_code = 1


class TurtleSyntaxError(KGError):
    """A Turtle file does not parse. ``str()`` is ``file:line: message``."""

    def __init__(self, path: str, line: int | None, message: str) -> None:
        self.path = path
        self.line = line
        self.message = message
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: {message}")


class CurationError(KGError):
    """A row of a curation TSV is malformed. ``str()`` is ``file:line: message``."""

    def __init__(self, path: str, line: int, message: str) -> None:
        self.path = path
        self.line = line
        self.message = message
        super().__init__(f"{path}:{line}: {message}")


class UsageError(KGError):
    """Options that cannot go together or make no sense (same source and target, ...)."""

    exit_code = 2


class NotFoundError(KGError):
    """A file or directory the user named does not exist."""

    exit_code = 2
