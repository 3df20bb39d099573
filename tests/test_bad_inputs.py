"""Bad input to every command: a one-line error that says what to do, a non-zero exit, no
traceback, and nothing written. One line per case: command and input, exit code, a fragment
of the message. ``{name}`` in an argument is a file made by the ``files`` fixture."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.model import shipped

ONTOLOGY = str(shipped.ontology_file())
SERVICE = "SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"

# (arguments, standard input, exit code, fragment of the one-line message)
CASES: list[tuple[list[str], str | bytes | None, int, str]] = [
    # kg sparql: numbers
    (["sparql", "--timeout", "nan", "ASK {}"], None, 2, "between 0.001 and 86400"),
    (["sparql", "--timeout", "inf", "ASK {}"], None, 2, "between 0.001 and 86400"),
    (["sparql", "--timeout", "-inf", "ASK {}"], None, 2, "between 0.001 and 86400"),
    (["sparql", "--timeout", "1e308", "ASK {}"], None, 2, "between 0.001 and 86400"),
    (["sparql", "--timeout", "1e999", "ASK {}"], None, 2, "between 0.001 and 86400"),
    (["sparql", "--timeout", "0", "ASK {}"], None, 2, "between 0.001 and 86400"),
    (["sparql", "--timeout", "-5", "ASK {}"], None, 2, "between 0.001 and 86400"),
    (["sparql", "--timeout", "ten", "ASK {}"], None, 2, "not a number of seconds"),
    (["sparql", "--timeout", "", "ASK {}"], None, 2, "not a number of seconds"),
    (["sparql", "--max-rows", "-1", "ASK {}"], None, 2, "--max-rows"),
    (["sparql", "--max-rows", "1e3", "ASK {}"], None, 2, "--max-rows"),
    # kg sparql: query files and standard input
    (["sparql", "@{deep.rq}"], None, 3, "nested more than 100 levels deep"),
    (["sparql", "@{latin1.rq}"], None, 2, "is not UTF-8"),
    (["sparql", "@{missing.rq}"], None, 2, "no such file"),
    (["sparql", "@{folder}"], None, 2, "is a directory"),
    (["sparql", "@"], None, 2, "give a file name after @"),
    (["sparql", "-"], b"ASK { \xff }", 2, "is not UTF-8"),
    (["sparql", "-"], "", 3, "empty query"),
    (["sparql", "@{huge.rq}"], None, 4, "byte limit"),
    # kg sparql: query text
    (["sparql", ""], None, 3, "empty query"),
    (["sparql", "   "], None, 3, "empty query"),
    (["sparql", "ASK {"], None, 3, "the query ends too early"),
    (["sparql", "SELECT * { ?s a foo:bar }"], None, 3, "undeclared prefix 'foo:'"),
    (["sparql", "SELECT * WHERE { ?s ?p ?o } LIMIT x"], None, 3, "query:1:"),
    (["sparql", "SELEKT * {}"], None, 3, "expected SELECT, ASK, CONSTRUCT or DESCRIBE"),
    (["sparql", "{" * 5000 + "}" * 5000], None, 3, "nested more than 100 levels deep"),
    (["sparql", "ASK {" + "(" * 200_00 + ")" * 200_00 + "}"], None, 3, "nested more than"),
    (["sparql", "ASK { ?s ?p \x00 }"], None, 3, "query:1:"),
    (["sparql", SERVICE], None, 4, "SERVICE (calling another endpoint) is refused"),
    (["sparql", "INSERT DATA { <a:b> <a:c> <a:d> }"], None, 4, "is a SPARQL update"),
    (["sparql", "LOAD <file:///etc/passwd>"], None, 4, "is a SPARQL update"),
    (["sparql", "SELECT * FROM <file:///etc/passwd> {}"], None, 4, "FROM / FROM NAMED"),
    (["sparql", "CONSTRUCT { <s> <p> 1 } WHERE {}"], None, 3, "a relative IRI needs a base"),
    # kg sparql: other options
    (["sparql", "--named", "tabel3"], None, 2, "did you mean 'table3'"),
    (["sparql", "--named", "table3", "ASK {}"], None, 2, "not both"),
    (["sparql"], None, 2, "give a QUERY"),
    (["sparql", "--named", "entity-evidence", "--param", "entity"], None, 2, "NAME=VALUE"),
    (["sparql", "--named", "entity-evidence", "--param", "x=1"], None, 1, "unknown parameter"),
    (
        ["sparql", "--format", "xml", "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1"],
        None,
        1,
        "does not fit",
    ),
    (["sparql", "--format", "png", "ASK {}"], None, 2, "'png' is not one of"),
    (["sparql", "--data", "{missing.ttl}", "ASK {}"], None, 2, "no such file"),
    (["sparql", "--data", "{latin1.ttl}", "ASK {}"], None, 1, "cannot load the graph"),
    (["sparql", "--data", "{broken.ttl}", "ASK {}"], None, 1, "cannot load the graph"),
    (["sparql", "--data", "{folder}", "ASK {}"], None, 2, "is a directory"),
    (["sparql", "--store", "{corrupt}", "ASK {}"], None, 1, "not an Oxigraph store"),
    (["sparql", "--store", "{regular}", "ASK {}"], None, 2, "is a file"),
    (["sparql", "--store", "{folder_with_files}", "ASK {}"], None, 1, "not an Oxigraph store"),
    # kg serve (all refused before anything listens)
    (["serve", "--host", "bad host!"], None, 2, "neither an IP address nor a host name"),
    (["serve", "--host", "999.1.1.1"], None, 2, "not a valid IPv4 address"),
    (["serve", "--host", ""], None, 2, "neither an IP address nor a host name"),
    (["serve", "--host", "-h"], None, 2, "neither an IP address nor a host name"),
    (["serve", "--host", "a" * 300], None, 2, "neither an IP address nor a host name"),
    (["serve", "--port", "70000"], None, 2, "70000"),
    (["serve", "--port", "-1"], None, 2, "-1"),
    (["serve", "--port", "http"], None, 2, "'http' is not a valid integer"),
    (["serve", "--cors", "not an origin"], None, 2, "is not an origin"),
    (["serve", "--cors", "http://example.org/path"], None, 2, "is not an origin"),
    (["serve", "--cors", "http://example.org\r\nX-Evil: 1"], None, 2, "is not an origin"),
    (["serve", "--cors", "javascript:alert(1)"], None, 2, "is not an origin"),
    (["serve", "--timeout", "nan"], None, 2, "between 0.001 and 86400"),
    (["serve", "--timeout", "inf"], None, 2, "between 0.001 and 86400"),
    (["serve", "--workers", "0"], None, 2, "--workers"),
    (["serve", "--workers", "100000"], None, 2, "--workers"),
    (["serve", "--worker-memory", "5"], None, 2, "--worker-memory"),
    (["serve", "--worker-memory", "lots"], None, 2, "--worker-memory"),
    (["serve", "--store", "{corrupt}"], None, 1, "not an Oxigraph store"),
    (["serve", "--data", "{missing.ttl}"], None, 2, "no such file"),
    (["serve", "--data", ONTOLOGY, "--port", "{busy_port}"], None, 1, "cannot serve on"),
    (["serve", "--data", ONTOLOGY, "--host", "192.0.2.1"], None, 1, "cannot serve on"),
    # kg push
    (["push", "--endpoint", "http://[::1"], None, 2, "is not a valid URL"),
    (["push", "--endpoint", "http://127.0.0.1:bad/store"], None, 2, "is not a valid URL"),
    (["push", "--endpoint", "http://127.0.0.1:99999/store"], None, 2, "is not a valid URL"),
    (["push", "--endpoint", "http://127.0.0.1:0/store"], None, 2, "is not a valid URL"),
    (["push", "--endpoint", "ftp://127.0.0.1/store"], None, 2, "is not an http(s) URL"),
    (["push", "--endpoint", ""], None, 2, "is not an http(s) URL"),
    (["push", "--endpoint", "http:///store"], None, 2, "is not an http(s) URL"),
    (["push", "--endpoint", "http://127.0.0.1 /store"], None, 2, "is not a valid URL"),
    (["push", "--endpoint", "http://127.0.0.1:{closed_port}/store"], None, 7, "cannot reach"),
    (["push", "--endpoint", "http://127.0.0.1:1/s", "--timeout", "nan"], None, 2, "between"),
    (
        ["push", "--endpoint", "http://127.0.0.1:1/s", "--store", "{corrupt}"],
        None,
        1,
        "not an Oxigraph store",
    ),
    # kg trace, upstream, downstream
    (["trace", "miR-21", "IVDD", "--time-limit", "nan"], None, 2, "between 0.01 and 3600"),
    (["trace", "miR-21", "IVDD", "--time-limit", "inf"], None, 2, "between 0.01 and 3600"),
    (["trace", "miR-21", "IVDD", "--time-limit", "1e308"], None, 2, "between 0.01 and 3600"),
    (["trace", "miR-21", "IVDD", "--time-limit", "0"], None, 2, "between 0.01 and 3600"),
    (["trace", "miR-21", "IVDD", "--max-hops", "0"], None, 2, "--max-hops"),
    # Oxigraph reads deeply nested (valid) Turtle that rdflib cannot: the name is then missing
    (["trace", "miR-21", "IVDD", "--data", "{deep.ttl}"], None, 2, "no entity named 'miR-21'"),
    (["trace", "miR-21", "IVDD", "--data", "{latin1.ttl}"], None, 1, "UTF-8"),
    (["trace", "miR-21", "IVDD", "--data", "{missing.ttl}"], None, 2, "no such file"),
    (["trace", "miR-21", "IVDD", "--html", "{folder}"], None, 2, "is a directory"),
    (["trace", "miR-21", "IVDD", "--html", "{regular}/x.html"], None, 2, "is not a directory"),
    (["trace", "miR-21", "IVDD", "--html", "/proc/kg-x.html"], None, 1, "cannot write"),
    (["trace", "miR-21", "IVDD", "--html", "/sys/kg-x.html"], None, 1, "cannot write"),
    (["trace", "no-such-entity", "IVDD"], None, 2, "no-such-entity"),
    (["trace", "miR-21", "IVDD", "--weights", "{deep.ttl}"], None, 2, "not valid TOML"),
    (["trace", "miR-21", "IVDD", "--weights", "{folder}"], None, 2, "is a directory"),
    (["upstream", "NLRP3", "--weights", "{missing.ttl}"], None, 2, "cannot read weights"),
    # kg predict --html: the page is written whole or not at all
    (["predict", "miR-21=up", "--html", "{folder}"], None, 2, "is a directory"),
    (["predict", "miR-21=up", "--html", "{regular}/x.html"], None, 2, "is not a directory"),
    (["predict", "miR-21=up", "--html", "/proc/kg-x.html"], None, 1, "cannot write"),
    (["predict", "miR-21=sideways", "--html", "{out.html}"], None, 2, "direction"),
    (["predict", "no-such-entity=up", "--html", "{out.html}"], None, 2, "no-such-entity"),
    (
        ["predict", "miR-21=up", "--weights", "{deep.ttl}", "--html", "{out.html}"],
        None,
        2,
        "not valid TOML",
    ),
    (["explain", "--observe", "MMP3=down", "--html", "{folder}"], None, 2, "is a directory"),
    (["explain", "--observe", "MMP3=down", "--html", "/proc/kg-x.html"], None, 1, "cannot write"),
    (["explain", "--observe", "nowhere=up", "--html", "{out.html}"], None, 2, "no name in the"),
    (["upstream", "no-such-entity"], None, 2, "no-such-entity"),
    (["downstream", "IVDD", "--max-hops", "11"], None, 2, "--max-hops"),
    (["downstream", "IVDD", "--data", "{deep.ttl}"], None, 2, "no entity named 'IVDD'"),
    (["trace", "miR-21", "IVDD", "--cache"], None, 2, "--cache need --endpoint"),
    (["export", "--format", "tsv", "--cache"], None, 2, "--cache need --endpoint"),
    # kg validate, stats, conflicts, coverage
    (["stats", "{deep.ttl}"], None, 1, "nested too deeply"),
    (["stats", "{latin1.ttl}"], None, 1, "UTF-8"),
    (["stats", "{missing.ttl}"], None, 2, "no such file"),
    (["conflicts", "--data", "{deep.ttl}"], None, 1, "nested too deeply"),
    (["coverage", "--data", "{latin1.ttl}"], None, 1, "UTF-8"),
    # kg import
    (["import", "--format", "tsv", "{latin1.tsv}", "--out", "{out.ttl}"], None, 1, "UTF-8"),
    (["import", "--format", "mirtarbase", "{latin1.tsv}", "--out", "{out.ttl}"], None, 1, "UTF-8"),
    (["import", "--format", "tsv", "{missing.tsv}", "--out", "{out.ttl}"], None, 2, "no such file"),
    (["import", "--format", "tsv", "{folder}", "--out", "{out.ttl}"], None, 2, "is a directory"),
    (["import", "--format", "csv", "{latin1.tsv}", "--out", "{out.ttl}"], None, 2, "'csv'"),
    # kg export and kg viz: --out
    (["export", "--format", "ttl", "--out", "{folder}"], None, 1, "is a directory"),
    (["export", "--format", "ttl", "--out", "{regular}/x.ttl"], None, 2, "is not a directory"),
    (["export", "--format", "ttl", "--out", "/proc/kg-x.ttl"], None, 1, "cannot write"),
    (["export", "--format", "ttl", "--out", "/sys/kg-x.ttl"], None, 1, "cannot write"),
    (["export", "--format", "ttl", "--data", "{deep.ttl}"], None, 1, "nested too deeply"),
    (["export", "--format", "ttl", "--data", "{latin1.ttl}"], None, 1, "UTF-8"),
    (["export", "--format", "svg"], None, 2, "'svg'"),
    (["viz", "--out", "{folder}"], None, 2, "is a directory"),
    (["viz", "--out", "{regular}/x.html"], None, 2, "is not a directory"),
    (["viz", "--out", "/sys/kg-x.html"], None, 1, "cannot write"),
    (["viz", "--out", "{out.html}", "--focus", "no-such-entity"], None, 2, "no-such-entity"),
]

# Standard output on a full disk: a real process, its stdout opened on /dev/full.
FULL_DISK = [
    ["sparql", "--data", ONTOLOGY, "SELECT ?s { ?s a owl:Class }"],
    ["stats"],
    ["export", "--format", "nt"],
    ["trace", "miR-21", "IVDD"],
    ["conflicts"],
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    root = tmp_path_factory.mktemp("bad")
    (root / "deep.rq").write_text("SELECT * { " + "{" * 5000 + "}" * 5000 + " }\n")
    (root / "latin1.rq").write_bytes(b'SELECT * { ?s ?p "caf\xe9" }\n')
    (root / "huge.rq").write_text("ASK { " + "?s ?p ?o . " * 20_000 + "}\n")
    deep = "@prefix : <http://example.org/> .\n:a :b " + "(" * 5000 + ")" * 5000 + " .\n"
    (root / "deep.ttl").write_text(deep)
    (root / "latin1.ttl").write_bytes(b'@prefix : <http://example.org/> .\n:a :b "caf\xe9" .\n')
    (root / "broken.ttl").write_text("@prefix : <http://example.org/> .\n:a :b .\n")
    (root / "latin1.tsv").write_bytes(b"subject\trelation\tobject\n\xff\xfe\tx\ty\n")
    (root / "regular").write_text("a regular file\n")
    (root / "folder").mkdir()
    (root / "folder_with_files").mkdir()
    (root / "folder_with_files" / "notes.txt").write_text("someone's files\n")
    corrupt = root / "corrupt"
    corrupt.mkdir()
    (corrupt / "CURRENT").write_text("not a store\n")
    (corrupt / "000001.sst").write_text("junk\n")
    busy = socket.socket()
    busy.bind(("127.0.0.1", 0))
    busy.listen()
    names = {p.name: str(p) for p in root.iterdir()}
    names |= {
        "root": str(root),
        "missing.rq": str(root / "missing.rq"),
        "missing.ttl": str(root / "missing.ttl"),
        "missing.tsv": str(root / "missing.tsv"),
        "out.ttl": str(root / "out.ttl"),
        "out.html": str(root / "out.html"),
        "busy_port": str(busy.getsockname()[1]),
        "closed_port": str(_free_port()),
    }
    yield names
    busy.close()


def _snapshot(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() if p.is_file() else b"<dir>"
        for p in sorted(root.rglob("*"))
    }


def test_the_suite_is_large() -> None:
    assert len(CASES) + len(FULL_DISK) >= 80


@pytest.mark.parametrize(("args", "stdin", "code", "fragment"), CASES)
def test_bad_input(
    files: dict[str, str], args: list[str], stdin: str | bytes | None, code: int, fragment: str
) -> None:
    root = Path(files["root"])
    before = _snapshot(root)
    argv = [re.sub(r"\{([\w.]+)\}", lambda m: files.get(m.group(1), m.group()), a) for a in args]
    result = CliRunner().invoke(cli, argv, input=stdin)
    lines = result.stderr.splitlines()
    assert result.exit_code == code, (result.exit_code, result.stderr, result.exception)
    assert not isinstance(result.exception, Exception) or isinstance(
        result.exception, SystemExit
    ), result.exception
    assert len(lines) == 1, result.stderr
    # kg validate reports each problem as FILE:LINE: message (a report, not a crash)
    assert lines[0].startswith("kg: error: " if args[0] != "validate" else files["root"])
    assert fragment in lines[0], lines[0]
    assert "Traceback" not in result.output
    assert _snapshot(root) == before


@pytest.mark.parametrize(
    ("directory", "fragment"),
    [
        ("off", "caching is off"),
        ("{shared}", "cannot hold kg's cache"),  # writable by others
        ("{regular}", "cannot hold kg's cache"),  # a file
        ("{regular}/cache", "cannot hold kg's cache"),  # under a file
    ],
)
def test_an_unusable_cache_directory(files: dict[str, str], directory: str, fragment: str) -> None:
    """``--cache`` refuses a cache directory it cannot trust before any request is sent (the
    endpoint's port is closed: the message is about the cache, not the server)."""
    root = Path(files["root"])
    shared = root / "shared"
    shared.mkdir(exist_ok=True)
    shared.chmod(0o777)
    before = _snapshot(root)
    env = {"KG_CACHE_DIR": directory.format(shared=shared, regular=files["regular"])}
    url = f"http://127.0.0.1:{files['closed_port']}/query"
    for args in (["trace", "miR-21", "IVDD"], ["sparql", "ASK {}"], ["export", "--format", "tsv"]):
        result = CliRunner().invoke(cli, [*args, "--endpoint", url, "--cache"], env=env)
        assert result.exit_code == 2, result.output
        assert result.stderr.count("\n") == 1, result.stderr
        assert result.stderr.startswith("kg: error: --cache: "), result.stderr
        assert fragment in result.stderr
    assert _snapshot(root) == before


def test_deeply_nested_turtle_is_read_where_oxigraph_loads(files: dict[str, str]) -> None:
    """5,000 nested lists are valid Turtle: validate and viz (read through Oxigraph) accept
    them; commands that still parse with rdflib refuse them in one line (CASES above)."""
    result = CliRunner().invoke(cli, ["validate", files["deep.ttl"]])
    assert result.exit_code == 0, result.output
    assert "ok: 1 file(s), 9999 triples checked" in result.output
    out = Path(files["root"]) / "deep.html"
    result = CliRunner().invoke(cli, ["viz", "--out", str(out), "--data", files["deep.ttl"]])
    assert result.exit_code == 0, result.output
    assert "(0 entities, 0 assertions)" in result.output
    out.unlink()


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize("args", FULL_DISK)
def test_standard_output_on_a_full_disk(args: list[str]) -> None:
    with open("/dev/full", "wb") as full:
        result = subprocess.run(
            [sys.executable, "-m", "kg", *args], stdout=full, stderr=subprocess.PIPE,
            text=True, timeout=120, check=False,
        )  # fmt: skip
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "kg: error: cannot write standard output: No space left on device; "
        "free some space or send the output elsewhere"
    ]
