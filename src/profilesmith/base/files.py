"""Reading and writing files safely: a bounded read, and atomic writes (temp file +
rename) that never replace a file without ``force`` and leave nothing half-written."""

from __future__ import annotations

import os
import signal
import stat
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any, BinaryIO, TextIO

# Profiles embed certificates and packages, but nothing legitimate comes near this.
MAX_BYTES = 64 * 1024 * 1024


class TooLarge(OSError):
    """A file (or standard input) holds more than the limit; ``size`` is what was seen."""

    def __init__(self, path: str, size: int, limit: int) -> None:
        super().__init__(f"larger than {limit} bytes")
        self.filename = path
        self.size = size
        self.limit = limit


def read_limited(path: str, limit: int | None = None) -> bytes:
    """A file's bytes; TooLarge beyond ``limit`` (default MAX_BYTES; its size from the file
    system, nothing read), OSError when it cannot be read (IsADirectoryError for a
    directory)."""
    limit = MAX_BYTES if limit is None else limit
    with open(path, "rb", buffering=0) as handle:
        info = os.fstat(handle.fileno())
        if info.st_size > limit:
            raise TooLarge(path, info.st_size, limit)
        # read(n) allocates n bytes first: ask for what the file holds (one more shows
        # that it grew meanwhile), not for the limit, which would cost 64 MiB a file
        want = info.st_size + 1 if stat.S_ISREG(info.st_mode) else limit + 1
        data = _read_up_to(handle, want)
        if len(data) == want and want <= limit:  # it grew: read on up to the limit
            data += _read_up_to(handle, limit + 1 - want)
        if len(data) > limit:
            raise TooLarge(path, len(data) + _remaining(handle), limit)
    return data


def _read_up_to(handle: BinaryIO, size: int) -> bytes:
    """Up to ``size`` bytes, fewer only at the end of the file (a raw read may return
    less than asked for, e.g. from a pipe)."""
    parts: list[bytes] = []
    while size > 0 and (chunk := handle.read(size)):
        parts.append(chunk)
        size -= len(chunk)
    return b"".join(parts) if len(parts) != 1 else parts[0]


def read_stream(stream: BinaryIO, name: str = "-", limit: int | None = None) -> bytes:
    """Standard input (or another binary stream), bounded like :func:`read_limited`."""
    limit = MAX_BYTES if limit is None else limit
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise TooLarge(name, len(data), limit)
    return data


def _remaining(handle: BinaryIO) -> int:
    """How many bytes are left, read a chunk at a time and dropped (an oversized file's
    length, for the message that refuses it)."""
    count = 0
    while chunk := handle.read(1 << 20):
        count += len(chunk)
    return count


def _tempfile() -> Any:
    # imported on the first write (it drags in shutil and random): linting writes nothing
    import tempfile

    return tempfile


class OutputExists(FileExistsError):
    """The output file exists and --force was not given."""


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
    write_all([(path, data)], force=force)


# files staged, then flushed to disk together: bounds the open descriptors of a batch
_CHUNK = 256


def write_all(
    items: Iterable[tuple[str, bytes]], *, force: bool = False, written: list[str] | None = None
) -> list[str]:
    """Write every (path, data) item as write_atomic does, but flush a chunk of files to
    disk together: one fsync per file costs milliseconds, more than building and signing
    a profile, and the file system commits a chunk's data in one go.

    Returns the paths written (also appended to ``written``, so that a caller learns
    what was written before a failure). Raises OutputExists or OSError on the first
    problem; files written before it stay, no temporary file is left.
    """
    done: list[str] = written if written is not None else []
    batch: list[tuple[str, bytes]] = []
    for item in items:
        batch.append(item)
        if len(batch) == _CHUNK:
            _write_chunk(batch, force=force, written=done)
            batch = []
    if batch:
        _write_chunk(batch, force=force, written=done)
    return done


def _flush(descriptors: Iterator[int]) -> None:
    """Get staged files onto the disk before they are renamed into place.

    One fsync per file costs about a millisecond, more than signing the profile; on Linux
    a single sync() writes everything out and waits for it, so a chunk of a batch pays
    once. Elsewhere (macOS's sync() does not wait) each file is fsynced.
    """
    fds = list(descriptors)
    if len(fds) > 1 and sys.platform.startswith("linux"):
        os.sync()
        return
    for fd in fds:
        os.fsync(fd)


