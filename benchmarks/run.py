"""Engine benchmarks (issue 13): loading, the cache, validation and SPARQL at 10^4..10^7.

Reports figures, asserts nothing. Run ``benchmarks/generate.py`` first (same DIR); the
miRTarBase table is imported with ``kg import`` when ``mirtarbase.ttl`` is missing. Every
figure is a whole process (``/usr/bin/time``: wall time and peak RSS), and the two sides of
each ratio are run alternately in the same run, so that both see the same machine load:

* **bulk load**: a bare ``python`` that ``pyoxigraph.Store.bulk_load``\\ s the two files;
* **first call**: ``kg.store.knowledge.load_knowledge`` on the two files with an empty cache
  (parse, derive, write the entry) and the evidence profiles a trace reads before any record
  (``Scorer.hop_ceiling``), ending with ``os._exit`` as ``kg`` does (no interpreter
  teardown); **repeated call**: the same with the entry in place; also ``kg trace HUB
  process-0`` both ways (the search itself belongs to ``kg.reasoning``; see
  ``benchmarks/trace_exact.py``, which also runs ``kg trace`` on random pairs as whole
  processes);
* **validate**: ``kg validate`` on the two files and ``planted.ttl`` (planted errors); at the
  ``--pyshacl`` scales, the same validation with pyshacl for the SHACL shapes, and whether
  both report the same problems;
* **sparql**: each named query through ``kg sparql --named --data ...`` against a bare
  ``python`` that bulk-loads the same files into pyoxigraph and runs the same query text.
  The files are the generated ones plus the shipped review data and the ontology, so that
  every named query has rows to find (its relation and type labels live in the ontology,
  Table 3 and the citation slips in the review data); the row counts are reported.

    python benchmarks/run.py [DIR] [--scales 1e4,1e5,1e6] [--pyshacl 1e4,1e5] [--json FILE]
        [--only loading|validate|sparql] [--no-sparql] [--skip-query NAME ...]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

DEFAULT_DIR = Path("/tmp/kg-bench")  # noqa: S108 - a scratch directory, by design
PYTHON = sys.executable
KG = [PYTHON, "-m", "kg"]
HUB_MIRNA = "hsa-miR-10000-3p"  # benchmarks/generate.py: the first (largest) miRNA hub
RUNS = {"1e4": 5, "1e5": 3, "1e6": 3, "1e7": 1}  # alternating runs of each side per scale
WARM = {"1e4": 5, "1e5": 5, "1e6": 5, "1e7": 3}
SPARQL_RUNS = {"1e4": 3, "1e5": 3, "1e6": 2, "1e7": 1}

BULK = """import sys, pyoxigraph as ox
store = ox.Store()
for path in sys.argv[1:]:
    store.bulk_load(path=path, format=ox.RdfFormat.TURTLE)
"""
LOAD = """import os, sys
from pathlib import Path
from kg.store.knowledge import load_knowledge
kg = load_knowledge([Path(p) for p in sys.argv[1:]])
kg.evidence.profiles()
os._exit(0)
"""
DIRECT = """import sys, pyoxigraph as ox
from kg.store.sparql.named import named_query
store = ox.Store()
for path in sys.argv[2:]:
    store.bulk_load(path=path, format=ox.RdfFormat.TURTLE)
result = store.query(named_query(sys.argv[1]).text)
sys.stdout.buffer.write(result.serialize(format=ox.QueryResultsFormat.TSV))
"""
VALIDATE = """import json, sys
from pathlib import Path
from kg.curation.validate import validate
report = validate([Path(p) for p in sys.argv[2:]], engine=sys.argv[1])
print(json.dumps([[p.kind, p.where, p.message] for p in report.problems]))
"""


def compiled() -> None:
    """Write the bytecode of kg's modules, as an installation does (``pip install``
    compiles them): with ``PYTHONDONTWRITEBYTECODE`` set, an editable checkout would
    otherwise compile every module again in every process timed."""
    import compileall

    import kg

    compileall.compile_dir(Path(kg.__file__).parent, quiet=1)


def timed(command: list[str], *, env: dict[str, str] | None = None) -> dict[str, Any]:
    """Whole-process wall time and peak RSS of one run (via /usr/bin/time)."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
        start = time.perf_counter()
        proc = subprocess.run(
            ["/usr/bin/time", "-f", "%M", "-o", report.name, *command],
            capture_output=True,
            text=True,
            check=False,
            env=env,
        )
        seconds = time.perf_counter() - start
        lines = [x for x in Path(report.name).read_text().splitlines() if x.strip().isdigit()]
    return {
        "seconds": seconds,
        "rss_mb": int(lines[-1]) / 1024 if lines else 0.0,
        "rc": proc.returncode,
        "stdout": proc.stdout,
        "stderr": proc.stderr[-2000:],
    }


