"""Command-line commands for SPARQL: ``kg sparql``, ``kg serve``, ``kg push`` (issue 5).

Registered on the ``kg`` group by :mod:`kg.cli`.
"""

from __future__ import annotations

import click

__all__ = ["COMMANDS"]

COMMANDS: list[click.Command] = []
