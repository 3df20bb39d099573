"""The ``kg`` command line (see :mod:`kg.cli.app`)."""

from __future__ import annotations

from kg.cli.app import cli, main

__all__ = ["cli", "main"]
