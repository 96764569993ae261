"""Certificate payloads: profilesmith.mdm.certificates / asn1 decoding and the CRT rules.

The certificates come from tests/fixtures/make_enrollment_certs.py (tests/fixtures/certs);
a lone certificate_payload(...) puts its <data> on line 6 and further keys on 7, 8, ...
"""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime

import pytest

from profilesmith.base.findings import Finding, Severity
from profilesmith.mdm import asn1
from profilesmith.mdm import certificates as certs
from tests.conftest import lint_bytes, run_cli
from tests.enrollment_profiles import certificate_payload, data_of, profile

PEM, PKCS1, ROOT, P12 = ("com.apple.security.pem", "com.apple.security.pkcs1",
                         "com.apple.security.root", "com.apple.security.pkcs12")
D = "/PayloadContent/0/PayloadContent"
PASSWORD = "fixture-password"


def lint_cert(payload_type: str, data: bytes, *more: str, **changes: object) -> list[Finding]:
    return lint_bytes(profile(certificate_payload(payload_type, data, *more)), **changes)


def crt(findings: list[Finding]) -> list[tuple[str, int | None, str]]:
    return [(f.rule, f.line, f.pointer) for f in findings if f.rule.startswith("CRT")]


def root_pem_lines() -> list[bytes]:
    return data_of("root-ca.pem").split(b"\n")


# -- decoding: exactly why data is not a certificate -----------------------------------------


def test_pem_and_der_decode() -> None:
    pem = certs.decode_certificate(data_of("root-ca.pem"))
    der = certs.decode_certificate(data_of("root-ca.der"))
    assert (pem.form, pem.problem, der.form, der.problem) == ("pem", None, "der", None)
    assert pem.der == der.der == data_of("root-ca.der")


def test_a_character_outside_the_base64_alphabet() -> None:
    lines = root_pem_lines()
    lines[2] = lines[2][:4] + b"\\" + lines[2][5:]
    lines[6] = lines[6][:9] + b"\xed" + lines[6][10:]
    decoded = certs.decode_certificate(b"\n".join(lines))
    assert decoded.problem == ("line 3 of the PEM text, column 5: character '\\' is outside "
                               "the base64 alphabet; line 7, column 10: byte 0xED is outside "
                               "the base64 alphabet")
    # a replaced character keeps the groups aligned: the certificate is still read
    assert decoded.recovered
    assert decoded.der is not None


def test_an_inserted_character_is_dropped_to_read_past_it() -> None:
    lines = root_pem_lines()
    lines[2] = lines[2][:4] + b"*" + lines[2][4:]
    decoded = certs.decode_certificate(b"\n".join(lines))
    assert decoded.problem == ("line 3 of the PEM text, column 5: character '*' is outside "
                               "the base64 alphabet")
    assert decoded.der == data_of("root-ca.der")


@pytest.mark.parametrize(("data", "problem"), [
    (b"", "the data is empty"),
    (b"  \n", "the data is empty"),
    (b"\x00\x01\x02", "the data is not PEM armor and not DER (first byte 0x00)"),
    (b"hello world", "the data is not PEM armor and not DER (first byte 0x68 'h')"),
    (b"-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n",
     "the PEM armor holds no base64 text"),
    (b"-----BEGIN CERTIFICATE-----\nAAAA\n", "the PEM armor opened on line 1 is never closed "
     "by -----END CERTIFICATE-----"),
    (b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END X509 CRL-----\n",
     "line 3 of the PEM text closes 'X509 CRL', not 'CERTIFICATE'"),
    (b"-----BEGIN CERTIFICATE\nAAAA\n", "line 1 of the PEM text is not a well-formed "
     "-----BEGIN ...----- line"),
    (b"junk\n-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n",
     "the PEM text holds a private key, not a certificate (line 2)"),
    (b"-----BEGIN CERTIFICATE-----\nAAA=AAAA\n-----END CERTIFICATE-----\n",
     "line 2 of the PEM text, column 4: padding '=' before the end of the base64 text"),
    (b"-----BEGIN CERTIFICATE-----\nAAAAA\n-----END CERTIFICATE-----\n",
     "the base64 text is 5 characters long, not a multiple of 4 (a line is missing or "
     "truncated)"),
    (b"-----BEGIN CERTIFICATE-----\nAgEF\n-----END CERTIFICATE-----\n",
     "the base64 in the PEM text decodes to ASN.1 but not an X.509 certificate (its outer "
     "element is INTEGER, not SEQUENCE)"),
    (b"\x30\x09\x02\x01", "the data is not ASN.1 (byte offset 0: a length of 9 bytes runs "
     "past the end of the data, 2 bytes on)"),
    (b"\x30\x06\x02\x01\x05\x02\x01\x07", "the data is ASN.1 but not an X.509 certificate (a "
     "certificate is a SEQUENCE of SEQUENCE, SEQUENCE, BIT STRING; this one holds INTEGER, "
     "INTEGER)"),
])
def test_why_data_is_not_a_certificate(data: bytes, problem: str) -> None:
    assert certs.decode_certificate(data).problem == problem


