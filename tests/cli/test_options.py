"""One spelling per idea across commands: the lint options mean the same everywhere a
command lints, ``--format`` is always a report format (``--to`` the plist encoding),
diff and verify speak the CI formats, ``rules --format json``, did-you-mean."""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import click
import pytest

from profilesmith.cli import cli
from tests.conftest import FIXTURES, REPO, empty_profile, plist, run_cli
from tests.pki import PKI

LINT_OPTIONS = ("--config", "--select", "--ignore", "--strict", "--platform", "--now")
TOPIC = FIXTURES / "diff" / "UPD120" / "positive" / "topic"


def options_of(name: str) -> dict[str, click.Option]:
    command = cli.get_command(click.Context(cli), name)
    assert command is not None
    return {opt: param for param in command.params if isinstance(param, click.Option)
            for opt in param.opts}


@pytest.mark.parametrize(("name", "wanted"), [
    ("lint", LINT_OPTIONS), ("build", LINT_OPTIONS), ("sign", LINT_OPTIONS),
    ("command", LINT_OPTIONS), ("diff", LINT_OPTIONS[:4]),
])
def test_every_command_that_lints_has_the_same_options(name: str,
                                                       wanted: tuple[str, ...]) -> None:
    lint = options_of("lint")
    mine = options_of(name)
    for option in wanted:
        assert option in mine, f"{name} has no {option}"
        assert (mine[option].help, mine[option].multiple, mine[option].is_flag) == (
            lint[option].help, lint[option].multiple, lint[option].is_flag), (name, option)


def test_format_is_always_a_report_format() -> None:
    reports = {"auto", "text", "json", "sarif", "github", "junit"}
    for name in ("lint", "diff", "verify", "rules"):
        choices = set(options_of(name)["--format"].type.choices)  # type: ignore[attr-defined]
        assert choices <= reports, name
    assert options_of("command")["--format"].hidden  # the old spelling of --to
    assert set(options_of("command")["--to"].type.choices) == {"xml", "binary"}  # type: ignore[attr-defined]
    assert "--to" in options_of("convert")


def test_sign_and_build_apply_select_and_ignore(tmp_path: Path, pki: PKI) -> None:
    broken = plist("<dict><key>PayloadType</key><string>Configuration</string>"
                   "<key>PayloadType</key><string>Configuration</string>"
                   "<key>PayloadContent</key><array/><key>PayloadIdentifier</key>"
                   "<string>com.example.x</string><key>PayloadUUID</key>"
                   "<string>4F0C2B7A-1D3E-4A5B-8C6D-7E8F9A0B1C2D</string>"
                   "<key>PayloadVersion</key><integer>1</integer></dict>")
    (tmp_path / "b.mobileconfig").write_bytes(broken)
    signer = ["--key", str(pki.leaf.key_path), "--cert", str(pki.leaf.cert_path),
              "--chain", str(pki.intermediate.cert_path)]
    refused = run_cli("sign", str(tmp_path / "b.mobileconfig"), "-o", str(tmp_path / "s"),
                      *signer)
    assert refused.exit_code == 1
    assert " error STR001 duplicate key 'PayloadType'" in refused.stdout
    ignored = run_cli("sign", str(tmp_path / "b.mobileconfig"), "-o", str(tmp_path / "s"),
                      *signer, "--ignore", "STR001")
    assert (ignored.exit_code, ignored.stderr) == (0, f"profilesmith: wrote {tmp_path / 's'}\n")


def test_diff_select_ignore_and_config_apply_to_the_upd_rules(tmp_path: Path) -> None:
    args = [str(TOPIC / "old.mobileconfig"), str(TOPIC / "new.mobileconfig")]
    everything = json.loads(run_cli("diff", "--format", "json", *args).stdout)
    assert [d["rule"] for d in everything["differences"]] == ["UPD112", "UPD120"]
    ignored = run_cli("diff", "--format", "json", "--ignore", "UPD120", *args)
    assert ignored.exit_code == 0
    assert [d["rule"] for d in json.loads(ignored.stdout)["differences"]] == ["UPD112"]
    selected = run_cli("diff", "--format", "json", "--select", "UPD120", *args)
    assert [d["rule"] for d in json.loads(selected.stdout)["differences"]] == ["UPD120"]
    config = tmp_path / "c.toml"
    config.write_text('[severity]\nUPD120 = "warning"\n')
    softer = run_cli("diff", "--config", str(config), *args)
    assert softer.exit_code == 0
    assert "  warning UPD120 /PayloadContent/1/Topic: " in softer.stdout
    assert run_cli("diff", "--config", str(config), "--strict", *args).exit_code == 1


