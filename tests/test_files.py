"""kg.store.files.write_atomic onto special files: a device, a FIFO or standard output is
written into (not replaced by a regular file), a symlink's target is replaced atomically (the
link kept), a directory is refused; and nothing is left behind on failure."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from kg.model.errors import KGError, NotFoundError
from kg.store.files import write_atomic


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_a_new_and_an_existing_regular_file(tmp_path: Path) -> None:
    target = tmp_path / "out.ttl"
    write_atomic("one\n", target)
    target.chmod(0o640)
    write_atomic(b"two\n", target)
    assert target.read_text(encoding="utf-8") == "two\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert _leftovers(tmp_path) == []


def test_a_symlink_keeps_the_link_and_replaces_its_target(tmp_path: Path) -> None:
    real = tmp_path / "data" / "graph.ttl"
    real.parent.mkdir()
    real.write_text("old\n", encoding="utf-8")
    inode = real.stat().st_ino
    link = tmp_path / "latest.ttl"
    link.symlink_to(real)
    write_atomic("new\n", link)
    assert link.is_symlink()
    assert os.readlink(link) == str(real)
    assert real.read_text(encoding="utf-8") == "new\n"
    assert real.stat().st_ino != inode  # replaced by rename, not rewritten in place
    assert _leftovers(real.parent) == []
    assert _leftovers(tmp_path) == []


def test_a_dangling_symlink_creates_its_target(tmp_path: Path) -> None:
    link = tmp_path / "link.ttl"
    link.symlink_to(tmp_path / "target.ttl")
    write_atomic("x\n", link)
    assert link.is_symlink()
    assert (tmp_path / "target.ttl").read_text(encoding="utf-8") == "x\n"


def test_a_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(KGError, match="it is a directory; give a file name"):
        write_atomic("x", tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_a_missing_directory_or_a_file_as_directory(tmp_path: Path) -> None:
    with pytest.raises(NotFoundError, match="is not a directory"):
        write_atomic("x", tmp_path / "missing" / "out.ttl")
    (tmp_path / "plain").write_text("p", encoding="utf-8")
    with pytest.raises(NotFoundError, match="is not a directory"):
        write_atomic("x", tmp_path / "plain" / "out.ttl")


def test_dev_null_stays_a_device() -> None:
    write_atomic("discarded\n", Path("/dev/null"))
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_a_full_device_is_an_error_not_a_replacement() -> None:
    with pytest.raises(KGError, match="No space left on device"):
        write_atomic("x\n", Path("/dev/full"))
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


def test_a_fifo_is_written_into(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    write_atomic("through the pipe\n", fifo)
    reader.join(timeout=30)
    assert got == [b"through the pipe\n"]
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe"]


@pytest.mark.parametrize("name", ["/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"])
def test_standard_output_is_written_into(tmp_path: Path, name: str) -> None:
    out = tmp_path / "captured.txt"
    script = (
        "from pathlib import Path; from kg.store.files import write_atomic; "
        f"print('before', flush=True); write_atomic('written\\n', Path({name!r}))"
    )
    with out.open("wb") as handle:
        subprocess.run([sys.executable, "-c", script], stdout=handle, check=True, timeout=60)
    assert out.read_text(encoding="utf-8") == "before\nwritten\n"  # appended, not replaced


def test_kg_export_out_dev_stdout_and_a_fifo(tmp_path: Path) -> None:
    """Through the command line: --out /dev/stdout prints, --out FIFO feeds its reader."""
    command = [sys.executable, "-m", "kg", "export", "--format", "nt", "--with-ontology"]
    printed = subprocess.run(
        [*command, "--out", "/dev/stdout"], capture_output=True, check=True, timeout=120
    )
    assert printed.stdout.count(b"\n") > 100
    fifo = tmp_path / "graph.nt"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    subprocess.run([*command, "--out", str(fifo)], check=True, timeout=120)
    reader.join(timeout=60)
    assert got == [printed.stdout]
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
