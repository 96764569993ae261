"""``profilesmith lint``: --format, --output, colour, the GitHub step summary and exit
codes (0 clean / 1 errors, or warnings with --strict / 2 usage errors, 2 winning over 1).

Runs use ``--select STR001,STR003`` where the exact output matters, so that rules added
later cannot change what these tests see.
"""

from __future__ import annotations

import json
import os
import pty
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import run_cli

PROFILES = Path(__file__).parent.parent / "data" / "profiles"
SELECT = ("--select", "STR001,STR003")

TEXT = (
    "bad.mobileconfig:20:4: error STR001 duplicate key 'allowCamera': one of its values is "
    "dropped\n"
    "bad.mobileconfig:33:2: warning STR003 PayloadUUID 'com.example.bad' is not a UUID\n"
    "2 files checked: 1 error(s), 1 warning(s), 0 info\n"
)
GITHUB = (
    "::error file=bad.mobileconfig,line=20,col=4,title=STR001::duplicate key 'allowCamera': "
    "one of its values is dropped\n"
    "::warning file=bad.mobileconfig,line=33,col=2,title=STR003::PayloadUUID "
    "'com.example.bad' is not a UUID\n"
    "profilesmith: 2 files checked: 1 error(s), 1 warning(s), 0 info\n"
)


