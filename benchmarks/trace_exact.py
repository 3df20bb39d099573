"""The exact signed search (issue 13) next to the enumerating search it replaced, in one run.

Generates the synthetic data with ``benchmarks/generate.py`` (10^6 triples by default) and
imports its miRTarBase table unless OUT already holds them, loads once, then times
``kg.reasoning.paths.trace`` with the CLI defaults (5 hops, 10 paths shown, 5 s, disease
nodes not relayed, ``--evidence curated``, ``--coherence cell-type``, paths ranked by the
evidence score, one signed view kept across calls), the same search with ``--coherence any``
(every path, stitched or not), and the old enumerating search (10,000 paths, 5 s; ``--no-old``
leaves it out) on the same random (miRNA, process) pairs (after
``gc.freeze()``, as a long-running process that loaded the graph once would; ``--no-freeze``
leaves the collector rescanning the million loaded objects, which adds pauses). It
also times ``kg trace`` as whole processes on the first ``--whole-pairs`` pairs with the view
file in place (a repeated call), and the shipped ``kg trace miR-21 apoptosis`` as a whole
process against a bare ``python -c pass``. Reports figures; asserts nothing.

    python benchmarks/trace_exact.py [OUT] [--scale 1e6] [--pairs 200] [--seed 7] [--no-old]
"""

from __future__ import annotations

import argparse
import gc
import random
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def _data(out: Path, scale: str) -> list[Path]:
    directory = out / scale
    tsv, imported, mechanisms = (
        directory / "mirtarbase.tsv", directory / "mirtarbase.ttl", directory / "mechanisms.ttl",
    )  # fmt: skip
    if not (tsv.is_file() and mechanisms.is_file()):
        print(f"generating {scale} under {out}", file=sys.stderr, flush=True)
        generate = [sys.executable, str(HERE / "generate.py"), str(out), "--scales", scale]
        subprocess.run(generate, check=True)
    if not imported.is_file():
        print("importing the miRTarBase table", file=sys.stderr, flush=True)
        kg = shutil.which("kg") or sys.exit("kg is not installed: pip install -e .")
        command = [kg, "import", str(tsv), "--format", "mirtarbase", "--out", str(imported)]
        subprocess.run(command, check=True, capture_output=True)
    return [imported, mechanisms]


def _quantile(times: list[float], q: float) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _ms(times: list[float], q: float) -> str:
    return f"{1000 * _quantile(times, q):.1f} ms"