@contextmanager
def _signals_held() -> Iterator[None]:
    """SIGINT and SIGTERM wait (blocked, not lost) until the block ends: a Ctrl-C between
    creating a temporary file and recording it, or in the middle of removing them, would
    leave one behind. Where signal masks do not exist (Windows) the block runs as is."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _write_chunk(items: list[tuple[str, bytes]], *, force: bool, written: list[str]) -> None:
    """Stage, flush, then rename or link into place. An exception at any point (a full
    disk, a taken name, KeyboardInterrupt or the CLI's SIGTERM exception) removes every
    temporary file; the files already in place are whole."""
    special: list[tuple[str, bytes]] = []
    regular: list[tuple[str, bytes]] = []
    for item in items:
        (special if is_special(item[0]) else regular).append(item)
    if not force:
        for path, _data in regular:
            if os.path.lexists(path):
                raise OutputExists(f"{path}: exists (use --force to replace it)")
    for path, data in special:  # nothing there to lose, nothing a rename could replace
        with open(path, "wb") as stream:
            stream.write(data)
        written.append(path)
    staged: list[tuple[int, str, str]] = []
    mask = _umask()
    try:
        for path, data in regular:
            fd, _temp = _stage(path, staged)
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
        _flush(fd for fd, _temp, _path in staged)
        for fd, temp, path in staged:
            _commit(fd, temp, path, force=force, mask=mask)
            written.append(path)
    finally:
        _discard(staged)


def _put_in_place(temp: str, path: str, *, force: bool) -> None:
    if force:
        os.replace(temp, path)
        return
    try:
        os.link(temp, path)  # fails if the path appeared meanwhile: never clobber
    except FileExistsError:
        raise OutputExists(f"{path}: exists (use --force to replace it)") from None
    except OSError:
        os.replace(temp, path)  # file systems without hard links


def is_special(path: str) -> bool:
    """``path`` (after symbolic links) is a device, a FIFO or a socket: ``--output
    /dev/null`` or ``>(gzip > x)``. Written to as it is: a temporary file renamed over
    /dev/null would replace the device itself (for root) with a regular file."""
    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError):
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


def _stage(path: str, staged: list[tuple[int, str, str]]) -> tuple[int, str]:
    """A temporary file beside ``path`` (its descriptor and name), created and recorded
    in ``staged`` with signals held, so that a Ctrl-C cannot leave one unrecorded."""
    directory = os.path.dirname(os.path.abspath(path))
    fd: int
    temp: str
    with _signals_held():
        fd, temp = _tempfile().mkstemp(prefix=".profilesmith-", suffix=".tmp", dir=directory)
        staged.append((fd, temp, path))
    return fd, temp


def _discard(staged: list[tuple[int, str, str]]) -> None:
    """Close every staged file and remove those not renamed into place."""
    with _signals_held():
        for fd, temp, _path in staged:
            os.close(fd)
            if os.path.exists(temp):
                os.unlink(temp)


def _commit(fd: int, temp: str, path: str, *, force: bool, mask: int) -> None:
    """A staged file, flushed, into place with the mode of the file it replaces (or the
    umask's)."""
    mode = (os.stat(path).st_mode & 0o7777) if os.path.exists(path) else 0o666 & ~mask
    os.fchmod(fd, mode)
    with _signals_held():  # in place and recorded, or neither
        _put_in_place(temp, path, force=force)


@contextmanager
def atomic_text(path: str) -> Iterator[TextIO]:
    """A text stream whose content replaces ``path`` when the block ends without error.
    It goes to the temporary file as it is written: a report of many thousand files held
    in memory first (a StringIO holds four bytes a character) was most of lint's peak."""
    if is_special(path):
        with open(path, "w", encoding="utf-8", newline="") as stream:
            yield stream
        return
    mask = _umask()
    staged: list[tuple[int, str, str]] = []
    try:
        fd, temp = _stage(path, staged)
        with open(fd, "w", encoding="utf-8", newline="", closefd=False) as stream:
            yield stream
        os.fsync(fd)
        _commit(fd, temp, path, force=True, mask=mask)
    finally:
        _discard(staged)