@pytest.fixture(autouse=True)
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A directory holding good.mobileconfig and bad.mobileconfig, made the working
    directory; and an environment without CI or colour settings."""
    for name in ("good.mobileconfig", "bad.mobileconfig"):
        shutil.copy(PROFILES / name, tmp_path / name)
    warn = (PROFILES / "good.mobileconfig").read_text().replace(
        "0E5D2C7B-9A41-4F3E-8B6C-5A2D1E9F7B23", "not-a-uuid")
    (tmp_path / "warn.mobileconfig").write_text(warn)
    monkeypatch.chdir(tmp_path)
    for name in ("GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def lint(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = run_cli("lint", *args, env=env)
    return result.exit_code, result.stdout, result.stderr


# -- formats -------------------------------------------------------------------------------


def test_auto_is_text_outside_github_actions() -> None:
    assert lint(*SELECT, "good.mobileconfig", "bad.mobileconfig") == (1, TEXT, "")
    env = {"GITHUB_ACTIONS": "false"}
    assert lint(*SELECT, "good.mobileconfig", "bad.mobileconfig", env=env) == (1, TEXT, "")


def test_auto_is_github_on_github_actions() -> None:
    env = {"GITHUB_ACTIONS": "true"}
    assert lint(*SELECT, "good.mobileconfig", "bad.mobileconfig", env=env) == (1, GITHUB, "")
    # an explicit format wins
    out = lint(*SELECT, "--format", "text", "good.mobileconfig", "bad.mobileconfig", env=env)
    assert out == (1, TEXT, "")


def test_json_output_is_the_design_contract() -> None:
    code, out, err = lint(*SELECT, "--format", "json", "good.mobileconfig", "bad.mobileconfig")
    assert (code, err) == (1, "")
    assert out == """\
{
  "version": 1,
  "files": [
    {
      "path": "good.mobileconfig",
      "format": "xml",
      "signed": false,
      "kind": "profile",
      "type": "Configuration"
    },
    {
      "path": "bad.mobileconfig",
      "format": "xml",
      "signed": false,
      "kind": "profile",
      "type": "Configuration"
    }
  ],
  "findings": [
    {
      "path": "bad.mobileconfig",
      "line": 20,
      "column": 4,
      "pointer": "/PayloadContent/0/allowCamera",
      "rule": "STR001",
      "severity": "error",
      "message": "duplicate key 'allowCamera': one of its values is dropped"
    },
    {
      "path": "bad.mobileconfig",
      "line": 33,
      "column": 2,
      "pointer": "/PayloadUUID",
      "rule": "STR003",
      "severity": "warning",
      "message": "PayloadUUID 'com.example.bad' is not a UUID"
    }
  ],
  "summary": {
    "files": 2,
    "errors": 1,
    "warnings": 1,
    "infos": 0
  },
  "data": {
    "source": "bundled",
    "apple": "b6202ca2fbd31286a52eb160b67a4db7b4fe1f1f"
  }
}
"""


def test_github_format_from_stdin() -> None:
    data = (PROFILES / "bad.mobileconfig").read_bytes()
    result = run_cli("lint", "--select", "STR001", "--format", "github", "-", input=data)
    assert result.exit_code == 1
    assert result.stdout == (
        "::error title=STR001::duplicate key 'allowCamera': one of its values is dropped\n"
        "profilesmith: 1 file checked: 1 error(s), 0 warning(s), 0 info\n"
    )


def test_sarif_and_junit_to_stdout() -> None:
    code, out, _ = lint(*SELECT, "--format", "sarif", "bad.mobileconfig")
    assert code == 1
    results = json.loads(out)["runs"][0]["results"]
    assert [(r["ruleId"], r["locations"][0]["physicalLocation"]["region"]) for r in results] == [
        ("STR001", {"startLine": 20, "startColumn": 4}),
        ("STR003", {"startLine": 33, "startColumn": 2}),
    ]
    code, out, _ = lint(*SELECT, "--format", "junit", "bad.mobileconfig")
    assert code == 1
    assert out.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="profilesmith"')
    assert '<failure type="STR001"' in out
    # --strict turns the warning into a failure in the report as in the exit code
    code, out, _ = lint(*SELECT, "--strict", "--format", "junit", "warn.mobileconfig")
    assert code == 1
    failure = '<failure type="STR003" message="STR003 PayloadUUID \'not-a-uuid\' is not a UUID">'
    assert failure in out


# -- --output ------------------------------------------------------------------------------


def test_output_writes_the_format_to_a_file_and_text_to_stdout(workdir: Path) -> None:
    args = (*SELECT, "--format", "sarif", "--output", "report.sarif")
    assert lint(*args, "good.mobileconfig", "bad.mobileconfig") == (1, TEXT, "")
    sarif = json.loads((workdir / "report.sarif").read_text())
    assert [r["ruleId"] for r in sarif["runs"][0]["results"]] == ["STR001", "STR003"]
    # on GitHub Actions stdout gets annotations instead; the file is replaced
    env = {"GITHUB_ACTIONS": "true"}
    args = (*SELECT, "--format", "json", "--output", "report.sarif")
    assert lint(*args, "good.mobileconfig", "bad.mobileconfig", env=env) == (1, GITHUB, "")
    assert json.loads((workdir / "report.sarif").read_text())["summary"]["errors"] == 1


def test_output_with_auto_or_text_format(workdir: Path) -> None:
    assert lint(*SELECT, "--output", "out.txt", "bad.mobileconfig")[:2] == (1, TEXT.replace(
        "2 files", "1 file"))
    assert (workdir / "out.txt").read_text() == TEXT.replace("2 files", "1 file")
    # the file's format comes from its name, not from where the run is: a .txt file of
    # workflow commands would help nobody
    env = {"GITHUB_ACTIONS": "true"}
    assert lint(*SELECT, "--output", "out.txt", "good.mobileconfig", "bad.mobileconfig",
                env=env) == (1, GITHUB, "")
    assert (workdir / "out.txt").read_text() == TEXT


def test_unwritable_output_still_prints_and_exits_2(workdir: Path) -> None:
    code, out, err = lint(*SELECT, "--format", "sarif", "--output", "missing/r.sarif",
                          "good.mobileconfig", "bad.mobileconfig")
    assert (code, out) == (2, TEXT)
    assert err == (
        "profilesmith: missing/r.sarif: cannot write the report (No such file or directory)\n"
    )
    assert not (workdir / "missing").exists()


# -- GitHub step summary -------------------------------------------------------------------


def test_step_summary_is_appended_on_github(workdir: Path) -> None:
    summary = workdir / "summary.md"
    summary.write_text("earlier step\n")
    env = {"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)}
    assert lint(*SELECT, "good.mobileconfig", "bad.mobileconfig", env=env)[0] == 1
    assert summary.read_text() == (
        "earlier step\n"
        "### profilesmith lint\n"
        "\n"
        "2 files checked: 1 error(s), 1 warning(s), 0 info\n"
        "\n"
        "| File | Line | Severity | Rule | Message |\n"
        "| --- | --- | --- | --- | --- |\n"
        "| bad.mobileconfig | 20 | error | STR001 | duplicate key 'allowCamera': one of its "
        "values is dropped |\n"
        "| bad.mobileconfig | 33 | warning | STR003 | PayloadUUID 'com.example.bad' is not a "
        "UUID |\n"
    )
    # only with the github format on stdout
    summary.write_text("")
    lint(*SELECT, "--format", "json", "bad.mobileconfig", env=env)
    assert summary.read_text() == ""


def test_unwritable_step_summary_is_reported_but_not_fatal(workdir: Path) -> None:
    env = {"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(workdir / "no" / "s.md")}
    code, out, err = lint(*SELECT, "good.mobileconfig", env=env)
    assert (code, out) == (0, "profilesmith: 1 file checked: no findings\n")
    assert err == (
        f"profilesmith: {workdir / 'no' / 's.md'}: cannot write the step summary "
        "(No such file or directory)\n"
    )


# -- exit codes ----------------------------------------------------------------------------


def test_exit_codes_for_findings() -> None:
    assert lint("good.mobileconfig")[0] == 0
    assert lint("bad.mobileconfig")[0] == 1
    assert lint(*SELECT, "warn.mobileconfig")[:2] == (
        0,
        "warn.mobileconfig:31:2: warning STR003 PayloadUUID 'not-a-uuid' is not a UUID\n"
        "1 file checked: 0 error(s), 1 warning(s), 0 info\n",
    )
    assert lint(*SELECT, "--strict", "warn.mobileconfig")[0] == 1
    code, out, _ = lint("--strict", "good.mobileconfig")
    assert code == 0, f"good.mobileconfig has findings: {out}"


def test_exit_2_for_a_missing_path() -> None:
    assert lint("good.mobileconfig", "missing.mobileconfig") == (
        2, "", "profilesmith: missing.mobileconfig: no such file or directory\n"
    )


def test_exit_2_for_bad_options() -> None:
    code, out, err = lint("--format", "xml", "good.mobileconfig")
    assert (code, out) == (2, "")
    assert "Invalid value for '--format': 'xml' is not one of" in err
    code, _, err = lint("--jobs", "-1", "good.mobileconfig")
    assert code == 2
    assert lint()[0] == 2  # no PATH


def test_exit_2_wins_over_1(workdir: Path) -> None:
    tree = workdir / "tree"
    tree.mkdir()
    shutil.copy(workdir / "bad.mobileconfig", tree / "bad.mobileconfig")
    (tree / "loop.mobileconfig").symlink_to("loop.mobileconfig")  # cannot be read
    code, out, err = lint(*SELECT, "tree")
    assert code == 2
    assert out.startswith("tree/bad.mobileconfig:20:4: error STR001 ")
    assert err.startswith("profilesmith: tree/loop.mobileconfig: cannot read (")
    assert len(err.splitlines()) == 1


# -- colour --------------------------------------------------------------------------------


def on_terminal(args: list[str], env_changes: dict[str, str]) -> str:
    """Run the real CLI with stdout on a pseudo-terminal; what it printed there."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("NO_COLOR", "GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY")}
    env.update(env_changes)
    main, child = pty.openpty()
    try:
        proc = subprocess.run([sys.executable, "-m", "profilesmith", *args], stdout=child,
                              stderr=subprocess.PIPE, env=env, timeout=60, check=False)
    finally:
        os.close(child)
    chunks = []
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:  # EIO: the terminal has no writer left
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(main)
    assert proc.returncode == 1, proc.stderr
    return b"".join(chunks).decode().replace("\r\n", "\n")


def test_colour_only_on_a_terminal_and_never_with_no_color() -> None:
    args = ["lint", "--select", "STR001", "bad.mobileconfig"]
    coloured = (
        "bad.mobileconfig:20:4: \x1b[31merror\x1b[0m \x1b[1mSTR001\x1b[0m duplicate key "
        "'allowCamera': one of its values is dropped\n"
        "1 file checked: 1 error(s), 0 warning(s), 0 info\n"
    )
    plain = (
        "bad.mobileconfig:20:4: error STR001 duplicate key 'allowCamera': one of its values "
        "is dropped\n"
        "1 file checked: 1 error(s), 0 warning(s), 0 info\n"
    )
    assert on_terminal(args, {}) == coloured
    assert on_terminal(args, {"NO_COLOR": "1"}) == plain
    assert on_terminal(args, {"NO_COLOR": ""}) == coloured  # empty means unset (no-color.org)
    assert on_terminal([*args[:1], "--format", "github", *args[1:]], {}).startswith("::error ")
    # not a terminal (CliRunner's stdout): never colour
    assert lint("--select", "STR001", "bad.mobileconfig")[1] == plain
