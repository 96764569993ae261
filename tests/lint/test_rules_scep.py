"""SCEP rules and the com.apple.security.scep schema. A lone scep(...) payload puts its
inner PayloadContent <dict> on line 6 and its settings on lines 7, 8, ..."""

from __future__ import annotations

import base64

import pytest

from profilesmith.base.findings import Finding, Severity
from tests.conftest import lint_bytes
from tests.enrollment_profiles import GOOD_SCEP, payload, profile, scep

S = "/PayloadContent/0/PayloadContent"
URL = "<key>URL</key><string>https://scep.corp.test/scep</string>"
KEYSIZE = "<key>Keysize</key><integer>2048</integer>"


def hits(findings: list[Finding]) -> list[tuple[str, int | None, str]]:
    return [(f.rule, f.line, f.pointer) for f in findings]


def lint_scep(*settings: str) -> list[Finding]:
    return lint_bytes(profile(scep(*settings)))


def test_good_scep_payload() -> None:
    subject = ("<key>Subject</key><array><array><array><string>O</string><string>Corp"
               "</string></array></array><array><array><string>CN</string><string>"
               "%SerialNumber%</string></array></array></array>")
    san = ("<key>SubjectAltName</key><dict><key>dNSName</key><string>a.corp.test</string>"
           "<key>rfc822Name</key><array><string>a@corp.test</string><string>b@corp.test"
           "</string></array></dict>")
    assert lint_scep(*GOOD_SCEP, "<key>Key Type</key><string>RSA</string>",
                     "<key>Key Usage</key><integer>5</integer>", subject, san,
                     "<key>Retries</key><integer>3</integer>",
                     "<key>RetryDelay</key><integer>10</integer>",
                     "<key>Name</key><string>CORP-CA</string>") == []


@pytest.mark.parametrize(("url", "problem"), [
    ("scep.corp.test/scep", "has no scheme (write https:// or http:// in front of it)"),
    ("scep.corp.test:8080/scep", "has no scheme (write https:// or http:// in front of it)"),
    ("ldap://scep.corp.test/", "uses ldap://; SCEP needs http:// or https://"),
    ("https:///scep", "has no host"),
    ("https://scep corp/", "contains whitespace"),
])
def test_unusable_url_is_an_error(url: str, problem: str) -> None:
    findings = lint_scep(f"<key>URL</key><string>{url}</string>", KEYSIZE)
    assert [(f.rule, f.line, f.pointer, f.severity, f.message) for f in findings] == [
        ("SCP101", 7, f"{S}/URL", Severity.ERROR, f"SCEP URL {url!r} {problem}")]


def test_plain_http_is_a_warning() -> None:
    findings = lint_scep("<key>URL</key><string>http://scep.corp.test/scep</string>", KEYSIZE)
    assert [(f.rule, f.line, f.severity) for f in findings] == [("SCP102", 7, Severity.WARNING)]


def test_missing_url_is_the_schema_s() -> None:
    assert hits(lint_scep(KEYSIZE)) == [("SCH002", 6, f"{S}/URL")]


def test_key_size() -> None:
    assert hits(lint_scep(URL, "<key>Keysize</key><integer>1024</integer>")) == [
        ("SCP103", 8, f"{S}/Keysize")]
    [missing] = lint_scep(URL)
    assert (missing.rule, missing.line, missing.pointer) == ("SCP103", 6, f"{S}/Keysize")
    assert missing.message == "Keysize is missing, so the key is 1024 bits: set 2048"
    assert lint_scep(URL, "<key>Keysize</key><integer>4096</integer>") == []
    findings = lint_scep(URL, "<key>Keysize</key><integer>3072</integer>")
    assert [(f.rule, f.message) for f in findings] == [
        ("SCH003", "PayloadContent/Keysize: 3072 is not allowed (allowed: 1024, 2048, 4096)")]


