"""Shared CMS helpers: first_line, signer matching, re-signing lint options, ENC002's shape."""

from __future__ import annotations

from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs7

from profilesmith.base.findings import Severity
from profilesmith.base.text import first_line
from profilesmith.cms.batch import LINT_IGNORES, sign_paths
from profilesmith.cms.signed import _same_name, parse_signed
from profilesmith.cms.signer import Signer
from profilesmith.lint.config import LintOptions
from profilesmith.lint.engine import lint_findings
from profilesmith.lint.rules.encryption import _is_enveloped_data
from profilesmith.mdm import asn1
from tests.conftest import plist
from tests.pki import PKI

GOOD = plist("""<dict>
	<key>PayloadContent</key>
	<array/>
	<key>PayloadIdentifier</key>
	<string>com.example.helpers</string>
	<key>PayloadType</key>
	<string>Configuration</string>
	<key>PayloadUUID</key>
	<string>2C3F2B7A-5D4E-4A6B-9C8D-7E6F5A4B3C2D</string>
	<key>PayloadVersion</key>
	<integer>1</integer>
</dict>""")




def test_first_line() -> None:
    assert first_line(ValueError("  first\nsecond\n")) == "first"
    assert first_line(ValueError("   ")) == "ValueError"
    assert first_line(KeyboardInterrupt()) == "KeyboardInterrupt"


def test_same_name_compares_encodings_then_prepared_strings() -> None:
    from asn1crypto import x509

    utf8 = x509.Name.build({"common_name": "Example CA"})
    printable = x509.Name.build({"common_name": "example  ca"}, use_printable=True)
    other = x509.Name.build({"common_name": "Another CA"})
    assert utf8.dump() != printable.dump()
    assert _same_name(utf8, utf8, utf8.dump())
    assert _same_name(printable, utf8, utf8.dump())  # RFC 4518: case and spaces folded
    assert not _same_name(other, utf8, utf8.dump())


def test_parse_signed_keeps_the_asn1_certificate_and_the_sid(pki: PKI) -> None:
    signed = Signer.from_objects(pki.leaf.key, pki.leaf.cert, [pki.intermediate.cert])
    facts = parse_signed(signed.sign(GOOD))
    (signer,) = facts.signers
    assert signer.cert == pki.leaf.cert
    der = pki.leaf.cert.public_bytes(serialization.Encoding.DER)
    assert signer.asn1_cert.dump() == der
    kind, issuer, serial = signer.identifier
    assert (kind, serial) == ("issuer_serial", pki.leaf.cert.serial_number)
    assert issuer == signer.asn1_cert.issuer.dump()


def test_resigning_ignores_the_old_signatures_findings(pki: PKI, tmp_path: Path) -> None:
    old = Signer.from_objects(pki.expired.key, pki.expired.cert, [pki.intermediate.cert])
    source = tmp_path / "renew.mobileconfig"
    source.write_bytes(old.sign(GOOD))
    out = tmp_path / "out.mobileconfig"
    # even a configuration that makes SIG findings errors does not stop a re-signing
    lint = LintOptions(severity={"SIG": Severity.ERROR}, ignore=("STR",))
    new = Signer.from_objects(pki.leaf.key, pki.leaf.cert, [pki.intermediate.cert])
    result = sign_paths([str(source)], new, output=str(out),
                        lint=lint_findings(lint, ignore=LINT_IGNORES))
    assert result.problems == []
    assert result.lint_errors == 0
    assert not [f for p in result.prepared for f in p.findings if f.rule.startswith("SIG")]
    assert result.written == [str(out)]
    assert lint.ignore == ("STR",)  # the caller's options are left alone


def _envelope(pki: PKI) -> bytes:
    builder = pkcs7.PKCS7EnvelopeBuilder().set_data(b"<array/>").add_recipient(pki.leaf.cert)
    return builder.encrypt(serialization.Encoding.DER, [pkcs7.PKCS7Options.Binary])


def test_enveloped_data_shape(pki: PKI) -> None:
    envelope = _envelope(pki)
    assert _is_enveloped_data(envelope)
    assert not _is_enveloped_data(envelope + b"\x00")  # trailing bytes
    assert not _is_enveloped_data(envelope[:-1])
    assert not _is_enveloped_data(b"\x04\x02ab")
    top = asn1.read(envelope)
    indefinite = b"\x30\x80" + envelope[top.content:top.end] + b"\x00\x00"
    assert _is_enveloped_data(indefinite)  # BER, as asn1crypto reads it
    signed = Signer.from_objects(pki.leaf.key, pki.leaf.cert).sign(b"x")
    assert not _is_enveloped_data(signed)
