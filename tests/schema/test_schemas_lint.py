"""Schema findings on the lint path: the top-level structure of a profile (issue 2, item
4), inner payloads, Profile Service profiles, MDM commands, messages, platforms."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from profilesmith.base.findings import Finding
from tests.conftest import fresh_run, lint_bytes, plist, run_cli

UUID1 = "0C7F3E52-7A4E-4C8B-9E3A-2F9D2D1B6A01"
UUID2 = "0C7F3E52-7A4E-4C8B-9E3A-2F9D2D1B6A02"

DOCK = f"""<dict>
<key>PayloadIdentifier</key><string>com.example.p.dock</string>
<key>PayloadType</key><string>com.apple.dock</string>
<key>PayloadUUID</key><string>{UUID2}</string>
<key>PayloadVersion</key><integer>1</integer>
</dict>"""


def profile(*, top: str = "", content: str | None = DOCK, drop: tuple[str, ...] = (),
            version: str = "<integer>1</integer>",
            payload_type: str = "<string>Configuration</string>") -> bytes:
    """A profile whose <dict> starts on line 4; each member on its own line."""
    members = {
        "PayloadIdentifier": "<string>com.example.p</string>",
        "PayloadType": payload_type,
        "PayloadUUID": f"<string>{UUID1}</string>",
        "PayloadVersion": version,
    }
    lines = [f"<key>{k}</key>{v}" for k, v in members.items() if k not in drop]
    if content is not None:
        lines.append(f"<key>PayloadContent</key><array>{content}</array>")
    if top:
        lines.append(top)
    return plist("<dict>\n" + "\n".join(lines) + "\n</dict>")


def schema_findings(data: bytes, **options: object) -> list[tuple[str, int | None, str, str]]:
    return [(f.rule, f.line, f.pointer, f.severity.value) for f in lint_bytes(data, **options)
            if f.rule.startswith(("SCH", "AVL"))]


def test_a_good_profile_has_no_schema_findings() -> None:
    assert schema_findings(profile()) == []


@pytest.mark.parametrize(("kwargs", "expected"), [
    ({"payload_type": "<string>Configurations</string>"},
     [("SCH003", 6, "/PayloadType", "error")]),
    ({"version": "<integer>2</integer>"}, [("SCH003", 8, "/PayloadVersion", "error")]),
    ({"version": "<string>1</string>"}, [("SCH001", 8, "/PayloadVersion", "error")]),
    ({"version": "<real>1.0</real>"}, [("SCH006", 8, "/PayloadVersion", "warning")]),
    ({"drop": ("PayloadIdentifier",)}, [("SCH002", 4, "/PayloadIdentifier", "error")]),
    ({"drop": ("PayloadUUID",)}, [("SCH002", 4, "/PayloadUUID", "error")]),
    ({"content": None}, [("SCH002", 4, "/PayloadContent", "error")]),
    ({"top": "<key>PayloadScope</key><string>Everyone</string>"},
     [("SCH003", 15, "/PayloadScope", "error")]),
    ({"top": "<key>RemovalDate</key><string>2030-01-01T00:00:00Z</string>"},
     [("SCH001", 15, "/RemovalDate", "error")]),
    ({"top": "<key>ConsentText</key><dict><key>en</key><true/></dict>"},
     [("SCH001", 15, "/ConsentText/en", "error")]),
    ({"top": "<key>IsEncrypted</key><true/>"},
     [("SCH002", 4, "/EncryptedPayloadContent", "error")]),
    ({"top": "<key>PlayloadContent</key><array/>"},
     [("SCH005", 15, "/PlayloadContent", "warning")]),
])
def test_top_level_structure(kwargs: dict[str, object],
                             expected: list[tuple[str, int, str, str]]) -> None:
    assert schema_findings(profile(**kwargs)) == expected  # type: ignore[arg-type]


def test_payload_content_that_is_not_an_array() -> None:
    data = plist(f"""<dict>
