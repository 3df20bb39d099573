"""The bound 3-hop SPARQL join in three variants, rdflib's memory store against pyoxigraph.

run.py's join starts at the largest hub and returns 117,387 rows, so Oxigraph's time is mostly
Python iterating rows. This script also times a typical (median-degree) miRNA and a COUNT(*)
over the hub, to see how the ratio depends on the query's shape. Reports figures only.

    python benchmarks/join_variants.py /tmp/kg-bench/1e6
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

PREFIX = "PREFIX kg: <https://w3id.org/kg-ivd/vocab#> "


def _query(mirna: str, *, count: bool = False) -> str:
    select = "(COUNT(*) AS ?n)" if count else "?g ?p ?q"
    return (
        PREFIX + f"SELECT {select} WHERE {{ <{mirna}> kg:repressesTarget ?g . "
        "?g kg:increases ?p . ?p kg:decreases ?q . }"
    )


def _median(run: Callable[..., Any], query: str, repeats: int) -> tuple[float, int]:
    times, rows = [], 0
    for _ in range(repeats):
        start = time.perf_counter()
        rows = sum(1 for _ in run(query))
        times.append(time.perf_counter() - start)
    return statistics.median(times), rows


def main(directory: Path) -> None:
    import pyoxigraph as ox
    import rdflib

    files = [directory / "mechanisms.ttl", directory / "mirtarbase.ttl"]
    store = ox.Store()
    for path in files:
        store.bulk_load(path=str(path), format=ox.RdfFormat.TURTLE)
    solutions = store.query(
        PREFIX + "SELECT ?m (COUNT(?g) AS ?n) WHERE { ?m kg:repressesTarget ?g } GROUP BY ?m"
    )
    assert isinstance(solutions, ox.QuerySolutions)
    degree = {s["m"].value: int(s["n"].value) for s in solutions}
    ranked = sorted(degree, key=lambda m: (degree[m], m))
    typical, hub = ranked[len(ranked) // 2], ranked[-1]
    variants = {
        f"typical miRNA ({degree[typical]} targets)": _query(typical),
        f"hub miRNA ({degree[hub]} targets)": _query(hub),
        "hub miRNA, COUNT(*)": _query(hub, count=True),
    }
    graph = rdflib.Graph()
    for path in files:
        graph.parse(path, format="turtle")
    print("| variant | rows | rdflib | pyoxigraph | ratio |")
    print("|---|---:|---:|---:|---:|")
    for name, query in variants.items():
        fast, rows = _median(store.query, query, 5)
        slow, _ = _median(graph.query, query, 2)
        ratio = slow / fast
        print(f"| {name} | {rows} | {slow * 1000:.1f} ms | {fast * 1000:.1f} ms | {ratio:.0f}× |")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: join_variants.py DIRECTORY (a scale written by generate.py)")
    main(Path(sys.argv[1]))
