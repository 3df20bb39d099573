"""Benchmarks at 10^4, 10^5 and 10^6 triples (issue 7). Reports figures, asserts nothing.

Run ``benchmarks/generate.py`` first (same DIR). Every figure comes from fresh processes run
side by side in this run: whole-process times are medians of several runs (fewer at 10^6),
peak memory is the child's maximum resident set (``/usr/bin/time -f %M``); in-process
timings (RDF -> networkx, trace, SPARQL) are measured inside one child after loading once.

    python benchmarks/run.py [DIR] [--scales 1e4,1e5,1e6] [--json DIR/results.json]

The child tasks (``--child TASK ...``) are this same script.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

DEFAULT_DIR = Path("/tmp/kg-bench")  # noqa: S108 - a scratch directory, by design
HERE = Path(__file__).resolve().parent
PYTHON = sys.executable
KG = [PYTHON, "-m", "kg"]
# Whole-process repeats per scale: (load per store, import, validate, warm cache calls).
# kg validate is not run at 10^6 (pyshacl: about 90 s at 10^5, so about 15 min): see README.
REPEATS = {"1e4": (5, 3, 3, 5), "1e5": (3, 3, 1, 5), "1e6": (2, 1, 0, 3)}
VALIDATE_TIMEOUT = 240.0
TRACE_PAIRS = 200
VIZ_NODES = 5000  # the neighbourhood size issue 7 asks for
TRACE_BUDGET = 60.0  # seconds of trace calls per scale at most
HUB_MIRNA = "hsa-miR-10000-3p"  # benchmarks/generate.py: the first (largest) miRNA hub
PREFIX = (
    "PREFIX kg: <https://w3id.org/kg-ivd/vocab#>\nPREFIX ent: <https://w3id.org/kg-ivd/entity/>\n"
)
QUERIES = {
    "bound 3-hop join": PREFIX
    + f"SELECT ?g ?p ?q WHERE {{ ent:{HUB_MIRNA} kg:repressesTarget ?g . "
    "?g kg:increases ?p . ?p kg:decreases ?q . }",
    "property path": PREFIX + "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { "
    f"ent:{HUB_MIRNA} (kg:repressesTarget|kg:increases|kg:decreases)+ ?x . }}",
    "GROUP BY": PREFIX
    + "SELECT ?g (COUNT(DISTINCT ?m) AS ?n) WHERE { ?m kg:repressesTarget ?g . } "
    "GROUP BY ?g ORDER BY DESC(?n) ?g LIMIT 10",
}


# ---------------------------------------------------------------- child tasks


def _maxrss_kb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _child_load(store: str, files: list[Path]) -> dict[str, Any]:
    from kg.store import rdf

    start = time.perf_counter()
    graph = rdf.load(files, store=store)  # type: ignore[arg-type]
    return {"seconds": time.perf_counter() - start, "triples": len(graph), "rss": _maxrss_kb()}


def _time_query(run: Any, query: str, repeats: int) -> dict[str, Any]:
    times, rows = [], 0
    for _ in range(repeats):
        start = time.perf_counter()
        rows = len(list(run(query)))
        times.append(time.perf_counter() - start)
    return {"median": statistics.median(times), "rows": rows, "runs": repeats}


def _child_memory(files: list[Path], repeats: int) -> dict[str, Any]:
    """rdflib memory store: load, RDF -> networkx, trace pairs, SPARQL."""
    import networkx as nx

    from kg.reasoning.paths import trace
    from kg.store import provenance, rdf
    from kg.store.convert import to_networkx
    from kg.store.knowledge import evidence_weights

    start = time.perf_counter()
    graph = rdf.load(files)
    result: dict[str, Any] = {"load": time.perf_counter() - start}
    start = time.perf_counter()
    mechanisms = to_networkx(graph)
    result["networkx"] = time.perf_counter() - start
    result["nodes"], result["edges"] = mechanisms.number_of_nodes(), mechanisms.number_of_edges()
    undirected = mechanisms.to_undirected(as_view=True)
    result["focus"] = {
        hops: len(nx.ego_graph(undirected, HUB_MIRNA, radius=hops)) for hops in (1, 2, 3, 4)
    }
    start = time.perf_counter()
    evidence = provenance.read_evidence(graph)
    result["read_evidence"] = time.perf_counter() - start
    weights = evidence_weights(evidence)
    rng = random.Random(7)  # noqa: S311 - reproducible pairs
    kinds: dict[str, list[str]] = {"MicroRNA": [], "BiologicalProcess": []}
    for node, attrs in mechanisms.nodes(data=True):
        kinds.get(attrs["type"], []).append(node)
    sources = sorted(n for n in kinds["MicroRNA"] if mechanisms.out_degree(n))
    targets = sorted(kinds["BiologicalProcess"])
    times: list[float] = []
    found = truncated = 0
    budget = time.perf_counter() + TRACE_BUDGET
    while len(times) < TRACE_PAIRS and time.perf_counter() < budget:
        source, target = rng.choice(sources), rng.choice(targets)
        start = time.perf_counter()
        answer = trace(mechanisms, source, target, evidence_weight=weights)
        times.append(time.perf_counter() - start)
        found += bool(answer.found)
        truncated += answer.truncated
    times.sort()
    result["trace"] = {
        "pairs": len(times),
        "p50": statistics.median(times),
        "p95": times[min(len(times) - 1, round(0.95 * (len(times) - 1)))],
        "with_paths": found,
        "truncated": truncated,
    }
    result["sparql"] = {
        name: _time_query(graph.query, query, repeats) for name, query in QUERIES.items()
    }
    return result


def _child_oxigraph(files: list[Path], repeats: int) -> dict[str, Any]:
    """Oxigraph: kg.io.load(store="oxigraph") -> networkx; pyoxigraph's own SPARQL."""
    import pyoxigraph as ox

    from kg.store import rdf
    from kg.store.convert import to_networkx

    start = time.perf_counter()
    graph = rdf.load(files, store="oxigraph")
    result: dict[str, Any] = {"load": time.perf_counter() - start}
    start = time.perf_counter()
    to_networkx(graph)
    result["networkx"] = time.perf_counter() - start
    del graph
    store = ox.Store()
    start = time.perf_counter()
    for path in files:
        store.bulk_load(path=str(path), format=ox.RdfFormat.TURTLE)
    result["pyoxigraph_bulk_load"] = time.perf_counter() - start
    result["sparql"] = {
        name: _time_query(store.query, query, max(3, repeats)) for name, query in QUERIES.items()
    }
    return result


