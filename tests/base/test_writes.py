"""base.files writes: a report streamed to a temporary file and renamed into place, and
devices or FIFOs (``--output /dev/null``) written to as they are, never replaced."""

from __future__ import annotations

import json
import os
import stat
import threading
from pathlib import Path

import pytest

from profilesmith.base import files
from tests.conftest import FIXTURES, run_cli


def _drain(fifo: Path, into: list[bytes]) -> threading.Thread:
    def read() -> None:
        with open(fifo, "rb") as stream:
            into.append(stream.read())

    thread = threading.Thread(target=read, daemon=True)
    thread.start()
    return thread


def test_a_report_goes_to_a_temporary_file_until_it_is_whole(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    target.write_text("old\n")
    target.chmod(0o640)
    with files.atomic_text(str(target)) as stream:
        stream.write("new\r\n")  # no newline translation: the bytes as written
        staged = [p.name for p in tmp_path.iterdir() if p.name.startswith(".profilesmith-")]
        assert len(staged) == 1
        assert target.read_text() == "old\n"
    assert target.read_bytes() == b"new\r\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json"]


def test_a_report_that_fails_half_way_leaves_the_old_file_and_no_temporary(
        tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    target.write_text("old\n")

    def report() -> None:
        with files.atomic_text(str(target)) as stream:
            stream.write("half")
            raise RuntimeError("the reporter failed")

    with pytest.raises(RuntimeError):
        report()
    assert target.read_text() == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json"]


def test_a_fifo_is_written_to_and_stays_a_fifo(tmp_path: Path) -> None:
    fifo = tmp_path / "out"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = _drain(fifo, got)
    with files.atomic_text(str(fifo)) as stream:
        stream.write("report\n")
    reader.join(10)
    assert got == [b"report\n"]
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    # an existing device is no output to protect: written without --force
    reader = _drain(fifo, got)
    assert files.write_all([(str(fifo), b"signed")], force=False) == [str(fifo)]
    reader.join(10)
    assert got[1] == b"signed"
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def test_dev_null_is_a_special_file_and_a_regular_file_is_not(tmp_path: Path) -> None:
    assert files.is_special(os.devnull)
    (tmp_path / "a").write_text("x")
    os.symlink(os.devnull, tmp_path / "null-link")
    assert not files.is_special(str(tmp_path / "a"))
    assert not files.is_special(str(tmp_path / "missing"))
    assert not files.is_special(str(tmp_path))
    assert files.is_special(str(tmp_path / "null-link"))


def test_lint_output_to_a_fifo_writes_the_report_into_it(tmp_path: Path) -> None:
    # it once renamed a temporary file over the output: for root, --output /dev/null
    # replaced the device with a regular file (a FIFO here, not to risk /dev/null)
    fifo = tmp_path / "report.json"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = _drain(fifo, got)
    result = run_cli("lint", "--format", "json", "--output", str(fifo),
                     str(FIXTURES / "enrollment" / "apple-mdm-example-valid-cert.mobileconfig"))
    reader.join(10)
    assert result.exit_code == 0, result.output
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert json.loads(got[0])["summary"]["files"] == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json"]
