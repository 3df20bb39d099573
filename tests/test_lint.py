"""mypy --strict and ruff are clean on the package (a red lint is a red build)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def test_ruff(repo_root: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "kg", "tests", "scripts", "benchmarks"],
        cwd=repo_root, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict(repo_root: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "kg", "tests", "scripts", "benchmarks"],
        cwd=repo_root, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
