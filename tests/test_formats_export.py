"""kg export --format indra|bel|kgx|cx2 through the command line (the peers read the files in
tests/test_formats_{indra,bel,kgx,cx2}.py)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from kg.cli import cli
from kg.store.knowledge import load_knowledge


def test_one_file_formats_write_to_stdout_or_out(tmp_path: Path) -> None:
    runner = CliRunner()
    indra = runner.invoke(cli, ["export", "--format", "indra"])
    assert indra.exit_code == 0, indra.output
    assert isinstance(json.loads(indra.stdout), list)
    out = tmp_path / "kg.bel"
    done = runner.invoke(cli, ["export", "--format", "bel", "--out", str(out)])
    assert done.exit_code == 0, done.output
    assert out.read_text(encoding="utf-8").startswith("SET DOCUMENT Name")
    cx2 = runner.invoke(cli, ["export", "--format", "cx2"])
    assert json.loads(cx2.stdout)[0] == {"CXVersion": "2.0", "hasFragments": False}


def test_kgx_writes_nodes_and_edges(tmp_path: Path) -> None:
    done = CliRunner().invoke(cli, ["export", "--format", "kgx", "--out", str(tmp_path / "kg")])
    assert done.exit_code == 0, done.output
    view = load_knowledge()
    nodes = (tmp_path / "kg_nodes.tsv").read_text(encoding="utf-8").splitlines()
    edges = (tmp_path / "kg_edges.tsv").read_text(encoding="utf-8").splitlines()
    assert len(nodes) - 1 == view.mechanisms.number_of_nodes()
    assert len(edges) - 1 == view.mechanisms.number_of_edges()


def test_kgx_needs_out() -> None:
    done = CliRunner().invoke(cli, ["export", "--format", "kgx"])
    assert done.exit_code == 2
    assert done.stderr == "kg: error: kgx writes two files: give --out BASE\n"