@pytest.mark.parametrize(("setting", "rule"), [
    ("<key>Key Usage</key><integer>0</integer>", None),
    ("<key>Key Usage</key><integer>4</integer>", None),
    ("<key>Key Usage</key><integer>2</integer>", "SCP108"),  # bits Apple does not define
    ("<key>Key Usage</key><integer>-1</integer>", "SCH003"),
    ("<key>Key Usage</key><integer>7</integer>", "SCP108"),
    ("<key>Key Type</key><string>RSA</string>", None),
    ("<key>Key Type</key><string>ECSECPrimeRandom</string>", "SCH003"),
    ("<key>Retries</key><string>3</string>", "SCH001"),
    ("<key>RetryDelay</key><real>10.5</real>", "SCH001"),
    ("<key>Subject</key><string>CN=device</string>", "SCH001"),
    # pairs not wrapped in an RDN array: each string sits where a pair belongs
    ("<key>Subject</key><array><array><string>CN</string><string>x</string></array></array>",
     "SCH001 SCH001"),
    # a string or an array of strings: an anyOf, so a value-not-allowed finding
    ("<key>SubjectAltName</key><dict><key>dNSName</key><integer>1</integer></dict>", "SCH003"),
    ("<key>SubjectAltName</key><dict><key>dNSName</key><array><integer>1</integer></array>"
     "</dict>", "SCH003"),
])
def test_values_the_schema_checks(setting: str, rule: str | None) -> None:
    findings = lint_scep(URL, KEYSIZE, setting)
    assert [f.rule for f in findings] == (rule.split() if rule else [])
    assert all(f.line == 9 for f in findings)


def test_subject_pairs_hold_two_strings() -> None:
    subject = ("<key>Subject</key><array><array><array><string>CN</string><string>a</string>"
               "<string>b</string></array></array></array>")
    findings = lint_scep(URL, KEYSIZE, subject)
    assert [(f.rule, f.pointer) for f in findings] == [("SCH003", f"{S}/Subject/0/0")]


def test_subject_alt_name_unknown_type_is_an_unknown_key() -> None:
    san = "<key>SubjectAltName</key><dict><key>iPAddress</key><string>10.0.0.1</string></dict>"
    findings = lint_scep(URL, KEYSIZE, san)
    assert [(f.rule, f.pointer, f.severity) for f in findings] == [
        ("SCH005", f"{S}/SubjectAltName/iPAddress", Severity.WARNING)]


def test_subject_attribute_names() -> None:
    subject = ("<key>Subject</key><array>"
               "<array><array><string>C</string><string>US</string></array></array>"
               "<array><array><string>cn</string><string>a</string></array>"
               "<array><string>emailAddress</string><string>a@corp.test</string></array></array>"
               "<array><array><string>2.5.4.5</string><string>S1</string></array>"
               "<array><string>Device</string><string>x</string></array></array>"
               "</array>")
    findings = lint_scep(URL, KEYSIZE, subject)
    assert [(f.rule, f.line, f.pointer, f.message) for f in findings] == [
        ("SCP104", 9, f"{S}/Subject/1/0/0", "Subject attribute 'cn' is not one of C, L, ST, "
         "O, OU, CN nor an OID: write 'CN'"),
        ("SCP104", 9, f"{S}/Subject/1/1/0", "Subject attribute 'emailAddress' is not one of "
         "C, L, ST, O, OU, CN nor an OID: use its OID 1.2.840.113549.1.9.1"),
        ("SCP104", 9, f"{S}/Subject/2/1/0", "Subject attribute 'Device' is not one of C, L, "
         "ST, O, OU, CN nor an OID: use its dotted OID"),
    ]


