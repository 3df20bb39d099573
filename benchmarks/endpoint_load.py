"""Load on `kg serve` (issue 17): concurrent clients, and the same while workers are killed.

Starts ``kg serve`` on 127.0.0.1 (a free port), then runs ``--clients`` threads that each send
``--queries`` queries (the shipped named queries and 3-hop joins, GET and POST mixed) and
check every answer against the one a single client got first. Reports errors, throughput,
latency percentiles and the server's memory (server + workers, resident) before and after.
With ``--kill-every S`` a worker is killed every S seconds during the run: a 503 is retried
(after its Retry-After), and a query that is neither answered nor answered on a retry is lost.
Reports figures; asserts nothing.

    python benchmarks/endpoint_load.py [--clients 50] [--queries 200] [--workers 2]
        [--kill-every 3] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import random
import select
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import psutil

JOINS = [
    # 3-hop joins through the signed mechanism edges (assertion subject -> object, 3 times)
    """SELECT ?a ?b ?c ?d WHERE {
      ?x1 a kg:Assertion ; rdf:subject ?a ; rdf:object ?b .
      ?x2 a kg:Assertion ; rdf:subject ?b ; rdf:object ?c .
      ?x3 a kg:Assertion ; rdf:subject ?c ; rdf:object ?d .
      FILTER(?a = ent:%s) } ORDER BY ?b ?c ?d LIMIT 200""",
    """SELECT (COUNT(*) AS ?n) WHERE {
      ?x1 rdf:subject ?a ; rdf:object ?b . ?x2 rdf:subject ?b ; rdf:object ?c .
      ?x3 rdf:subject ?c ; rdf:object ent:%s . }""",
]
SEEDS = ["miR-21", "MSC-exosome", "BM-MSC-exosome", "IL1B", "IVDD", "apoptosis"]


def _queries() -> list[str]:
    from kg.store.sparql import named_queries

    queries = [q.text for q in named_queries().values()]
    queries += [join % seed for join in JOINS for seed in SEEDS]
    return queries


def _ask(url: str, query: str, post: bool) -> tuple[int, bytes, float]:
    if post:
        request = urllib.request.Request(  # noqa: S310 - the http URL kg serve printed
            url, data=query.encode(), headers={"Content-Type": "application/sparql-query"}
        )
    else:
        query_string = urllib.parse.urlencode({"query": query})
        request = urllib.request.Request(f"{url}?{query_string}")  # noqa: S310
    request.add_header("Accept", "application/sparql-results+json")
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310
            return response.status, response.read(), time.perf_counter() - started
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(), time.perf_counter() - started
    except OSError as exc:
        return 0, str(exc).encode(), time.perf_counter() - started


def _memory(pid: int) -> int:
    process = psutil.Process(pid)
    return sum(p.memory_info().rss for p in [process, *process.children(recursive=True)])


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def run(args: argparse.Namespace, kill_every: float | None) -> dict[str, Any]:  # noqa: PLR0915
    server = subprocess.Popen(
        [sys.executable, "-m", "kg", "serve", "--port", "0", "--workers", str(args.workers),
         "--timeout", "30"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )  # fmt: skip
    try:
        assert server.stdout is not None
        ready, _, _ = select.select([server.stdout], [], [], 120)
        if not ready:
            raise SystemExit("kg serve printed no URL within 120 s")
        url = server.stdout.readline().strip()
        queries = _queries()
        expected = {q: _ask(url, q, False)[1] for q in queries}
        bad = [q[:60] for q, body in expected.items() if b'"results"' not in body]
        if bad:
            raise SystemExit(f"queries without results: {bad}")
        memory_before = _memory(server.pid)
        stop = threading.Event()
        kills = 0

        def killer() -> None:
            nonlocal kills
            while not stop.wait(kill_every or 0):
                workers = psutil.Process(server.pid).children()
                if workers:
                    random.choice(workers).kill()  # noqa: S311 - not for security
                    kills += 1

        def client(index: int) -> tuple[list[float], int, int, int, int]:
            rng = random.Random(index)  # noqa: S311 - reproducible query mixes
            latencies: list[float] = []
            errors = retried = lost = unavailable = 0
            for n in range(args.queries):
                query = rng.choice(queries)
                started = time.perf_counter()
                for attempt in range(args.retries + 1):
                    status, body, _ = _ask(url, query, post=(index + n) % 2 == 1)
                    if status != 503:
                        break
                    unavailable += 1
                    retried += attempt == 0
                    time.sleep(1.0)  # the Retry-After the endpoint sends
                latencies.append(time.perf_counter() - started)  # retries included
                if status == 503:
                    lost += 1
                elif status != 200 or body != expected[query]:
                    errors += 1
            return latencies, errors, retried, lost, unavailable

        thread = threading.Thread(target=killer, daemon=True)
        started = time.perf_counter()
        if kill_every:
            thread.start()
        with ThreadPoolExecutor(max_workers=args.clients) as pool:
            results = list(pool.map(client, range(args.clients)))
        elapsed = time.perf_counter() - started
        stop.set()
        memory_after = _memory(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)
    latencies = [s for r in results for s in r[0]]
    return {
        "mode": f"kill a worker every {kill_every:g} s" if kill_every else "steady",
        "clients": args.clients,
        "queries": len(latencies),
        "errors": sum(r[1] for r in results),
        "503 then retried": sum(r[2] for r in results),
        "503 answers": sum(r[4] for r in results),
        "lost": sum(r[3] for r in results),
        "workers killed": kills,
        "seconds": round(elapsed, 1),
        "queries/s": round(len(latencies) / elapsed, 1),
        "p50 ms": round(1000 * statistics.median(latencies), 1),
        "p95 ms": round(1000 * _percentile(latencies, 0.95), 1),
        "p99 ms": round(1000 * _percentile(latencies, 0.99), 1),
        "memory before MiB": round(memory_before / 2**20),
        "memory after MiB": round(memory_after / 2**20),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--queries", type=int, default=200, help="queries per client")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--kill-every", type=float, default=3.0)
    parser.add_argument("--retries", type=int, default=3, help="retries of a 503")
    parser.add_argument("--json", default=None, help="also write the rows to this file")
    args = parser.parse_args()
    rows = [run(args, None), run(args, args.kill_every)]
    keys = list(rows[0])
    print("| " + " | ".join(keys) + " |")
    print("|" + "---|" * len(keys))
    for row in rows:
        print("| " + " | ".join(str(row[k]) for k in keys) + " |")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump(rows, handle, indent=2)


if __name__ == "__main__":
    main()