def child(argv: list[str]) -> None:
    task, *rest = argv
    if task == "load":
        out = _child_load(rest[0], [Path(p) for p in rest[1:]])
    elif task == "memory":
        out = _child_memory([Path(p) for p in rest[1:]], int(rest[0]))
    else:
        out = _child_oxigraph([Path(p) for p in rest[1:]], int(rest[0]))
    print(json.dumps(out))


# ---------------------------------------------------------------- parent


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
        "rss_mb": int(lines[-1]) / 1024 if lines else None,
        "rc": proc.returncode,
        "stdout": proc.stdout,
        "stderr": proc.stderr,
    }


def medians(command: list[str], runs: int, **kwargs: Any) -> dict[str, Any]:
    results = [timed(command, **kwargs) for _ in range(runs)]
    return {
        "seconds": statistics.median(r["seconds"] for r in results),
        "rss_mb": statistics.median(r["rss_mb"] or 0 for r in results),
        "runs": runs,
        "rc": results[-1]["rc"],
        "stdout": results[-1]["stdout"],
        "stderr": results[-1]["stderr"][-2000:],
    }


def _child_json(proc: dict[str, Any]) -> dict[str, Any]:
    if proc["rc"] != 0:
        raise SystemExit(f"child failed:\n{proc['stderr']}")
    parsed: dict[str, Any] = json.loads(proc["stdout"].strip().splitlines()[-1])
    return parsed