def _whole_process(command: list[str], runs: int) -> float:
    subprocess.run(command, check=True, capture_output=True)  # warm the caches
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", type=Path, default=Path("/tmp/kg-bench"))  # noqa: S108
    parser.add_argument("--scale", default="1e6")
    parser.add_argument("--pairs", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--runs", type=int, default=9, help="whole-process runs")
    parser.add_argument(
        "--whole-pairs", type=int, default=20, help="pairs also run as whole kg processes"
    )
    parser.add_argument(
        "--no-old", dest="old", action="store_false", help="skip the old enumerating search"
    )
    parser.add_argument(
        "--no-freeze", dest="freeze", action="store_false",
        help="leave the garbage collector scanning the loaded graph",
    )  # fmt: skip
    return parser.parse_args()


def main() -> None:
    args = _arguments()

    from old_paths import trace as old_trace

    from kg.reasoning.levels import level_filter
    from kg.reasoning.paths import trace
    from kg.reasoning.scores import Scorer
    from kg.reasoning.signed import SignedView
    from kg.store.knowledge import evidence_weights, load_knowledge

    files = _data(args.out, args.scale)
    start = time.perf_counter()
    kg = load_knowledge(files)
    print(
        f"loaded {args.scale} in {time.perf_counter() - start:.1f} s: "
        f"{kg.mechanisms.number_of_nodes():,} nodes, {kg.mechanisms.number_of_edges():,} edges"
    )
    weights = evidence_weights(kg.evidence)
    keep = level_filter(kg.evidence, "curated")
    diseases = kg.nodes_of_type("Disease")
    rng = random.Random(args.seed)  # noqa: S311 - reproducible pairs
    mirnas = sorted(n for n in kg.nodes_of_type("MicroRNA") if kg.mechanisms.out_degree(n))
    processes = sorted(kg.nodes_of_type("BiologicalProcess"))
    pairs = [(rng.choice(mirnas), rng.choice(processes)) for _ in range(args.pairs)]

    start = time.perf_counter()
    rater = Scorer(kg.mechanisms, kg.evidence)  # paths rank by the evidence score, as kg trace's
    view = SignedView(kg.mechanisms, keep, evidence=kg.evidence, rater=rater).build()
    print(f"signed view built once in {time.perf_counter() - start:.2f} s")
    if args.freeze:
        gc.freeze()  # the loaded graph is permanent: keep the collector from rescanning it
    runs: dict[str, tuple[list[float], list[float], list[bool]]] = {}

    def timed(name: str, call: Callable[..., Any], *given: Any, **options: Any) -> Any:
        wall, cpu, cut = runs.setdefault(name, ([], [], []))
        t0, c0 = time.perf_counter(), time.process_time()
        result = call(*given, **options)
        wall.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
        cut.append(bool(result.truncated))
        return result

    agree = agree_old = with_paths = mixed = 0
    for source, target in pairs:
        default = timed(
            "exact, CLI defaults (--coherence cell-type)", trace, kg.mechanisms, source, target,
            view=view, no_pass_through=diseases, coherence="cell-type",
        )  # fmt: skip
        every = timed(
            "exact, --coherence any", trace, kg.mechanisms, source, target, view=view,
            no_pass_through=diseases,
        )  # fmt: skip
        with_paths += bool(default.reachable)
        mixed += default.net_effect == "mixed"
        # the coherent effects can only be fewer than those over every path
        agree += set(default.reachable) <= set(every.reachable)
        if args.old:
            old = timed(
                "old enumeration (10,000 paths, any)", old_trace, kg.mechanisms, source,
                target, keep_evidence=keep, evidence_weight=weights, no_pass_through=diseases,
            )  # fmt: skip
            agree_old += set(every.reachable) == old.effects
    gc_state = "collector frozen after loading" if args.freeze else "collector as is"
    print(
        f"\n{len(pairs)} random (miRNA, process) pairs, {gc_state}; "
        f"wall clock (CPU time of this process in brackets)"
    )
    print("| search | p50 | p99 | max | cut short |")
    print("|---|---:|---:|---:|---:|")
    for name, (times, cpu, cut) in runs.items():
        print(
            f"| {name} | {_ms(times, 0.5)} ({_ms(cpu, 0.5)}) | {_ms(times, 0.99)} "
            f"({_ms(cpu, 0.99)}) | {_ms(times, 1.0)} | {sum(cut)} |"
        )
    print(
        f"pairs with a coherent path: {with_paths}; mixed: {mixed}; coherent effects within "
        f"those over every path: {agree} of {len(pairs)}"
    )
    if args.old:
        print(
            f"same net effects (any) as the enumeration: {agree_old} of {len(pairs)} "
            "(the enumeration may miss an effect where it was cut short)"
        )

    _whole_processes(files, pairs[: args.whole_pairs], args.runs)


def _whole_processes(files: list[Path], pairs: list[tuple[str, str]], runs: int) -> None:
    from run import compiled

    compiled()  # kg's bytecode written, as an installation has it
    _repeated_calls(files, pairs)
    _shipped(runs)


def _repeated_calls(files: list[Path], pairs: list[tuple[str, str]]) -> None:
    """``kg trace A B --data ...`` as whole processes on the first pairs, the view file in
    place (the load above wrote it): a repeated call as a user makes it."""
    kg_command = shutil.which("kg") or sys.exit("kg is not installed: pip install -e .")
    data = [arg for path in files for arg in ("--data", str(path))]
    times = []
    for source, target in pairs:
        command = [kg_command, "trace", source, target, *data]
        start = time.perf_counter()
        done = subprocess.run(command, check=False, capture_output=True)
        times.append(time.perf_counter() - start)
        if done.returncode != 0:
            sys.exit(f"{' '.join(command)}: exit {done.returncode}: {done.stderr[-300:]!r}")
    times.sort()
    print(
        f"\nrepeated `kg trace A B --data ...` (view file in place), whole process, "
        f"{len(times)} pairs: median {statistics.median(times):.3f} s, "
        f"max {times[-1]:.3f} s (min {times[0]:.3f} s)"
    )


def _shipped(runs: int) -> None:
    """The shipped ``kg trace miR-21 apoptosis`` as a whole process, against ``python -c pass``."""
    kg_command = shutil.which("kg") or sys.exit("kg is not installed: pip install -e .")
    bare = _whole_process([sys.executable, "-c", "pass"], runs)
    shipped = _whole_process([kg_command, "trace", "miR-21", "apoptosis"], runs)
    print(
        f"\nshipped `kg trace miR-21 apoptosis`, whole process, median of {runs}: "
        f"{shipped:.3f} s; `python -c pass`: {bare:.3f} s; ratio {shipped / bare:.1f}x"
    )


if __name__ == "__main__":
    main()
