"""One test per entry of the generator's table of corrections to Apple's data
(profilesmith.schema.generate.overrides.OVERRIDES): Apple's data still has the fault (when
Apple fixes it, the test says the override can go), and the bundled schema has the fix.
A new entry without a test here fails test_every_override_has_a_test."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from profilesmith.schema.generate import overrides
from profilesmith.schema.generate.common import merge_platforms
from tests.conftest import REPO, SHARED

APPLE = SHARED / "apple-device-management"
SCHEMAS = REPO / "schemas"


def _yaml(relative: str) -> dict[str, Any]:
    path = APPLE / relative
    if not path.exists():
        pytest.skip(f"{path} is not available")
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


def _key(data: dict[str, Any], path: str, section: str = "payloadkeys") -> dict[str, Any]:
    """The key at ``path`` (names through subkeys) of a YAML document."""
    keys = data[section]
    found: dict[str, Any] = {}
    for name in path.strip("/").split("/"):
        found = next(k for k in keys if k["key"] == name)
        keys = found.get("subkeys") or []
    return found


def _names(data: dict[str, Any], path: str, section: str = "payloadkeys") -> list[str]:
    return [k["key"] for k in (_key(data, path, section).get("subkeys") or [])]


def _schema(relative: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((SCHEMAS / relative).read_text(encoding="utf-8"))
    return data


def _at(schema: dict[str, Any], *path: str) -> dict[str, Any]:
    for name in path:
        schema = schema["items"] if name == "[]" else schema["properties"][name]
    return schema


def authenticate() -> None:
    raw = _yaml("mdm/checkin/authenticate.yaml")
    assert "Challenge" not in [k["key"] for k in raw["payloadkeys"]]
    assert _schema("checkin/Authenticate.schema.json")["properties"]["Challenge"][
        "x-plist-type"] == "data"


def query_responses() -> None:
    raw = _yaml("mdm/commands/information.device.yaml")
    assert "Languages" not in _names(raw, "QueryResponses", "responsekeys")
    responses = _at(_schema("responses/DeviceInformation.schema.json"), "QueryResponses")
    assert {"Languages", "Locales", "CurrentConsoleManagedUser"} <= set(responses["properties"])
    assert "additionalProperties" not in responses


def previous_scan_result() -> None:
    raw = _yaml("mdm/commands/information.device.yaml")
    assert _key(raw, "QueryResponses/OSUpdateSettings/PreviousScanResult",
                "responsekeys")["type"] == "<string>"
    assert _at(_schema("responses/DeviceInformation.schema.json"), "QueryResponses",
               "OSUpdateSettings", "PreviousScanResult")["type"] == "integer"


def build_of_an_update() -> None:
    raw = _yaml("mdm/commands/system.update.available.yaml")
    assert _key(raw, "AvailableOSUpdates/AvailableOSUpdatesItem/Build",
                "responsekeys")["presence"] == "required"
    item = _at(_schema("responses/AvailableOSUpdates.schema.json"), "AvailableOSUpdates", "[]")
    assert "Build" not in item.get("required", [])
    assert "Build" in item["x-conditionally-required"]


def sync_tokens() -> None:
    raw = _yaml("declarative/protocol/tokensresponse.yaml")
    assert not _key(raw, "SyncTokens").get("subkeys")
    tokens = _at(_schema("ddm-protocol/TokensResponse.schema.json"), "SyncTokens")
    assert tokens["required"] == ["DeclarationsToken"]


def consent_text() -> None:
    raw = _yaml("mdm/profiles/TopLevel.yaml")
    assert _key(raw, "ConsentText")["subkeys"][0]["key"] == "ConsentTextItem"
    text = _at(_schema("profile.schema.json"), "ConsentText")
    assert text["additionalProperties"] == {"type": "string", "x-plist-type": "string"}


def user_printer_list() -> None:
    raw = _yaml("mdm/profiles/com.apple.mcxprinting.yaml")
    assert len(_names(raw, "UserPrinterList")) == 1
    printers = _at(_schema("payloads/com.apple.mcxprinting.schema.json"), "UserPrinterList")
    assert "properties" not in printers
    assert "DeviceURI" in printers["additionalProperties"]["properties"]


def media_alert() -> None:
    raw = _yaml("mdm/profiles/com.apple.systemuiserver.yaml")
    assert "alert" not in _key(raw, "mount-controls/bd/ActionStringItem")["rangelist"]
    assert "alert" in _at(_schema("payloads/com.apple.systemuiserver.schema.json"),
                          "mount-controls", "bd", "[]")["enum"]


def system_logging() -> None:
    raw = _yaml("mdm/profiles/com.apple.system.logging.yaml")
    assert raw["payload"]["supportedOS"]["macOS"]["introduced"] != "n/a"
    assert _key(raw, "System")["supportedOS"]["macOS"]["introduced"] == "n/a"
    schema = _schema("payloads/com.apple.system.logging.schema.json")
    for name in ("Processes", "Subsystems", "System"):
        assert "macOS" not in schema["properties"][name].get("x-platforms", {})


def tcc_allowed() -> None:
    raw = _yaml("mdm/profiles/com.apple.TCC.configuration-profile-policy.yaml")
    assert _key(raw, "Services/Camera/IdentityDict/Allowed")["presence"] == "required"
    entry = _at(_schema("payloads/com.apple.TCC.configuration-profile-policy.schema.json"),
                "Services", "Camera", "[]")
    assert "Allowed" not in entry["required"]
    assert (entry["if"], entry["else"]) == ({"required": ["Authorization"]},
                                             {"required": ["Allowed"]})


def loginwindow_all() -> None:
    raw = _yaml("mdm/profiles/loginwindow.yaml")
    assert _key(raw, "DisableLoginItemsSuppression")["supportedOS"]["macOS"][
        "introduced"] == "all"
    member = _at(_schema("payloads/loginwindow.schema.json"), "DisableLoginItemsSuppression")
    assert "x-platforms" not in member


def com_apple_loginwindow() -> None:
    raw = _yaml("mdm/profiles/com.apple.loginwindow.yaml")
    assert "DisableLoginItemsSuppression" not in [k["key"] for k in raw["payloadkeys"]]
    schema = _schema("payloads/com.apple.loginwindow.schema.json")
    assert schema["properties"]["DisableLoginItemsSuppression"]["type"] == "boolean"


# (owner, path pattern) of each OVERRIDES entry -> its test
TESTS: dict[tuple[str, str], Callable[[], None]] = {
    ("Authenticate", r""): authenticate,
    ("DeviceInformationResponse", r"/QueryResponses"): query_responses,
    ("DeviceInformationResponse", r"/QueryResponses/OSUpdateSettings/PreviousScanResult"):
        previous_scan_result,
    ("AvailableOSUpdatesResponse", r"/AvailableOSUpdates/AvailableOSUpdatesItem"):
        build_of_an_update,
    ("TokensResponse", r"/SyncTokens"): sync_tokens,
    ("TopLevel", r"/ConsentText"): consent_text,
    ("com.apple.mcxprinting", r"/UserPrinterList"): user_printer_list,
    ("loginwindow", r"/DisableLoginItemsSuppression"): loginwindow_all,
    ("com.apple.loginwindow", r""): com_apple_loginwindow,
    ("com.apple.systemuiserver", r"/[^/]+/[^/]+/ActionStringItem"): media_alert,
    ("com.apple.system.logging", r"/(Processes|Subsystems|System)"): system_logging,
    ("com.apple.TCC.configuration-profile-policy", r"/Services/[^/]+/[^/]+"): tcc_allowed,
}


def test_every_override_has_a_test() -> None:
    assert [(owner, path) for owner, path, _ in overrides.OVERRIDES] == list(TESTS)


@pytest.mark.parametrize("entry", list(TESTS), ids=lambda e: f"{e[0]}{e[1]}")
def test_override(entry: tuple[str, str]) -> None:
    TESTS[entry]()


def test_a_merged_type_is_multiple_if_any_file_says_so() -> None:
    # com.apple.MCX: six files, three say multiple true and three false
    merged = merge_platforms([{"macOS": {"introduced": "10.7", "multiple": False}},
                              {"macOS": {"introduced": "10.7", "multiple": True}}])
    assert merged["macOS"]["multiple"] is True
    assert _schema("payloads/com.apple.MCX.schema.json")["x-multiple"] is True


def test_the_overrides_change_what_real_profiles_get(corpus: Path) -> None:
    from tests.conftest import lint_files

    profile = next(corpus.rglob("Open Safari At Login.mobileconfig"), None)
    if profile is None:
        pytest.skip("the rtrouton profile is not in the corpus")
    assert [f for f in lint_files([profile]) if f.rule == "SCH005"] == []
