"""``profilesmith command``: MDM command plists built from --set values and payload files."""

from __future__ import annotations

import plistlib
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from profilesmith.lint.config import LintOptions
from profilesmith.mdm import commands, rights
from profilesmith.render.command import lint as lint_command
from tests.conftest import FIXTURES, TESTS, lint_bytes, run_cli

UUID = "0b4c5a8e-1d7e-4f0b-9a52-3c1f2e4d5a6b"
UPPER = UUID.upper()
GOOD = TESTS / "data" / "profiles" / "good.mobileconfig"
BAD = TESTS / "data" / "profiles" / "bad.mobileconfig"
SIGNED = FIXTURES / "negative" / "SIG003" / "sha256.mobileconfig"

DEVICE_LOCK = f"""\
<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" \
"http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
	<key>Command</key>
	<dict>
		<key>Message</key>
		<string>Hi</string>
		<key>PIN</key>
		<string>123456</string>
		<key>RequestType</key>
		<string>DeviceLock</string>
	</dict>
	<key>CommandUUID</key>
	<string>{UPPER}</string>
</dict>
</plist>
""".encode()


def command(*args: str, env: dict[str, str] | None = None) -> tuple[int, bytes, str]:
    result = run_cli("command", *args, env=env)
    return result.exit_code, result.stdout_bytes, result.stderr


def built(*args: str) -> dict[str, object]:
    code, out, err = command(*args, "--uuid", UUID)
    assert code == 0, err
    root = plistlib.loads(out)
    assert root["CommandUUID"] == UPPER
    keys: dict[str, object] = root["Command"]
    return keys


# -- the contract -------------------------------------------------------------------------------


def test_device_lock_bytes_and_lint_accepts_them(tmp_path: Path) -> None:
    code, out, err = command("DeviceLock", "--set", "PIN=123456", "--set", "Message=Hi",
                             "--uuid", UUID)
    assert (code, out, err) == (0, DEVICE_LOCK, "")
    target = tmp_path / "lock.plist"
    target.write_bytes(out)
    lint = run_cli("lint", str(target))
    assert (lint.exit_code, lint.stdout) == (0, "1 file checked: no findings\n")
    assert lint_bytes(out, path="lock.plist") == []


def test_rights_that_do_not_allow_the_command_exit_1_and_write_nothing(tmp_path: Path) -> None:
    out = tmp_path / "lock.plist"
    code, stdout, err = command("DeviceLock", "--set", "PIN=123456", "--rights", "1024",
                                "-o", str(out))
    assert (code, stdout) == (1, b"")
    assert err == ("profilesmith: DeviceLock needs AllowPasscodeRemovalAndLock (4), which "
                   "AccessRights 1024 does not grant\n"
                   "profilesmith: nothing was written\n")
    assert not out.exists()
    code, stdout, err = command("DeviceLock", "--rights", "0x404", "--uuid", UUID, "--set",
                                "PIN=123456", "--set", "Message=Hi")
    assert (code, stdout, err) == (0, DEVICE_LOCK, "")


@pytest.mark.parametrize(("value", "message"), [
    ("2", "--rights 2 is not a valid AccessRights value: AllowInstallationRemoval (2) needs "
          "AllowInspection (1): use 3"),
    ("0", "--rights 0 is not a valid AccessRights value: 0 grants no right (Apple: \"Don't "
          "set to '0'\")"),
    ("four", "--rights: 'four' is not a number (decimal, or hexadecimal with 0x)"),
])
def test_an_invalid_rights_value_is_a_usage_error(value: str, message: str) -> None:
    assert command("SecurityInfo", "--rights", value) == (2, b"", f"profilesmith: {message}\n")


def test_the_command_uuid_is_random_and_upper_case_by_default() -> None:
    first = plistlib.loads(command("SecurityInfo")[1])["CommandUUID"]
    second = plistlib.loads(command("SecurityInfo")[1])["CommandUUID"]
    for value in (first, second):
        assert re.fullmatch(r"[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-[89AB][0-9A-F]{3}-"
                            r"[0-9A-F]{12}", value)
    assert first != second


