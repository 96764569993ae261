"""Baselines: ``lint --write-baseline FILE`` records today's findings, ``lint --baseline
FILE`` leaves them out (matched by path, rule and pointer, not line), says which entries
no longer occur, and paths are relative to the baseline file."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path

import pytest

from profilesmith.base.findings import Finding, Severity
from profilesmith.lint import baseline
from tests.conftest import run_cli

PROFILES = Path(__file__).parent.parent / "data" / "profiles"
SELECT = ("--select", "STR001,STR003")
DUPLICATE = ("profiles/bad.mobileconfig:20:4: error STR001 duplicate key 'allowCamera': one "
             "of its values is dropped")
NOT_UUID = "PayloadUUID 'com.example.bad' is not a UUID"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository with profiles/bad.mobileconfig (an error and a warning) and
    profiles/good.mobileconfig, as the working directory."""
    (tmp_path / "profiles").mkdir()
    for name in ("good.mobileconfig", "bad.mobileconfig"):
        shutil.copy(PROFILES / name, tmp_path / "profiles" / name)
    monkeypatch.chdir(tmp_path)
    for name in ("GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def lint(*args: str) -> tuple[int, str, str]:
    result = run_cli("lint", *SELECT, *args)
    return result.exit_code, result.stdout, result.stderr


def test_write_baseline_records_the_findings_and_exits_0(repo: Path) -> None:
    code, out, err = lint("--write-baseline", "baseline.json", "profiles")
    assert code == 0
    assert out.splitlines()[0] == DUPLICATE  # the report is still shown
    assert err == "profilesmith: wrote baseline.json (2 finding(s) in 1 file(s))\n"
    assert (repo / "baseline.json").read_text() == """\
{
  "version": 1,
  "findings": [
    {
      "path": "profiles/bad.mobileconfig",
      "rule": "STR001",
      "pointer": "/PayloadContent/0/allowCamera",
      "message": "duplicate key 'allowCamera': one of its values is dropped"
    },
    {
      "path": "profiles/bad.mobileconfig",
      "rule": "STR003",
      "pointer": "/PayloadUUID",
      "message": "PayloadUUID 'com.example.bad' is not a UUID"
    }
  ]
}
"""


def test_baseline_leaves_out_recorded_findings_even_when_lines_move(repo: Path) -> None:
    assert lint("--write-baseline", "baseline.json", "profiles")[0] == 0
    assert lint("--baseline", "baseline.json", "profiles") == (
        0, "2 files checked: no findings\n", "")
    # lines above the defects: their lines change, their pointers do not
    bad = repo / "profiles" / "bad.mobileconfig"
    bad.write_text(bad.read_text().replace("<dict>\n", "<dict>\n\n\n", 1))
    assert lint("--baseline", "baseline.json", "profiles") == (
        0, "2 files checked: no findings\n", "")
    # a new defect is reported, with the exit code it deserves
    good = repo / "profiles" / "good.mobileconfig"
    good.write_text(good.read_text().replace("0E5D2C7B-9A41-4F3E-8B6C-5A2D1E9F7B23", "nope"))
    code, out, err = lint("--baseline", "baseline.json", "profiles")
    assert (code, err) == (0, "")
    assert out == ("profiles/good.mobileconfig:31:2: warning STR003 PayloadUUID 'nope' is not "
                   "a UUID\n2 files checked: 0 error(s), 1 warning(s), 0 info\n")


def test_stale_entries_are_said_without_changing_the_exit_code(repo: Path) -> None:
    assert lint("--write-baseline", "baseline.json", "profiles")[0] == 0
    bad = repo / "profiles" / "bad.mobileconfig"
    bad.write_text(bad.read_text().replace("<key>allowCamera</key>\n\t\t\t<false/>\n", ""))
    code, out, err = lint("--baseline", "baseline.json", "--strict", "profiles")
    assert (code, out) == (0, "2 files checked: no findings\n")
    assert err == (
        "profilesmith: baseline.json: no longer found: profiles/bad.mobileconfig STR001 "
        "/PayloadContent/0/allowCamera\n"
        "profilesmith: baseline.json: 1 entry no longer found (--write-baseline rewrites it)\n")
    # entries of files this run did not lint are not stale
    assert lint("--baseline", "baseline.json", "profiles/good.mobileconfig") == (
        0, "1 file checked: no findings\n", "")


def test_paths_are_relative_to_the_baseline_file(repo: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    assert lint("--write-baseline", "baseline.json", "profiles")[0] == 0
    monkeypatch.chdir(repo / "profiles")
    assert lint("--baseline", "../baseline.json", "bad.mobileconfig") == (
        0, "1 file checked: no findings\n", "")
    assert lint("--baseline", str(repo / "baseline.json"), str(repo / "profiles")) == (
        0, "2 files checked: no findings\n", "")


def test_counts_when_a_key_occurs_more_than_once(tmp_path: Path) -> None:
    profile = str(tmp_path / "a.mobileconfig")

    def finding(line: int) -> Finding:
        return Finding(profile, line, 1, "/X", "STR001", Severity.ERROR, "dup")

    path = str(tmp_path / "b.json")
    data = json.loads(baseline.dumps([finding(3), finding(9)], path))
    assert data["findings"] == [{"path": "a.mobileconfig", "rule": "STR001", "pointer": "/X",
                                 "message": "dup", "count": 2}]
    (tmp_path / "b.json").write_text(json.dumps(data))
    entries = baseline.load(path)
    key = baseline.Key("a.mobileconfig", "STR001", "/X")
    assert entries == Counter({key: 2})
    three = [finding(1), finding(2), finding(5)]
    applied = baseline.apply(entries, three, path, linted=[profile])
    assert applied == baseline.Applied([three[2]], [])  # the third is new
    applied = baseline.apply(entries, three[:1], path, linted=[profile])
    assert applied == baseline.Applied([], [(key, 1)])


@pytest.mark.parametrize(("text", "message"), [
    ("[", "not a baseline file (invalid JSON: Expecting value: line 1 column 2 (char 1))"),
    ('{"findings": []}', 'not a baseline file (expected {"version": 1, "findings": [...]}; '
                         "write one with --write-baseline)"),
    ('{"version": 1, "findings": [{"path": "a"}]}',
     "findings[0] needs path, rule and pointer strings"),
    ('{"version": 1, "findings": [{"path": "a", "rule": "R", "pointer": "", "count": 0}]}',
     "findings[0].count must be a whole number of at least 1"),
])
def test_a_broken_baseline_is_a_usage_error(repo: Path, text: str, message: str) -> None:
    (repo / "b.json").write_text(text)
    assert lint("--baseline", "b.json", "profiles") == (2, "", f"profilesmith: b.json: {message}\n")


def test_many_stale_entries_are_summarised(repo: Path) -> None:
    findings = [Finding(str(repo / "profiles" / "good.mobileconfig"), None, None, f"/K{i:02d}",
                        "STR001", Severity.ERROR, "gone") for i in range(12)]
    (repo / "b.json").write_bytes(baseline.dumps(findings, str(repo / "b.json")))
    code, _, err = lint("--baseline", "b.json", "profiles/good.mobileconfig")
    assert code == 0
    lines = err.splitlines()
    assert lines[:2] == [
        "profilesmith: b.json: no longer found: profiles/good.mobileconfig STR001 /K00",
        "profilesmith: b.json: no longer found: profiles/good.mobileconfig STR001 /K01"]
    assert lines[10:] == ["profilesmith: b.json: ... and 2 more entries no longer found",
                          "profilesmith: b.json: 12 entries no longer found (--write-baseline "
                          "rewrites it)"]


def test_a_baseline_is_a_file() -> None:
    for option in ("--baseline", "--write-baseline"):
        assert lint(option, "-", "x")[2] == (
            f"profilesmith: {option} -: a baseline is a file (standard output carries the "
            "report)\n")
