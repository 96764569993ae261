"""Nothing passes unchecked: every file gets a kind, responses and check-ins are
validated, and what is no Apple document is an error when named (issue 9)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from tests.conftest import plist, run_cli

SECURITY_INFO = plist("""<dict>
	<key>CommandUUID</key>
	<string>0011_SecurityInfo</string>
	<key>SecurityInfo</key>
	<dict>
		<key>HardwareEncryptionCaps</key>
		<string>3</string>
		<key>PasscodePresent</key>
		<false/>
	</dict>
	<key>Status</key>
	<string>Done</string>
	<key>UDID</key>
	<string>00008020-000915083C80012E</string>
</dict>""")
AUTHENTICATE = plist("""<dict>
	<key>MessageType</key>
	<string>Authenticate</string>
	<key>Topic</key>
	<string>com.apple.mgmt.External.2b3f1e0c</string>
	<key>UDID</key>
	<integer>7</integer>
</dict>""")
DEVICELOCK = plist("""<dict>
	<key>Command</key>
	<dict>
		<key>RequestType</key>
		<string>Devicelock</string>
	</dict>
	<key>CommandUUID</key>
	<string>0001</string>
</dict>""")
MISSPELT = plist("""<dict>
	<key>PayloadTyp</key>
	<string>Configuration</string>
	<key>PayloadContents</key>
	<array/>