def test_the_command_uuid_may_be_any_non_empty_string() -> None:
    # Apple's own examples use 0001_DeviceLock: CommandUUID only has to match results to
    # commands; a UUID is written in upper case, anything else as given
    code, out, err = command("DeviceLock", "--uuid", "0001_DeviceLock")
    assert (code, err) == (0, "")
    assert plistlib.loads(out)["CommandUUID"] == "0001_DeviceLock"
    assert lint_bytes(out, path="lock.plist") == []
    assert command("SecurityInfo", "--uuid", " ") == (
        2, b"", "profilesmith: --uuid: the CommandUUID must not be blank\n")


def test_request_type_spelling() -> None:
    code, out, err = command("securityinfo", "--uuid", UUID)
    assert code == 0
    assert plistlib.loads(out)["Command"] == {"RequestType": "SecurityInfo"}
    assert err == "profilesmith: securityinfo: taken as SecurityInfo\n"
    assert command("SecurityInfos") == (
        2, b"", "profilesmith: unknown request type 'SecurityInfos' (did you mean "
                "SecurityInfo?)\n")


# -- InstallProfile and other payloads -------------------------------------------------------


@pytest.mark.parametrize("profile", [GOOD, SIGNED], ids=["xml", "signed"])
def test_install_profile_embeds_exactly_the_file_s_bytes(profile: Path, tmp_path: Path) -> None:
    out = tmp_path / "install.plist"
    code, stdout, err = command("InstallProfile", "--payload", str(profile), "--uuid", UUID,
                                "-o", str(out))
    assert (code, stdout, err) == (0, b"", f"profilesmith: wrote {out}\n")
    assert plistlib.loads(out.read_bytes())["Command"] == {
        "Payload": profile.read_bytes(), "RequestType": "InstallProfile"}
    assert lint_bytes(out.read_bytes()) == []


def test_install_profile_refuses_a_profile_with_errors_unless_no_lint() -> None:
    code, out, err = command("InstallProfile", "--payload", str(BAD))
    assert (code, out) == (1, b"")
    assert err == (
        f"{BAD}:20:4: error STR001 duplicate key 'allowCamera': one of its values is dropped\n"
        f"{BAD}:33:2: warning STR003 PayloadUUID 'com.example.bad' is not a UUID\n"
        f"profilesmith: {BAD}: not embedded: the profile has errors (--no-lint embeds it "
        "anyway)\n")
    keys = built("InstallProfile", "--payload", str(BAD), "--no-lint")
    assert keys["Payload"] == BAD.read_bytes()


def test_install_profile_refuses_what_is_not_a_profile(tmp_path: Path) -> None:
    other = tmp_path / "lock.plist"
    other.write_bytes(DEVICE_LOCK)
    assert command("InstallProfile", "--payload", str(other)) == (
        1, b"", f"profilesmith: {other}: not a configuration profile (--no-lint embeds it "
                "anyway)\n")


def test_payload_warnings_are_printed_and_the_command_is_built(tmp_path: Path) -> None:
    profile = tmp_path / "warn.mobileconfig"
    profile.write_bytes(BAD.read_bytes().replace(b"<key>allowCamera</key>\n\t\t\t<false/>\n",
                                                 b"", 1))
    assert b"allowCamera" in profile.read_bytes()  # one of the two is left
    code, out, err = command("InstallProfile", "--payload", str(profile), "--uuid", UUID)
    assert code == 0
    assert err == f"{profile}:31:2: warning STR003 PayloadUUID 'com.example.bad' is not a UUID\n"
    assert plistlib.loads(out)["Command"]["Payload"] == profile.read_bytes()


def test_declarative_management_data_is_checked_before_anything_is_written(
        tmp_path: Path) -> None:
    # the command's Data is the server's synchronization tokens: DeclarationsToken required
    tokens = tmp_path / "tokens.json"
    tokens.write_bytes(b'{"SyncTokens": {}}')
    code, out, err = command("DeclarativeManagement", "--payload", str(tokens), "--uuid", UUID)
    assert (code, out) == (1, b"")
    assert err == (
        "-:8:3: error DDM041 the JSON in Data: SyncTokens/DeclarationsToken: required key is "
        "missing (at /SyncTokens/DeclarationsToken, line 1 column 16 of the decoded JSON) "
        "(SCH002)\nprofilesmith: nothing was written\n")


