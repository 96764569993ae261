"""The click-free ``lint`` path (cli/fast.py): which invocations it takes, what it passes
on, and that its output, report files and exit codes are byte for byte those of the
click command for every invocation it takes."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from profilesmith.cli.fast import parse
from tests.acceptance_helpers import child_env
from tests.conftest import CORPUS, MESSAGES, REPO

PROFILES = REPO / "tests" / "data" / "profiles"
FIXTURES = REPO / "tests" / "fixtures"
BAD, GOOD = str(PROFILES / "bad.mobileconfig"), str(PROFILES / "good.mobileconfig")
DECLARATION = str(FIXTURES / "positive" / "DDM001" / "misspelt-type.json")
SIGNED = str(FIXTURES / "negative" / "PAR013" / "signed.mobileconfig")
TRUNCATED = str(FIXTURES / "positive" / "PAR013" / "truncated-signed.mobileconfig")
UNCLOSED = str(FIXTURES / "positive" / "PAR001" / "unclosed-string.mobileconfig")
CERTS = str(FIXTURES / "positive" / "CRT101" / "not-certificates.mobileconfig")

# main() as installed, and main() with the fast path refused: everything goes to click
FAST = "import sys; from profilesmith.cli import main; main(sys.argv[1:])"
CLICK = ("import sys; import profilesmith.cli.fast as fast; fast.parse = lambda argv: None\n"
         "from profilesmith.cli import main; main(sys.argv[1:])")


def _run(code: str, argv: list[str], cwd: Path, stdin: bytes = b"") -> tuple[int, bytes, bytes]:
    done = subprocess.run([sys.executable, "-c", code, *argv], cwd=cwd, input=stdin,
                          capture_output=True, env=child_env(), check=False)
    return done.returncode, done.stdout, done.stderr


def _same(argv: list[str], cwd: Path, stdin: bytes = b"",
          written: Path | None = None) -> tuple[int, bytes, bytes]:
    """Run ``argv`` both ways; assert the fast path takes it and both give the same."""
    assert parse(argv) is not None, argv
    fast = _run(FAST, argv, cwd, stdin)
    fast_file = written.read_bytes() if written is not None else None
    if written is not None:
        written.unlink()
    slow = _run(CLICK, argv, cwd, stdin)
    assert fast == slow, argv
    if written is not None:
        assert written.read_bytes() == fast_file
    return fast


INVOCATIONS = [
    ["lint", GOOD],
    ["lint", BAD],
    ["lint", BAD, GOOD, "--format", "json"],
    ["lint", "--format=sarif", BAD, DECLARATION],
    ["lint", BAD, "--format", "junit", "--strict"],
    ["lint", BAD, "--format", "github", "--select", "STR,PLD", "--ignore", "PLD001"],
    ["lint", BAD, "--statistics"],
    ["lint", BAD, "--statistics", "--format", "json"],
    ["lint", BAD, "--exit-zero", "--jobs", "1"],
    ["lint", BAD, "--platform", "ios", "--platform=macos:14", "--now", "2030-01-01"],
    ["lint", SIGNED, TRUNCATED, UNCLOSED, CERTS, "--now", "2026-12-02T10:00:00+02:00"],
    ["lint", DECLARATION, "--skip-unrecognised"],
    ["lint", str(FIXTURES / "positive")],
    # errors the command itself finds: one line each, exit 2, whole documents
    ["lint", BAD, "--select", "NOPE"],
    ["lint", BAD, "--platform", "plan9"],
    ["lint", "missing.mobileconfig"],
    ["lint", "missing.mobileconfig", "--format", "json"],
    ["lint", BAD, "--config", "missing.toml", "--format", "sarif"],
]


@pytest.mark.parametrize("argv", INVOCATIONS, ids=lambda a: " ".join(Path(x).name for x in a))
def test_fast_path_output_is_clicks(argv: list[str], tmp_path: Path) -> None:
    _same(argv, tmp_path)


def test_the_invocations_cover_findings_and_failures(tmp_path: Path) -> None:
    # the comparisons above are worth something only if the runs differ in kind
    codes = {tuple(argv): _run(FAST, argv, tmp_path)[0] for argv in INVOCATIONS[:3]}
    assert sorted(codes.values()) == [0, 1, 1]
    code, out, err = _run(FAST, ["lint", "missing.mobileconfig", "--format", "json"], tmp_path)
    assert code == 2
    assert json.loads(out)["errors"] == ["missing.mobileconfig: no such file or directory"]
    assert err == b"profilesmith: missing.mobileconfig: no such file or directory\n"


def test_report_file_and_config_file(tmp_path: Path) -> None:
    (tmp_path / ".profilesmith.toml").write_text('select = ["STR003"]\n')
    report = tmp_path / "report.sarif"
    code, out, _ = _same(["lint", BAD, "--output", str(report)], tmp_path, written=report)
    # the config found from the working directory applies (bad.mobileconfig has an STR001
    # error too); the readable log goes to stdout, SARIF to the file
    assert code == 0
    assert b"STR001" not in out
    assert out.count(b" STR003 ") == 1
    assert [r["ruleId"] for r in json.loads(report.read_text())["runs"][0]["results"]] == [
        "STR003"]
    _same(["lint", BAD, "--output", "-", "--format", "json"], tmp_path)


def test_standard_input(tmp_path: Path) -> None:
    data = Path(BAD).read_bytes()
    code, out, _ = _same(["lint", "-", "--format", "json"], tmp_path, stdin=data)
    assert code == 1
    assert json.loads(out)["files"][0]["path"] == "-"


def test_real_files(tmp_path: Path) -> None:
    if not CORPUS.is_dir() or not MESSAGES.is_dir():
        pytest.skip("the shared corpus is not available")
    index = [line.split("\t") for line in (CORPUS / "INDEX.tsv").read_text().splitlines()[1:]]
    signed = [str(CORPUS / row[0]) for row in index if row[2] == "signed-cms"][:3]
    certificates = [str(CORPUS / row[0]) for row in index if "pkcs1" in row[4]][:2]
    plain = [str(CORPUS / row[0]) for row in index if row[2] == "xml"][:3]
    declaration = sorted(MESSAGES.rglob("*.json"))[0]
    for path in [*signed, *certificates, *plain, str(declaration)]:
        _same(["lint", path], tmp_path)
    _same(["lint", "--format", "json", *signed, *certificates, *plain], tmp_path)


@pytest.mark.parametrize("argv", [
    [], ["rules"], ["--version"], ["--help"], ["lint"], ["lint", "--help"], ["lint", "-h"],
    ["lint", BAD, "-h"], ["lint", "-j", "2", BAD], ["lint", "--", BAD], ["lint", "-x", BAD],
    ["lint", "--format", "xml", BAD], ["lint", "--format=", BAD], ["lint", BAD, "--format"],
    ["lint", "--jobs", "-1", BAD], ["lint", "--jobs", "two", BAD], ["lint", "--jobs=", BAD],
    ["lint", "--now", "yesterday", BAD], ["lint", "--strict=yes", BAD],
    ["lint", "--select", "--strict", BAD], ["lint", "--baseline", "b.json", BAD],
    ["lint", "--write-baseline", "b.json", BAD], ["lint", "--supervised", BAD],
    ["lint", "--apple-data", "data", BAD], ["lint", "--form", "json", BAD],
    ["lint", "--output", str(PROFILES), BAD], ["lint", "--config", str(PROFILES), BAD],
])
def test_left_to_click(argv: list[str]) -> None:
    assert parse(argv) is None


def test_completion_is_left_to_click(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("_PROFILESMITH_COMPLETE", "bash_complete")
    assert parse(["lint", BAD]) is None


def test_what_the_fast_path_passes_on() -> None:
    from datetime import UTC, datetime

    values: dict[str, Any] | None = parse([
        "lint", "a.mobileconfig", "--format=json", "--platform", "macos", "-",
        "--platform=ios:17", "--jobs", "1", "--now", "2026-12-02", "--strict", "--select",
        "STR", "--select=PLD", "--output", "-", "--exit-zero", "--statistics"])
    assert values == {
        "paths": ("a.mobileconfig", "-"), "fmt": "json", "output": "-", "config_path": None,
        "select": "PLD", "ignore": None, "jobs": 1, "now": datetime(2026, 12, 2, tzinfo=UTC),
        "strict": True, "skip_unrecognised": False, "statistics": True, "exit_zero": True,
        "platforms": ("macos", "ios:17"), "baseline_path": None, "write_baseline": None}


@pytest.mark.parametrize(("raised", "code"), [(KeyboardInterrupt, 130), (EOFError, 1)])
def test_interrupt_and_end_of_input_as_click(raised: type[BaseException], code: int,
                                            monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    import profilesmith.cli.fast
    import profilesmith.cli.lint
    import profilesmith.cli.linting
    from profilesmith.cli import main

    def stopped(*args: Any, **kwargs: Any) -> int:
        raise raised

    monkeypatch.setattr(profilesmith.cli.linting, "run_lint", stopped)
    monkeypatch.setattr(profilesmith.cli.lint, "run_lint", stopped)
    seen = []
    handlers = signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)
    try:
        for fast in (True, False):
            if not fast:
                monkeypatch.setattr(profilesmith.cli.fast, "parse", lambda argv: None)
            with pytest.raises(SystemExit) as exit_:
                main(["lint", BAD])
            captured = capsys.readouterr()
            seen.append((exit_.value.code, captured.out, captured.err))
    finally:  # main ignores further signals once interrupted: not this test process
        signal.signal(signal.SIGINT, handlers[0])
        signal.signal(signal.SIGTERM, handlers[1])
    assert seen[0] == seen[1]
    assert seen[0][0] == code
    assert seen[0][2] == ("profilesmith: interrupted by SIGINT; no file was left half-written\n"
                          if code == 130 else "\nAborted!\n")
