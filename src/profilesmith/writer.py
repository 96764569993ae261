"""Value tree -> plist bytes, and atomic file writes (temp file + rename)."""

from __future__ import annotations

import io
import os
import plistlib
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TextIO


class OutputExists(FileExistsError):
    """The output file exists and --force was not given."""


def dumps_xml(value: Any) -> bytes:
    """Deterministic XML plist: keys sorted, tab indentation, as plistlib writes it."""
    return plistlib.dumps(value, fmt=plistlib.FMT_XML, sort_keys=True)


def dumps_binary(value: Any) -> bytes:
    return plistlib.dumps(value, fmt=plistlib.FMT_BINARY, sort_keys=True)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(path: str, data: bytes, *, force: bool = False) -> None:
    """Write ``data`` to ``path`` whole or not at all; refuse to replace unless ``force``.

    The bytes go to a temporary file in the same directory, are flushed to disk, and are
    then renamed over (or, without ``force``, hard-linked to) the destination, so a
    crash or a full disk never leaves a half-written profile behind.
    """
    if not force and os.path.lexists(path):
        raise OutputExists(f"{path}: exists (use --force to replace it)")
    directory = os.path.dirname(os.path.abspath(path))
    fd, temp = tempfile.mkstemp(prefix=".profilesmith-", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        mode = (os.stat(path).st_mode & 0o7777) if os.path.exists(path) else 0o666 & ~_umask()
        os.chmod(temp, mode)
        if force:
            os.replace(temp, path)
        else:
            try:
                os.link(temp, path)  # fails if the path appeared meanwhile: never clobber
            except FileExistsError:
                raise OutputExists(f"{path}: exists (use --force to replace it)") from None
            except OSError:
                os.replace(temp, path)  # file systems without hard links
    finally:
        if os.path.exists(temp):
            os.unlink(temp)


@contextmanager
def atomic_text(path: str) -> Iterator[TextIO]:
    """A text stream whose content replaces ``path`` when the block ends without error."""
    buffer = io.StringIO()
    yield buffer
    write_atomic(path, buffer.getvalue().encode("utf-8"), force=True)