def test_other_payload_commands(tmp_path: Path) -> None:
    tokens = tmp_path / "tokens.json"
    tokens.write_bytes(b'{"SyncTokens": {"DeclarationsToken": "1"}}')
    assert built("DeclarativeManagement", "--payload", str(tokens)) == {
        "Data": b'{"SyncTokens": {"DeclarationsToken": "1"}}',
        "RequestType": "DeclarativeManagement"}
    assert command("DeviceLock", "--payload", str(tokens)) == (
        2, b"", "profilesmith: --payload: DeviceLock has no payload file (only "
                "DeclarativeManagement, InstallProfile, InstallProvisioningProfile); give "
                "<data> keys as --set KEY=@FILE\n")
    assert command("DeclarativeManagement", "--payload", str(tokens), "--set",
                   "Data=e30=") == (
        2, b"", "profilesmith: --payload and --set both give Data\n")
    missing = tmp_path / "missing.mobileconfig"
    code, _, err = command("InstallProfile", "--payload", str(missing))
    assert code == 2
    assert err.startswith(f"profilesmith: {missing}: cannot read (")


def test_install_profile_without_a_payload_is_a_schema_error() -> None:
    code, out, err = command("InstallProfile")
    assert (code, out) == (1, b"")
    assert err == ("-:6:2: error SCH002 Payload: required key is missing\n"
                   "profilesmith: nothing was written\n")


# -- values are typed by the command's schema ------------------------------------------------


def test_values_take_the_schema_s_types(tmp_path: Path) -> None:
    wifi = tmp_path / "wifi.mobileconfig"
    wifi.write_bytes(GOOD.read_bytes())
    assert built("EraseDevice", "--set", "PIN=012345", "--set", "PreserveDataPlan=TRUE",
                 "--set", "ReturnToService.Enabled=true",
                 "--set", f"ReturnToService.WiFiProfileData=@{wifi}",
                 "--set", "ReturnToService.MDMProfileData=aGVsbG8=") == {
        "PIN": "012345", "PreserveDataPlan": True, "RequestType": "EraseDevice",
        "ReturnToService": {"Enabled": True, "WiFiProfileData": GOOD.read_bytes(),
                            "MDMProfileData": b"hello"}}
    assert built("DeviceInformation", "--set", "Queries=SerialNumber, WiFiMAC") == {
        "Queries": ["SerialNumber", "WiFiMAC"], "RequestType": "DeviceInformation"}
    assert built("DeviceInformation", "--set", 'Queries=["A,B"]')["Queries"] == ["A,B"]
    assert built("DeviceInformation", "--set", "Queries=")["Queries"] == []
    settings = built("Settings", "--set", 'Settings=[{"Item": "DeviceName", "DeviceName": '
                                          '"Kiosk 0012"}]')
    assert settings["Settings"] == [{"Item": "DeviceName", "DeviceName": "Kiosk 0012"}]


def test_numbers_and_dates() -> None:
    keys = commands.values("ScheduleOSUpdate", [commands.Setting(
        "Updates", '[{"ProductKey": "iOSUpdate22A3354", "InstallAction": "Default", '
        '"MaxUserDeferrals": 3}]', "--set")])
    assert keys == {"Updates": [{"ProductKey": "iOSUpdate22A3354", "InstallAction": "Default",
                                 "MaxUserDeferrals": 3}]}
    schema = {"properties": {"When": {"x-plist-type": "date"}, "Level": {"x-plist-type": "real"},
                             "Count": {"x-plist-type": "integer"}}}
    typer = commands._Values("Test", schema)
    tree: dict[str, object] = {}
    for key, text in (("When", "2026-06-01T12:00:00Z"), ("Level", "0.5"), ("Count", " -7 ")):
        typer.setting(tree, commands.Setting(key, text, "--set"))
    assert tree == {"When": datetime(2026, 6, 1, 12, tzinfo=UTC), "Level": 0.5, "Count": -7}


