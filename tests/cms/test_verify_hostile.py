"""Malformed certificates and signed attributes inside a CMS signature: ``verify`` says
Unverified with a reason that names what is malformed, lint reports the same sentence
as a SIG finding, and neither ends in "internal error".

Every file is forged with tests/cms_forge.py: the signature is real, only the part under
test is broken (certificates are re-signed by their issuer after the change).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from asn1crypto import cms, core, x509

from tests import cms_forge as forge
from tests.cms.helpers import NOW, verify_and_lint
from tests.conftest import run_cli
from tests.make_sig_fixtures import PROFILE
from tests.pki import PKI

SIGNER = "the signer certificate CN=Profile Signer,O=profilesmith tests"
def duplicate_first_extension(tbs: Any) -> None:
    tbs["extensions"] = [*tbs["extensions"], tbs["extensions"][0]]


def negative_serial(tbs: Any) -> None:
    tbs["serial_number"] = -5


def version_11(tbs: Any) -> None:
    tbs["version"] = x509.Version.load(b"\xa0\x03\x02\x01\x0a", explicit=0)  # v11: none such


def signed_by_leaf(pki: PKI, change: Callable[[Any], None]) -> bytes:
    """The test profile signed by the leaf whose certificate had ``change`` applied."""
    cert = forge.alter_certificate(pki.leaf.cert, pki.intermediate.key, change)
    return forge.forge(PROFILE, pki.leaf.key, cert, [pki.intermediate.cert])


def signed_attrs(pki: PKI, attrs: list[Any]) -> bytes:
    return forge.forge(PROFILE, pki.leaf.key, pki.leaf.cert, [pki.intermediate.cert],
                       attrs=attrs)


def check(pki: PKI, tmp_path: Path, data: bytes) -> tuple[list[tuple[str, str]], list[str],
                                                          list[tuple[str, str]]]:
    """(verify's problems, its warnings, lint's SIG findings) of a file that is not
    verified (verify exits 1; lint 0: the SIG rules warn)."""
    outcome = verify_and_lint(tmp_path, data, "--ca", str(pki.root.cert_path))
    assert (outcome.code, outcome.status, outcome.lint_code) == (1, "unverified", 0)
    return outcome.problems, outcome.warnings, outcome.findings


CERTIFICATE_CASES = {
    "unknown-key-algorithm": (forge.with_public_key(forge.UNKNOWN_KEY), "unsupported-algorithm",
                              f"{SIGNER} has a public key of a type that cannot be checked "
                              "(OID 1.2.3.4.5)", "SIG007"),
    "invalid-rsa-key": (forge.with_public_key(forge.BAD_RSA_KEY), "malformed-certificate",
                        f"{SIGNER} has a public key that cannot be read (RSA, "
                        "1.2.840.113549.1.1.1: an element holds an invalid value)", "SIG007"),
    "ec-point-off-the-curve": (forge.with_public_key(forge.OFF_CURVE_EC_KEY),
                               "malformed-certificate",
                               f"{SIGNER} has a public key that cannot be read (EC, "
                               "1.2.840.10045.2.1: it is not a valid key)", "SIG007"),
    "unparsable-key-usage": (forge.with_extension("2.5.29.15", b"\x05\x00"),
                             "malformed-certificate",
                             f"{SIGNER} has an extension that cannot be read: key usage "
                             "extension (2.5.29.15): an element has the wrong ASN.1 type",
                             "SIG006"),
    "truncated-basic-constraints": (forge.with_extension("2.5.29.19", b"\x30\x03\x01\x01"),
                                    "malformed-certificate",
                                    f"{SIGNER} has an extension that cannot be read: basic "
                                    "constraints extension (2.5.29.19): it is truncated",
                                    "SIG006"),
    # found by mutating bytes: an [APPLICATION 8] element inside the authority key
    # identifier, on which asn1crypto raised AttributeError while naming the extension
    "application-tag-in-authority-key-id": (
        forge.with_extension("2.5.29.35", bytes.fromhex("30166814") + bytes(20)),
        "malformed-certificate", f"{SIGNER} has an extension that cannot be read: authority "
        "key identifier extension (2.5.29.35): bytes follow its end", "SIG006"),
    "duplicate-extension": (duplicate_first_extension, "malformed-certificate",
                            f"{SIGNER} carries the extension 2.5.29.19 twice (RFC 5280 4.2 "
                            "allows one)", "SIG006"),
}


@pytest.mark.parametrize("case", sorted(CERTIFICATE_CASES))
def test_malformed_signer_certificate(pki: PKI, tmp_path: Path, case: str) -> None:
    change, reason, message, rule = CERTIFICATE_CASES[case]
    problems, warnings, findings = check(pki, tmp_path, signed_by_leaf(pki, change))
    assert problems == [(reason, message)]
    assert warnings == []
    assert findings == [(rule, message)]


def test_negative_serial_number(pki: PKI, tmp_path: Path) -> None:
    problems, _, findings = check(pki, tmp_path, signed_by_leaf(pki, negative_serial))
    assert problems == [("malformed-certificate", f"{SIGNER} has a negative serial number "
                         "(RFC 5280 4.1.2.2 requires a positive one)")]
    assert findings == []  # lint does not judge the chain: verify's business


def test_unreadable_signer_certificate(pki: PKI, tmp_path: Path) -> None:
    data = signed_by_leaf(pki, version_11)
    serial = f"{pki.leaf.cert.serial_number:X}"
    problems, warnings, findings = check(pki, tmp_path, data)
    message = ("the signer's certificate (issuer Common Name: Test Intermediate CA, "
               f"Organization: profilesmith tests, serial {serial}) cannot be read (its "
               "version is not v1, v2 or v3)")
    assert problems == [("malformed-certificate", message)]
    assert warnings == ["1 embedded certificate(s) could not be read"]
    assert findings == [("SIG007", message)]


def test_intermediate_with_an_unreadable_key(pki: PKI, tmp_path: Path) -> None:
    """The chain stops at an issuer whose key cannot be read: that is the reason, not a
    missing intermediate."""
    broken = forge.alter_certificate(pki.intermediate.cert, pki.root.key,
                                     forge.with_public_key(forge.OFF_CURVE_EC_KEY))
    data = forge.forge(PROFILE, pki.leaf.key, pki.leaf.cert, [broken])
    problems, _, findings = check(pki, tmp_path, data)
    assert problems == [("malformed-certificate", "the issuing certificate CN=Test "
                         "Intermediate CA,O=profilesmith tests has a public key that cannot "
                         "be read (EC, 1.2.840.10045.2.1: it is not a valid key)")]
    assert findings == []


def _digest() -> bytes:
    return hashlib.sha256(PROFILE).digest()


def test_truncated_message_digest_attribute(pki: PKI, tmp_path: Path) -> None:
    good = signed_attrs(pki, forge.standard_attributes(PROFILE))
    # one length byte raised: the value now claims a byte past its SET's end
    data = forge.replace_bytes(good, b"\x04\x20" + _digest(), b"\x04\x21" + _digest())
    problems, _, findings = check(pki, tmp_path, data)
    message = "the message-digest signed attribute cannot be read: it is truncated"
    assert problems == [("malformed-attributes", message)]
    assert findings == [("SIG007", message)]


def test_message_digest_of_the_wrong_type(pki: PKI, tmp_path: Path) -> None:
    good = signed_attrs(pki, forge.standard_attributes(PROFILE))
    data = forge.replace_bytes(good, b"\x04\x20" + _digest(), b"\x13\x20" + _digest())
    problems, _, findings = check(pki, tmp_path, data)
    message = ("the message-digest signed attribute cannot be read: an element has the "
               "wrong ASN.1 type")
    assert problems == [("malformed-attributes", message)]
    assert findings == [("SIG007", message)]


def test_impossible_signing_time(pki: PKI, tmp_path: Path) -> None:
    month_13 = core.UTCTime.load(b"\x17\x0d" + b"261340250000Z")
    data = signed_attrs(pki, [
        forge.attribute("content_type", "data"),
        cms.CMSAttribute({"type": "signing_time", "values": [month_13]}),
        forge.attribute("message_digest", _digest()),
    ])
    problems, _, findings = check(pki, tmp_path, data)
    message = ("the signing-time signed attribute cannot be read: it holds an impossible "
               "date or time")
    assert problems == [("malformed-attributes", message)]
    assert findings == [("SIG007", message)]


def test_unreadable_signer_info(pki: PKI, tmp_path: Path) -> None:
    """The reader opens the content; the SignerInfo around it is what is malformed."""
    good = signed_attrs(pki, forge.standard_attributes(PROFILE))
    info = cms.ContentInfo.load(good)["content"]["signer_infos"][0]
    signature = info["signature"].dump()
    data = forge.replace_bytes(good, signature, b"\x13" + signature[1:])
    problems, _, findings = check(pki, tmp_path, data)
    message = "SignerInfo 1 cannot be read (an element has the wrong ASN.1 type)"
    assert problems == [("malformed", message)]
    assert findings == [("SIG007", f"the signature cannot be read: {message}")]


def test_text_report_names_what_is_malformed(pki: PKI, tmp_path: Path) -> None:
    path = tmp_path / "p.mobileconfig"
    path.write_bytes(signed_by_leaf(pki, forge.with_extension("2.5.29.15", b"\x05\x00")))
    result = run_cli("verify", str(path), "--now", NOW, "--ca", str(pki.root.cert_path))
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0] == f"{path}: Unverified (malformed certificate)"
    assert lines[1] == (f"  Reason:     malformed certificate: {SIGNER} has an extension that "
                        "cannot be read: key usage extension (2.5.29.15): an element has the "
                        "wrong ASN.1 type")


def test_embedded_certificate_with_an_unreadable_name(pki: PKI, tmp_path: Path) -> None:
    """cryptography reads names lazily: the certificate is unreadable as a whole, not a
    failure in the middle of building the chain."""
    broken = forge.alter_certificate(pki.intermediate.cert, pki.root.key,
                                     forge.with_subject(forge.UNREADABLE_NAME))
    data = forge.forge(PROFILE, pki.leaf.key, pki.leaf.cert, [broken])
    problems, warnings, findings = check(pki, tmp_path, data)
    assert [reason for reason, _ in problems] == ["missing-intermediate"]
    assert warnings == ["1 embedded certificate(s) could not be read"]
    assert findings == [("SIG004", "the issuer of the signer certificate, CN=Test "
                         "Intermediate CA,O=profilesmith tests, is not embedded: devices that "
                         "do not hold it show the profile as unverified")]


def test_unreadable_trust_anchor_is_a_usage_error(pki: PKI, tmp_path: Path) -> None:
    anchor = tmp_path / "anchor.der"
    anchor.write_bytes(forge.alter_certificate(pki.root.cert, pki.root.key,
                                               forge.with_subject(forge.UNREADABLE_NAME)))
    path = tmp_path / "p.mobileconfig"
    path.write_bytes(forge.forge(PROFILE, pki.leaf.key, pki.leaf.cert, [pki.intermediate.cert]))
    result = run_cli("verify", str(path), "--now", NOW, "--ca", str(anchor))
    assert result.exit_code == 2
    assert result.output == (f"profilesmith: {anchor}: CA certificate cannot be read (an "
                             "element has the wrong ASN.1 type)\n")


def _with_signer_infos(data: bytes, count: int) -> bytes:
    info = cms.ContentInfo.load(data)
    signed = info["content"]
    signer = signed["signer_infos"][0]
    signed["signer_infos"] = cms.SignerInfos([signer] * count)
    return cms.ContentInfo({"content_type": "signed_data", "content": signed}).dump()


@pytest.mark.parametrize(("count", "reason", "message"), [
    (0, "no-signer", "the SignedData has no signer"),
    (17, "malformed", "17 signers (more than 16 are not checked)"),
])
def test_signer_count(pki: PKI, tmp_path: Path, count: int, reason: str, message: str) -> None:
    good = forge.forge(PROFILE, pki.leaf.key, pki.leaf.cert, [pki.intermediate.cert])
    problems, _, _ = check(pki, tmp_path, _with_signer_infos(good, count))
    assert problems == [(reason, message)]
