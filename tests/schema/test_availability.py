"""Availability (AVL001-AVL006): --platform NAME[:MIN_VERSION], the deployment options, and
the exact findings, severities and messages they give."""

from __future__ import annotations

from pathlib import Path

import pytest

from profilesmith.base.findings import Severity
from profilesmith.base.platforms import Deployment, parse_version, version_text
from profilesmith.lint.config import ConfigError, load_config, parse_platforms
from tests.conftest import FIXTURES, lint_bytes, plist, run_cli


def _profile(*payloads: str) -> bytes:
    items = "".join(
        f"<dict>\n<key>PayloadType</key><string>{kind}</string>\n"
        f"<key>PayloadIdentifier</key><string>com.example.p{i}</string>\n"
        f"<key>PayloadUUID</key><string>7A1B2C3D-4E5F-4061-8273-94A5B6C7D8{i:02X}</string>\n"
        f"<key>PayloadVersion</key><integer>1</integer>\n{body}</dict>\n"
        for i, (kind, body) in enumerate(p.split("|", 1) for p in payloads))
    return plist(
        "<dict>\n<key>PayloadContent</key>\n<array>\n" + items + "</array>\n"
        "<key>PayloadIdentifier</key><string>com.example</string>\n"
        "<key>PayloadType</key><string>Configuration</string>\n"
        "<key>PayloadUUID</key><string>7A1B2C3D-4E5F-4061-8273-94A5B6C7D8FF</string>\n"
        "<key>PayloadVersion</key><integer>1</integer>\n</dict>")


def _avl(data: bytes, platforms: list[str], **changes: object) -> list[tuple[object, ...]]:
    names, minimums = parse_platforms(platforms, where="test")
    found = lint_bytes(data, platforms=names, minimums=minimums, **changes)
    return [(f.rule, f.severity.value, f.line, f.pointer, f.message)
            for f in found if f.rule.startswith("AVL")]


MDM = ("com.apple.mdm|<key>IdentityCertificateUUID</key>"
       "<string>7A1B2C3D-4E5F-4061-8273-94A5B6C7D801</string>\n"
       "<key>Topic</key><string>com.apple.mgmt.External.x</string>\n"
       "<key>ServerURL</key><string>https://mdm.example.com/mdm</string>\n"
       "<key>AccessRights</key><integer>8191</integer>\n"
       "<key>ManagedAppleID</key><string>a@example.com</string>\n")
RESTRICTIONS = ("com.apple.applicationaccess|<key>allowMailSummary</key><false/>\n"
                "<key>allowAccountModification</key><false/>\n")


@pytest.mark.parametrize(("text", "version"), [
    ("15", (15,)), ("15.0", (15,)), ("15.0.0", (15,)), ("14.2.1", (14, 2, 1)),
    ("10.10", (10, 10)), (" 17 ", (17,)), ("n/a", None), ("all", None), ("", None),
    ("15.x", None), ("-1", None), (15, None),
])
def test_versions_compare_numerically(text: object, version: tuple[int, ...] | None) -> None:
    assert parse_version(text) == version


def test_version_text() -> None:
    assert [version_text(v) for v in [(15,), (14, 2, 1), (10, 10)]] == ["15.0", "14.2.1", "10.10"]
    assert parse_version("10.9") < parse_version("10.10")  # type: ignore[operator]


def test_parse_platforms() -> None:
    assert parse_platforms(["macOS:14.0", "IOS:17", "tvos"], where="x") == (
        frozenset({"macos", "ios", "tvos"}), {"macos": (14,), "ios": (17,)})
    # the older minimum wins; a platform also named without a version has none
    assert parse_platforms(["macos:15", "macos:14.2"], where="x")[1] == {"macos": (14, 2)}
    assert parse_platforms(["macos:15", "macos"], where="x")[1] == {}


@pytest.mark.parametrize(("value", "message"), [
    ("android", "x: unknown platform 'android'"),
    ("macos:fifteen", "x: 'macos:fifteen': 'fifteen' is not an OS version"),
    ("macos:", "x: 'macos:': '' is not an OS version"),
])
def test_bad_platforms(value: str, message: str) -> None:
    with pytest.raises(ConfigError, match="^" + message.replace("(", r"\(")):
        parse_platforms([value], where="x")


