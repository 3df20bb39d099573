"""Command-line commands for viz (registered on the ``kg`` group by :mod:`kg.cli`)."""

from __future__ import annotations

import click

__all__ = ["COMMANDS"]

COMMANDS: list[click.Command] = []