def bench_scale(directory: Path, label: str) -> dict[str, Any]:
    loads, imports, validates, warm = REPEATS[label]
    tsv, imported = directory / "mirtarbase.tsv", directory / "mirtarbase.ttl"
    files = [str(imported), str(directory / "mechanisms.ttl")]
    me = [PYTHON, str(Path(__file__).resolve()), "--child"]
    result: dict[str, Any] = {}

    def say(text: str) -> None:
        print(f"[{label}] {text}", file=sys.stderr, flush=True)

    say("kg import")
    result["import"] = medians(
        [*KG, "import", str(tsv), "--format", "mirtarbase", "--out", str(imported)], imports
    )
    say("load: rdflib memory vs oxigraph")
    for store in ("memory", "oxigraph"):
        runs = [timed([*me, "load", store, *files]) for _ in range(loads)]
        inner = [_child_json(r) for r in runs]
        result[f"load_{store}"] = {
            "seconds": statistics.median(r["seconds"] for r in runs),
            "rss_mb": statistics.median(r["rss_mb"] for r in runs),
            "in_process": statistics.median(i["seconds"] for i in inner),
            "triples": inner[0]["triples"],
            "runs": loads,
        }
    result["baseline_python"] = medians([PYTHON, "-c", "import kg.io"], 3)
    say("networkx, trace, SPARQL (rdflib memory)")
    result["memory"] = _child_json(timed([*me, "memory", "1" if label == "1e6" else "3", *files]))
    say("networkx, SPARQL (oxigraph)")
    result["oxigraph"] = _child_json(timed([*me, "oxigraph", "3", *files]))
    if validates == 0:
        result["validate"] = {"skipped": "not run at this scale (see README)"}
    else:
        say("kg validate")
        result["validate"] = medians(
            ["timeout", str(VALIDATE_TIMEOUT), *KG, "validate", "--format", "json", *files],
            validates,
        )
        result["validate"]["problems"] = _problem_count(result["validate"])
    say("kg trace: cold (parse + cache) then warm (cached views)")
    cache = tempfile.mkdtemp(prefix="kg-bench-cache-")
    env = {**os.environ, "KG_CACHE_DIR": cache}
    trace = [*KG, "trace", HUB_MIRNA, "process-0", "--format", "json"]
    for path in files:
        trace += ["--data", path]
    result["cli_trace_cold"] = medians(trace, 1, env=env)
    result["cli_trace_warm"] = medians(trace, warm, env=env)
    focus = result["memory"]["focus"]
    hops = min(focus, key=lambda h: abs(focus[h] - VIZ_NODES))
    say(f"kg viz --focus {HUB_MIRNA} --hops {hops} ({focus[hops]} nodes)")
    html = Path(cache) / "viz.html"
    viz = [*KG, "viz", "--focus", HUB_MIRNA, "--hops", str(hops), "-o", str(html)]
    for path in files:
        viz += ["--data", path]
    result["viz"] = {**medians(viz, 1, env=env), "hops": hops, "nodes": focus[hops]}
    result["viz"].pop("stdout", None)
    shutil.rmtree(cache, ignore_errors=True)
    for key in ("import", "cli_trace_cold", "cli_trace_warm"):
        result[key].pop("stdout", None)
    return result


def _problem_count(run: dict[str, Any]) -> int | None:
    try:
        return len(json.loads(run.pop("stdout", ""))["problems"])
    except (ValueError, KeyError, TypeError):
        return None