def test_config_platforms_and_deployment(tmp_path: Path) -> None:
    config = tmp_path / ".profilesmith.toml"
    config.write_text('platforms = ["macos:14.0", "ios:17"]\nsupervised = true\n'
                      'enrollment = "ADE"\nshared-ipad = false\n')
    options = load_config(str(config))
    assert options.platforms == frozenset({"macos", "ios"})
    assert options.minimums == {"macos": (14,), "ios": (17,)}
    assert options.deployment == Deployment(supervised=True, enrollment="ade",
                                            shared_ipad=False)


@pytest.mark.parametrize(("text", "message"), [
    ('enrollment = "byod"\n', "enrollment 'byod' is not one of device, user, ade, manual"),
    ('supervised = "yes"\n', "supervised must be true or false"),
    ('platforms = ["ios:x"]\n', "'ios:x': 'x' is not an OS version"),
])
def test_bad_deployment_config(tmp_path: Path, text: str, message: str) -> None:
    config = tmp_path / ".profilesmith.toml"
    config.write_text(text)
    with pytest.raises(ConfigError, match=message):
        load_config(str(config))


def test_removed_at_or_before_the_minimum_is_an_error() -> None:
    data = _profile(MDM, "com.apple.security.pkcs12|<key>PayloadContent</key><data>AA==</data>\n")
    assert _avl(data, ["macos:15.0"]) == [
        ("AVL002", "error", 16, "/PayloadContent/0/ManagedAppleID",
         "ManagedAppleID: removed in macOS 15.0"),
    ]
    assert _avl(data, ["macos:14.0"]) == [
        ("AVL002", "warning", 16, "/PayloadContent/0/ManagedAppleID",
         "ManagedAppleID: removed in macOS 15.0 (devices from then on ignore it; the oldest "
         "version targeted is 14.0)"),
        ("AVL004", "warning", 16, "/PayloadContent/0/ManagedAppleID",
         "ManagedAppleID: deprecated in macOS 14.0"),
    ]
    # without a version: today's warning, and deprecation is not reported
    assert _avl(data, ["macos"]) == [
        ("AVL002", "warning", 16, "/PayloadContent/0/ManagedAppleID",
         "ManagedAppleID: removed in macOS 15.0"),
    ]


def test_introduced_after_the_minimum() -> None:
    data = _profile(RESTRICTIONS)
    assert _avl(data, ["ios:18.0", "macos:15.1"]) == [
        ("AVL003", "warning", 12, "/PayloadContent/0/allowMailSummary",
         "allowMailSummary: introduced in iOS 18.1 (the oldest version targeted is 18.0; "
         "older devices ignore it)"),
    ]
    assert _avl(data, ["ios:18.1", "macos:15.1"]) == []
    assert _avl(data, ["ios", "macos"]) == []


def test_deprecated_payload() -> None:
    data = _profile("com.apple.systempreferences|")
    message = "com.apple.systempreferences payload: deprecated"
    assert _avl(data, ["macos:14"]) == [
        ("AVL004", "warning", 7, "/PayloadContent/0", f"{message} in macOS 13.0")]
    assert _avl(data, ["macos:12.6"]) == [
        ("AVL004", "info", 7, "/PayloadContent/0", f"{message} from macOS 13.0 on")]


def test_conditions_are_said_once_for_every_platform() -> None:
    data = _profile(RESTRICTIONS)
    assert _avl(data, ["ios:18.1", "macos:15.1"],
                deployment=Deployment(enrollment="user")) == [
        ("AVL005", "warning", 12, "/PayloadContent/0/allowMailSummary",
         "allowMailSummary: needs a supervised device (iOS)"),
        ("AVL006", "warning", 12, "/PayloadContent/0/allowMailSummary",
         "allowMailSummary: not allowed in a user enrollment (iOS, macOS)"),
        ("AVL005", "warning", 13, "/PayloadContent/0/allowAccountModification",
         "allowAccountModification: needs a supervised device (iOS)"),
        ("AVL006", "warning", 13, "/PayloadContent/0/allowAccountModification",
         "allowAccountModification: not allowed in a user enrollment (iOS, macOS)"),
    ]
    # supervision said explicitly wins over what the enrollment implies
    assert _avl(data, ["ios:18.1"], deployment=Deployment(supervised=True,
                                                          enrollment="device")) == []
    assert _avl(data, ["ios:18.1"], deployment=Deployment(enrollment="ade")) == []