@pytest.mark.parametrize(("args", "message"), [
    (["DeviceLock", "--set", "Mesage=Hi"],
     "--set Mesage: DeviceLock has no key 'Mesage' (did you mean Message?)"),
    (["DeviceLock", "--set", "RequestType=EraseDevice"],
     "--set RequestType: the request type is the command's first argument"),
    (["DeviceLock", "--set", "Message"], "--set 'Message': expected KEY=VALUE"),
    (["DeviceLock", "--set", "Message..x=1"],
     "--set: 'Message..x' is not a key (Message, or a dotted key such as "
     "ReturnToService.Enabled)"),
    (["EraseDevice", "--set", "PreserveDataPlan=yes"],
     "--set PreserveDataPlan: must be true or false"),
    (["EraseDevice", "--set", "PIN.X=1"], "--set PIN.X: PIN is not a dictionary"),
    (["EraseDevice", "--set", "ReturnToService=on"],
     "--set ReturnToService: give a JSON object, or set its keys with dotted names"),
    (["EraseDevice", "--set", "ReturnToService.MDMProfileData=not base64!"],
     "--set ReturnToService.MDMProfileData: must be base64, or @FILE for a file's bytes"),
    (["Settings", "--set", "Settings=DeviceName"], "--set Settings: give a JSON array"),
    (["Settings", "--set", "Settings=[{"], "--set Settings: not valid JSON (Expecting "
                                           "property name enclosed in double quotes: line 1 "
                                           "column 3 (char 2))"),
    (["Settings", "--set", 'Settings=[{"Item": null}]'],
     "--set Settings[0].Item: null has no property-list form"),
])
def test_bad_values_are_usage_errors_that_name_the_key(args: list[str], message: str) -> None:
    assert command(*args) == (2, b"", f"profilesmith: {message}\n")


def test_secret_values_never_appear_in_messages() -> None:
    # a PIN in the wrong place: the message names the key, never the value
    code, _, err = command("EraseDevice", "--set", "ReturnToService.Enabled=s3cret-PIN")
    assert code == 2
    assert "s3cret" not in err
    code, out, err = command("DeviceLock", "--set-env", "PIN=LOCK_PIN", "--uuid", UUID,
                             env={"LOCK_PIN": "654321"})
    assert code == 0
    assert plistlib.loads(out)["Command"]["PIN"] == "654321"
    assert command("DeviceLock", "--set-env", "PIN=NOT_SET_ANYWHERE") == (
        2, b"", "profilesmith: --set-env PIN: environment variable NOT_SET_ANYWHERE is not set\n")


def test_mismatched_json_types_are_the_schema_s_findings() -> None:
    code, out, err = command("Settings", "--set", 'Settings=[{"Item": "DeviceName", '
                                                  '"DeviceName": 12}]')
    assert (code, out) == (1, b"")
    assert err.splitlines()[0].startswith("-:")
    assert " error SCH001 " in err


# -- rights of a command's parts -------------------------------------------------------------


def test_rights_of_queries_and_settings_items() -> None:
    code, _, err = command("DeviceInformation", "--set", "Queries=SerialNumber,WiFiMAC,UDID",
                           "--rights", "17")
    assert code == 1
    assert err == ("profilesmith: DeviceInformation query WiFiMAC needs "
                   "AllowQueryNetworkInformation (32), which AccessRights 17 does not grant "
                   "(the device leaves it out of its response)\n"
                   "profilesmith: nothing was written\n")
    assert command("DeviceInformation", "--set", "Queries=SerialNumber,WiFiMAC",
                   "--rights", "49")[0] == 0
    code, _, err = command("Settings", "--set", 'Settings=[{"Item": "PersonalHotspot", '
                                                '"Enabled": true}]', "--rights", "2049")
    assert code == 1
    assert err.splitlines()[0] == (
        "profilesmith: Settings item PersonalHotspot needs AllowQueryNetworkInformation (32) "
        "on iOS, which AccessRights 2049 does not grant")


