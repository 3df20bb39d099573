"""kg against SPARQL servers at 10^6 triples: load time into each, and `kg trace` against each
versus the embedded search on the same pairs, in one run (issue 14).

Uses the 10^6 scale of ``benchmarks/generate.py`` (``mirtarbase.ttl`` imported by
``kg import``, and ``mechanisms.ttl``), plus the ontology. Starts, on free loopback ports:
Oxigraph server (in memory), Virtuoso (a fresh database in a temp directory) and ``kg serve``.

* **load**: wall time of ``kg push`` (Graph Store Protocol; Virtuoso through
  ``/sparql-graph-crud-auth`` with Digest credentials from netrc), and for ``kg serve`` the
  time from start to its first answer (it loads the files itself);
* **trace**: per pair, what ``kg trace SOURCE TARGET --endpoint URL`` does, in process: read
  the names, fetch both neighbourhoods level by level, the evidence of the edges kept, and
  run the same search (5 hops, 5 s for fetch and search together, and the library's
  defaults otherwise: ``--coherence any`` and the plain evidence weights, not ``kg trace``'s
  cell-type coherence and evidence score; both sides alike); the embedded figure is the
  search alone on the graph loaded once. Pairs as in
  ``benchmarks/run.py`` (seed 7: a miRNA with targets, a process). Requests per trace are
  counted, and each remote answer is compared with the embedded one.

    python benchmarks/remote.py [DIR] [--pairs 20]

DIR is generate.py's output (default /tmp/kg-bench), holding 1e6/mechanisms.ttl and
1e6/mirtarbase.ttl. Prints a Markdown table; raw figures go to DIR/remote-results.json.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kg.model import shipped
from kg.store.remote import Endpoint
from tests.remote_servers import GRAPH, Remote, kg_serve, oxigraph, virtuoso

DEFAULT_DIR = Path("/tmp/kg-bench")  # noqa: S108 - a scratch directory, by design
KG = [sys.executable, "-m", "kg"]
TIME_LIMIT = 5.0  # kg trace's default --time-limit: fetch and search together


def _push(remote: Remote, files: list[Path], netrc: Path | None) -> float:
    args = [*KG, "push", "--endpoint", remote.store or "", *remote.options]
    for path in files:
        args += ["--data", str(path)]
    env = {"NETRC": str(netrc)} if netrc else {}
    start = time.perf_counter()
    done = subprocess.run(
        args, capture_output=True, text=True, check=False, env={**os.environ, **env}
    )
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"kg push failed: {done.stderr.strip()}")
    print(done.stdout.strip(), file=sys.stderr)
    return seconds


@contextmanager
def _servers(
    files: list[Path], scratch: Path
) -> Iterator[tuple[dict[str, Remote], dict[str, float]]]:
    loads: dict[str, float] = {}
    with ExitStack() as stack:
        ox = stack.enter_context(oxigraph(load=False))
        loads["oxigraph"] = _push(ox, files, None)
        vt = stack.enter_context(virtuoso(scratch, load=False))
        loads["virtuoso"] = _push(vt, files, scratch / "netrc")
        start = time.perf_counter()
        ks = stack.enter_context(kg_serve(files, timeout=600))
        loads["kg serve"] = time.perf_counter() - start
        yield {"oxigraph": ox, "virtuoso": vt, "kg serve": ks}, loads


def _pairs(mechanisms: Any, count: int) -> list[tuple[str, str]]:
    rng = random.Random(7)  # noqa: S311 - reproducible pairs, as in run.py
    kinds: dict[str, list[str]] = {"MicroRNA": [], "BiologicalProcess": []}
    for node, attrs in mechanisms.nodes(data=True):
        kinds.get(attrs["type"], []).append(node)
    sources = sorted(n for n in kinds["MicroRNA"] if mechanisms.out_degree(n))
    targets = sorted(kinds["BiologicalProcess"])
    return [(rng.choice(sources), rng.choice(targets)) for _ in range(count)]


def _quantiles(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    return {
        "p50": statistics.median(ordered),
        "p95": ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))],
    }


def _answer(result: Any) -> Any:
    return [[(h.subject, h.object, h.assertion) for h in p.hops] for p in result.paths], list(
        result.effects
    )


def _remote_traces(
    endpoint: Endpoint, chosen: list[tuple[str, str]], answers: list[tuple[bool, Any]]
) -> dict[str, Any]:
    """What ``kg trace S T --endpoint URL`` does, per pair (CLI defaults), timed."""
    from kg.reasoning.paths import trace
    from kg.reasoning.resolve import resolve
    from kg.store.knowledge import evidence_weights
    from kg.store.remote_neighbourhoods import fetch_between
    from kg.store.remote_views import fetch_shown, open_remote
    from kg.store.sparql.check import EndpointError

    times: list[float] = []
    requests: list[int] = []
    same = cut = 0
    errors: list[str] = []
    for (source, target), (was_cut, expected) in zip(chosen, answers, strict=True):
        start = time.perf_counter()
        kg = open_remote(endpoint, deadline=time.monotonic() + TIME_LIMIT)
        try:
            ends = resolve(kg.mechanisms, source), resolve(kg.mechanisms, target)
            diseases = kg.nodes_of_type("Disease")
            fetch_between(kg, *ends, max_hops=5, blocked=diseases)
            result = trace(
                kg.mechanisms,
                *ends,
                evidence_weight=evidence_weights(kg.evidence),
                no_pass_through=diseases,
                time_limit=TIME_LIMIT - (time.perf_counter() - start),
            )
            fetch_shown(kg, [h for p in result.paths for h in p.hops])
        except EndpointError as exc:  # kg trace would print this one line and stop
            times.append(time.perf_counter() - start)
            if "time limit" in str(exc):
                cut += 1
            else:
                errors.append(str(exc))
            continue
        finally:
            assert kg.session is not None
            requests.append(kg.session.client.requests)
        times.append(time.perf_counter() - start)
        cut += result.truncated
        same += not was_cut and not result.truncated and _answer(result) == expected
    return {
        **_quantiles(times),
        "requests_p50": statistics.median(requests),
        "requests_max": max(requests),
        "same_as_embedded": same,
        "cut": cut,
        "errors": errors,
    }


def run(directory: Path, pairs: int) -> dict[str, Any]:
    from kg.reasoning.paths import trace
    from kg.store.knowledge import evidence_weights, load_knowledge

    data = [directory / "1e6" / "mirtarbase.ttl", directory / "1e6" / "mechanisms.ttl"]
    for path in data:
        if not path.is_file():
            raise SystemExit(f"{path}: missing; run benchmarks/generate.py and kg import first")
    files = [*data, shipped.ontology_file()]
    results: dict[str, Any] = {"pairs": pairs}
    start = time.perf_counter()
    kg = load_knowledge(data, cache=False)
    results["embedded_load"] = time.perf_counter() - start
    weights = evidence_weights(kg.evidence)
    diseases = kg.nodes_of_type("Disease")
    chosen = _pairs(kg.mechanisms, pairs)
    embedded: list[float] = []
    answers = []
    for source, target in chosen:
        start = time.perf_counter()
        result = trace(
            kg.mechanisms, source, target, evidence_weight=weights, no_pass_through=diseases
        )
        embedded.append(time.perf_counter() - start)
        answers.append((result.truncated, _answer(result)))
    results["embedded"] = {**_quantiles(embedded), "cut": sum(t for t, _ in answers)}
    print(json.dumps({"embedded": results["embedded"]}), file=sys.stderr, flush=True)
    with ExitStack() as stack:
        scratch = stack.enter_context(tempfile.TemporaryDirectory(prefix="kg-remote-bench-"))
        servers, results["load"] = stack.enter_context(_servers(files, Path(scratch)))
        for name, remote in servers.items():
            print(f"trace against {name}", file=sys.stderr, flush=True)
            endpoint = Endpoint(remote.query, GRAPH if name == "virtuoso" else None)
            results[name] = _remote_traces(endpoint, chosen, answers)
            print(json.dumps({name: results[name]}), file=sys.stderr, flush=True)
    return results


def table(results: dict[str, Any]) -> str:
    emb = results["embedded"]
    lines = [
        "| store | load (whole graph) | trace p50 | trace p95 | p50 / embedded | requests per "
        "trace (median, max) | same answer / cut short |",
        "|---|---|---|---|---|---|---|",
        f"| embedded (in-process search) | {results['embedded_load']:.1f} s (parse + derive) | "
        f"{emb['p50'] * 1000:.0f} ms | {emb['p95'] * 1000:.0f} ms | 1× | 0 | - / {emb['cut']} |",
    ]
    for name in ("oxigraph", "virtuoso", "kg serve"):
        r = results[name]
        lines.append(
            f"| {name} | {results['load'][name]:.1f} s | {r['p50'] * 1000:.0f} ms | "
            f"{r['p95'] * 1000:.0f} ms | {r['p50'] / emb['p50']:.1f}× | "
            f"{r['requests_p50']:g}, {r['requests_max']} | "
            f"{r['same_as_embedded']} / {r['cut']}"
            + (f" ({len(r['errors'])} failed: {r['errors'][0][:60]}...)" if r["errors"] else "")
            + " |"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", nargs="?", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--pairs", type=int, default=20)
    args = parser.parse_args()
    results = run(args.directory, args.pairs)
    (args.directory / "remote-results.json").write_text(json.dumps(results, indent=2))
    print(table(results), end="")


if __name__ == "__main__":
    main()
