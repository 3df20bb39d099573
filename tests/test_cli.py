"""The command line: exit codes, one-line errors, no tracebacks, help for every command."""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.cli.app import FAMILIES


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kg", *args], capture_output=True, text=True, check=False
    )


def test_validate_shipped_data_exits_zero() -> None:
    result = CliRunner().invoke(cli, ["validate"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("ok: 2 file(s)")


def test_validate_json() -> None:
    result = CliRunner().invoke(cli, ["validate", "--format", "json"])
    payload = json.loads(result.output)
    assert payload["ok"] is True
    assert payload["problems"] == []


def test_stats_prints_counts() -> None:
    result = CliRunner().invoke(cli, ["stats", "--format", "json"])
    assert result.exit_code == 0
    counts = json.loads(result.output)
    assert counts["totals"]["references"] == 171
    assert counts["totals"]["assertions"] > 0
    assert set(counts) == {"totals", "entity types", "relations", "evidence levels", "study types"}
    text = CliRunner().invoke(cli, ["stats"]).output
    assert "entity types:" in text
    assert "MicroRNA" in text


def test_syntax_error_is_one_line_without_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text('@prefix ex: <http://ex/> .\nex:a ex:b "open .\n')
    result = _run("validate", str(bad))
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert lines == [f"{bad}:2: Unexpected end of file (column 11)"]
    assert "Traceback" not in result.stderr + result.stdout


def test_missing_file_is_one_line_exit_2(tmp_path: Path) -> None:
    result = _run("validate", str(tmp_path / "nope.ttl"))
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"kg: error: {tmp_path / 'nope.ttl'}: no such file"
    ]


def test_unknown_option_is_a_usage_error() -> None:
    result = _run("stats", "--formt", "json")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "--formt" in result.stderr


def test_build_reports_bad_curation_row(tmp_path: Path) -> None:
    data = tmp_path / "data"
    (data / "curation").mkdir(parents=True)
    (data / "review").mkdir()
    (data / "review" / "bhujel2022.txt").write_text("References\n")
    (data / "curation" / "entities.tsv").write_text("id\ttype\n")
    result = _run("build", "--data", str(data))
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"kg: error: {data / 'curation' / 'entities.tsv'}:1: header must be the columns "
        "id, type, label, synonyms, xrefs, note"
    ]
    assert not list(data.glob("*.ttl"))


def test_every_command_is_listed_once_with_its_module() -> None:
    """The lazy group finds each command in the module FAMILIES names, and no module has a
    command FAMILIES leaves out."""
    found = {
        command.name: module
        for module in set(FAMILIES.values())
        for command in importlib.import_module(module).COMMANDS
    }
    assert found == FAMILIES


def test_a_command_loads_only_its_own_module() -> None:
    code = (
        "import sys; from kg.cli.app import cli; cli.get_command(None, 'trace'); "
        "print(*sorted(m for m in sys.modules if m.startswith('kg.cli.')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["kg.cli.app", "kg.cli.options", "kg.cli.reasoning"]


@pytest.mark.parametrize("name", sorted(FAMILIES))
def test_every_command_has_help(name: str) -> None:
    command = cli.get_command(click.Context(cli), name)
    assert isinstance(command, click.Command)
    assert command.help, name
    result = CliRunner().invoke(cli, [name, "--help"])
    assert result.exit_code == 0


def test_python_dash_m_works() -> None:
    result = _run("--help")
    assert result.returncode == 0
    assert "validate" in result.stdout


def test_the_process_ends_with_the_whole_output_and_the_command_s_exit_code() -> None:
    # main() leaves with os._exit after flushing: nothing the command printed may be lost,
    # and its exit code is the process's. The N-Triples export is far larger than a pipe's
    # buffer, so a missing flush would cut it short.
    whole = CliRunner().invoke(cli, ["export", "--format", "nt"])
    assert whole.exit_code == 0
    done = _run("export", "--format", "nt")
    assert done.returncode == 0
    assert len(done.stdout) > 1 << 16
    assert done.stdout == whole.output
    failed = _run("trace", "no-such-entity", "apoptosis")
    assert failed.returncode == 2
    assert failed.stdout == ""
    assert failed.stderr.startswith("kg: error: no entity named 'no-such-entity'")
    assert len(failed.stderr.splitlines()) == 1


def test_an_output_encoding_that_cannot_write_the_answer_is_one_line() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "kg", "trace", "miR-21", "apoptosis"],
        capture_output=True, text=True, check=False,
        env={**os.environ, "PYTHONIOENCODING": "latin-1"},
    )  # fmt: skip
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "kg: error: the output's encoding (latin-1) cannot write '\\u2192'; "
        "set PYTHONIOENCODING=utf-8"
    ]
