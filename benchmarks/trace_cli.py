"""Whole-process time of `kg trace` on the shipped review data (issue 4 benchmark).

Runs the installed `kg` command N times in fresh processes and reports the median, p95 and
min wall-clock time. Not a test: it reports figures and asserts nothing.

    python benchmarks/trace_cli.py [--runs 15] [SOURCE TARGET]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("source", nargs="?", default="miR-21")
    parser.add_argument("target", nargs="?", default="apoptosis")
    args = parser.parse_args()
    kg = shutil.which("kg") or sys.exit("kg is not installed: pip install -e .")
    command = [kg, "trace", args.source, args.target, "--format", "json"]
    subprocess.run(command, check=True, capture_output=True)  # warm the OS file cache
    times = []
    for _ in range(args.runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    print(f"kg trace {args.source} {args.target}: {args.runs} runs")
    print(f"median {statistics.median(times):.3f} s  p95 {p95:.3f} s  min {times[0]:.3f} s")


if __name__ == "__main__":
    main()