@pytest.mark.parametrize(("data", "message"), [
    (b"0123456789abcdef0123456789abcdef01234567", "CAFingerprint is 40 bytes, not the length "
     "of a digest (16, 20, 32, 48 or 64): it is the hex text of a SHA-1 digest; store the "
     "digest bytes"),
    (b"\x01\x02\x03", "CAFingerprint is 3 bytes, not the length of a digest (16, 20, 32, 48 "
     "or 64)"),
])
def test_fingerprint_length(data: bytes, message: str) -> None:
    setting = f"<key>CAFingerprint</key><data>{base64.b64encode(data).decode()}</data>"
    findings = lint_scep(URL, KEYSIZE, setting)
    assert [(f.rule, f.line, f.severity, f.message) for f in findings] == [
        ("SCP105", 9, Severity.WARNING, message)]


@pytest.mark.parametrize("size", [16, 20, 32, 48, 64])
def test_digest_lengths_pass(size: int) -> None:
    setting = f"<key>CAFingerprint</key><data>{base64.b64encode(bytes(size)).decode()}</data>"
    assert lint_scep(URL, KEYSIZE, setting) == []


def test_acme_spellings_in_scep() -> None:
    findings = lint_scep(URL, "<key>KeyType</key><string>RSA</string>",
                         "<key>KeySize</key><integer>2048</integer>",
                         "<key>KeyUsage</key><integer>5</integer>")
    # reported on the <key> (SCP106), never also as unknown keys (SCH005); the real
    # Keysize is then missing, so the key is 1024 bits (SCP103)
    assert hits(findings) == [
        ("SCP103", 6, f"{S}/Keysize"),
        ("SCP106", 8, f"{S}/KeyType"),
        ("SCP106", 9, f"{S}/KeySize"),
        ("SCP106", 10, f"{S}/KeyUsage"),
    ]
    assert findings[1].message == ("'KeyType' is not a SCEP key (it is ACME's spelling) and "
                                   "is ignored: write 'Key Type'")


def test_acme_payload_uses_those_names_legitimately() -> None:
    acme = payload("com.apple.security.acme", "3D0C7A52-9B1E-4F6A-8C2D-000000000001",
                   "<key>DirectoryURL</key><string>https://acme.corp.test/d</string>",
                   "<key>ClientIdentifier</key><string>c-1</string>",
                   "<key>KeyType</key><string>RSA</string>",
                   "<key>KeySize</key><integer>2048</integer>",
                   "<key>HardwareBound</key><false/>",
                   "<key>Subject</key><array><array><array><string>CN</string><string>d"
                   "</string></array></array></array>")
    assert lint_bytes(profile(acme)) == []


def test_acme_key_rules_are_the_schema_s() -> None:
    acme = payload("com.apple.security.acme", "3D0C7A52-9B1E-4F6A-8C2D-000000000001",
                   "<key>DirectoryURL</key><string>http://acme.corp.test/d</string>",
                   "<key>ClientIdentifier</key><string>c-1</string>",
                   "<key>KeyType</key><string>RSA</string>",
                   "<key>KeySize</key><integer>2048</integer>",
                   "<key>HardwareBound</key><true/>",
                   "<key>Subject</key><array/>")
    findings = lint_bytes(profile(acme))
    # http DirectoryURL: a format warning; hardware-bound keys must be EC 256/384
    assert [(f.rule, f.line) for f in findings] == [("SCH004", 6), ("SCH003", 8),
                                                    ("SCH003", 9)]


def test_placeholders() -> None:
    findings = lint_scep("<key>URL</key><string>https://scep.example.org/scep</string>",
                         KEYSIZE, "<key>Challenge</key><string>CHALLENGE-HERE</string>")
    assert [(f.rule, f.line, f.message) for f in findings] == [
        ("SCP107", 7, "the SCEP URL looks like a placeholder: its host scep.example.org is a "
         "reserved example domain"),
        ("SCP107", 9, "the Challenge looks like a placeholder that was never filled in"),
    ]
    assert all("CHALLENGE-HERE" not in f.message for f in findings)


def test_wrong_challenge_type_is_reported_without_its_value() -> None:
    findings = lint_scep(URL, KEYSIZE, "<key>Challenge</key><integer>424242</integer>")
    assert [(f.rule, f.line) for f in findings] == [("SCH001", 9)]
    assert "424242" not in findings[0].message