def test_diff_in_the_ci_formats(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("old.mobileconfig", "new.mobileconfig"):
        shutil.copy(TOPIC / name, tmp_path / name)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    topic = ("Topic changed from 'com.apple.mgmt.External.5b1f0c52-7d3e-4a8b-9c61-2e4f8a0b7d13' "
             "to 'com.apple.mgmt.External.6c2e0c52-7d3e-4a8b-9c61-2e4f8a0b7d13': a device "
             "rejects the update (Apple: you cannot change the topic of the profile); a new "
             "push topic needs a new enrollment")
    uuid = ("changed from '5E1D7A10-0000-4000-8000-000000000000' to "
            "'5E1D7A10-0000-4000-8000-000000000010'")
    github = run_cli("diff", "--format", "github", "old.mobileconfig", "new.mobileconfig")
    assert (github.exit_code, github.stdout) == (1, (
        f"::error file=new.mobileconfig,line=67,col=4,title=UPD120::{topic}\n"
        f"::notice file=new.mobileconfig,line=79,col=2,title=UPD112::{uuid}\n"
        "profilesmith: 2 files checked: 1 error(s), 0 warning(s), 1 info\n"))
    sarif = json.loads(run_cli("diff", "--format", "sarif", "old.mobileconfig",
                               "new.mobileconfig").stdout)
    assert [(r["ruleId"], r["level"], r["locations"][0]["physicalLocation"]["region"])
            for r in sarif["runs"][0]["results"]] == [
        ("UPD120", "error", {"startLine": 67, "startColumn": 4}),
        ("UPD112", "note", {"startLine": 79, "startColumn": 2})]
    junit = ET.fromstring(run_cli("diff", "--format", "junit", "old.mobileconfig",
                                  "new.mobileconfig").stdout)
    failure = junit.find("testsuite/testcase[@name='new.mobileconfig']/failure")
    assert failure is not None
    assert failure.get("type") == "UPD120"
    missing = run_cli("diff", "--format", "sarif", "old.mobileconfig", "nope.mobileconfig")
    assert missing.exit_code == 2
    notes = json.loads(missing.stdout)["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert [n["message"]["text"] for n in notes] == [
        "nope.mobileconfig: cannot read (No such file or directory)"]
    missing_json = run_cli("diff", "--format", "json", "old.mobileconfig", "nope.mobileconfig")
    assert json.loads(missing_json.stdout)["errors"] == [
        "nope.mobileconfig: cannot read (No such file or directory)"]


def test_verify_in_the_ci_formats(pki: PKI, tmp_path: Path,
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "p.mobileconfig").write_bytes(
        empty_profile("com.example.v", "2C4E6A8B-0D1F-4A3B-9C5D-7E9F1A2B3C4D"))
    signer = ["--key", str(pki.leaf.key_path), "--cert", str(pki.leaf.cert_path),
              "--chain", str(pki.intermediate.cert_path)]
    assert run_cli("sign", "p.mobileconfig", "-o", "s.mobileconfig", *signer).exit_code == 0
    other = str(pki.other_root.cert_path)
    github = run_cli("verify", "s.mobileconfig", "--ca", other, "--format", "github")
    assert github.exit_code == 1
    first = github.stdout.splitlines()[0]
    assert first.startswith("::error file=s.mobileconfig,title=s.mobileconfig%3A Unverified "
                            "(unknown root)::s.mobileconfig: Unverified (unknown root)%0A")
    assert len(github.stdout.splitlines()) == 1
    good = run_cli("verify", "s.mobileconfig", "--ca", str(pki.root.cert_path), "--format",
                   "github")
    assert (good.exit_code, good.stdout) == (0, "s.mobileconfig: Verified\n")
    junit = ET.fromstring(run_cli("verify", "s.mobileconfig", "--ca", other, "--format",
                                  "junit").stdout)
    assert (junit.get("tests"), junit.get("failures")) == ("1", "1")
    failure = junit.find("testsuite/testcase/failure")
    assert failure is not None
    assert failure.get("message") == "s.mobileconfig: Unverified (unknown root)"


def test_rules_as_json() -> None:
    from profilesmith.lint.catalog import all_rules

    result = run_cli("rules", "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["version"] == 1
    ids = [r["id"] for r in data["rules"]]
    assert ids == sorted(all_rules())
    str001 = next(r for r in data["rules"] if r["id"] == "STR001")
    assert {k: str001[k] for k in ("family", "severity", "summary")} == {
        "family": "STR", "severity": "error",
        "summary": "A dictionary holds the same key twice."}
    assert str001["doc"].startswith("A dictionary holds the same key twice.\n")
    assert str001["origin"].startswith("profilesmith.")


@pytest.mark.parametrize(("args", "message"), [
    (("explain", "MDM10"), "unknown rule 'MDM10' (did you mean one of the 9 rules MDM101 to "
                           "MDM109? `profilesmith rules` lists them)"),
    (("explain", "sch5"), "unknown rule 'sch5' (did you mean SCH005?) (see `profilesmith "
                          "rules`)"),
    (("explain", "XYZ1"), "unknown rule 'XYZ1' (see `profilesmith rules`)"),
    (("schema", "show", "com.apple.mdmm"), "no schema for 'com.apple.mdmm' (did you mean "
                                           "com.apple.mdm?) (see `profilesmith schema list`)"),
])
def test_did_you_mean(args: tuple[str, ...], message: str) -> None:
    result = run_cli(*args)
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", f"profilesmith: {message}\n")
    assert run_cli("explain", "str001").stdout.startswith("STR001 (error)\n")


def test_strict_makes_warnings_stop_sign_build_and_command(tmp_path: Path, pki: PKI) -> None:
    warned = empty_profile("com.example.warned", "not-a-uuid")
    (tmp_path / "w.mobileconfig").write_bytes(warned)
    signer = ["--key", str(pki.leaf.key_path), "--cert", str(pki.leaf.cert_path),
              "--chain", str(pki.intermediate.cert_path)]
    path = str(tmp_path / "w.mobileconfig")
    finding = f"{path}:12:2: warning STR003 PayloadUUID 'not-a-uuid' is not a UUID"
    assert run_cli("sign", path, "-o", str(tmp_path / "s"), *signer).exit_code == 0
    for target in (["-o", str(tmp_path / "s2")], ["--output-dir", str(tmp_path / "d")]):
        strict = run_cli("sign", path, *target, *signer, "--strict", "--select", "STR003")
        assert strict.exit_code == 1
        assert strict.stdout.splitlines()[0] == finding
        assert strict.stderr == ("profilesmith: lint warnings (--strict): nothing was signed "
                                 "(fix them, or sign anyway with --no-lint)\n")
    assert not (tmp_path / "s2").exists()
    assert not (tmp_path / "d").exists()


def test_strict_makes_warnings_stop_build_and_command(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(REPO / "examples", tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    values = ("--values", "examples/enrollment.yaml", "--select", "MDM111")
    server = ("enrollment.mobileconfig.j2:30: warning MDM111 ServerURL looks like a placeholder: "
              "its host mdm.corp.example.net is a reserved example domain (at "
              "/PayloadContent/2/ServerURL)")
    built = run_cli("build", "enrollment", *values, "-o", "e.mobileconfig")
    assert built.exit_code == 0
    assert built.stderr.splitlines()[0] == server
    strict = run_cli("build", "enrollment", *values, "-o", "s.mobileconfig", "--strict")
    assert strict.exit_code == 1
    assert strict.stderr.splitlines()[0] == f"profilesmith: {server}"
    assert strict.stderr.splitlines()[-1] == "profilesmith: nothing was written (--strict)"
    assert not (tmp_path / "s.mobileconfig").exists()
    embedded = run_cli("command", "InstallProfile", "--payload", "e.mobileconfig",
                       "--select", "MDM111", "--strict")
    assert (embedded.exit_code, embedded.stdout) == (1, "")
    assert embedded.stderr.splitlines()[-1] == "profilesmith: nothing was written"
    assert run_cli("command", "InstallProfile", "--payload", "e.mobileconfig", "--select",
                   "MDM111").exit_code == 0
