"""Write files atomically: a reader never sees half a file, a failure leaves nothing behind."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from kg.model.errors import KGError, NotFoundError

__all__ = ["write_atomic"]


def write_atomic(data: bytes | str, path: Path) -> None:
    """Write ``data`` (text as UTF-8) to ``path`` atomically: a temporary file in the same
    directory, then :func:`os.replace`. A reader never sees half a file; on any error nothing
    is left behind and an existing ``path`` is untouched. An existing file keeps its mode, a
    new one is created as the umask allows.

    Raises:
        NotFoundError: the directory does not exist.
        KGError: the file cannot be written (not a directory, no permission, disk full...).

    Example:
        >>> import tempfile
        >>> target = Path(tempfile.mkdtemp()) / "out.tsv"
        >>> write_atomic("a\\tb\\n", target)
        >>> target.read_text(encoding="utf-8")
        'a\\tb\\n'
    """
    path = Path(path)
    if not path.parent.is_dir():
        raise NotFoundError(f"cannot write {path}: {path.parent} is not a directory")
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise KGError(f"cannot write {path}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
        if path.is_file():
            mode = path.stat().st_mode & 0o7777
        else:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(tmp, mode)  # mkstemp creates the file private (0600)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise KGError(f"cannot write {path}: {exc.strerror or exc}") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
