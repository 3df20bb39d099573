"""Helpers shared by the tests and the benchmarks: one headless Chromium launcher, and one way
to start a server process on a free loopback port, wait for it (bounded) and stop it, showing
its log when it fails to start.

The benchmarks import this module too (``sys.path`` gets the checkout root), so the Chromium
launch arguments live here only.
"""

from __future__ import annotations

import os
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
#: Flags for headless Chromium as root on a machine without network: no sandbox, no GPU and
#: no background connections (they would be refused by the closed network, many at a time).
CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)

__all__ = [
    "CHROMIUM",
    "CHROMIUM_ARGS",
    "Server",
    "free_port",
    "launch_chromium",
    "require",
    "server_process",
]


def require(reason: str) -> None:
    """Skip a test whose tool is missing, or fail it under CI (``CI`` set), where every
    tool must be installed."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (required under CI)")
    pytest.skip(reason)


def launch_chromium(playwright: Any, executable: Path = CHROMIUM) -> Any:
    """A headless Chromium browser from Debian's package, launched through playwright.

    Example (not run: needs Chromium)::

        with sync_playwright() as pw:
            browser = launch_chromium(pw)
    """
    return playwright.chromium.launch(executable_path=str(executable), args=list(CHROMIUM_ARGS))


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class Server:
    """A started server process: its base URL, the process and its log file."""

    url: str
    process: subprocess.Popen[bytes]
    log: Path

    def log_text(self) -> str:
        """What the server wrote to stdout and stderr so far."""
        return self.log.read_text(encoding="utf-8", errors="replace")


def _http_ready(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2):
            return True
    except urllib.error.HTTPError:
        return True  # it answers, even if not with 200
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


@contextmanager
def server_process(
    command: Sequence[str],
    *,
    url: str | Callable[[Server], str | None],
    ready: Callable[[str], bool] = _http_ready,
    timeout: float = 30.0,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
) -> Iterator[Server]:
    """Start ``command``, wait until it answers (at most ``timeout`` s), yield it, stop it.

    ``url`` is the URL to probe with ``ready`` (by default: any HTTP answer), or a function of
    the started server that returns it once known (for example read from its log, for a
    server told to take port 0) or None while it is not. When the process exits or does not
    answer in time, the test fails with the server's log.
    """
    with tempfile.NamedTemporaryFile(prefix="server-", suffix=".log", delete=False) as handle:
        log = Path(handle.name)
    out: IO[bytes] = log.open("wb")
    process = subprocess.Popen(
        list(command), stdout=out, stderr=subprocess.STDOUT, env=env, cwd=cwd
    )
    server = Server("", process, log)
    try:
        deadline = time.monotonic() + timeout
        while True:
            known = url(server) if callable(url) else url
            if known is not None and ready(known):
                server.url = known
                break
            if process.poll() is not None:
                pytest.fail(
                    f"{command[0]} exited with {process.returncode} before answering:\n"
                    + server.log_text()[-4000:]
                )
            if time.monotonic() > deadline:
                pytest.fail(
                    f"{command[0]} did not answer within {timeout:g} s:\n"
                    + server.log_text()[-4000:]
                )
            time.sleep(0.05)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        out.close()
        log.unlink(missing_ok=True)
