"""SIGINT and SIGTERM in the middle of a batch write, sent to a real ``profilesmith``
process: no temporary file stays, every output in place is whole, exit 130 / 143.

The process is frozen (SIGSTOP) as soon as its first output appears, so the signal
arrives while files of later chunks are still to be written whatever the machine's
speed; it is then sent and the process resumed (SIGCONT).
"""

from __future__ import annotations

import os
import plistlib
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from profilesmith.plist.reader import read_bytes
from tests.pki import PKI
from tests.render.test_batch import VALUES, write_rows

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGSTOP"), reason="POSIX signals")

ROWS = 700  # three chunks of writes (files.write_all writes 256 at a time)
PROFILE = plistlib.dumps({
    "PayloadContent": [], "PayloadIdentifier": "com.example.sig", "PayloadType":
    "Configuration", "PayloadUUID": "1C3F2B7A-5D4E-4A6B-9C8D-7E6F5A4B3C2D",
    "PayloadVersion": 1, "PayloadDisplayName": "Signal"})


def interrupt_when_written(args: list[str], out: Path, sig: int,
                           ready: Callable[[Path], list[str]] | None = None
                           ) -> tuple[int, str, int]:
    """Run the CLI, freeze it once ``ready(out)`` (default: an output exists) names a
    file, send ``sig``: (exit code, stderr, files named when it was frozen)."""
    written = ready or _outputs
    process = subprocess.Popen([sys.executable, "-m", "profilesmith", *args],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        while process.poll() is None and not written(out):
            time.sleep(0.001)  # waiting on the first file, not on a duration
        assert process.poll() is None, process.stderr.read().decode() if process.stderr else ""
        process.send_signal(signal.SIGSTOP)
        frozen = len(written(out))
        process.send_signal(sig)
        process.send_signal(signal.SIGCONT)
        _, stderr = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    return process.returncode, stderr.decode(), frozen


def _outputs(out: Path) -> list[str]:
    try:
        return [name for name in os.listdir(out) if name.endswith(".mobileconfig")]
    except FileNotFoundError:
        return []


def check_directory(out: Path, frozen: int, total: int) -> list[str]:
    names = sorted(os.listdir(out))
    assert [n for n in names if not n.endswith(".mobileconfig")] == []  # no .tmp left
    assert frozen <= len(names) < total  # stopped mid-way, nothing taken back
    return names


@pytest.mark.parametrize(("sig", "code", "name"), [(signal.SIGINT, 130, "SIGINT"),
                                                   (signal.SIGTERM, 143, "SIGTERM")])
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_build_rows_interrupted(tmp_path: Path, sig: int, code: int, name: str,
                                jobs: str) -> None:
    (tmp_path / "v.yaml").write_text(VALUES)
    write_rows(tmp_path / "rows.csv", ROWS)
    out = tmp_path / "out"
    exit_code, stderr, frozen = interrupt_when_written(
        ["build", "enrollment", "--values", str(tmp_path / "v.yaml"), "--rows",
         str(tmp_path / "rows.csv"), "--output-dir", str(out), "--name",
         "{serial}.mobileconfig", "--jobs", jobs], out, sig)
    assert exit_code == code
    assert stderr.splitlines()[-1] == f"profilesmith: interrupted by {name}; no file was " \
                                      "left half-written"
    assert "Traceback" not in stderr
    for path in check_directory(out, frozen, ROWS):
        root = plistlib.loads((out / path).read_bytes())  # whole, not truncated
        assert root["PayloadType"] == "Configuration"


def test_sign_batch_interrupted_keeps_replaced_files_whole(tmp_path: Path, pki: PKI) -> None:
    sources = tmp_path / "in"
    sources.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    paths = []
    for index in range(ROWS):
        path = sources / f"p{index:04d}.mobileconfig"
        path.write_bytes(PROFILE)
        paths.append(str(path))
    # the user's own files, which --force replaces: each must end either old or new
    old = b"the user's own file\n"
    for index in range(ROWS):
        (out / f"p{index:04d}.mobileconfig").write_bytes(old)

    def changed(directory: Path) -> list[str]:
        return [n for n in os.listdir(directory)
                if n.endswith(".mobileconfig") and (directory / n).read_bytes() != old]

    code, stderr, frozen = interrupt_when_written(
        ["sign", *paths, "--output-dir", str(out), "--force", "--no-lint", "--jobs", "1",
         "--key", str(pki.leaf.key_path), "--cert", str(pki.leaf.cert_path),
         "--chain", str(pki.intermediate.cert_path)], out, signal.SIGINT, changed)
    assert code == 130
    assert stderr.splitlines() == [
        "profilesmith: interrupted by SIGINT; no file was left half-written"]
    names = sorted(os.listdir(out))
    assert names == [f"p{index:04d}.mobileconfig" for index in range(ROWS)]  # no .tmp
    signed = changed(out)
    assert frozen <= len(signed) < ROWS
    for name in signed:
        doc = read_bytes((out / name).read_bytes(), name)
        assert doc.format == "cms"
        assert doc.content == PROFILE
