"""``--cache``: a repeated command against unchanged data prints the same and sends one request
(the fingerprint); a changed graph is read again; headers never reach the disk; without
``--cache`` nothing is written (and what was read while the data changed is not kept:
``tests/test_remote_errors.py``). Requests are counted by a proxy on loopback in front of a
real Oxigraph server."""

from __future__ import annotations

import http.server
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.model import shipped
from kg.store.remote_cache import cache_file
from tests.remote_servers import Remote, oxigraph, push

COMMANDS = {
    "trace": ["trace", "miR-21", "apoptosis", "--format", "json", "--time-limit", "60"],
    "upstream": ["upstream", "NLRP3", "--format", "json"],
    "conflicts": ["conflicts", "--format", "json"],
    "sparql": ["sparql", "--named", "table3", "--format", "json"],
    "export": ["export", "--format", "tsv"],
}
SECRET = "Bearer kg-test-secret-7c1f"


@dataclass
class Proxy:
    """Where the proxy listens, and the requests it passed on."""

    url: str
    requests: list[bytes] = field(default_factory=list)


@contextmanager
def counting_proxy(target: str) -> Iterator[Proxy]:
    """An HTTP proxy on 127.0.0.1 that forwards each POST to ``target`` and records it."""
    proxy = Proxy("")

    class Forward(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            proxy.requests.append(body)
            headers = {k: v for k, v in self.headers.items() if k.lower() != "host"}
            request = urllib.request.Request(target, data=body, headers=headers)
            try:
                with urllib.request.urlopen(request, timeout=60) as answer:
                    status, media = answer.status, answer.headers["Content-Type"]
                    data = answer.read()
            except urllib.error.HTTPError as exc:
                status, media, data = exc.code, exc.headers["Content-Type"], exc.read()
            self.send_response(status)
            self.send_header("Content-Type", media or "text/plain")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Forward)
    proxy.url = f"http://127.0.0.1:{server.server_address[1]}/query"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield proxy
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def server() -> Iterator[Remote]:
    with oxigraph() as ox:
        yield ox


def _run(args: list[str], cache: Path) -> str:
    result = CliRunner().invoke(cli, args, env={"KG_CACHE_DIR": str(cache)})
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_repeated_command_is_answered_from_the_cache(
    server: Remote, command: str, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    with counting_proxy(server.query) as proxy:
        args = [*COMMANDS[command], "--endpoint", proxy.url, "--header", f"Authorization: {SECRET}"]
        plain = _run(args, cache)
        assert not cache.exists()  # without --cache nothing is written
        uncached = len(proxy.requests)
        first = _run([*args, "--cache"], cache)
        sent_first = len(proxy.requests) - uncached
        again = _run([*args, "--cache"], cache)
        sent_again = len(proxy.requests) - uncached - sent_first
    assert first == plain
    assert again == plain
    assert sent_first >= 2, sent_first
    assert sent_again == 1, (uncached, sent_first, sent_again)  # the fingerprint only
    files = list(cache.iterdir())
    assert [f.name for f in files] == [cache_file(cache, proxy.url, None).name]
    assert SECRET.split()[1].encode() not in files[0].read_bytes()
    assert files[0].stat().st_mode & 0o077 == 0


def test_a_page_is_drawn_from_the_cache(server: Remote, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    with counting_proxy(server.query) as proxy:
        args = ["viz", "--focus", "miR-21", "--hops", "2", "--endpoint", proxy.url, "--cache"]
        _run([*args, "--out", str(tmp_path / "a.html")], cache)
        sent = len(proxy.requests)
        _run([*args, "--out", str(tmp_path / "b.html")], cache)
        assert len(proxy.requests) == sent + 1
    assert (tmp_path / "a.html").read_bytes() == (tmp_path / "b.html").read_bytes()


def _without_pten_link(root: Path) -> list[str]:
    """The shipped data with the assertion 'miR-21 represses PTEN' left out."""
    files = []
    for path in shipped.data_files():
        text = path.read_text(encoding="utf-8")
        start = text.find("asr:mir21-represses-pten a kg:Assertion")
        if start >= 0:
            end = text.index(" .\n", start) + 3
            text = text[:start] + text[end:]
        (root / path.name).write_text(text, encoding="utf-8")
        files += ["--data", str(root / path.name)]
    return files


def test_a_changed_graph_is_read_again(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    args = ["trace", "miR-21", "apoptosis", "--time-limit", "60"]
    with oxigraph() as ox, counting_proxy(ox.query) as proxy:
        before = _run([*args, "--endpoint", proxy.url, "--cache"], cache)
        assert "miR-21 ⊣ PTEN" in before
        push(ox.store or "", *_without_pten_link(tmp_path))
        sent = len(proxy.requests)
        after = _run([*args, "--endpoint", proxy.url, "--cache"], cache)
        assert len(proxy.requests) - sent > 2  # read again, not answered from the cache
        fresh = _run([*args, *ox.args()], cache)
    assert after == fresh != before
    assert "miR-21 ⊣ PTEN" not in after
