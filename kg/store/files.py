"""Write files atomically: a reader never sees half a file, a failure leaves nothing behind.

A regular file (or a new one) is written through a temporary file and :func:`os.replace`; a
symbolic link has its target replaced that way (the link stays); a device, a FIFO or
standard output (``/dev/stdout``, ``/dev/fd/N``) is written into, since it cannot be renamed
over; a directory is refused.
"""

from __future__ import annotations

import os
import re
import stat
import tempfile
from pathlib import Path

from kg.model.errors import KGError, NotFoundError

__all__ = ["write_atomic"]

_FD_PATH = re.compile(r"^/(?:dev/fd|proc/self/fd)/(\d+)$")
_STD_PATHS = {"/dev/stdout": 1, "/dev/stderr": 2}


def _why(exc: OSError) -> str:
    return exc.strerror or str(exc)


def _write_fd(fd: int, payload: bytes, path: Path) -> None:
    view = memoryview(payload)
    try:
        while view:
            view = view[os.write(fd, view) :]
    except OSError as exc:
        raise KGError(f"cannot write {path}: {_why(exc)}") from None


def _write_special(payload: bytes, path: Path) -> None:
    """Write into a device, FIFO or other non-regular file (no rename is possible)."""
    try:
        fd = os.open(path, os.O_WRONLY | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise KGError(f"cannot write {path}: {_why(exc)}") from None
    try:
        _write_fd(fd, payload, path)
    finally:
        os.close(fd)


def _replace(payload: bytes, target: Path, shown: Path) -> None:
    if not target.parent.is_dir():
        raise NotFoundError(f"cannot write {shown}: {target.parent} is not a directory")
    try:
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise KGError(f"cannot write {shown}: {_why(exc)} (in {target.parent})") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        if target.is_file():
            mode = target.stat().st_mode & 0o7777
        else:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(tmp, mode)  # mkstemp creates the file private (0600)
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise KGError(f"cannot write {shown}: {_why(exc)}") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_atomic(data: bytes | str, path: Path) -> None:
    """Write ``data`` (text as UTF-8) to ``path`` atomically: a temporary file in the same
    directory, then :func:`os.replace`. A reader never sees half a file; on any error nothing
    is left behind and an existing ``path`` is untouched. An existing file keeps its mode, a
    new one is created as the umask allows.

    A symbolic link is followed: its target is replaced atomically and the link kept. A
    device, FIFO or ``/dev/stdout`` is written into directly; a directory is refused.

    Raises:
        NotFoundError: the directory does not exist.
        KGError: the file cannot be written (a directory, no permission, disk full...).

    Example:
        >>> import tempfile
        >>> target = Path(tempfile.mkdtemp()) / "out.tsv"
        >>> write_atomic("a\\tb\\n", target)
        >>> target.read_text(encoding="utf-8")
        'a\\tb\\n'
    """
    path = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    text = os.path.normpath(str(path))
    match = _FD_PATH.match(text)
    fd = _STD_PATHS.get(text, int(match.group(1)) if match else None)
    if fd is not None:
        _write_fd(fd, payload, path)
        return
    try:
        info = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        info = None
    except OSError as exc:
        raise KGError(f"cannot write {path}: {_why(exc)}") from None
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise KGError(f"cannot write {path}: it is a directory; give a file name")
    if info is not None and not stat.S_ISREG(info.st_mode):
        _write_special(payload, path)
        return
    _replace(payload, Path(os.path.realpath(path)), path)
