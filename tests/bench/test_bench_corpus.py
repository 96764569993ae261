"""The bench's corpus (bench/corpus.py) and measurement (bench/measure.py): what the copies
hold and what a command's rusage counts. No timings are asserted."""

from __future__ import annotations

import plistlib
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

import corpus
import measure

PROFILE = plistlib.dumps({
    "PayloadContent": [{
        "PayloadType": "com.apple.security.pkcs1", "PayloadIdentifier": "com.example.cert",
        "PayloadUUID": "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", "PayloadVersion": 1,
    }, {
        "PayloadType": "com.apple.mdm", "PayloadIdentifier": "com.example.mdm",
        "PayloadUUID": "AAAAAAAA-BBBB-4CCC-8DDD-EEEEEEEEEEEE", "PayloadVersion": 1,
        "IdentityCertificateUUID": "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
    }],
    "PayloadIdentifier": "com.example.top", "PayloadType": "Configuration",
    "PayloadUUID": "AAAAAAAA-BBBB-4CCC-8DDD-EEEEEEEEEEEE", "PayloadVersion": 1,
})


def test_copy_zero_is_the_file_itself() -> None:
    assert corpus.distinct_copy(PROFILE, 0) == PROFILE


def test_a_copy_has_its_own_identifiers_and_uuids_and_keeps_its_references() -> None:
    copy = plistlib.loads(corpus.distinct_copy(PROFILE, 3))
    cert, mdm = copy["PayloadContent"]
    assert [copy["PayloadIdentifier"], cert["PayloadIdentifier"], mdm["PayloadIdentifier"]] == [
        "com.example.top.copy3", "com.example.cert.copy3", "com.example.mdm.copy3"]
    assert cert["PayloadUUID"] != "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
    assert cert["PayloadUUID"].islower()
    assert mdm["PayloadUUID"].isupper()
    assert mdm["IdentityCertificateUUID"] == cert["PayloadUUID"]
    # one old UUID, one new UUID: the same mapping everywhere in the copy
    assert copy["PayloadUUID"] == mdm["PayloadUUID"] != "AAAAAAAA-BBBB-4CCC-8DDD-EEEEEEEEEEEE"


def test_two_copies_differ() -> None:
    assert corpus.distinct_copy(PROFILE, 1) != corpus.distinct_copy(PROFILE, 2)


def test_a_real_corpus_run_without_the_shared_data_fails_naming_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(corpus.SHARED_ENV, str(tmp_path / "absent"))
    with pytest.raises(corpus.CorpusMissing, match=r"real-world corpus is not at .*absent"):
        corpus.build(tmp_path / "out", 1)
    assert not (tmp_path / "out").exists()


def test_synthetic_corpus_counts_its_files(tmp_path: Path) -> None:
    built = corpus.build(tmp_path / "out", 2, synthetic=True)
    assert (built.files, built.unsigned, built.signed, built.unreadable) == (481, 480, 0, 1)
    assert len(list((tmp_path / "out").rglob("*.mobileconfig"))) == 481


def test_a_failing_command_is_reported_with_its_exit_code() -> None:
    command = measure.Command("fails", [sys.executable, "-c", "import sys; sys.exit('no')"])
    with pytest.raises(measure.BenchError, match=r"^fails: exit 1: no\n"):
        measure.run_once(command)


def test_allowed_exit_codes_are_samples() -> None:
    command = measure.Command("exit 1", [sys.executable, "-c", "raise SystemExit(1)"], (0, 1))
    measure.interleave([command], runs=2, warmup=1)
    assert len(command.samples) == 2


def test_peak_rss_is_the_commands_own_not_the_bench_processs() -> None:
    # a child's peak RSS starts at that of the process it is forked from: the bench holds
    # 200 MB here, a bare python needs a tenth of it
    ballast = bytearray(200 * 1024 * 1024)
    for index in range(0, len(ballast), 4096):
        ballast[index] = 1
    sample = measure.run_once(measure.Command("python", [sys.executable, "-c", "pass"]))
    assert 0 < sample.maxrss < 100 * 1024
    del ballast


def test_the_workers_a_command_waits_for_are_counted() -> None:
    assert measure.check_descendants_counted().startswith("rusage self-check: ")
