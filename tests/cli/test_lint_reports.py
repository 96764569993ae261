"""``profilesmith lint``: the format an --output file gets, reports that stay valid
documents on usage errors, --statistics, --exit-zero and --platform spelling.

Runs use ``--select STR001,STR003`` where the exact output matters, so that rules added
later cannot change what these tests see.
"""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

from tests.conftest import run_cli

PROFILES = Path(__file__).parent.parent / "data" / "profiles"
SARIF_SCHEMA = Path(__file__).parent.parent / "data" / "sarif-schema-2.1.0.json"
SELECT = ("--select", "STR001,STR003")
TEXT = (
    "bad.mobileconfig:20:4: error STR001 duplicate key 'allowCamera': one of its values is "
    "dropped\n"
    "bad.mobileconfig:33:2: warning STR003 PayloadUUID 'com.example.bad' is not a UUID\n"
    "1 file checked: 1 error(s), 1 warning(s), 0 info\n"
)
MISSING = "missing.mobileconfig: no such file or directory"


@pytest.fixture(autouse=True)
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("good.mobileconfig", "bad.mobileconfig"):
        shutil.copy(PROFILES / name, tmp_path / name)
    monkeypatch.chdir(tmp_path)
    for name in ("GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def lint(*args: str) -> tuple[int, str, str]:
    result = run_cli("lint", *args)
    return result.exit_code, result.stdout, result.stderr


def sarif_errors(document: dict[str, object]) -> list[str]:
    jsonschema.Draft7Validator(json.loads(SARIF_SCHEMA.read_text())).validate(document)
    (run,) = document["runs"]  # type: ignore[misc]
    assert run["results"] == []
    (invocation,) = run["invocations"]
    assert (invocation["executionSuccessful"], invocation["exitCode"]) == (False, 2)
    return [n["message"]["text"] for n in invocation["toolExecutionNotifications"]]


# -- the --output file's format ----------------------------------------------------------------


@pytest.mark.parametrize(("name", "kind"), [
    ("r.sarif", "sarif"), ("R.SARIF", "sarif"), ("r.json", "json"), ("r.xml", "junit"),
    ("r.txt", "text"), ("r", "text"),
])
def test_output_format_follows_the_extension(workdir: Path, name: str, kind: str) -> None:
    assert lint(*SELECT, "--output", name, "bad.mobileconfig") == (1, TEXT, "")
    written = (workdir / name).read_text()
    if kind == "sarif":
        assert [r["ruleId"] for r in json.loads(written)["runs"][0]["results"]] == [
            "STR001", "STR003"]
    elif kind == "json":
        assert [f["rule"] for f in json.loads(written)["findings"]] == ["STR001", "STR003"]
    elif kind == "junit":
        assert ET.fromstring(written).find("testsuite/testcase/failure").get("type") == "STR001"
    else:
        assert written == TEXT


def test_an_explicit_format_wins_over_the_extension(workdir: Path) -> None:
    assert lint(*SELECT, "--format", "json", "--output", "r.sarif", "bad.mobileconfig")[0] == 1
    assert json.loads((workdir / "r.sarif").read_text())["summary"]["errors"] == 1


def test_output_dash_is_the_report_alone_on_stdout(workdir: Path) -> None:
    code, out, err = lint(*SELECT, "--format", "json", "--output", "-", "bad.mobileconfig")
    assert (code, err) == (1, "")
    assert [f["rule"] for f in json.loads(out)["findings"]] == ["STR001", "STR003"]
    assert not (workdir / "-").exists()
    assert lint(*SELECT, "--output", "-", "bad.mobileconfig") == (1, TEXT, "")


# -- documents stay documents on usage errors ----------------------------------------------------


def test_sarif_on_stdout_for_a_missing_path() -> None:
    code, out, err = lint("--format", "sarif", "good.mobileconfig", "missing.mobileconfig")
    assert (code, err) == (2, f"profilesmith: {MISSING}\n")
    assert sarif_errors(json.loads(out)) == [MISSING]


def test_sarif_file_for_a_missing_path(workdir: Path) -> None:
    assert lint("--output", "r.sarif", "missing.mobileconfig") == (
        2, "", f"profilesmith: {MISSING}\n")
    assert sarif_errors(json.loads((workdir / "r.sarif").read_text())) == [MISSING]


def test_json_and_junit_for_a_missing_path(workdir: Path) -> None:
    code, out, _ = lint("--format", "json", "missing.mobileconfig")
    assert code == 2
    assert json.loads(out) == {
        "version": 1, "files": [], "findings": [],
        "summary": {"files": 0, "errors": 0, "warnings": 0, "infos": 0},
        "errors": [MISSING]}
    code, out, _ = lint("--output", "r.xml", "missing.mobileconfig")
    root = ET.fromstring((workdir / "r.xml").read_text())
    assert (root.get("tests"), root.get("errors")) == ("1", "1")
    error = root.find("testsuite/testcase/error")
    assert error is not None
    assert (error.get("message"), error.text) == (MISSING, MISSING)


def test_documents_when_click_refuses_the_arguments(workdir: Path) -> None:
    code, out, err = lint("--format", "json")
    assert code == 2
    assert json.loads(out)["errors"] == ["Missing argument 'PATHS...'."]
    assert "Missing argument 'PATHS...'." in err
    code, out, err = lint("--output=r.sarif", "--jobs", "x", "good.mobileconfig")
    assert (code, out) == (2, "")
    assert sarif_errors(json.loads((workdir / "r.sarif").read_text())) == [
        "Invalid value for '--jobs' / '-j': 'x' is not a valid integer range."]


def test_documents_for_a_broken_config_and_an_unreadable_baseline(workdir: Path) -> None:
    (workdir / "broken.toml").write_text("select = [")
    code, out, err = lint("--format", "json", "--config", "broken.toml", "good.mobileconfig")
    assert code == 2
    (message,) = json.loads(out)["errors"]
    assert message.startswith("broken.toml: invalid TOML (")
    assert err == f"profilesmith: {message}\n"
    code, out, err = lint("--format", "sarif", "--baseline", "none.json", "good.mobileconfig")
    assert code == 2
    expected = "none.json: cannot read the baseline (No such file or directory)"
    assert sarif_errors(json.loads(out)) == [expected]
    assert err == f"profilesmith: {expected}\n"


def test_an_unreadable_file_is_in_the_document_too(monkeypatch: pytest.MonkeyPatch) -> None:
    from profilesmith.lint import run

    real = run.read_path

    def read_path(path: str, **_: object) -> object:
        if path == "locked.mobileconfig":
            raise PermissionError(13, "Permission denied", path)
        return real(path)

    monkeypatch.setattr(run, "read_path", read_path)
    shutil.copy(PROFILES / "good.mobileconfig", "locked.mobileconfig")
    code, out, err = lint("--format", "json", "good.mobileconfig", "locked.mobileconfig")
    assert code == 2
    report = json.loads(out)
    assert report["errors"] == ["locked.mobileconfig: cannot read (Permission denied)"]
    assert [f["path"] for f in report["files"]] == ["good.mobileconfig", "locked.mobileconfig"]
    assert err == "profilesmith: locked.mobileconfig: cannot read (Permission denied)\n"


# -- --statistics, --exit-zero -----------------------------------------------------------------


def test_statistics_replace_the_listing_in_text(workdir: Path) -> None:
    shutil.copy(workdir / "bad.mobileconfig", workdir / "bad2.mobileconfig")
    code, out, err = lint(*SELECT, "--statistics", "bad.mobileconfig", "bad2.mobileconfig")
    assert (code, err) == (1, "")
    assert out == (
        "2  STR001  error    A dictionary holds the same key twice.\n"
        "2  STR003  warning  A PayloadUUID is not a UUID (8-4-4-4-12 hexadecimal digits).\n"
        "2 files checked: 2 error(s), 2 warning(s), 0 info\n")


def test_statistics_go_to_stderr_beside_a_document() -> None:
    code, out, err = lint(*SELECT, "--statistics", "--format", "json", "bad.mobileconfig")
    assert code == 1
    assert json.loads(out)["summary"]["errors"] == 1
    assert err == ("1  STR001  error    A dictionary holds the same key twice.\n"
                   "1  STR003  warning  A PayloadUUID is not a UUID (8-4-4-4-12 hexadecimal "
                   "digits).\n"
                   "1 file checked: 1 error(s), 1 warning(s), 0 info\n")


def test_exit_zero_for_findings_but_not_for_usage_errors() -> None:
    assert lint(*SELECT, "--exit-zero", "bad.mobileconfig") == (0, TEXT, "")
    assert lint(*SELECT, "--exit-zero", "--strict", "bad.mobileconfig")[0] == 0
    assert lint("--exit-zero", "missing.mobileconfig") == (2, "", f"profilesmith: {MISSING}\n")


# -- --platform ---------------------------------------------------------------------------------


def test_platform_names_in_any_case() -> None:
    lower = lint("--format", "json", "--platform", "ios", "--platform", "macos",
                 "good.mobileconfig")
    mixed = lint("--format", "json", "--platform", "iOS", "--platform", "macOS",
                 "good.mobileconfig")
    assert mixed == lower
    assert lint("--platform", "IOS", "good.mobileconfig")[0] == 0
    code, out, err = lint("--platform", "iPadOS", "good.mobileconfig")
    assert (code, out) == (2, "")
    assert err == ("profilesmith: --platform: unknown platform 'iPadOS' (use ios, macos, "
                   "tvos, watchos, visionos, optionally with :MIN_VERSION)\n")