def table(results: dict[str, Any]) -> str:
    """The markdown table of benchmarks/README.md."""
    scales = [s for s in ("1e4", "1e5", "1e6") if s in results["scales"]]
    rows: list[tuple[str, list[str]]] = []

    def row(name: str, fn: Any) -> None:
        cells = []
        for s in scales:
            try:
                cells.append(fn(results["scales"][s]))
            except (KeyError, TypeError, ZeroDivisionError):
                cells.append("-")
        rows.append((name, cells))

    f1, f2, f3 = "{:.2f} s".format, "{:.0f} MB".format, "{:.1f}×".format

    def ms(seconds: float) -> str:
        return f"{seconds * 1000:.1f} ms"

    row("triples loaded", lambda r: f"{r['load_oxigraph']['triples']:,}")
    row("kg import (miRTarBase rows→TTL), whole process", lambda r: f1(r["import"]["seconds"]))
    row("  peak RSS", lambda r: f2(r["import"]["rss_mb"]))
    for store in ("memory", "oxigraph"):
        row(f"load, {store} store, whole process", lambda r, s=store: f1(r[f"load_{s}"]["seconds"]))
        row(f"  in-process parse, {store}", lambda r, s=store: f1(r[f"load_{s}"]["in_process"]))
        row(f"  peak RSS, {store}", lambda r, s=store: f2(r[f"load_{s}"]["rss_mb"]))
    row("load speed-up, whole process (memory / oxigraph)", lambda r: f3(
        r["load_memory"]["seconds"] / r["load_oxigraph"]["seconds"]))  # fmt: skip
    row("load speed-up, in-process parse", lambda r: f3(
        r["load_memory"]["in_process"] / r["load_oxigraph"]["in_process"]))  # fmt: skip
    row("memory ratio (memory / oxigraph)", lambda r: f3(
        r["load_memory"]["rss_mb"] / r["load_oxigraph"]["rss_mb"]))  # fmt: skip
    row("pyoxigraph bulk_load (in-process)", lambda r: f1(r["oxigraph"]["pyoxigraph_bulk_load"]))
    row("python + import kg.io (floor)", lambda r: f1(r["baseline_python"]["seconds"]))
    row("kg validate, whole process", lambda r: (
        f1(r["validate"]["seconds"]) + ("" if r["validate"]["rc"] in (0, 1) else " (timeout)")
    ))  # fmt: skip
    row("RDF → networkx, from memory store", lambda r: f1(r["memory"]["networkx"]))
    row("RDF → networkx, from oxigraph store", lambda r: f1(r["oxigraph"]["networkx"]))
    row("read_evidence (memory store)", lambda r: f1(r["memory"]["read_evidence"]))
    row("mechanism graph nodes / edges", lambda r: f"{r['memory']['nodes']:,} / "
        f"{r['memory']['edges']:,}")  # fmt: skip
    row("trace p50 (in-process, loaded graph)", lambda r: ms(r["memory"]["trace"]["p50"]))
    row("trace p95", lambda r: ms(r["memory"]["trace"]["p95"]))
    row("  pairs / with paths / cut short", lambda r: "{pairs} / {with_paths} / {truncated}".format(
        **r["memory"]["trace"]))  # fmt: skip
    for name in QUERIES:
        row(f"SPARQL {name}, rdflib", lambda r, n=name: ms(r["memory"]["sparql"][n]["median"]))
        row(f"SPARQL {name}, pyoxigraph", lambda r, n=name: ms(
            r["oxigraph"]["sparql"][n]["median"]))  # fmt: skip
        row(f"  speed-up ({name})", lambda r, n=name: f3(
            r["memory"]["sparql"][n]["median"] / r["oxigraph"]["sparql"][n]["median"]))  # fmt: skip
    row("kg viz --focus hub (nodes in neighbourhood)", lambda r: (
        f"{r['viz']['seconds']:.2f} s ({r['viz']['nodes']:,}, {r['viz']['hops']} hops)"
        + ("" if r["viz"]["rc"] == 0 else " failed")))  # fmt: skip
    row("kg trace CLI, first call (parse + cache)", lambda r: f1(r["cli_trace_cold"]["seconds"]))
    row("kg trace CLI, repeated call (cache hit)", lambda r: f1(r["cli_trace_warm"]["seconds"]))
    head = "| measure | " + " | ".join(f"10^{s[-1]}" for s in scales) + " |"
    lines = [head, "|---|" + "---|" * len(scales)]
    lines += [f"| {name} | " + " | ".join(cells) + " |" for name, cells in rows]
    return "\n".join(lines)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2:])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dir", nargs="?", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--scales", default="1e4,1e5,1e6")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    start = time.perf_counter()
    results: dict[str, Any] = {"scales": {}}
    target = args.json or args.dir / "results.json"
    for label in args.scales.split(","):
        results["scales"][label] = bench_scale(args.dir / label, label)
        target.write_text(json.dumps(results, indent=2), encoding="utf-8")  # partial results
    print("[review] kg trace on the shipped review data", file=sys.stderr, flush=True)
    proc = subprocess.run(
        [PYTHON, str(HERE / "trace_cli.py"), "--runs", "15"],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PATH": f"{Path(PYTHON).parent}{os.pathsep}{os.environ['PATH']}"},
    )
    results["review_trace"] = proc.stdout.strip()
    results["total_seconds"] = time.perf_counter() - start
    target.write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(table(results))
    print(f"\nkg trace on the review data (benchmarks/trace_cli.py): {results['review_trace']}")
    print(f"total benchmark time {results['total_seconds']:.0f} s; raw figures in {target}")


if __name__ == "__main__":
    main()
