"""AccessRights: the bit table, the generated command -> right data, ``profilesmith rights``."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from profilesmith.mdm import rights
from tests.conftest import REPO, need_shared, run_cli
from tests.schema.test_schemas import APPLE, _generator

DATA = REPO / "schemas" / "command-rights.json"


# -- values -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "value"), [
    ("1028", 1028), ("0x404", 1028), ("0X1fff", 8191), (" 3 ", 3), ("-4", -4), ("+8", 8),
])
def test_parse_value(text: str, value: int) -> None:
    assert rights.parse_value(text) == value


@pytest.mark.parametrize("text", ["", "abc", "0x", "1_000", "1e3", "12a", "0x1g", "٣"])
def test_parse_value_refuses_what_is_not_a_number(text: str) -> None:
    with pytest.raises(ValueError, match="is not a number"):
        rights.parse_value(text)


@pytest.mark.parametrize(("value", "found"), [
    (1, []),
    (8191, []),
    (0, ["0 grants no right (Apple: \"Don't set to '0'\")"]),
    (-3, ["-3 is negative: AccessRights is a sum of the bits 1 ... 4096"]),
    (2, ["AllowInstallationRemoval (2) needs AllowInspection (1): use 3"]),
    (128 | 4, ["AllowProvisioningInstallationRemoval (128) needs "
               "AllowProvisioningInspection (64): use 196"]),
    (16384, ["bit 16384 is not a defined right (the rights are 1, 2, 4 ... 4096; "
             "all of them: 8191)"]),
    (8192 | 16384 | 2, ["bits 8192, 16384 are not defined rights (the rights are 1, 2, 4 "
                        "... 4096; all of them: 8191)",
                        "AllowInstallationRemoval (2) needs AllowInspection (1): use 3"]),
    ((1 << 20) - 1 - 8191, ["bits 8192, 16384, 32768, 65536, 131072, 262144, 524288 are "
                            "not defined rights (the rights are 1, 2, 4 ... 4096; all of "
                            "them: 8191)"]),
    ((1 << 22) - 8192, ["bits 8192, 16384, 32768, 65536, 131072, 262144, 524288, 1048576 "
                        "and 1 more are not defined rights (the rights are 1, 2, 4 ... "
                        "4096; all of them: 8191)"]),
])
def test_problems(value: int, found: list[str]) -> None:
    assert rights.problems(value) == found


@pytest.mark.parametrize(("value", "smallest"), [(0, 1), (1, 1), (2, 3), (128, 192),
                                                 (1028, 1028), (130, 195)])
def test_smallest_valid(value: int, smallest: int) -> None:
    assert rights.smallest_valid(value) == smallest
    assert rights.problems(smallest) == []


# -- the generated data ------------------------------------------------------------------------


@pytest.fixture
def apple() -> Path:
    need_shared("apple-device-management", "mdm", "commands")
    return APPLE


def test_regenerating_gives_the_committed_rights_data(apple: Path, tmp_path: Path) -> None:
    assert _generator().main([str(apple), "--out", str(tmp_path)]) == 0
    assert (tmp_path / "command-rights.json").read_text("utf-8") == DATA.read_text("utf-8")


def test_every_command_schema_has_rights_data_and_the_reverse() -> None:
    schemas = {p.name.removesuffix(".schema.json")
               for p in (REPO / "schemas" / "commands").glob("*.schema.json")}
    assert set(rights.request_types()) == schemas


def test_every_right_in_the_data_is_in_the_bit_table() -> None:
    data = json.loads(DATA.read_text("utf-8"))
    spellings = {v for per_platform in data["commands"].values() for v in per_platform.values()}
    for arrays in data["parts"].values():
        for spec in arrays.values():
            assert spec["by"] in ("value", "Item")
            spellings |= {v for p in spec["rights"].values() for v in p.values()}
    unknown = {s for s in spellings
               if s is not None and s not in rights.NO_RIGHT and rights.by_name(s) is None}
    assert unknown == set()
    # Apple's other spellings are really in the data (else ALIASES is dead weight)
    assert set(rights.ALIASES) <= spellings


def test_the_data_says_what_apple_s_yaml_says() -> None:
    data = json.loads(DATA.read_text("utf-8"))
    assert data["commands"]["DeviceLock"] == dict.fromkeys(
        ("iOS", "macOS", "visionOS", "watchOS"), "AllowPasscodeRemovalAndLock")
    assert data["commands"]["InviteToProgram"] == {"iOS": "AllowAppInstallation",
                                                   "macOS": "None"}
    assert data["commands"]["SetRecoveryLock"] == {"macOS": "DeviceLockAndRemovePasscode"}
    assert data["commands"]["DeclarativeManagement"] == dict.fromkeys(
        ("iOS", "macOS", "tvOS", "visionOS", "watchOS"))
    queries = data["parts"]["DeviceInformation"]["Queries"]["rights"]
    assert queries["WiFiMAC"]["macOS"] == "AllowQueryNetworkInformation"
    assert queries["UDID"]["iOS"] == "n/a"
    assert "ProvisioningUDID" in queries
    assert "iOS" not in queries["ProvisioningUDID"]
    items = data["parts"]["Settings"]["Settings"]["rights"]
    assert items["PersonalHotspot"] == {"iOS": "AllowQueryNetworkInformation"}
    assert "DeviceName" in items  # items without a right of their own are listed too


def test_the_data_agrees_with_apple_s_command_pages() -> None:
    pages = sorted(need_shared("seeds").glob("00[01]_*.txt"))
    assert len(pages) == 2  # the SecurityInfo and DeviceLock pages
    for page in pages:
        text = page.read_text("utf-8")
        request_type = re.search(r"#(\w+)Command", text)
        right = re.search(r"Required Access Right\s*\|\s*(\w+)", text)
        assert request_type is not None
        assert right is not None
        needs = rights.requirements(request_type.group(1)).needs
        assert {n.right.name for n in needs} == {right.group(1)}, page.name


def test_requirements_of_a_command_with_parts() -> None:
    found = rights.requirements("DeviceInformation",
                                command={"Queries": ["SerialNumber", "WiFiMAC", "UDID", 7]})
    assert [(n.right.value, n.what, n.everywhere) for n in found.needs] == [
        (16, "DeviceInformation query SerialNumber", True),
        (32, "DeviceInformation query WiFiMAC", True),
    ]
    assert found.notes == []
    on_mac = rights.requirements("Settings", platforms=["macos"],
                                 command={"Settings": [{"Item": "PersonalHotspot"}]})
    assert [n.right.value for n in on_mac.needs] == [2048]


# -- profilesmith rights explain --------------------------------------------------------------


def test_explain_all_thirteen() -> None:
    result = run_cli("rights", "explain", "8191")
    assert result.exit_code == 0
    assert result.stdout == (
        "   1  AllowInspection                       inspect installed configuration profiles\n"
        "   2  AllowInstallationRemoval              install and remove configuration profiles\n"
        "   4  AllowPasscodeRemovalAndLock           lock the device and remove its passcode\n"
        "   8  AllowDeviceErase                      erase the device\n"
        "  16  AllowQueryDeviceInformation           query device information (capacity, "
        "serial)\n"
        "  32  AllowQueryNetworkInformation          query network information (phone, SIM, "
        "MAC)\n"
        "  64  AllowProvisioningInspection           inspect installed provisioning profiles\n"
        " 128  AllowProvisioningInstallationRemoval  install and remove provisioning profiles\n"
        " 256  AllowQueryApplications                inspect installed applications\n"
        " 512  AllowQueryRestrictions                make restriction-related queries\n"
        "1024  AllowQuerySecurity                    make security-related queries\n"
        "2048  AllowSettings                         change settings\n"
        "4096  AllowAppInstallation                  manage apps\n"
    )


def test_explain_hex() -> None:
    result = run_cli("rights", "explain", "0x404")
    assert (result.exit_code, result.stdout) == (0, (
        "   4  AllowPasscodeRemovalAndLock  lock the device and remove its passcode\n"
        "1024  AllowQuerySecurity           make security-related queries\n"))


@pytest.mark.parametrize(("value", "stdout"), [
    ("2", "   2  AllowInstallationRemoval  install and remove configuration profiles\n"
          "invalid: AllowInstallationRemoval (2) needs AllowInspection (1): use 3\n"),
    ("16384", "invalid: bit 16384 is not a defined right (the rights are 1, 2, 4 ... 4096; "
              "all of them: 8191)\n"),
    ("16385", "   1  AllowInspection  inspect installed configuration profiles\n"
              "invalid: bit 16384 is not a defined right (the rights are 1, 2, 4 ... 4096; "
              "all of them: 8191)\n"),
    ("0", "invalid: 0 grants no right (Apple: \"Don't set to '0'\")\n"),
])
def test_explain_an_invalid_value_exits_1(value: str, stdout: str) -> None:
    result = run_cli("rights", "explain", value)
    assert (result.exit_code, result.stdout, result.stderr) == (1, stdout, "")


def test_explain_a_non_number_exits_2() -> None:
    result = run_cli("rights", "explain", "lots")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == ("profilesmith: rights explain: 'lots' is not a number "
                             "(decimal, or hexadecimal with 0x)\n")


# -- profilesmith rights for ------------------------------------------------------------------


def test_for_device_lock_and_security_info() -> None:
    result = run_cli("rights", "for", "DeviceLock", "SecurityInfo")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == "1028"
    assert result.stdout == ("1028\n"
                             "   4  AllowPasscodeRemovalAndLock  for DeviceLock\n"
                             "1024  AllowQuerySecurity           for SecurityInfo\n")


def test_for_adds_the_rights_a_right_depends_on() -> None:
    result = run_cli("rights", "for", "InstallProfile", "RemoveProfile", "ProfileList")
    assert result.stdout == (
        "3\n"
        "   1  AllowInspection           for ProfileList\n"
        "   2  AllowInstallationRemoval  for InstallProfile, RemoveProfile\n")
    result = run_cli("rights", "for", "InstallProfile")
    assert result.stdout == ("3\n"
                             "   1  AllowInspection           needed by "
                             "AllowInstallationRemoval (2)\n"
                             "   2  AllowInstallationRemoval  for InstallProfile\n")


def test_for_commands_that_need_no_right_gives_1() -> None:
    result = run_cli("rights", "for", "DeviceConfigured", "RequestMirroring")
    assert (result.exit_code, result.stdout) == (0, (
        "1\n   1  AllowInspection  AccessRights cannot be 0: the smallest valid value "
        "(no right is needed)\n"))


def test_for_takes_the_union_of_the_platforms_and_says_so() -> None:
    result = run_cli("rights", "for", "InviteToProgram")
    assert result.stdout == (
        "4096\n"
        "4096  AllowAppInstallation  for InviteToProgram (iOS)\n"
        "note: InviteToProgram needs AllowAppInstallation (4096) on iOS; nothing on macOS: "
        "the union is shown (choose with --platform)\n")
    result = run_cli("rights", "for", "InviteToProgram", "--platform", "macos")
    assert result.stdout.splitlines()[0] == "1"
    result = run_cli("rights", "for", "InviteToProgram", "--platform", "ios")
    assert result.stdout == "4096\n4096  AllowAppInstallation  for InviteToProgram\n"


def test_for_a_command_a_platform_lacks() -> None:
    result = run_cli("rights", "for", "SecurityInfo", "ContentCachingInformation",
                     "--platform", "ios")
    assert result.stdout == ("1024\n"
                             "1024  AllowQuerySecurity  for SecurityInfo\n"
                             "note: ContentCachingInformation is not available on iOS "
                             "(only on macOS)\n")


def test_for_names_apple_s_other_spellings_by_the_bit_table_s_name() -> None:
    result = run_cli("rights", "for", "SetRecoveryLock", "ActiveNSExtensions")
    assert result.stdout == ("260\n"
                             "   4  AllowPasscodeRemovalAndLock  for SetRecoveryLock\n"
                             " 256  AllowQueryApplications       for ActiveNSExtensions\n")


def test_for_unstated_rights_are_a_note() -> None:
    result = run_cli("rights", "for", "DeclarativeManagement", "DeviceLock")
    assert result.stdout == ("4\n"
                             "   4  AllowPasscodeRemovalAndLock  for DeviceLock\n"
                             "note: DeclarativeManagement: Apple's data names no access right "
                             "on iOS, macOS, tvOS, visionOS, watchOS (taken as none)\n")


def test_for_parts() -> None:
    result = run_cli("rights", "for", "DeviceInformation")
    assert result.stdout == (
        "1\n"
        "   1  AllowInspection  AccessRights cannot be 0: the smallest valid value (no right "
        "is needed)\n"
        "note: DeviceInformation: some Queries need a right of their own (54 "
        "AllowQueryDeviceInformation (16), 19 AllowQueryNetworkInformation (32), 2 "
        "AllowAppInstallation (4096)); name them as DeviceInformation:NAME\n")
    result = run_cli("rights", "for", "DeviceInformation:SerialNumber",
                     "DeviceInformation:WiFiMAC", "DeviceInformation:UDID",
                     "Settings:PersonalHotspot")
    assert result.stdout == (
        "2096\n"
        "  16  AllowQueryDeviceInformation   for DeviceInformation query SerialNumber\n"
        "  32  AllowQueryNetworkInformation  for DeviceInformation query WiFiMAC, "
        "Settings item PersonalHotspot (iOS)\n"
        "2048  AllowSettings                 for Settings\n")


def test_for_matches_case_insensitively_as_a_fallback() -> None:
    result = run_cli("rights", "for", "devicelock", "DeviceInformation:wifimac")
    assert result.exit_code == 0
    assert result.stdout == ("36\n"
                             "   4  AllowPasscodeRemovalAndLock   for DeviceLock\n"
                             "  32  AllowQueryNetworkInformation  for DeviceInformation "
                             "query WiFiMAC\n")
    assert result.stderr == ("profilesmith: devicelock: taken as DeviceLock\n"
                             "profilesmith: wifimac: taken as WiFiMAC\n")


@pytest.mark.parametrize(("args", "stderr"), [
    (["DevLock"], "unknown request type 'DevLock' (did you mean DeviceLock?)"),
    (["DeviceLock", "Nothing"], "unknown request type 'Nothing'"),
    (["DeviceInformation:SerialNumbr"],
     "DeviceInformation has no part 'SerialNumbr' (did you mean SerialNumber or "
     "ModelNumber?)"),
    (["SecurityInfo:Foo"], "SecurityInfo has no parts with rights of their own "
                           "(write SecurityInfo alone)"),
])
def test_for_unknown_names_exit_2(args: list[str], stderr: str) -> None:
    result = run_cli("rights", "for", *args)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"profilesmith: rights for: {stderr}\n"
