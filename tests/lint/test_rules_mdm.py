"""MDM rules and the com.apple.mdm schema, on small enrollment profiles
(tests/enrollment_profiles.py explains the line layout: MDM keys on lines 12, 13, ...)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from profilesmith.base.findings import Finding, Severity
from profilesmith.mdm import rights
from tests.conftest import lint_bytes
from tests.enrollment_profiles import (
    MDM_UUID,
    OTHER_UUID,
    SCEP_UUID,
    certificate_payload,
    data_of,
    enrollment,
    good_scep,
    mdm,
    payload,
    profile,
)

P = "/PayloadContent/1"
CAPABILITIES = "<array><string>com.apple.mdm.per-user-connections</string></array>"


def family(findings: list[Finding], *prefixes: str) -> list[tuple[str, int | None, str]]:
    return [(f.rule, f.line, f.pointer) for f in findings if f.rule.startswith(prefixes)]


def test_a_good_enrollment_profile_has_no_findings() -> None:
    findings = lint_bytes(enrollment(ServerCapabilities=CAPABILITIES),
                          platforms=frozenset({"ios", "macos"}))
    assert findings == []


# -- AccessRights ------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "advice"), [(2, "use 3"), (130, "use 195"), (128, "use 192")])
def test_access_rights_dependencies(value: int, advice: str) -> None:
    findings = lint_bytes(enrollment(AccessRights=f"<integer>{value}</integer>"))
    assert family(findings, "MDM", "SCH") == [("MDM101", 15, f"{P}/AccessRights")]
    assert findings[0].severity is Severity.ERROR
    assert findings[0].message.endswith(advice)


def test_access_rights_message_names_the_rights() -> None:
    [finding] = lint_bytes(enrollment(AccessRights="<integer>2</integer>"))
    assert finding.message == ("AccessRights 2: AllowInstallationRemoval (2) needs "
                               "AllowInspection (1); use 3")


@pytest.mark.parametrize("value", [1, 3, 192, 1028, 8191])
def test_valid_access_rights(value: int) -> None:
    assert lint_bytes(enrollment(AccessRights=f"<integer>{value}</integer>")) == []


@pytest.mark.parametrize(("value", "message"), [
    ("<integer>0</integer>", "AccessRights: 0 is less than the minimum 1"),
    ("<integer>8192</integer>", "AccessRights: 8192 is more than the maximum 8191"),
    ("<string>8191</string>", "AccessRights: expected <integer>, found <string>"),
])
def test_access_rights_range_and_type_are_the_schema_s(value: str, message: str) -> None:
    findings = lint_bytes(enrollment(AccessRights=value))
    assert [(f.rule, f.line, f.pointer, f.message) for f in findings] == [
        ("SCH001" if "expected" in message else "SCH003", 15, f"{P}/AccessRights", message)
    ]
    assert findings[0].severity is Severity.ERROR


def test_access_rights_ignored_with_managed_apple_id() -> None:
    findings = lint_bytes(enrollment(ManagedAppleID="<string>ann@corp.test</string>"))
    assert family(findings, "MDM") == [("MDM107", 15, f"{P}/AccessRights")]
    assert findings[0].severity is Severity.WARNING


# -- Topic and URLs ------------------------------------------------------------------------


@pytest.mark.parametrize(("topic", "message"), [
    ("com.example.push", "Topic must start with com.apple.mgmt. (found 'com.example.push')"),
    ("com.apple.mgmt.", "Topic has nothing after com.apple.mgmt."),
    ("com.apple.mgmt.  ", "Topic has nothing after com.apple.mgmt."),
    ("Com.Apple.Mgmt.External.1", "Topic must start with com.apple.mgmt. "
     "(found 'Com.Apple.Mgmt.External.1')"),
])
def test_topic_prefix(topic: str, message: str) -> None:
    findings = lint_bytes(enrollment(Topic=f"<string>{topic}</string>"))
    assert [(f.rule, f.line, f.pointer, f.message) for f in findings] == [
        ("MDM102", 14, f"{P}/Topic", message)]


def test_missing_topic_is_reported_once_by_the_schema() -> None:
    findings = lint_bytes(enrollment(drop=("Topic",)))
    assert family(findings, "MDM", "SCH") == [("SCH002", 11, f"{P}/Topic")]


@pytest.mark.parametrize(("url", "problem"), [
    ("http://mdm.corp.test/mdm", "uses http:// instead of https://"),
    ("mdm.corp.test:2001/mdm", "has no scheme (it must begin with https://)"),
    ("https:///mdm", "has no host"),
    ("https://mdm.corp.test:port/mdm", "is not a valid URL (check the host and port)"),
    ("ftp://mdm.corp.test/", "uses ftp:// instead of https://"),
])
def test_server_url_must_be_https_with_a_host(url: str, problem: str) -> None:
    findings = lint_bytes(enrollment(ServerURL=f"<string>{url}</string>",
                                     CheckInURL=f"<string>{url}</string>"))
    assert [(f.rule, f.line, f.pointer, f.message) for f in findings] == [
        ("MDM103", 13, f"{P}/ServerURL", f"ServerURL {url!r} {problem}"),
        ("MDM103", 16, f"{P}/CheckInURL", f"CheckInURL {url!r} {problem}"),
    ]
    assert {f.severity for f in findings} == {Severity.ERROR}


@pytest.mark.parametrize("url", ["https://mdm.corp.test:2001/mdm", "HTTPS://mdm.corp.test/x",
                                 "https://10.0.0.5/mdm"])
def test_https_urls_pass(url: str) -> None:
    assert lint_bytes(enrollment(ServerURL=f"<string>{url}</string>")) == []


# -- IdentityCertificateUUID and pins ---------------------------------------------------------


def test_dangling_identity() -> None:
    findings = lint_bytes(enrollment(IdentityCertificateUUID=f"<string>{OTHER_UUID}</string>"))
    assert [(f.rule, f.line, f.pointer, f.severity) for f in findings] == [
        ("MDM104", 12, f"{P}/IdentityCertificateUUID", Severity.ERROR)]
    assert "names no payload in this profile" in findings[0].message


@pytest.mark.parametrize(("payload_type", "what"), [
    ("com.apple.security.pem", "a PEM certificate without a private key"),
    ("com.apple.security.root", "a root certificate without a private key"),
    ("com.apple.security.pkcs1", "a PKCS#1 certificate without a private key"),
])
def test_identity_must_have_a_private_key(payload_type: str, what: str) -> None:
    data = profile(certificate_payload(payload_type, data_of("root-ca.der"), uuid=SCEP_UUID),
                   mdm())
    findings = family(lint_bytes(data), "MDM")
    # the certificate payload is 3 lines (5 ... 7): the MDM keys start on line 9
    assert findings == [("MDM104", 9, f"{P}/IdentityCertificateUUID")]
    [finding] = [f for f in lint_bytes(data) if f.rule == "MDM104"]
    assert what in finding.message


def test_identity_in_a_payload_that_is_no_certificate() -> None:
    wifi = payload("com.apple.wifi.managed", SCEP_UUID, "<key>SSID_STR</key><string>C</string>")
    [finding] = [f for f in lint_bytes(profile(wifi, mdm())) if f.rule == "MDM104"]
    assert finding.message == ("IdentityCertificateUUID names the com.apple.wifi.managed "
                               "payload at /PayloadContent/0, which is not an identity "
                               "(SCEP, PKCS#12 or ACME) payload")


def test_pkcs12_and_acme_are_identities() -> None:
    p12 = certificate_payload("com.apple.security.pkcs12", data_of("identity.p12"),
                              uuid=SCEP_UUID)
    assert family(lint_bytes(profile(p12, mdm())), "MDM") == []
    acme = payload("com.apple.security.acme", SCEP_UUID,
                   "<key>DirectoryURL</key><string>https://acme.corp.test/dir</string>")
    assert family(lint_bytes(profile(acme, mdm())), "MDM") == []


def test_identity_that_resolves_loosely_is_a_warning() -> None:
    lower = lint_bytes(enrollment(IdentityCertificateUUID=f"<string>{SCEP_UUID.lower()}</string>"))
    assert [(f.rule, f.line, f.severity) for f in lower] == [("MDM105", 12, Severity.WARNING)]
    assert "only when letter case is ignored" in lower[0].message
    odd = profile(good_scep(uuid="scep-identity"),
                  mdm(IdentityCertificateUUID="<string>scep-identity</string>"))
    assert family(lint_bytes(odd), "MDM") == [("MDM105", 12, f"{P}/IdentityCertificateUUID")]


def test_missing_identity_is_the_schema_s() -> None:
    findings = lint_bytes(enrollment(drop=("IdentityCertificateUUID",)))
    assert family(findings, "MDM", "SCH") == [("SCH002", 11, f"{P}/IdentityCertificateUUID")]


def test_pins_name_certificate_payloads() -> None:
    root = certificate_payload("com.apple.security.root", data_of("root-ca.der"))
    pins = (f"<array><string>{OTHER_UUID}</string><string>{SCEP_UUID}</string>"
            f"<string>{MDM_UUID[:-1]}9</string></array>")
    data = profile(good_scep(), mdm(ServerURLPinningCertificateUUIDs=pins,
                                    CheckInURLPinningCertificateUUIDs=pins), root)
    findings = [f for f in lint_bytes(data) if f.rule.startswith("MDM")]
    assert [(f.rule, f.line, f.pointer) for f in findings] == [
        ("MDM106", 16, f"{P}/ServerURLPinningCertificateUUIDs/1"),
        ("MDM106", 16, f"{P}/ServerURLPinningCertificateUUIDs/2"),
        ("MDM106", 17, f"{P}/CheckInURLPinningCertificateUUIDs/1"),
        ("MDM106", 17, f"{P}/CheckInURLPinningCertificateUUIDs/2"),
    ]
    assert "the com.apple.security.scep payload at /PayloadContent/0, which is not a " \
           "certificate" in findings[0].message
    assert "which no payload in this profile has" in findings[1].message


# -- one MDM payload, capabilities, platforms, APNS, placeholders ---------------------------


def test_at_most_one_mdm_payload() -> None:
    data = profile(good_scep(), mdm(), mdm(uuid=OTHER_UUID))
    # second MDM payload: <dict> on 17, keys 18 ... 21, common keys on 22
    assert family(lint_bytes(data), "MDM") == [("MDM108", 22, "/PayloadContent/2/PayloadType")]


@pytest.mark.parametrize(("platforms", "capabilities", "expected"), [
    ({"macos"}, None, [("MDM109", 11, f"{P}/ServerCapabilities")]),
    ({"macos", "ios"}, "<array><string>com.apple.mdm.token</string></array>",
     [("MDM109", 16, f"{P}/ServerCapabilities")]),
    ({"macos"}, CAPABILITIES, []),
    ({"ios"}, None, []),
    (set(), None, []),
])
def test_per_user_connections_when_macos_is_targeted(
        platforms: set[str], capabilities: str | None,
        expected: list[tuple[str, int, str]]) -> None:
    changes = {"ServerCapabilities": capabilities} if capabilities else {}
    findings = lint_bytes(enrollment(**changes), platforms=frozenset(platforms))
    assert family(findings, "MDM") == expected


def test_server_capabilities_values_and_uniqueness_are_the_schema_s() -> None:
    twice = ("<array><string>com.apple.mdm.token</string>"
             "<string>com.apple.mdm.token</string></array>")
    findings = lint_bytes(enrollment(ServerCapabilities=twice))
    assert [(f.rule, f.line, f.pointer, f.message) for f in findings] == [
        ("SCH003", 16, f"{P}/ServerCapabilities", "ServerCapabilities: items must be unique")]
    unknown = "<array><string>com.apple.mdm.shared-ipad</string></array>"
    findings = lint_bytes(enrollment(ServerCapabilities=unknown))
    assert [(f.rule, f.pointer) for f in findings] == [("SCH003", f"{P}/ServerCapabilities/0")]


def test_enrollment_mode_values_are_the_schema_s() -> None:
    assert lint_bytes(enrollment(EnrollmentMode="<string>BYOD</string>")) == []
    findings = lint_bytes(enrollment(EnrollmentMode="<string>User</string>"))
    assert [(f.rule, f.line, f.severity.value, f.message) for f in findings] == [
        ("SCH003", 16, "error", "EnrollmentMode: 'User' is not allowed (allowed: BYOD, ADDE)")]
    findings = lint_bytes(enrollment(EnrollmentMode="<string>byod</string>"))
    assert [(f.rule, f.line, f.severity.value) for f in findings] == [("SCH003", 16, "warning")]


@pytest.mark.parametrize(("platforms", "expected"), [
    ({"ios"}, "ManagedAppleID: removed in iOS 18.0"),
    ({"macos"}, "ManagedAppleID: removed in macOS 15.0"),
    (set(), None),
])
def test_managed_apple_id_removed_is_reported_by_avl002(platforms: set[str],
                                                         expected: str | None) -> None:
    data = enrollment(ManagedAppleID="<string>ann@corp.test</string>",
                      ServerCapabilities=CAPABILITIES, drop=("AccessRights",))
    findings = lint_bytes(data, platforms=frozenset(platforms))
    assert [(f.rule, f.line, f.message) for f in findings] == (
        [("AVL002", 15, expected)] if expected else [])


def test_development_apns() -> None:
    findings = lint_bytes(enrollment(UseDevelopmentAPNS="<true/>"))
    assert [(f.rule, f.line, f.severity) for f in findings] == [("MDM110", 16, Severity.WARNING)]
    assert lint_bytes(enrollment(UseDevelopmentAPNS="<false/>")) == []


@pytest.mark.parametrize(("key", "value", "message"), [
    ("Topic", "com.apple.mgmt.External.YOUR-PUSH-TOPIC-HERE",
     "Topic contains the placeholder 'YOUR-PUSH-TOPIC-HERE'"),
    ("Topic", "com.apple.mgmt.External.XXXXXXXX", "Topic contains the placeholder 'XXXXXXXX'"),
    ("Topic", "com.apple.mgmt.{{ topic }}", "Topic contains the placeholder '{{ topic }}'"),
    ("ServerURL", "https://mdm.example.com/mdm", "ServerURL looks like a placeholder: its "
     "host mdm.example.com is a reserved example domain"),
    ("ServerURL", "https://example.net/mdm", "ServerURL looks like a placeholder: its host "
     "example.net is a reserved example domain"),
    ("ServerURL", "https://CHANGEME.corp.test/mdm", "ServerURL looks like a placeholder: it "
     "contains the placeholder 'CHANGEME'"),
])
def test_placeholders(key: str, value: str, message: str) -> None:
    findings = lint_bytes(enrollment(**{key: f"<string>{value}</string>"}))
    line = {"Topic": 14, "ServerURL": 13}[key]
    assert [(f.rule, f.line, f.pointer, f.message) for f in findings] == [
        ("MDM111", line, f"{P}/{key}", message)]


@pytest.mark.parametrize("host", ["mdm.examples.com", "example.company.com", "mdm.corp.test"])
def test_hosts_that_are_not_placeholders(host: str) -> None:
    assert lint_bytes(enrollment(ServerURL=f"<string>https://{host}/mdm</string>")) == []


# -- rights.py ------------------------------------------------------------------------------


def test_rights_table() -> None:
    assert [r.value for r in rights.RIGHTS] == [1 << n for n in range(13)]
    assert rights.ALL_RIGHTS == 8191
    assert rights.by_name("AllowQuerySecurity") == rights.by_value(1024)
    assert rights.by_name("DeviceLockAndRemovePasscode") == rights.by_value(4)
    assert rights.by_name("allowdeviceerase") == rights.by_value(8)
    assert rights.by_name("Nope") is None
    assert [r.name for r in rights.granted(1028)] == ["AllowPasscodeRemovalAndLock",
                                                      "AllowQuerySecurity"]
    assert rights.undefined_bits(8191) == 0
    assert rights.undefined_bits(8192 | 1) == 8192
    assert [(a.value, b.value) for a, b in rights.missing_dependencies(130)] == [(2, 1),
                                                                               (128, 64)]
    assert rights.with_dependencies(130) == 195
    assert rights.with_dependencies(1028) == 1028


def test_linting_an_enrollment_profile_does_not_import_cryptography() -> None:
    code = (
        "import sys\n"
        "from profilesmith.lint.config import LintOptions\n"
        "from profilesmith.lint.engine import lint_document\n"
        "from profilesmith.plist.reader import read_bytes\n"
        "data = sys.stdin.buffer.read()\n"
        "findings = lint_document(read_bytes(data, 'x'), LintOptions()).findings\n"
        "print(len(findings), 'cryptography' in sys.modules)\n"
    )
    data = enrollment(Topic="<string>com.example.x</string>")
    result = subprocess.run([sys.executable, "-c", code], input=data, capture_output=True,
                            check=True)
    assert result.stdout.split() == [b"1", b"False"]