<key>PayloadContent</key><dict/>
<key>PayloadIdentifier</key><string>com.example.p</string>
<key>PayloadType</key><string>Configuration</string>
<key>PayloadUUID</key><string>{UUID1}</string>
<key>PayloadVersion</key><integer>1</integer>
</dict>""")
    assert schema_findings(data) == [("SCH001", 5, "/PayloadContent", "error")]
    assert [f.message for f in lint_bytes(data) if f.rule == "SCH001"] == [
        "PayloadContent: expected <array>, found <dictionary>"]


def test_payload_content_holding_a_string() -> None:
    data = profile(content=f"{DOCK}\n<string>com.apple.dock</string>")
    assert schema_findings(data) == [("SCH001", 15, "/PayloadContent/1", "error")]


@pytest.mark.parametrize(("drop", "rule", "severity"), [
    ("PayloadType", "SCH002", "error"),
    ("PayloadIdentifier", "SCH002", "error"),
    ("PayloadUUID", "SCH002", "error"),
    ("PayloadVersion", "SCH007", "warning"),
])
def test_inner_payload_common_keys(drop: str, rule: str, severity: str) -> None:
    inner = "\n".join(line for line in DOCK.splitlines() if f"<key>{drop}</key>" not in line)
    assert schema_findings(profile(content=inner)) == [
        (rule, 9, f"/PayloadContent/0/{drop}", severity)]


def test_inner_payload_common_keys_of_an_unknown_type() -> None:
    # no schema for com.google.Chrome, but every payload needs the common keys
    inner = """<dict><key>PayloadType</key><string>com.google.Chrome</string>
<key>HomepageLocation</key><integer>3</integer></dict>"""
    assert schema_findings(profile(content=inner)) == [
        ("SCH002", 9, "/PayloadContent/0/PayloadIdentifier", "error"),
        ("SCH002", 9, "/PayloadContent/0/PayloadUUID", "error"),
        ("SCH007", 9, "/PayloadContent/0/PayloadVersion", "warning"),
    ]


def test_messages_name_the_key_and_the_plist_types() -> None:
    messages = {f.pointer: f.message for f in lint_bytes(profile(
        version="<string>1</string>",
        top="<key>PayloadScope</key><string>Everyone</string>\n"
            "<key>HasRemovalPasscode</key><integer>1</integer>"))}
    assert messages["/PayloadVersion"] == "PayloadVersion: expected <integer>, found <string>"
    assert messages["/PayloadScope"] == (
        "PayloadScope: 'Everyone' is not allowed (allowed: System, User)")
    assert messages["/HasRemovalPasscode"] == (
        "HasRemovalPasscode: expected <boolean>, found <integer> 1 (devices read 0 and 1 as "
        "false and true; write <true/> or <false/>)")


def test_long_and_secret_values_are_not_echoed() -> None:
    long_value = "S" * 200
    findings = lint_bytes(profile(top=f"<key>PayloadScope</key><string>{long_value}</string>"))
    (scope,) = [f for f in findings if f.rule == "SCH003"]
    assert scope.message == "PayloadScope: the value is not allowed (allowed: System, User)"
    secret = "hunter2-secret-value"
    service = plist(f"""<dict>
<key>PayloadContent</key><dict>
<key>Challenge</key><integer>7</integer>
<key>DeviceAttributes</key><array><string>UDID</string></array>
<key>URL</key><string>{secret} </string></dict>
<key>PayloadIdentifier</key><string>com.example.s</string>
<key>PayloadType</key><string>Profile Service</string>
<key>PayloadUUID</key><string>{UUID1}</string>
<key>PayloadVersion</key><integer>1</integer>
</dict>""")
    from profilesmith.schema.report import shown

    assert shown("abc", "/PayloadContent/Password") is None
    assert shown("abc", "/X", {"x-secret": True}) is None
    assert shown("abc", "/X") == "'abc'"
    found = [(f.rule, f.pointer) for f in lint_bytes(service) if f.rule.startswith("SCH")]
    assert found == [("SCH001", "/PayloadContent/Challenge"),
                     ("SCH004", "/PayloadContent/URL")]


def test_profile_service_profiles_are_checked_as_such() -> None:
    service = plist(f"""<dict>