def test_indented_pem_decodes_and_columns_count_from_the_line_start() -> None:
    lines = [b"    " + line for line in root_pem_lines()]
    assert certs.decode_certificate(b"\n".join(lines)).der == data_of("root-ca.der")
    lines[1] = lines[1][:8] + b"%" + lines[1][9:]
    assert certs.decode_certificate(b"\n".join(lines)).problem == (
        "line 2 of the PEM text, column 9: character '%' is outside the base64 alphabet")


def test_bare_base64_is_recognised() -> None:
    decoded = certs.decode_certificate(base64.b64encode(data_of("root-ca.der")))
    assert decoded.problem == ("the data is not PEM armor and not DER (first byte 0x4D 'M'): "
                               "it looks like base64 text without the -----BEGIN CERTIFICATE"
                               "----- line")


def test_asn1_reader_accepts_ber_that_strict_der_refuses() -> None:
    ber = data_of("root-ca-ber.der")
    assert asn1.certificate_shape(ber) is None
    with pytest.raises(certs.StrictParseError):
        certs.inspect(ber)
    indefinite = b"\x30\x80\x02\x01\x05\x00\x00"
    assert asn1.read(indefinite).end == len(indefinite)


def test_asn1_refuses_runaway_nesting() -> None:
    deep = b"\x30\x80" * 100
    with pytest.raises(asn1.Asn1Error, match="nested more than 64 levels"):
        asn1.read(deep)


def test_signature_fields() -> None:
    fields = asn1.signature_algorithms(data_of("mismatched-algorithms.der"))
    assert fields == asn1.SignatureFields("1.2.840.113549.1.1.12", "1.2.840.113549.1.1.11",
                                          False)
    assert asn1.signature_algorithms(b"\x30\x00") is None


# -- the rules ------------------------------------------------------------------------------


def test_valid_certificates_pass() -> None:
    for kind in (PEM, PKCS1, ROOT):
        assert lint_cert(kind, data_of("root-ca.pem")) == []
        assert lint_cert(kind, data_of("root-ca.der")) == []


def test_not_a_certificate() -> None:
    findings = lint_cert(PEM, b"\x00garbage")
    assert [(f.rule, f.line, f.pointer, f.severity, f.message) for f in findings] == [
        ("CRT101", 6, D, Severity.ERROR,
         "not a certificate: the data is not PEM armor and not DER (first byte 0x00)")]


def test_strict_der_refusal_is_a_warning() -> None:
    findings = lint_cert(ROOT, data_of("root-ca-ber.der"))
    assert [(f.rule, f.severity) for f in findings] == [("CRT102", Severity.WARNING)]
    assert findings[0].message.startswith("the certificate is not strict DER (cryptography "
                                          "refuses it: ")


def test_expired_certificate() -> None:
    findings = lint_cert(PKCS1, data_of("expired.pem"))
    assert [(f.rule, f.line, f.severity, f.message) for f in findings] == [
        ("CRT104", 6, Severity.WARNING, "the certificate (CN=expired.fixture.test) expired "
         "on 2025-01-01 (516 days before 2026-06-01)")]
    earlier = datetime(2024, 6, 1, tzinfo=UTC)
    assert lint_cert(PKCS1, data_of("expired.pem"), now=earlier) == []


def test_expiry_window() -> None:
    findings = lint_cert(PEM, data_of("expiring.pem"))
    assert [(f.rule, f.message) for f in findings] == [
        ("CRT105", "the certificate (CN=expiring.fixture.test) expires on 2026-06-15, in 14 "
         "days")]
    assert lint_cert(PEM, data_of("expiring.pem"), expiry_warning_days=7) == []
    late = datetime(2026, 6, 20, tzinfo=UTC)
    assert crt(lint_cert(PEM, data_of("expiring.pem"), now=late)) == [("CRT104", 6, D)]


def test_not_yet_valid() -> None:
    findings = lint_cert(PEM, data_of("not-yet-valid.pem"))
    assert [(f.rule, f.severity, f.message) for f in findings] == [
        ("CRT106", Severity.WARNING, "the certificate (CN=future.fixture.test) is not valid "
         "before 2027-01-01")]


def test_root_payload_must_hold_a_ca() -> None:
    assert crt(lint_cert(ROOT, data_of("server.pem"))) == [("CRT107", 6, D)]
    assert crt(lint_cert(ROOT, data_of("leaf-no-constraints.pem"))) == [("CRT107", 6, D)]
    assert lint_cert(ROOT, data_of("self-signed-no-constraints.pem")) == []
    assert lint_cert(PEM, data_of("server.pem")) == []  # only root payloads


