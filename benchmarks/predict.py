"""In-process time of ``kg predict`` and ``kg explain`` on the synthetic benchmark data.

For each scale directory written by ``benchmarks/generate.py`` (and its miRTarBase table
imported to ``mirtarbase.ttl`` with ``kg import``), loads both files once, then times:

* **predict**: one hub miRNA pushed up, every reachable process predicted (default options:
  4 hops, 20 paths scored per target, 2 s of search per target);
* **explain**: a signature of 6 genes with random directions (default options: 3 hops,
  at most ``--max-candidates`` candidates, 300 by default as in ``kg explain``);

on ``--runs`` different random queries (seeded), reporting p50 and max. Not a test: it
reports figures and asserts nothing.

    python benchmarks/predict.py /tmp/kg-bench/1e5 /tmp/kg-bench/1e6 [--runs 5] [--seed 7]
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from pathlib import Path

from kg.reasoning.explain import explain
from kg.reasoning.predict import Perturbation, predict
from kg.store.knowledge import load_knowledge


def _bench(directory: Path, runs: int, seed: int, max_candidates: int) -> None:
    files = [directory / "mechanisms.ttl", directory / "mirtarbase.ttl"]
    start = time.perf_counter()
    kg = load_knowledge(files)  # the derived views are cached (KG_CACHE_DIR): a rerun is quick
    graph = kg.mechanisms
    load = time.perf_counter() - start
    print(f"{directory}: {graph.number_of_nodes():,} nodes, {graph.number_of_edges():,} edges,")
    print(f"  loaded in {load:.1f} s (a cache hit when these files were loaded before)")
    rng = random.Random(seed)  # noqa: S311 - reproducible queries
    mirnas = sorted(
        (n for n, t in graph.nodes(data="type") if t == "MicroRNA"),
        key=lambda n: (-graph.out_degree(n), n),
    )
    genes = sorted(
        (n for n, t in graph.nodes(data="type") if t == "GeneOrProtein" and graph.in_degree(n)),
        key=lambda n: (-graph.in_degree(n), n),
    )
    times: dict[str, list[float]] = {"predict": [], "explain": []}
    sizes: dict[str, list[int]] = {"predict": [], "explain": []}
    for _ in range(runs):
        source = rng.choice(mirnas[:50])
        start = time.perf_counter()
        forecast = predict(kg, [Perturbation(source, 1)])
        times["predict"].append(time.perf_counter() - start)
        sizes["predict"].append(len(forecast.predictions))
        observed = {g: rng.choice([1, -1]) for g in rng.sample(genes[:500], 6)}
        start = time.perf_counter()
        result = explain(kg, observed, max_candidates=max_candidates)
        times["explain"].append(time.perf_counter() - start)
        sizes["explain"].append(result.candidates)
    for name, values in times.items():
        what = "targets predicted" if name == "predict" else "candidates tested"
        print(
            f"  {name}: p50 {statistics.median(values):.2f} s, max {max(values):.2f} s "
            f"over {runs} queries; {what}: median {statistics.median(sizes[name]):g}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("directories", nargs="+", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--max-candidates", type=int, default=300, help="explain's cap")
    args = parser.parse_args()
    for directory in args.directories:
        _bench(directory, args.runs, args.seed, args.max_candidates)


if __name__ == "__main__":
    main()
