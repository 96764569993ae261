"""``profilesmith diff OLD NEW`` end to end: enrollment profiles built with the bundled
template (signed with the test PKI), exact differences, output formats and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from profilesmith.lint.catalog import all_rules
from tests.conftest import FIXTURES, plist, run_cli
from tests.pki import PKI

DIFF = FIXTURES / "diff"
CHALLENGE_OLD = "first-challenge-8d1f3c"
CHALLENGE_NEW = "second-challenge-77e2aa"




@pytest.fixture(scope="module")
def values(tmp_path_factory: pytest.TempPathFactory) -> Path:
    result = run_cli("new", "enrollment")
    assert result.exit_code == 0, result.output
    path = tmp_path_factory.mktemp("values") / "enrollment.yaml"
    path.write_text(result.stdout)
    return path


def build(values: Path, out: Path, *sets: str, signer: str | None = "leaf",
          pki: PKI | None = None, challenge: str = CHALLENGE_OLD) -> Path:
    args = ["build", "enrollment", "--values", str(values), "-o", str(out),
            "--set", f"scep.challenge={challenge}", "--set", "server_url=https://mdm.corp.test/mdm",
            "--set", "scep.url=https://scep.corp.test/scep"]
    for item in sets:
        args += ["--set", item]
    if signer is not None:
        assert pki is not None
        identity = getattr(pki, signer)
        args += ["--key", str(identity.key_path), "--cert", str(identity.cert_path),
                 "--chain", str(pki.intermediate.cert_path)]
    result = run_cli(*args)
    assert result.exit_code == 0, result.output
    return out


def diff_json(old: Path | str, new: Path | str, *options: str) -> tuple[int, dict[str, object]]:
    result = run_cli("diff", "--format", "json", *options, str(old), str(new))
    return result.exit_code, json.loads(result.stdout)


def found(report: dict[str, object]) -> list[tuple[str, str, str]]:
    differences = report["differences"]
    assert isinstance(differences, list)
    return [(d["rule"], d["severity"], d["pointer"]) for d in differences]


@pytest.fixture(scope="module")
def old(values: Path, pki: PKI, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(values, tmp_path_factory.mktemp("old") / "device.mobileconfig", pki=pki)


def test_certificate_renewal_is_a_compatible_update(values: Path, pki: PKI, old: Path,
                                                    tmp_path: Path) -> None:
    """New SCEP challenge, new payload UUIDs (another output name: the SCEP payload is
    replaced, IdentityCertificateUUID points to it), same Topic/ServerURL/rights/signer."""
    new = build(values, tmp_path / "device-2027.mobileconfig", pki=pki, challenge=CHALLENGE_NEW)
    code, report = diff_json(old, new)
    assert code == 0
    assert found(report) == [
        ("UPD112", "info", "/PayloadUUID"),
        ("UPD112", "info", "/PayloadContent/0/PayloadContent/Challenge"),
        ("UPD113", "info", "/PayloadContent/0/PayloadUUID"),
        ("UPD125", "info", "/PayloadContent/1/IdentityCertificateUUID"),
        ("UPD127", "info", "/PayloadContent/1/PayloadUUID"),
    ]
    assert report["summary"] == {"differences": 5, "errors": 0, "warnings": 0, "infos": 5,
                                 "verdict": "compatible"}
    text = run_cli("diff", str(old), str(new))
    assert text.exit_code == 0
    for output in (text.stdout, json.dumps(report)):
        assert CHALLENGE_OLD not in output
        assert CHALLENGE_NEW not in output
    challenge = next(d for d in report["differences"]  # type: ignore[attr-defined]
                     if d["pointer"].endswith("Challenge"))
    assert challenge == {"rule": "UPD112", "severity": "info",
                         "pointer": "/PayloadContent/0/PayloadContent/Challenge",
                         "message": "changed (secret: values not shown)",
                         "group": "payload 'com.example.mdm.scep' (com.apple.security.scep)"}
    assert text.stdout.splitlines()[-1] == "0 errors, 0 warnings, 5 info: NEW can replace OLD"


@pytest.mark.parametrize(("change", "rule", "pointer", "words"), [
    ("topic=com.apple.mgmt.External.0f0f0f0f-1111-2222-3333-444444444444", "UPD120",
     "/PayloadContent/1/Topic", "Topic changed from 'com.apple.mgmt.External.4c2f6b8e"),
    ("server_url=https://mdm2.corp.test/mdm", "UPD121", "/PayloadContent/1/ServerURL",
     "ServerURL changed from 'https://mdm.corp.test/mdm' to 'https://mdm2.corp.test/mdm'"),
])
def test_topic_or_server_url_change_breaks_the_update(values: Path, pki: PKI, old: Path,
                                                      tmp_path: Path, change: str, rule: str,
                                                      pointer: str, words: str) -> None:
    new = build(values, tmp_path / "device.mobileconfig", change, pki=pki)
    code, report = diff_json(old, new)
    assert code == 1
    # the same output name gives the same UUIDs: UPD102 says the profile's should change
    assert found(report) == [("UPD102", "warning", "/PayloadUUID"), (rule, "error", pointer)]
    message = report["differences"][1]["message"]  # type: ignore[index]
    assert message.startswith(words)
    assert report["summary"]["verdict"] == "breaks"  # type: ignore[index]


def test_added_rights_break_the_update_and_are_named(values: Path, pki: PKI,
                                                     tmp_path: Path) -> None:
    for side in "ab":
        (tmp_path / side).mkdir()
    old = build(values, tmp_path / "a" / "device.mobileconfig", "access_rights=8183", pki=pki)
    new = build(values, tmp_path / "b" / "device.mobileconfig", "access_rights=8191", pki=pki)
    code, report = diff_json(old, new)
    assert code == 1
    assert found(report) == [("UPD102", "warning", "/PayloadUUID"),
                             ("UPD122", "error", "/PayloadContent/1/AccessRights")]
    entry = report["differences"][1]  # type: ignore[index]
    assert entry["message"].startswith("AccessRights 8183 -> 8191 adds AllowDeviceErase (8): "
                                       "a device rejects the update")
    assert (entry["old"], entry["new"]) == (8183, 8191)
    # the other way round removes a right: allowed
    code, report = diff_json(new, old)
    assert code == 0
    assert found(report) == [("UPD102", "warning", "/PayloadUUID"),
                             ("UPD126", "info", "/PayloadContent/1/AccessRights")]


def test_assigned_managed_apple_id_change_breaks_the_update() -> None:
    case = DIFF / "UPD123" / "positive" / "changed"
    result = run_cli("diff", str(case / "old.mobileconfig"), str(case / "new.mobileconfig"))
    assert result.exit_code == 1
    assert ("  error UPD123 /PayloadContent/1/AssignedManagedAppleID: AssignedManagedAppleID "
            "changed from 'ann@example.com' to 'bob@example.com': a device rejects the update "
            "(Apple: when updating the payload, the value must not change)"
            in result.stdout.splitlines())


def test_another_signer_breaks_the_update(values: Path, pki: PKI, old: Path,
                                          tmp_path: Path) -> None:
    new = build(values, tmp_path / "device.mobileconfig", pki=pki, signer="direct")
    code, report = diff_json(old, new)
    assert code == 1
    assert found(report) == [("UPD130", "error", "")]
    message = report["differences"][0]["message"]  # type: ignore[index]
    assert message.startswith("NEW is signed by another identity: OLD CN=Profile Signer,"
                              "O=profilesmith tests (serial ")
    assert "NEW CN=Direct Signer (EC),O=profilesmith tests" in message
    assert report["differences"][0]["group"] == "signature"  # type: ignore[index]


def test_unsigned_new_breaks_the_update(values: Path, pki: PKI, old: Path,
                                        tmp_path: Path) -> None:
    new = build(values, tmp_path / "device.mobileconfig", signer=None)
    code, report = diff_json(old, new)
    assert code == 1
    assert found(report) == [("UPD132", "error", "")]


def test_another_identifier_is_not_an_update(values: Path, pki: PKI, old: Path,
                                             tmp_path: Path) -> None:
    new = build(values, tmp_path / "device.mobileconfig", "identifier=com.example.other",
                pki=pki, signer="direct")
    result = run_cli("diff", str(old), str(new))
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[2:4] == [
        "profile",
        "  error UPD101 /PayloadIdentifier: PayloadIdentifier 'com.example.mdm' -> "
        "'com.example.other': NEW is not an update of OLD but a second profile; the device "
        "installs it beside OLD",
    ]
    assert lines[-1].endswith(": NEW is not an update of OLD (another PayloadIdentifier)")
    # the update-in-place rules do not apply to a second profile: no signer finding
    assert not any(" UPD13" in line for line in lines)
    code, report = diff_json(old, new)
    assert code == 1
    assert report["summary"]["verdict"] == "not-an-update"  # type: ignore[index]


def test_text_format_exactly(tmp_path: Path) -> None:
    case = DIFF / "UPD112" / "positive" / "sign-message"
    old, new = case / "old.mobileconfig", case / "new.mobileconfig"
    result = run_cli("diff", str(old), str(new))
    assert result.exit_code == 0
    assert result.stdout == (
        f"--- {old}\n"
        f"+++ {new}\n"
        "profile\n"
        "  info UPD112 /PayloadUUID: changed from '5E1D7A10-0000-4000-8000-000000000000' to "
        "'5E1D7A10-0000-4000-8000-000000000010'\n"
        "payload 'com.example.enroll.mdm' (com.apple.mdm)\n"
        "  info UPD112 /PayloadContent/1/ServerCapabilities/1: item added: "
        "'com.apple.mdm.bootstraptoken'\n"
        "  info UPD112 /PayloadContent/1/SignMessage: changed from false to true\n"
        "0 errors, 0 warnings, 3 info: NEW can replace OLD\n"
    )


def test_identical_files_and_strict() -> None:
    same = DIFF / "UPD102" / "negative" / "identical"
    result = run_cli("diff", str(same / "old.mobileconfig"), str(same / "new.mobileconfig"))
    assert result.exit_code == 0
    assert result.stdout.splitlines()[2:] == ["no differences"]
    code, report = diff_json(same / "old.mobileconfig", same / "new.mobileconfig")
    assert (code, report["differences"], report["summary"]) == (0, [], {
        "differences": 0, "errors": 0, "warnings": 0, "infos": 0, "verdict": "identical"})
    warned = DIFF / "UPD124" / "positive" / "checkin-url"
    args = [str(warned / "old.mobileconfig"), str(warned / "new.mobileconfig")]
    assert run_cli("diff", *args).exit_code == 0
    assert run_cli("diff", "--strict", *args).exit_code == 1


def test_json_document_shape() -> None:
    case = DIFF / "UPD120" / "positive" / "topic"
    old, new = case / "old.mobileconfig", case / "new.mobileconfig"
    code, report = diff_json(old, new)
    assert code == 1
    assert report == {
        "version": 1, "old": str(old), "new": str(new),
        "differences": [
            {"rule": "UPD112", "severity": "info", "pointer": "/PayloadUUID",
             "message": "changed from '5E1D7A10-0000-4000-8000-000000000000' to "
                        "'5E1D7A10-0000-4000-8000-000000000010'",
             "group": "profile", "old": "5E1D7A10-0000-4000-8000-000000000000",
             "new": "5E1D7A10-0000-4000-8000-000000000010"},
            {"rule": "UPD120", "severity": "error", "pointer": "/PayloadContent/1/Topic",
             "message": "Topic changed from "
                        "'com.apple.mgmt.External.5b1f0c52-7d3e-4a8b-9c61-2e4f8a0b7d13' to "
                        "'com.apple.mgmt.External.6c2e0c52-7d3e-4a8b-9c61-2e4f8a0b7d13': a "
                        "device rejects the update (Apple: you cannot change the topic of the "
                        "profile); a new push topic needs a new enrollment",
             "group": "payload 'com.example.enroll.mdm' (com.apple.mdm)",
             "old": "com.apple.mgmt.External.5b1f0c52-7d3e-4a8b-9c61-2e4f8a0b7d13",
             "new": "com.apple.mgmt.External.6c2e0c52-7d3e-4a8b-9c61-2e4f8a0b7d13"},
        ],
        "summary": {"differences": 2, "errors": 1, "warnings": 0, "infos": 1,
                    "verdict": "breaks"},
    }


def test_missing_file_directory_and_double_stdin(tmp_path: Path) -> None:
    good = DIFF / "UPD102" / "negative" / "identical" / "old.mobileconfig"
    result = run_cli("diff", str(good), str(tmp_path / "nope.mobileconfig"))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (f"profilesmith: {tmp_path / 'nope.mobileconfig'}: cannot read "
                             "(No such file or directory)\n")
    result = run_cli("diff", str(tmp_path), str(good))
    assert (result.exit_code, result.stderr) == (
        2, f"profilesmith: {tmp_path}: is a directory\n")
    result = run_cli("diff", "-", "-", input=b"")
    assert (result.exit_code, result.stderr) == (2, "profilesmith: - (stdin) can be given once\n")


def test_unreadable_file_reports_parse_findings(tmp_path: Path) -> None:
    good = DIFF / "UPD102" / "negative" / "identical" / "old.mobileconfig"
    bad = tmp_path / "bad.mobileconfig"
    bad.write_bytes(plist("<dict><key>PayloadType</key><string>Configuration</dict>"))
    result = run_cli("diff", str(good), str(bad))
    assert result.exit_code == 2
    lines = result.stdout.splitlines()
    assert lines[2].startswith(f"{bad}:4:")
    assert " error PAR001 " in lines[2]
    assert lines[-1] == "nothing compared: a file cannot be read"
    code, report = diff_json(good, bad)
    assert code == 2
    assert [(d["rule"], d["path"], d["line"]) for d in report["differences"]] == [  # type: ignore[attr-defined]
        ("PAR001", str(bad), 4)]
    assert report["summary"]["verdict"] == "unreadable"  # type: ignore[index]


def test_not_a_profile_is_refused(tmp_path: Path) -> None:
    good = DIFF / "UPD102" / "negative" / "identical" / "old.mobileconfig"
    command = tmp_path / "command.plist"
    command.write_bytes(plist("<dict><key>CommandUUID</key><string>1</string><key>Command</key>"
                              "<dict><key>RequestType</key><string>DeviceLock</string></dict>"
                              "</dict>"))
    result = run_cli("diff", str(good), str(command))
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (f"profilesmith: {command}: not a configuration profile (an MDM "
                             "command)\n")


def test_stdin_as_new() -> None:
    case = DIFF / "UPD121" / "positive" / "server-url"
    data = (case / "new.mobileconfig").read_bytes()
    result = run_cli("diff", "--format", "json", str(case / "old.mobileconfig"), "-", input=data)
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["new"] == "-"
    assert ("UPD121", "error", "/PayloadContent/1/ServerURL") in found(report)


def test_rules_are_listed_explained_and_never_run_by_lint() -> None:
    upd = {rule_id: rule for rule_id, rule in all_rules().items() if rule_id.startswith("UPD")}
    assert all(rule.emitted_by == ("profilesmith.diff",) and rule.check is None
               for rule in upd.values())
    listing = run_cli("rules").stdout
    assert all(f"{rule_id}  " in listing for rule_id in upd)
    explained = run_cli("explain", "UPD101")
    assert explained.exit_code == 0
    assert explained.stdout.startswith("UPD101 (error)\n\nNEW has another top-level "
                                       "PayloadIdentifier")
    case = DIFF / "UPD120" / "positive" / "topic"
    lint = run_cli("lint", "--format", "json", str(case / "old.mobileconfig"),
                   str(case / "new.mobileconfig"))
    assert not [f for f in json.loads(lint.stdout)["findings"] if f["rule"].startswith("UPD")]
