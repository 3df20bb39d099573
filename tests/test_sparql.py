"""kg.store.sparql and `kg sparql`: refusals before evaluation, timeouts, row caps, formats, named
queries, persistent stores."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.model import shipped
from kg.model.errors import KGError
from kg.store.sparql import (
    Engine,
    EngineBusyError,
    QueryRefusedError,
    QuerySyntaxError,
    QueryTimeoutError,
    QueryTooLargeError,
    Result,
    RowLimitError,
    bind_params,
    check_query,
    load_store,
    named_queries,
    run_query,
    serialize,
)

CROSS_JOIN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture(scope="module")
def engine() -> Iterator[Engine]:
    with Engine.open() as opened:
        yield opened


def _kg(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kg", *args], capture_output=True, text=True, check=False,
        timeout=120,
    )  # fmt: skip


# -- refused before evaluation ----------------------------------------------------------------

REFUSED = [
    "SELECT * { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
    "select * { service silent <http://example.org/sparql> { ?s ?p ?o } }",
    "SELECT * { ?s ?p ?o OPTIONAL { SERVICE ?endpoint { ?s ?p ?x } } }",
    "ASK { FILTER EXISTS { SERVICE <http://example.org/> { } } }",
    "PREFIX : <http://example.org/>\nSELECT * { ?s ?p 1SERVICE:x { } }",
    "SELECT * { ?s ?p ?o.SERVICE <http://example.org/> { } }",
    "SELECT * { \\u0053ERVICE <http://example.org/> { } }",
    "SELECT * FROM <file:///etc/passwd> { ?s ?p ?o }",
    "SELECT * FROM NAMED <http://example.org/g> { GRAPH ?g { ?s ?p ?o } }",
    "SELECT * FROM<file:///etc/passwd>{ ?s ?p ?o }",
    "LOAD <file:///etc/passwd>",
    "INSERT DATA { <http://a> <http://b> <http://c> }",
    "DELETE WHERE { ?s ?p ?o }",
    "CLEAR ALL",
    "DROP GRAPH <http://example.org/g>",
    "WITH <http://example.org/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
]


@pytest.mark.parametrize("query", REFUSED)
def test_refused_before_evaluation(query: str) -> None:
    with pytest.raises(QueryRefusedError):
        check_query(query)


ALLOWED = [
    'SELECT * { ?s ?p "SERVICE <http://example.org/> {}" }',
    "SELECT * { ?s ?p ?o } # SERVICE <http://example.org/> FROM <file:///etc/passwd>",
    "SELECT ?service ?from { ?service <http://example.org/service#FROM> ?from }",
    "SELECT * { ?s ?p '''multi\nline SERVICE FROM LOAD''' }",
    "PREFIX ex: <http://example.org/> SELECT * { ?s ex:loadFactor ?o }",
]


@pytest.mark.parametrize("query", ALLOWED)
def test_keywords_in_strings_comments_iris_and_names_are_not_refused(query: str) -> None:
    assert check_query(query) == "SELECT"


def test_query_forms() -> None:
    assert check_query("ASK {}") == "ASK"
    assert check_query("PREFIX a: <http://a/> CONSTRUCT WHERE { ?s ?p ?o }") == "CONSTRUCT"
    assert check_query("BASE <http://a/> DESCRIBE <x>") == "DESCRIBE"


def test_service_makes_no_connection(engine: Engine, listener: tuple[int, list[object]]) -> None:
    port, seen = listener
    for query in (
        f"SELECT * {{ SERVICE <http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }}",
        f"SELECT * {{ SERVICE SILENT <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}",
    ):
        with pytest.raises(QueryRefusedError, match="SERVICE"):
            run_query(engine, query)
    result = _kg("sparql", f"SELECT * {{ SERVICE <http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }}")
    assert result.returncode == 4
    assert result.stderr.count("\n") == 1
    assert "SERVICE" in result.stderr
    run_query(engine, "ASK {}")  # the engine works; and give a stray connection time to land
    assert seen == []


def test_from_file_is_refused_by_the_cli() -> None:
    result = _kg("sparql", "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }")
    assert result.returncode == 4
    assert "root:" not in result.stdout + result.stderr
    assert result.stderr.startswith("kg: error: query:1:10: FROM")


def test_update_is_refused_with_a_clear_message() -> None:
    result = _kg("sparql", "INSERT DATA { <http://a> <http://b> <http://c> }")
    assert result.returncode == 4
    assert "read-only" in result.stderr


# -- syntax errors, timeouts, row caps ------------------------------------------------------


def test_syntax_error_names_line_and_column(engine: Engine) -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        run_query(engine, "SELECT * WHERE {\n  ?s ?p \n}")
    assert str(caught.value).startswith("query:3:")
    result = _kg("sparql", "SELECT * WHERE {\n  ?s ?p \n}")
    assert result.returncode == 3
    assert result.stderr.startswith("kg: error: query:3:")
    assert result.stderr.count("\n") == 1


def test_timeout_stops_a_cross_join_and_the_engine_answers_next(engine: Engine) -> None:
    before = set(engine.pids)
    with pytest.raises(QueryTimeoutError):
        run_query(engine, CROSS_JOIN, timeout=1.0)
    for pid in before - set(engine.pids):
        with pytest.raises(ProcessLookupError):  # killed and reaped: burns no CPU
            os.kill(pid, 0)
    assert run_query(engine, "ASK { ?s ?p ?o }", wait=60).boolean is True
    assert len(engine.pids) == len(before) == engine.size  # replaced: the pool never shrinks
    assert set(engine.pids) != before


def test_timeout_exit_code() -> None:
    result = _kg("sparql", "--timeout", "1", CROSS_JOIN)
    assert result.returncode == 5
    assert result.stderr.count("\n") == 1
    assert "timeout" in result.stderr


def test_row_cap(engine: Engine) -> None:
    with pytest.raises(RowLimitError):
        run_query(engine, "SELECT * { ?s ?p ?o }", max_rows=10)
    assert len(run_query(engine, "SELECT * { ?s ?p ?o } LIMIT 10", max_rows=10).rows) == 10
    with pytest.raises(RowLimitError):
        run_query(engine, "CONSTRUCT WHERE { ?s ?p ?o }", max_rows=10)
    result = _kg("sparql", "--max-rows", "3", "SELECT * { ?s ?p ?o }")
    assert result.returncode == 6
    assert result.stderr.count("\n") == 1


# -- result formats ---------------------------------------------------------------------------

TERMS = [
    ox.NamedNode("http://example.org/a"),
    ox.BlankNode("b0"),
    ox.Literal('tab\tline\nquote"', language="en"),
    ox.Literal("1", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
    ox.Literal("plain, with comma"),
    None,
]


@pytest.mark.parametrize(("fmt", "parser"), [
    ("json", ox.QueryResultsFormat.JSON),
    ("xml", ox.QueryResultsFormat.XML),
    ("tsv", ox.QueryResultsFormat.TSV),
])  # fmt: skip
def test_result_formats_round_trip_through_oxigraph(
    fmt: str, parser: ox.QueryResultsFormat
) -> None:
    result = Result("SELECT", ("x", "y"), tuple((t, ox.Literal("y")) for t in TERMS))
    parsed = ox.parse_query_results(serialize(result, fmt), parser)
    assert isinstance(parsed, ox.QuerySolutions)
    assert [v.value for v in parsed.variables] == ["x", "y"]
    rows = [(s["x"], s["y"]) for s in parsed]
    expected = [(t, ox.Literal("y")) for t in TERMS]
    # blank node labels may be renamed by a parser
    assert [(type(a), b) for a, b in rows] == [(type(a), b) for a, b in expected]
    assert [a for a, _ in rows if not isinstance(a, ox.BlankNode)] == [
        a for a, _ in expected if not isinstance(a, ox.BlankNode)
    ]


def test_ask_and_csv_formats() -> None:
    for fmt, parser in (("json", ox.QueryResultsFormat.JSON), ("xml", ox.QueryResultsFormat.XML)):
        parsed = ox.parse_query_results(serialize(Result("ASK", boolean=True), fmt), parser)
        assert bool(parsed) is True
    csv_text = serialize(Result("SELECT", ("x",), tuple((t,) for t in TERMS)), "csv").decode()
    assert csv_text.splitlines()[0] == "x"
    assert '"plain, with comma"' in csv_text
    assert csv_text.endswith("\r\n")


def test_cli_formats() -> None:
    runner = CliRunner()
    query = "SELECT ?label WHERE { kg:repressesTarget rdfs:label ?label }"
    out = runner.invoke(cli, ["sparql", "--format", "json", query])
    assert out.exit_code == 0, out.output
    assert json.loads(out.output)["results"]["bindings"][0]["label"]["value"]
    table = runner.invoke(cli, ["sparql", query]).output
    assert table.splitlines()[0] == "label"
    assert table.endswith("(1 row)\n")
    graph = runner.invoke(cli, ["sparql", "CONSTRUCT WHERE { kg:decreases rdfs:label ?l }"])
    assert "kg:decreases" in graph.output
    assert "@prefix kg:" in graph.output
    wrong = runner.invoke(cli, ["sparql", "--format", "ttl", query])
    assert wrong.exit_code != 0


def test_query_from_file(tmp_path: Path) -> None:
    path = tmp_path / "q.rq"
    path.write_text("SELECT ?s WHERE {\n ?s ?p\n}\n", encoding="utf-8")
    result = _kg("sparql", f"@{path}")
    assert result.returncode == 3
    assert re.match(r"kg: error: q\.rq:\d+:\d+: ", result.stderr), result.stderr


# -- named queries ------------------------------------------------------------------------------


def test_every_named_query_is_documented_and_runs(engine: Engine) -> None:
    queries = named_queries()
    assert {"table3", "mirna-targets", "entity-evidence", "by-study-type",
            "citation-mismatches", "contradictions"} <= set(queries)  # fmt: skip
    for query in queries.values():
        assert query.description[:1].isupper(), query.name
        assert "PREFIX kg:" in query.text, query.name  # portable to any endpoint
        result = run_query(engine, query.text, source=query.name)
        assert result.form == "SELECT"
        for param in query.params:
            assert bind_params(query.text, {param: "x"}) != query.text


def test_table3_rebuilds_the_review_table(engine: Engine) -> None:
    result = run_query(engine, named_queries()["table3"].text)
    rows = [dict(zip(result.variables, row, strict=True)) for row in result.rows]
    cheng = next(r for r in rows if r["study"] is not None and r["study"].value == "cheng2018")
    assert cheng["citation"].value == "[20]"
    assert cheng["study_types"].value == "in vitro; in vivo"
    assert cheng["reference"].value.startswith("[20]")


def test_entity_evidence_by_label_synonym_or_id(engine: Engine) -> None:
    text = named_queries()["entity-evidence"].text
    counts = set()
    for name in ("miR-21", "mir-21", "hsa-miR-21-5p"):
        rows = run_query(engine, bind_params(text, {"entity": name})).rows
        counts.add(len(rows))
    assert len(counts) == 1
    assert counts.pop() > 0
    assert run_query(engine, bind_params(text, {"entity": 'no such" } thing'})).rows == ()


def test_by_study_type_filters(engine: Engine) -> None:
    text = named_queries()["by-study-type"].text
    every = run_query(engine, text)
    in_vitro = run_query(engine, bind_params(text, {"study_type": "in vitro"}))
    assert 0 < len(in_vitro.rows) < len(every.rows)
    assert {row[0].value for row in in_vitro.rows} == {"in vitro"}
    rat = run_query(engine, bind_params(text, {"species": "rat"}))
    assert rat.rows
    assert {row[1].value for row in rat.rows} == {"rat"}


def test_list_and_unknown_names() -> None:
    runner = CliRunner()
    listing = runner.invoke(cli, ["sparql", "--list"]).output
    for name in named_queries():
        assert name in listing
    result = _kg("sparql", "--named", "tabel3")
    assert result.returncode == 2
    assert "did you mean 'table3'" in result.stderr
    result = _kg("sparql", "--named", "entity-evidence", "--param", "nope=1")
    assert result.returncode == 1
    assert "entity" in result.stderr


# -- persistent store ---------------------------------------------------------------------------


def test_persistent_store_gives_the_same_rows(engine: Engine, tmp_path: Path) -> None:
    store = tmp_path / "store"
    count = load_store(store)
    assert count == load_store(store)  # loaded once, reused
    with Engine.open(store=store) as on_disk:
        for query in named_queries().values():
            assert run_query(on_disk, query.text).rows == run_query(engine, query.text).rows
    result = CliRunner().invoke(cli, ["sparql", "--store", str(store), "--named", "table3"])
    assert result.exit_code == 0, result.output


def test_data_override(tmp_path: Path) -> None:
    path = tmp_path / "tiny.ttl"
    path.write_text("<http://example.org/a> <http://example.org/p> 1 .\n", encoding="utf-8")
    out = CliRunner().invoke(
        cli, ["sparql", "--data", str(path), "--format", "tsv", "SELECT ?o { ?s ?p ?o }"]
    )
    assert out.exit_code == 0, out.output
    assert out.output.splitlines() == ["?o", '"1"^^<http://www.w3.org/2001/XMLSchema#integer>']
    assert shipped.ontology_file().is_file()


# -- issue 17: nesting, protocol datasets, the sandbox, a pool that never shrinks ------------


@pytest.mark.parametrize("opening", ["{", "(", "["])
def test_deep_nesting_is_a_syntax_error_not_a_crash(engine: Engine, opening: str) -> None:
    closing = {"{": "}", "(": ")", "[": "]"}[opening]
    query = "ASK { FILTER(" + opening * 5000 + closing * 5000 + ") }"
    with pytest.raises(QuerySyntaxError, match="nested more than 100 levels deep"):
        check_query(query)
    with pytest.raises(QuerySyntaxError, match="nested more than 100 levels deep"):
        run_query(engine, query)
    assert run_query(engine, "ASK {" + "{" * 90 + "}" * 90 + "}").boolean is True


def test_from_is_allowed_only_when_the_protocol_names_the_dataset() -> None:
    query = "ASK FROM <http://example.org/g> { }"
    with pytest.raises(QueryRefusedError, match="FROM"):
        check_query(query)
    assert check_query(query, protocol_dataset=True) == "ASK"
    with pytest.raises(QueryRefusedError, match="SERVICE"):
        check_query("ASK { SERVICE <http://a/> { } }", protocol_dataset=True)


def test_protocol_dataset_and_base_iri(engine: Engine) -> None:
    assert run_query(engine, "ASK { ?s ?p ?o }").boolean is True
    empty = run_query(engine, "ASK { ?s ?p ?o }", default_graphs=["http://example.org/none"])
    assert empty.boolean is False
    result = run_query(engine, "SELECT ?x { BIND(<a> AS ?x) }", base_iri="http://h.example/q")
    assert result.rows[0][0].value == "http://h.example/a"
    with pytest.raises(QuerySyntaxError, match="relative IRI needs a base"):
        run_query(engine, "CONSTRUCT { <s> <p> 1 } WHERE {}")


def test_workers_run_without_network() -> None:
    with Engine.open([shipped.ontology_file()]) as opened:
        assert opened.sandboxed is (sys.platform == "linux")


@pytest.mark.parametrize("timeout", [float("nan"), float("inf"), 0.0, -1.0, 1e9])
def test_a_timeout_that_is_not_a_finite_number_of_seconds(engine: Engine, timeout: float) -> None:
    with pytest.raises(KGError, match="give a number of seconds above 0"):
        run_query(engine, "ASK {}", timeout=timeout)


def test_an_oversized_query_never_reaches_a_worker(engine: Engine) -> None:
    with pytest.raises(QueryTooLargeError, match="over the 1000-byte limit"):
        run_query(engine, "ASK {" + " " * 2000 + "}", max_query_bytes=1000)


def test_a_killed_worker_is_replaced() -> None:
    with Engine.open([shipped.ontology_file()], workers=2) as opened:
        before = set(opened.pids)
        os.kill(min(before), 9)
        answers = [run_query(opened, "ASK {}", wait=60).boolean for _ in range(4)]
        assert answers == [True] * 4
        for _ in range(600):  # the replacement starts in the background: wait (bounded)
            if len(opened.pids) == 2:
                break
            threading.Event().wait(0.05)
        assert len(opened.pids) == 2
        assert min(before) not in opened.pids
        assert opened.replaced == 1


def test_a_busy_pool_is_an_engine_busy_error_not_closed() -> None:
    with Engine.open([shipped.ontology_file()]) as opened:
        worker = opened.acquire(1.0)
        with pytest.raises(EngineBusyError, match="busy; try again"):
            run_query(opened, "ASK {}", wait=0.1)
        opened.release(worker)
        assert run_query(opened, "ASK {}").boolean is True
