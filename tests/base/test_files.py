"""base.files.read_limited: exact bytes, the limit, FIFOs, and no limit-sized buffer."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from profilesmith.base import files


def test_reads_a_regular_file_whole(tmp_path: Path) -> None:
    path = tmp_path / "a.mobileconfig"
    path.write_bytes(b"<plist/>" * 1000)
    assert files.read_limited(str(path)) == b"<plist/>" * 1000
    empty = tmp_path / "empty"
    empty.write_bytes(b"")
    assert files.read_limited(str(empty)) == b""


def test_limit_is_exact(tmp_path: Path) -> None:
    path = tmp_path / "a"
    path.write_bytes(b"x" * 10)
    assert files.read_limited(str(path), limit=10) == b"x" * 10
    with pytest.raises(files.TooLarge) as caught:
        files.read_limited(str(path), limit=9)
    assert (caught.value.size, caught.value.limit, caught.value.filename) == (10, 9, str(path))


def test_asks_the_file_system_for_no_more_than_the_file_holds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a read of the limit allocates the limit first (64 MiB a file); a read of the size
    # plus one is enough to see the end of a regular file
    path = tmp_path / "a"
    path.write_bytes(b"y" * 100)
    asked: list[int] = []
    real_open = open

    class Spy:
        def __init__(self, handle: object) -> None:
            self.handle = handle

        def __enter__(self) -> Spy:
            return self

        def __exit__(self, *exc: object) -> None:
            self.handle.close()  # type: ignore[attr-defined]

        def fileno(self) -> int:
            return self.handle.fileno()  # type: ignore[attr-defined,no-any-return]

        def read(self, size: int) -> bytes:
            asked.append(size)
            return self.handle.read(size)  # type: ignore[attr-defined,no-any-return]

    monkeypatch.setattr(files, "open", lambda *a, **k: Spy(real_open(*a, **k)), raising=False)
    assert files.read_limited(str(path)) == b"y" * 100
    assert max(asked) == 101


def test_a_fifo_is_read_to_its_end_and_bounded(tmp_path: Path) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs here")
    fifo = tmp_path / "fifo"

    def feed(data: bytes) -> threading.Thread:
        def write() -> None:
            with open(fifo, "wb") as handle:
                for i in range(0, len(data), 7):
                    handle.write(data[i : i + 7])
                    handle.flush()

        thread = threading.Thread(target=write)
        thread.start()
        return thread

    os.mkfifo(fifo)
    thread = feed(b"z" * 50)
    assert files.read_limited(str(fifo), limit=50) == b"z" * 50
    thread.join()
    thread = feed(b"z" * 51)
    with pytest.raises(files.TooLarge) as caught:
        files.read_limited(str(fifo), limit=50)
    thread.join()
    assert caught.value.size == 51