def test_manual_installation() -> None:
    data = _profile("com.apple.TCC.configuration-profile-policy|<key>Services</key><dict/>\n")
    assert _avl(data, ["macos"], deployment=Deployment(enrollment="manual")) == [
        ("AVL005", "warning", 7, "/PayloadContent/0",
         "com.apple.TCC.configuration-profile-policy payload: needs user-approved MDM, which "
         "a profile installed by hand lacks (macOS); cannot be installed by hand, only through MDM "
         "(macOS)"),
    ]
    assert _avl(data, ["macos"], deployment=Deployment(enrollment="device")) == []


def test_keys_of_an_unavailable_payload_say_nothing_more() -> None:
    # com.apple.dock is macOS-only: on iOS the payload is reported, not its keys
    data = _profile("com.apple.dock|<key>orientation</key><string>left</string>\n")
    assert _avl(data, ["ios:18"], deployment=Deployment(enrollment="user")) == [
        ("AVL001", "warning", 7, "/PayloadContent/0",
         "com.apple.dock payload: not available on iOS")]


def test_cli_platform_takes_versions_in_any_case() -> None:
    path = str(FIXTURES / "positive" / "AVL003" / "key-newer-than-minimum.mobileconfig")
    result = run_cli("lint", path, "--platform", "iOS:18.0", "--platform", "MACOS:15.1",
                     "--select", "AVL", "--format", "json")
    assert result.exit_code == 0, result.output
    assert '"rule": "AVL003"' in result.output
    assert "iOS 18.1" in result.output
    bad = run_cli("lint", path, "--platform", "ios:eighteen")
    assert bad.exit_code == 2
    assert "--platform: 'ios:eighteen': 'eighteen' is not an OS version" in bad.output


def test_cli_deployment_options() -> None:
    path = str(FIXTURES / "positive" / "AVL005" / "supervised-only-key.mobileconfig")
    result = run_cli("lint", path, "--platform", "ios", "--unsupervised", "--select", "AVL")
    assert result.exit_code == 0
    assert "warning AVL005 allowAccountModification: needs a supervised device (iOS)" in \
        result.output
    assert "AVL" not in run_cli("lint", path, "--platform", "ios", "--enrollment", "ADE",
                                "--select", "AVL").output.replace("0 info", "")


def test_declarations_have_versions_too() -> None:
    data = (b'{"Type": "com.apple.configuration.math.settings", "Identifier": "m", '
            b'"ServerToken": "1", "Payload": {}}')
    found = lint_bytes(data, path="m.json", platforms=frozenset({"macos"}),
                       minimums={"macos": (14,)})
    assert [(f.rule, f.severity, f.pointer, f.message) for f in found
            if f.rule.startswith("AVL")] == [
        ("AVL003", Severity.WARNING, "", "the com.apple.configuration.math.settings "
         "declaration: introduced in macOS 15.0 (the oldest version targeted is 14.0; older "
         "devices ignore it)")]


def test_a_removal_is_no_error_in_what_a_device_sent() -> None:
    # a DeviceInformation response of macOS 10.11 holds PreviousScanResult, which macOS 15
    # removed: the device had it, so with macos:15.0 that is a warning, not an error
    data = plist(
        "<dict>\n<key>CommandUUID</key><string>C1</string>\n"
        "<key>Status</key><string>Acknowledged</string>\n"
        "<key>UDID</key><string>U1</string>\n"
        "<key>QueryResponses</key><dict>\n<key>OSUpdateSettings</key><dict>\n"
        "<key>PreviousScanResult</key><integer>0</integer>\n</dict>\n</dict>\n</dict>")
    assert _avl(data, ["macos:15.0"]) == [
        ("AVL002", "warning", 10, "/QueryResponses/OSUpdateSettings/PreviousScanResult",
         "QueryResponses/OSUpdateSettings/PreviousScanResult: removed in macOS 15.0")]