</dict>""")
INFO_PLIST = plist("<dict>\n<key>CFBundleIdentifier</key><string>com.example.app</string>\n"
                   "</dict>")


def lint_json(*args: str) -> tuple[int, dict[str, object]]:
    result = run_cli("lint", "--format", "json", *args)
    return result.exit_code, json.loads(result.stdout)


def test_a_response_is_validated_and_its_command_told(tmp_path: Path) -> None:
    path = tmp_path / "response.plist"
    path.write_bytes(SECURITY_INFO)
    code, report = lint_json(str(path))
    assert code == 1
    assert report["files"] == [{"path": str(path), "format": "xml", "signed": False,
                                "kind": "response", "type": "SecurityInfo"}]
    assert [(f["rule"], f["pointer"], f["line"], f["message"]) for f in report["findings"]] == [
        ("SCH001", "/SecurityInfo/HardwareEncryptionCaps", 10,
         "SecurityInfo/HardwareEncryptionCaps: expected <integer>, found <string>"),
        ("SCH003", "/Status", 15, "Status: 'Done' is not allowed (allowed: Acknowledged, "
         "Error, CommandFormatError, NotNow)"),
    ]


def test_a_check_in_is_validated(tmp_path: Path) -> None:
    path = tmp_path / "authenticate.plist"
    path.write_bytes(AUTHENTICATE)
    code, report = lint_json(str(path))
    assert code == 1
    assert report["files"][0]["kind"] == "checkin"  # type: ignore[index]
    assert report["files"][0]["type"] == "Authenticate"  # type: ignore[index]
    assert [(f["rule"], f["pointer"], f["line"]) for f in report["findings"]] == [
        ("SCH001", "/UDID", 10)]


def test_an_unknown_request_type_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "lock.plist"
    path.write_bytes(DEVICELOCK)
    code, report = lint_json(str(path))
    assert code == 1
    assert [(f["rule"], f["severity"], f["message"]) for f in report["findings"]] == [
        ("CMD002", "error", "unknown RequestType 'Devicelock' (did you mean DeviceLock or "
         "DeviceLocation?)")]


def test_a_named_file_that_is_no_apple_document_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "p.mobileconfig"
    path.write_bytes(MISSPELT)
    code, report = lint_json(str(path))
    assert code == 1
    assert report["files"] == [{"path": str(path), "format": "xml", "signed": False,
                                "kind": "unknown"}]
    assert [(f["rule"], f["pointer"], f["line"]) for f in report["findings"]] == [
        ("STR007", "", 4)]
    # on stdin too
    result = run_cli("lint", "-", input=INFO_PLIST)
    assert result.exit_code == 1
    assert result.stdout.startswith("-:4:1: error STR007 not an Apple device-management "
                                    "document: none of its top-level keys")


def test_walks_lint_recognised_messages_and_count_the_rest(tmp_path: Path) -> None:
    (tmp_path / "response.xml").write_bytes(SECURITY_INFO)
    (tmp_path / "Info.plist").write_bytes(INFO_PLIST)
    (tmp_path / "package.json").write_text('{"name": "x", "version": "1.0.0"}\n')
    (tmp_path / "misspelt.mobileconfig").write_bytes(MISSPELT)  # always linted
    (tmp_path / "d.json").write_text('{"Type": "com.apple.configuration.passcode.settings",'
                                     ' "Identifier": "p", "ServerToken": "1", "Payload": {}}')
    code, report = lint_json(str(tmp_path))
    assert code == 1
    assert sorted((Path(f["path"]).name, f["kind"]) for f in report["files"]) == [  # type: ignore[index, attr-defined]
        ("d.json", "declaration"), ("misspelt.mobileconfig", "unknown"),
        ("response.xml", "response")]
    text = run_cli("lint", str(tmp_path)).stdout.splitlines()[-1]
    assert text == ("3 files checked: 3 error(s), 0 warning(s), 0 info; 2 files skipped: not "
                    "Apple device-management messages")


def test_skip_unrecognised_treats_named_files_as_a_walk_does(tmp_path: Path) -> None:
    (tmp_path / "Info.plist").write_bytes(INFO_PLIST)
    (tmp_path / "p.mobileconfig").write_bytes(MISSPELT)
    result = run_cli("lint", "--skip-unrecognised", str(tmp_path / "Info.plist"),
                     str(tmp_path / "p.mobileconfig"))
    assert result.exit_code == 1
    assert [line.split(" ")[2] for line in result.stdout.splitlines()[:-1]] == ["STR007"]
    assert result.stdout.splitlines()[-1].endswith("; 1 file skipped: not Apple "
                                                   "device-management messages")


def test_unknown_rule_codes_are_usage_errors(tmp_path: Path) -> None:
    profile = tmp_path / "p.mobileconfig"
    profile.write_bytes(MISSPELT)
    result = run_cli("lint", "--select", "MDM1O1", str(profile))
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == ("profilesmith: --select: unknown rule code 'MDM1O1' (did you "
                             "mean MDM101?)\n")
    result = run_cli("lint", "--ignore", "XYZ123,SCH", str(profile))
    assert (result.exit_code, result.stderr) == (
        2, "profilesmith: --ignore: unknown rule code 'XYZ123'\n")
    config = tmp_path / ".profilesmith.toml"
    config.write_text('select = ["STR", "STR0O7"]\nignore = ["SCH005"]\n'
                      '[per-file-ignores]\n"legacy/*" = ["MDMX"]\n[severity]\nSEC1O1 = "error"\n')
    result = run_cli("lint", "--config", str(config), str(profile))
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"profilesmith: {config}: select: unknown rule code 'STR0O7' (did you mean STR007?)",
        f"profilesmith: {config}: per-file-ignores.legacy/*: unknown rule code 'MDMX' (did "
        "you mean MDM or MDM111 or MDM110?)",
        f"profilesmith: {config}: severity: unknown rule code 'SEC1O1' (did you mean SEC101?)",
    ]


def test_convert_refuses_text_that_is_no_property_list(tmp_path: Path) -> None:
    source = tmp_path / "notes.txt"
    source.write_text("remember to renew the push certificate\n")
    result = run_cli("convert", str(source), "-o", str(tmp_path / "out.plist"), "--to", "xml")
    assert result.exit_code == 2
    assert result.stderr == (f"profilesmith: {source}: not a property list: the text reads as "
                             "a YAML string, not a mapping or a list\n")
    assert not (tmp_path / "out.plist").exists()
    (tmp_path / "n.json").write_text("42\n")
    result = run_cli("convert", str(tmp_path / "n.json"), "-o", "-", "--to", "xml")
    assert (result.exit_code, result.stdout) == (2, "")
    assert "the text reads as a JSON integer" in result.stderr


def test_the_message_corpus_gets_its_kinds_and_no_false_error(messages: Path) -> None:
    code, report = lint_json(str(messages))
    assert code == 1  # the three real defects below
    with open(messages / "INDEX.tsv", encoding="utf-8") as handle:
        index = {row["local_path"]: row for row in csv.DictReader(handle, delimiter="\t")}
    kinds = {"ddm-configuration": "declaration", "ddm-asset": "declaration",
             "ddm-activation": "declaration", "ddm-management": "declaration",
             "ddm-status": "ddm-protocol"}
    files = report["files"]
    assert len(files) == len(index)  # type: ignore[arg-type]
    for entry in files:  # type: ignore[attr-defined]
        row = index[str(Path(entry["path"]).relative_to(messages))]
        assert entry["kind"] == kinds.get(row["kind"], row["kind"]), entry
        if row["type"] != "(unknown)" and row["kind"] != "response":
            assert entry.get("type") == row["type"], entry
    errors = {(Path(f["path"]).relative_to(messages).as_posix(), f["rule"], f["pointer"])
              for f in report["findings"] if f["severity"] == "error"}  # type: ignore[attr-defined]
    # the two commandment captures whose <data> blobs were shortened: real defects
    assert errors == {
        ("cmdmnt__commandment/testdata/CertificateList/iOS-11.3.1.xml", "PAR004",
         "/CertificateList/0/Data"),
        ("cmdmnt__commandment/testdata/CertificateList/iOS-11.3.1.xml", "PAR004",
         "/CertificateList/1/Data"),
        ("cmdmnt__commandment/testdata/TokenUpdate/iOS-11.3.1.xml", "PAR004", "/Token"),
    }


def test_a_json_profile_lints_like_its_xml_and_yaml_is_refused_in_words(tmp_path: Path) -> None:
    source = Path(__file__).parents[2] / "examples" / "broken-enrollment.mobileconfig"
    as_json = tmp_path / "broken.json"
    assert run_cli("convert", str(source), "-o", str(as_json), "--to", "json").exit_code == 0
    _, xml_report = lint_json(str(source))
    code, json_report = lint_json(str(as_json))
    assert code == 1
    assert json_report["files"][0]["format"] == "json"  # type: ignore[index]
    assert [(f["rule"], f["pointer"]) for f in json_report["findings"]] == [  # type: ignore[attr-defined]
        (f["rule"], f["pointer"]) for f in xml_report["findings"]]  # type: ignore[attr-defined]
    assert all(f["line"] is not None for f in json_report["findings"])  # type: ignore[attr-defined]
    as_yaml = tmp_path / "broken.yaml"
    assert run_cli("convert", str(source), "-o", str(as_yaml), "--to", "yaml").exit_code == 0
    result = run_cli("lint", str(as_yaml))
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == (
        f"{as_yaml}:1: error PAR002 a YAML file, not a property list: lint reads XML, binary "
        "and signed property lists and JSON (convert it first: profilesmith convert FILE -o "
        "OUT.mobileconfig --to xml)")