def test_weak_key_and_signature() -> None:
    [weak] = lint_cert(PKCS1, data_of("rsa1024.pem"))
    assert (weak.rule, weak.message) == ("CRT108", "the certificate (CN=weak.fixture.test) "
                                         "has a 1024-bit RSA key (use 2048 bits or more)")
    [sha1] = lint_cert(PKCS1, data_of("sha1-leaf.pem"))
    assert (sha1.rule, sha1.message) == ("CRT109", "the certificate (CN=sha1.fixture.test) is "
                                         "signed with sha1WithRSAEncryption, which can be "
                                         "forged")
    assert lint_cert(ROOT, data_of("sha1-root.pem")) == []  # a root's own signature


def test_mismatched_signature_algorithms() -> None:
    [finding] = lint_cert(PEM, data_of("mismatched-algorithms.der"))
    assert (finding.rule, finding.severity, finding.message) == (
        "CRT110", Severity.WARNING,
        "the certificate (CN=server.fixture.test) has mismatched signature algorithms: "
        "signatureAlgorithm sha384WithRSAEncryption (1.2.840.113549.1.1.12), but "
        "TBSCertificate signature sha256WithRSAEncryption (1.2.840.113549.1.1.11)")


def test_findings_on_a_certificate_read_past_bad_characters_say_so() -> None:
    lines = data_of("expired.pem").split(b"\n")
    lines[3] = lines[3][:7] + b"!" + lines[3][8:]
    findings = lint_cert(PKCS1, b"\n".join(lines))
    assert crt(findings) == [("CRT101", 6, D), ("CRT104", 6, D)]
    assert findings[1].message.endswith("(read past the bad base64 characters CRT101 reports)")


# -- PKCS#12 --------------------------------------------------------------------------------


def password(value: str) -> str:
    return f"<key>Password</key><string>{value}</string>"


def test_pkcs12_opens_with_its_password() -> None:
    findings = lint_cert(P12, data_of("identity.p12"), password(PASSWORD))
    assert crt(findings) == []
    assert lint_cert(P12, data_of("identity.p12"), select=("CRT",)) == []  # the device asks


def test_pkcs12_wrong_password() -> None:
    findings = lint_cert(P12, data_of("identity.p12"), password("not-the-password"))
    assert [(f.rule, f.line, f.pointer, f.severity, f.message) for f in findings
            if f.rule.startswith("CRT")] == [
        ("CRT111", 7, "/PayloadContent/0/Password", Severity.ERROR,
         "the Password does not open the PKCS#12 bundle (its integrity check fails with it)")]


def test_not_pkcs12_data() -> None:
    findings = lint_cert(P12, b"\x30\x03\x02\x01\x01", password(PASSWORD), select=("CRT",))
    assert [(f.rule, f.pointer, f.message) for f in findings] == [
        ("CRT111", D, "the data is not a PKCS#12 bundle: it is ASN.1 but not a PFX (SEQUENCE "
         "of version INTEGER, ContentInfo, ...)")]


def test_expired_identity_is_an_error() -> None:
    findings = lint_cert(P12, data_of("identity-expired.p12"), password(PASSWORD))
    assert [(f.rule, f.severity, f.message) for f in findings if f.rule.startswith("CRT")] == [
        ("CRT103", Severity.ERROR, "the identity certificate in the PKCS#12 bundle "
         "(CN=expired.fixture.test) expired on 2025-01-01 (516 days before 2026-06-01)")]


def test_legacy_pkcs12_opens() -> None:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.serialization import pkcs12

    key = serialization.load_pem_private_key(data_of("server-key.pem"), None)
    cert = x509.load_pem_x509_certificate(data_of("server.pem"))
    legacy = (serialization.PrivateFormat.PKCS12.encryption_builder()
              .kdf_rounds(2048).key_cert_algorithm(pkcs12.PBES.PBESv1SHA1And3KeyTripleDESCBC)
              .hmac_hash(hashes.SHA1()).build(b"legacy"))
    data = pkcs12.serialize_key_and_certificates(b"x", key, cert, None, legacy)
    opened = certs.open_pkcs12(data, "legacy")
    assert opened.opened
    assert opened.certificate_der == cert.public_bytes(serialization.Encoding.DER)
    assert certs.open_pkcs12(data, "wrong").wrong_password


def test_passwords_never_appear_in_any_output(tmp_path: object) -> None:
    from pathlib import Path

    target = Path(str(tmp_path)) / "p12.mobileconfig"
    target.write_bytes(profile(certificate_payload(P12, data_of("identity.p12"),
                                                   password("not-the-password"))))
    for fmt in ("text", "json", "sarif", "github", "junit"):
        result = run_cli("lint", "--format", fmt, "--now", "2026-06-01", str(target))
        assert result.exit_code == 1
        assert "not-the-password" not in result.output, fmt
    data = json.loads(run_cli("lint", "--format", "json", str(target)).output)
    assert {f["rule"] for f in data["findings"]} == {"CRT111", "SEC102", "SEC103"}