def summary(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Median time and RSS of some runs (keeping the last run's exit code and output size)."""
    return {
        "seconds": statistics.median(r["seconds"] for r in runs),
        "rss_mb": statistics.median(r["rss_mb"] for r in runs),
        "runs": len(runs),
        "rc": runs[-1]["rc"],
        "lines": runs[-1]["stdout"].count("\n"),
        "stderr": runs[-1]["stderr"][-500:],
    }


def _files(directory: Path) -> list[str]:
    imported = directory / "mirtarbase.ttl"
    if not imported.is_file():
        tsv = directory / "mirtarbase.tsv"
        subprocess.run(
            [*KG, "import", str(tsv), "--format", "mirtarbase", "--out", str(imported)],
            check=True,
        )
    return [str(imported), str(directory / "mechanisms.ttl")]


def _with_review(files: list[str]) -> tuple[list[str], list[str]]:
    """The shipped review data and the ontology before ``files``, and the same as
    ``--data`` options: what a kg command and the direct side both read."""
    from kg.model.shipped import data_files, ontology_file

    files = [*map(str, data_files()), str(ontology_file()), *files]
    return files, [arg for path in files for arg in ("--data", path)]


def bench_loading(label: str, files: list[str]) -> dict[str, Any]:
    """Bulk load, first and repeated call, side by side."""
    files, data = _with_review(files)
    trace = [*KG, "trace", HUB_MIRNA, "process-0", "--format", "json", *data]
    load = [PYTHON, "-c", LOAD, *files]
    runs: dict[str, list[dict[str, Any]]] = {
        "bulk": [], "first": [], "repeated": [], "trace_first": [], "trace_repeated": []
    }  # fmt: skip
    for attempt in range(RUNS[label]):
        runs["bulk"].append(timed([PYTHON, "-c", BULK, *files]))
        for name, command in (("", load), ("trace_", trace)):
            cache = tempfile.mkdtemp(prefix="kg-bench-cache-")
            env = {**os.environ, "KG_CACHE_DIR": cache}
            runs[f"{name}first"].append(timed(command, env=env))
            repeats = WARM[label] if attempt == 0 else 1
            runs[f"{name}repeated"] += [timed(command, env=env) for _ in range(repeats)]
            shutil.rmtree(cache, ignore_errors=True)
    return {name: summary(found) for name, found in runs.items()}


def bench_validate(label: str, files: list[str], pyshacl: bool) -> dict[str, Any]:
    planted = [*files, str(Path(files[0]).parent / "planted.ttl")]
    result: dict[str, Any] = {}
    runs = [timed([*KG, "validate", "--format", "json", *planted]) for _ in range(RUNS[label])]
    result["kg_validate"] = summary(runs)
    problems = json.loads(runs[-1]["stdout"])["problems"]
    result["kg_validate"]["problems"] = len(problems)
    if pyshacl:
        found = {}
        for engine in ("compiled", "pyshacl"):
            run = timed([PYTHON, "-c", VALIDATE, engine, *planted])
            found[engine] = {tuple(p) for p in json.loads(run["stdout"])}
            result[engine] = {**summary([run]), "problems": len(found[engine])}
        result["same_problems"] = found["compiled"] == found["pyshacl"]
    return result


def bench_sparql(label: str, files: list[str], skip: set[str]) -> dict[str, Any]:
    from kg.store.sparql.named import named_queries

    files, data = _with_review(files)
    result: dict[str, Any] = {}
    for name in sorted(set(named_queries()) - skip):
        kg_runs, direct_runs = [], []
        for _ in range(SPARQL_RUNS[label]):
            command = [*KG, "sparql", "--named", name, "--format", "tsv", "--max-rows", "100000000"]
            kg_runs.append(timed([*command, "--timeout", "600", *data]))
            direct_runs.append(timed([PYTHON, "-c", DIRECT, name, *files]))
        result[name] = {"kg": summary(kg_runs), "direct": summary(direct_runs)}
    return result


def bench_scale(
    directory: Path, label: str, *, pyshacl: bool, sparql: bool, skip: set[str], only: str
) -> dict[str, Any]:
    def say(text: str) -> None:
        print(f"[{label}] {text}", file=sys.stderr, flush=True)

    files = _files(directory)
    result: dict[str, Any] = {}
    if only in ("", "loading"):
        say("bulk load / first call / repeated call")
        result["loading"] = bench_loading(label, files)
    if only in ("", "validate"):
        say("kg validate" + (" and pyshacl" if pyshacl else ""))
        result["validate"] = bench_validate(label, files, pyshacl)
    if sparql and only in ("", "sparql"):
        say("kg sparql --named vs pyoxigraph")
        result["sparql"] = bench_sparql(label, files, skip)
    return result


def _ratio(pair: dict[str, Any]) -> str:
    kg, direct = pair["kg"]["seconds"], pair["direct"]["seconds"]
    rows = pair["kg"]["lines"] - 1  # the TSV header
    same = "" if pair["kg"]["lines"] == pair["direct"]["lines"] else ", rows differ"
    return f"{kg:.2f} / {direct:.2f} s = {kg / direct:.2f}× ({rows:,} rows{same})"


def table(results: dict[str, Any]) -> str:
    """The markdown table of benchmarks/README.md."""
    scales = list(results["scales"])
    rows: list[tuple[str, list[str]]] = []

    def row(name: str, fn: Any) -> None:
        cells = []
        for s in scales:
            try:
                cells.append(fn(results["scales"][s]))
            except (KeyError, TypeError, ZeroDivisionError, ValueError):
                cells.append("-")
        rows.append((name, cells))

    def sec(seconds: float) -> str:
        return f"{seconds:.2f} s"

    def load(key: str) -> Any:
        return lambda r: (
            f"{sec(r['loading'][key]['seconds'])}, {r['loading'][key]['rss_mb']:.0f} MB"
        )

    row("pyoxigraph bulk_load, whole process", load("bulk"))
    row("first call (empty cache), whole process", load("first"))
    row("  ratio first call / bulk load", lambda r: "{:.2f}×".format(
        r["loading"]["first"]["seconds"] / r["loading"]["bulk"]["seconds"]))  # fmt: skip
    row("repeated call (cache hit), whole process", load("repeated"))
    row("kg trace HUB process-0, first call", load("trace_first"))
    row("kg trace HUB process-0, repeated call", load("trace_repeated"))
    row("kg validate (with planted errors), whole process", lambda r: (
        f"{sec(r['validate']['kg_validate']['seconds'])}, "
        f"{r['validate']['kg_validate']['rss_mb']:.0f} MB"))  # fmt: skip
    row("  problems found", lambda r: str(r["validate"]["kg_validate"]["problems"]))
    row(
        "  pyshacl for the shapes, whole process",
        lambda r: sec(r["validate"]["pyshacl"]["seconds"]),
    )
    row("  same problems as pyshacl", lambda r: "yes" if r["validate"]["same_problems"] else "NO")
    names = sorted({n for r in results["scales"].values() for n in r.get("sparql", {})})
    for name in names:
        row(f"kg sparql --named {name} / pyoxigraph", lambda r, n=name: _ratio(r["sparql"][n]))
    head = "| measure | " + " | ".join(f"10^{s[-1]}" for s in scales) + " |"
    lines = [head, "|---|" + "---|" * len(scales)]
    lines += [f"| {name} | " + " | ".join(cells) + " |" for name, cells in rows]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dir", nargs="?", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--scales", default="1e4,1e5,1e6")
    parser.add_argument("--pyshacl", default="1e4,1e5", help="scales also validated by pyshacl")
    parser.add_argument("--no-sparql", action="store_true", help="skip the SPARQL comparison")
    parser.add_argument("--skip-query", action="append", default=[], help="a named query")
    parser.add_argument("--only", choices=["loading", "validate", "sparql"], default="")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    compiled()
    start = time.perf_counter()
    results: dict[str, Any] = {"scales": {}}
    target = args.json or args.dir / "engine-results.json"
    for label in args.scales.split(","):
        results["scales"][label] = bench_scale(
            args.dir / label,
            label,
            pyshacl=label in args.pyshacl.split(","),
            sparql=not args.no_sparql,
            skip=set(args.skip_query),
            only=args.only,
        )
        target.write_text(json.dumps(results, indent=2), encoding="utf-8")  # partial results
    results["total_seconds"] = time.perf_counter() - start
    target.write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(table(results))
    print(f"\ntotal benchmark time {results['total_seconds']:.0f} s; raw figures in {target}")


if __name__ == "__main__":
    main()