<key>PayloadContent</key><dict>
<key>DeviceAttributes</key><array><string>UDID</string></array>
<key>URL</key><string>https://mdm.example.com/udid</string></dict>
<key>PayloadIdentifier</key><string>com.example.s</string>
<key>PayloadType</key><string>Profile Service</string>
<key>PayloadUUID</key><string>{UUID1}</string>
<key>PayloadVersion</key><integer>1</integer>
</dict>""")
    assert schema_findings(service) == []


def test_mdm_commands_are_checked_against_their_request_type() -> None:
    command = plist("""<dict>
<key>Command</key><dict>
<key>PIN</key><integer>123456</integer>
<key>RequestType</key><string>DeviceLock</string>
<key>Whatever</key><true/>
</dict>
<key>CommandUUID</key><string>1</string>
</dict>""")
    assert schema_findings(command) == [("SCH001", 6, "/Command/PIN", "error"),
                                        ("SCH005", 8, "/Command/Whatever", "warning")]
    unknown = command.replace(b"DeviceLock", b"NoSuchCommand")
    assert schema_findings(unknown) == []


def test_unknown_payload_types_get_no_schema_findings() -> None:
    inner = f"""<dict>
<key>PayloadIdentifier</key><string>com.example.p.chrome</string>
<key>PayloadType</key><string>com.google.Chrome</string>
<key>PayloadUUID</key><string>{UUID2}</string>
<key>PayloadVersion</key><integer>1</integer>
<key>AnyKey</key><dict><key>Nested</key><data>AA==</data></dict>
</dict>"""
    assert schema_findings(profile(content=inner), platforms=frozenset({"ios"})) == []


def test_availability_only_with_platforms() -> None:
    data = profile(top="<key>PayloadRemovalDisallowed</key><true/>")
    assert schema_findings(data) == []
    assert schema_findings(data, platforms=frozenset({"macos"})) == []
    assert schema_findings(data, platforms=frozenset({"ios", "watchos"})) == [
        ("AVL001", 9, "/PayloadContent/0", "warning"),
        ("AVL002", 15, "/PayloadRemovalDisallowed", "warning"),
    ]
    messages = [f.message for f in lint_bytes(data, platforms=frozenset({"ios", "watchos"}))
                if f.rule.startswith("AVL")]
    assert messages == ["com.apple.dock payload: not available on iOS; not available on watchOS",
                        "PayloadRemovalDisallowed: not available on watchOS"]


def test_duplicate_reports_are_merged() -> None:
    # the profile schema's payload definition and the payload's own schema both require
    # PayloadIdentifier: one finding
    inner = "\n".join(line for line in DOCK.splitlines() if "PayloadIdentifier" not in line)
    findings: list[Finding] = [f for f in lint_bytes(profile(content=inner))
                               if f.rule == "SCH002"]
    assert len(findings) == 1


def test_a_value_that_differs_only_in_case_is_a_warning() -> None:
    scope = "<key>PayloadScope</key><string>system</string>"
    assert schema_findings(profile(top=scope)) == [
        ("SCH003", 15, "/PayloadScope", "warning"),
    ]
    [finding] = [f for f in lint_bytes(profile(top=scope)) if f.rule == "SCH003"]
    assert finding.message == (
        "PayloadScope: 'system' differs from the allowed 'System' only in letter case"
    )


def test_corpus_has_no_schema_errors_beyond_the_known_defects(corpus: Path) -> None:
    from tests.conftest import lint_files

    errors = sorted((str(Path(f.path).relative_to(corpus)), f.pointer)
                    for f in lint_files([corpus])
                    if f.rule.startswith(("SCH", "AVL")) and f.severity.value == "error")
    # a real defect: enrollmentCache misspells PayloadContent (PlayloadContent). The
    # bitdefender profile's IdentifierType "Path" (for "path") is only a warning.
    assert errors == [("mattrax__Mattrax-Archive/enrollmentCache.mobileconfig", "/PayloadContent")]


# -- the CLI --------------------------------------------------------------------------------------


def test_schema_list() -> None:
    result = run_cli("schema", "list")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert "profile          generated profile" in lines
    assert "profile          curated   profile-service" in lines
    assert "payload          generated com.apple.dock" in lines
    assert "command          generated DeviceLock" in lines
    assert "response         generated DeviceLock" in lines
    assert "checkin          generated Authenticate" in lines
    assert "declaration      generated com.apple.configuration.passcode.settings" in lines
    assert "ddm-protocol     generated StatusReport" in lines
    assert len(lines) == len(list(Path(__file__).parents[2].joinpath("schemas")
                                  .rglob("*.schema.json")))


def test_schema_show() -> None:
    result = run_cli("schema", "show", "com.apple.dock")
    assert result.exit_code == 0
    assert json.loads(result.output)["properties"]["PayloadType"]["const"] == "com.apple.dock"
    command = run_cli("schema", "show", "DeviceLock")
    assert json.loads(command.stdout)["properties"]["RequestType"]["const"] == "DeviceLock"
    assert command.stderr == ("profilesmith: DeviceLock also has a response schema: "
                              "`profilesmith schema show response:DeviceLock`\n")
    response = run_cli("schema", "show", "response:DeviceLock")
    assert "MessageResult" in json.loads(response.stdout)["properties"]
    missing = run_cli("schema", "show", "com.example.nothing")
    assert missing.exit_code == 2
    assert "no schema for 'com.example.nothing'" in missing.output


def test_schema_export(tmp_path: Path) -> None:
    target = tmp_path / "out"
    first = run_cli("schema", "export", str(target))
    assert first.exit_code == 0
    repo_schemas = Path(__file__).parents[2] / "schemas"
    assert (target / "payloads" / "com.apple.dock.schema.json").read_bytes() == (
        repo_schemas / "payloads" / "com.apple.dock.schema.json").read_bytes()
    assert (target / "plist.schema.json").exists()
    again = run_cli("schema", "export", str(target))
    assert again.exit_code == 2
    assert "use --force" in again.output
    (target / "plist.schema.json").write_text("changed")
    forced = run_cli("schema", "export", str(target), "--force")
    assert forced.exit_code == 0
    assert (target / "plist.schema.json").read_bytes() == (
        repo_schemas / "plist.schema.json").read_bytes()


def test_the_lint_path_imports_no_schema_library(tmp_path: Path) -> None:

    bad = tmp_path / "bad.mobileconfig"
    bad.write_bytes(profile(version="<string>1</string>"))
    run = fresh_run(["lint", "--platform", "macos", str(bad)],
                    ("jsonschema", "jsonschema_rs", "referencing", "yaml", "importlib.resources"))
    assert "SCH001" in run.out
    assert run.imported == []


def test_keys_of_an_unavailable_payload_are_not_reported_again() -> None:
    # per-app VPN does not exist on tvOS, nor does its CellularSliceUUID key (which is not
    # on macOS either): tvOS is said once, for the payload; the firewall's EnableLogging
    # was removed in macOS 15, which is still said though the payload is not on tvOS
    inner = f"""<dict>
