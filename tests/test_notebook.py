"""The tour notebook is committed without outputs (pytest --nbmake executes it)."""

from __future__ import annotations

import json
from pathlib import Path


def test_tour_outputs_are_stripped(repo_root: Path) -> None:
    notebook = json.loads((repo_root / "notebooks" / "tour.ipynb").read_text(encoding="utf-8"))
    code = [c for c in notebook["cells"] if c["cell_type"] == "code"]
    assert len(code) >= 6
    assert all(c["outputs"] == [] and c["execution_count"] is None for c in code)
