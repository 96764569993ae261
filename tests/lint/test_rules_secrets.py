"""SEC rules: credentials in clear are reported (warnings), never echoed anywhere, and
variables, placeholders and empty values are not taken for secrets."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from profilesmith.base.findings import Finding, Severity
from profilesmith.mdm import placeholders
from tests.conftest import lint_bytes, run_cli
from tests.enrollment_profiles import (
    GOOD_SCEP,
    certificate_payload,
    data_of,
    payload,
    profile,
    scep,
)

UUID = "3D0C7A52-9B1E-4F6A-8C2D-0000000000A1"
SECRETS = ["s3cr3t-Enroll-42", "Corp-WPA2-Passphrase", "eap-pass-9", "proxy-pass-7",
           "ppp-pass-1", "xauth-pass-2", "c2hhcmVkLXNlY3JldA==", "ike-psk-3", "ike-auth-4",
           "Mail-Pass-99", "cert-pass-5", "ews-pass-6", "remove-me-not", "tp-pass-8"]


def sec(findings: list[Finding]) -> list[tuple[str, int | None, str]]:
    return [(f.rule, f.line, f.pointer) for f in findings if f.rule.startswith("SEC")]


def challenge(value: str) -> bytes:
    return profile(scep(*GOOD_SCEP, f"<key>Challenge</key><string>{value}</string>"))


def test_scep_challenge() -> None:
    findings = lint_bytes(challenge("s3cr3t-Enroll-42"))
    assert [(f.rule, f.line, f.pointer, f.severity, f.message) for f in findings] == [
        ("SEC101", 9, "/PayloadContent/0/PayloadContent/Challenge", Severity.WARNING,
         "the SCEP Challenge is stored in clear in the profile (its value is not shown); "
         "anyone who can read the file can use it")]


@pytest.mark.parametrize("value", ["", "   ", "$SCEP_CHALLENGE", "${SCEP_CHALLENGE}",
                                   "$(challenge)", "{{ scep.challenge }}", "{{challenge}}",
                                   "%Challenge%", "%SCEP.Challenge%", "<<challenge>>",
                                   "SCEP-CHALLENGE-HERE", "CHANGEME"])
def test_unset_challenges_are_not_secrets(value: str) -> None:
    assert sec(lint_bytes(challenge(value))) == []


@pytest.mark.parametrize("value", ["secret", "$ecret-with-dollar", "pre-$VAR", "100%sure%"])
def test_values_that_merely_contain_variable_syntax_are_secrets(value: str) -> None:
    assert not placeholders.is_unset(value)
    assert [f.rule for f in lint_bytes(challenge(value))] == ["SEC101"]


def test_pkcs12_password_and_bundle() -> None:
    p12 = certificate_payload("com.apple.security.pkcs12", data_of("identity.p12"),
                              "<key>Password</key><string>fixture-password</string>")
    findings = lint_bytes(profile(p12))
    assert sec(findings) == [("SEC103", 6, "/PayloadContent/0/PayloadContent"),
                             ("SEC102", 7, "/PayloadContent/0/Password")]
    assert findings[0].message == ("the profile holds a private key (a PKCS#12 bundle); "
                                   "anyone who can read the file can try its password offline")


def test_pem_private_key_in_a_certificate_payload() -> None:
    findings = lint_bytes(profile(certificate_payload("com.apple.security.pem",
                                                      data_of("server-key.pem"))))
    assert sec(findings) == [("SEC103", 6, "/PayloadContent/0/PayloadContent")]
    assert sec(lint_bytes(profile(certificate_payload("com.apple.security.pem",
                                                      data_of("server.pem"))))) == []


def network() -> str:
    return payload(
        "com.apple.wifi.managed", UUID,
        "<key>SSID_STR</key><string>Corp</string>",
        "<key>Password</key><string>Corp-WPA2-Passphrase</string>",
        "<key>EAPClientConfiguration</key><dict><key>UserPassword</key>"
        "<string>eap-pass-9</string></dict>",
        "<key>ProxyPassword</key><string>proxy-pass-7</string>",
    )


def vpn() -> str:
    return payload(
        "com.apple.vpn.managed", UUID,
        "<key>VPNType</key><string>L2TP</string>",
        "<key>PPP</key><dict><key>AuthPassword</key><string>ppp-pass-1</string></dict>",
        "<key>IPSec</key><dict><key>XAuthPassword</key><string>xauth-pass-2</string>"
        "<key>SharedSecret</key><data>c2hhcmVkLXNlY3JldA==</data></dict>",
        "<key>IKEv2</key><dict><key>SharedSecret</key><string>ike-psk-3</string>"
        "<key>AuthPassword</key><string>ike-auth-4</string></dict>",
        "<key>TransparentProxy</key><dict><key>Password</key><string>tp-pass-8</string></dict>",
    )


def test_network_passwords() -> None:
    assert sec(lint_bytes(profile(network()))) == [
        ("SEC104", 7, "/PayloadContent/0/Password"),
        ("SEC104", 8, "/PayloadContent/0/EAPClientConfiguration/UserPassword"),
        ("SEC104", 9, "/PayloadContent/0/ProxyPassword"),
    ]


def test_ethernet_eap_password() -> None:
    ethernet = payload("com.apple.globalethernet.managed", UUID,
                       "<key>EAPClientConfiguration</key><dict><key>UserPassword</key>"
                       "<string>eap-pass-9</string></dict>")
    assert sec(lint_bytes(profile(ethernet))) == [
        ("SEC104", 6, "/PayloadContent/0/EAPClientConfiguration/UserPassword")]


def test_vpn_secrets() -> None:
    findings = lint_bytes(profile(vpn()))
    assert sorted(sec(findings)) == [
        ("SEC105", 7, "/PayloadContent/0/PPP/AuthPassword"),
        ("SEC105", 8, "/PayloadContent/0/IPSec/SharedSecret"),
        ("SEC105", 8, "/PayloadContent/0/IPSec/XAuthPassword"),
        ("SEC105", 9, "/PayloadContent/0/IKEv2/AuthPassword"),
        ("SEC105", 9, "/PayloadContent/0/IKEv2/SharedSecret"),
        ("SEC105", 10, "/PayloadContent/0/TransparentProxy/Password"),
    ]


def test_empty_data_shared_secret_is_not_a_secret() -> None:
    empty = payload("com.apple.vpn.managed", UUID,
                    "<key>IPSec</key><dict><key>SharedSecret</key><data></data></dict>")
    assert sec(lint_bytes(profile(empty))) == []


def exchange() -> list[str]:
    return [
        payload("com.apple.eas.account", UUID,
                "<key>Password</key><string>Mail-Pass-99</string>",
                "<key>CertificatePassword</key><string>cert-pass-5</string>"),
        payload("com.apple.ews.account", UUID.replace("A1", "A2"),
                "<key>Password</key><string>ews-pass-6</string>"),
    ]


def test_exchange_passwords() -> None:
    assert sec(lint_bytes(profile(*exchange()))) == [
        ("SEC106", 6, "/PayloadContent/0/Password"),
        ("SEC106", 7, "/PayloadContent/0/CertificatePassword"),
        ("SEC106", 10, "/PayloadContent/1/Password"),
    ]


def removal() -> str:
    return payload("com.apple.profileRemovalPassword", UUID.replace("A1", "A3"),
                   "<key>RemovalPassword</key><string>remove-me-not</string>")


def test_removal_password() -> None:
    findings = lint_bytes(profile(removal()))
    assert [(f.rule, f.line, f.pointer, f.severity) for f in findings if f.rule == "SEC107"] == [
        ("SEC107", 6, "/PayloadContent/0/RemovalPassword", Severity.WARNING)]


def test_severity_can_be_escalated() -> None:
    findings = lint_bytes(challenge("s3cr3t-Enroll-42"), severity={"SEC101": Severity.ERROR})
    assert [(f.rule, f.severity) for f in findings] == [("SEC101", Severity.ERROR)]


def test_no_secret_reaches_any_output(tmp_path: Path) -> None:
    everything = profile(
        scep(*GOOD_SCEP, "<key>Challenge</key><string>s3cr3t-Enroll-42</string>"),
        network(), vpn(), *exchange(), removal())
    target = tmp_path / "secrets.mobileconfig"
    target.write_bytes(everything)
    for fmt in ("text", "json", "sarif", "github", "junit"):
        result = run_cli("lint", "--format", fmt, str(target))
        leaked = [s for s in SECRETS if s in result.output]
        assert leaked == [], fmt
    report = json.loads(run_cli("lint", "--format", "json", str(target)).output)
    counted: dict[str, int] = {}
    for finding in report["findings"]:
        counted[finding["rule"]] = counted.get(finding["rule"], 0) + 1
    assert {k: v for k, v in counted.items() if k.startswith("SEC")} == {
        "SEC101": 1, "SEC104": 3, "SEC105": 6, "SEC106": 3, "SEC107": 1}