<key>CellularSliceUUID</key><string>DNN:example</string>
<key>PayloadIdentifier</key><string>com.example.p.vpn</string>
<key>PayloadType</key><string>com.apple.vpn.managed.applayer</string>
<key>PayloadUUID</key><string>{UUID2}</string>
<key>PayloadVersion</key><integer>1</integer>
</dict>
<dict>
<key>EnableLogging</key><true/>
<key>PayloadIdentifier</key><string>com.example.p.firewall</string>
<key>PayloadType</key><string>com.apple.security.firewall</string>
<key>PayloadUUID</key><string>0C7F3E52-7A4E-4C8B-9E3A-2F9D2D1B6A03</string>
<key>PayloadVersion</key><integer>1</integer>
</dict>"""
    found = [(f.rule, f.pointer, f.message) for f in lint_bytes(
        profile(content=inner), platforms=frozenset({"tvos", "macos"}))
        if f.rule.startswith("AVL")]
    assert found == [
        ("AVL001", "/PayloadContent/0",
         "com.apple.vpn.managed.applayer payload: not available on tvOS"),
        ("AVL002", "/PayloadContent/0/CellularSliceUUID",
         "CellularSliceUUID: not available on macOS"),
        ("AVL001", "/PayloadContent/1",
         "com.apple.security.firewall payload: not available on tvOS"),
        ("AVL002", "/PayloadContent/1/EnableLogging", "EnableLogging: removed in macOS 15.0"),
    ]