def test_platform_narrows_the_rights_check() -> None:
    updates = 'Updates=[{"ProductKey": "x", "InstallAction": "Default"}]'
    code, _, err = command("ScheduleOSUpdate", "--set", updates, "--rights", "1")
    assert code == 1
    assert err == (
        "profilesmith: note: ScheduleOSUpdate needs AllowAppInstallation (4096) on iOS, tvOS; "
        "nothing on macOS: the union is shown (choose with --platform)\n"
        "profilesmith: ScheduleOSUpdate needs AllowAppInstallation (4096) on iOS, tvOS, which "
        "AccessRights 1 does not grant\n"
        "profilesmith: nothing was written\n")
    code, _, err = command("ScheduleOSUpdate", "--set", updates, "--rights", "1",
                           "--platform", "macos")
    assert (code, err) == (0, "")


# -- output -------------------------------------------------------------------------------------


def test_output_file_binary_and_force(tmp_path: Path) -> None:
    out = tmp_path / "lock.plist"
    args = ("DeviceLock", "--set", "PIN=123456", "--set", "Message=Hi", "--uuid", UUID)
    assert command(*args, "-o", str(out)) == (0, b"", f"profilesmith: wrote {out}\n")
    assert out.read_bytes() == DEVICE_LOCK
    assert command(*args, "-o", str(out), "--to", "binary") == (
        2, b"", f"profilesmith: {out}: exists (use --force to replace it)\n")
    assert command(*args, "-o", str(out), "--to", "binary", "--force") == (
        0, b"", f"profilesmith: wrote {out}\n")
    assert out.read_bytes().startswith(b"bplist00")
    assert plistlib.loads(out.read_bytes()) == plistlib.loads(DEVICE_LOCK)


def test_format_is_a_deprecated_spelling_of_to(tmp_path: Path) -> None:
    out = tmp_path / "lock.plist"
    args = ("DeviceLock", "--set", "PIN=123456", "--set", "Message=Hi", "--uuid", UUID)
    assert command(*args, "-o", str(out), "--format", "binary") == (
        0, b"", "profilesmith: warning: --format is deprecated for the plist encoding; use "
                f"--to binary (as in `profilesmith convert`)\nprofilesmith: wrote {out}\n")
    assert out.read_bytes().startswith(b"bplist00")
    assert command(*args, "--format", "binary", "--to", "xml") == (
        2, b"", "profilesmith: --format is the old spelling of --to; give one of them\n")
    assert "--format" not in run_cli("command", "--help").stdout  # hidden


def test_every_request_type_builds_into_what_only_its_schema_can_fault() -> None:
    # no values at all: the only possible errors are the required keys the schema names,
    # and the one-of-two that Apple states in prose (EnableLostMode: CMD005)
    options = LintOptions()
    for name in rights.request_types():
        root = commands.assemble(name, {}, UPPER)
        _, findings = lint_command(root, f"{name}.plist", options)
        allowed = {"SCH002", "CMD005"} if name == "EnableLostMode" else {"SCH002"}
        assert {f.rule for f in findings} <= allowed, name


# -- Apple's prose constraints apply to built commands too (the same engine) -------------------


def test_command_refuses_a_pin_that_is_not_six_characters() -> None:
    code, out, err = command("DeviceLock", "--set", "PIN=1234", "--uuid", UUID)
    assert (code, out) == (1, b"")
    assert err == ("-:8:3: error CMD004 PIN is not six characters long, as Find My needs\n"
                   "profilesmith: nothing was written\n")


def test_command_refuses_lost_mode_without_message_or_phone() -> None:
    code, out, err = command("EnableLostMode", "--set", "Footnote=Reward", "--uuid", UUID)
    assert (code, out) == (1, b"")
    assert err == ("-:6:2: error CMD005 EnableLostMode needs a Message or a PhoneNumber\n"
                   "profilesmith: nothing was written\n")
    assert command("EnableLostMode", "--set", "PhoneNumber=+1 555 0100")[0] == 0


def test_command_warns_of_unknown_queries() -> None:
    code, out, err = command("DeviceInformation", "--set", "Queries=UDID,Devicename",
                             "--uuid", UUID)
    assert code == 0
    assert plistlib.loads(out)["Command"]["Queries"] == ["UDID", "Devicename"]
    assert err == ("-:10:4: warning CMD006 unknown query 'Devicename' (did you mean "
                   "DeviceName or DeviceID or ModelName?)\n")
