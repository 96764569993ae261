"""What ``verify`` requires beyond a signature that checks out (docs/verification.md):
the signer's key usage, id-data content, RFC 5652's rules for signed attributes, and a
reason of its own for weakly signed certificates. Lint's SIG rules report the same
sentences, computed by the same functions.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest
from asn1crypto import cms

from tests import cms_forge as forge
from tests.cms.helpers import Outcome, verify_and_lint
from tests.make_sig_fixtures import PROFILE
from tests.pki import PKI, make_cert, name, rsa_key

OTHER_TYPE = "1.3.6.1.4.1.99999.1"  # an eContentType nobody defines
RFC_5_3 = ("there are no signed attributes, which RFC 5652 (5.3) requires when the content "
           f"type is {OTHER_TYPE}, not id-data")
NOT_DATA = f"the signed content's type is {OTHER_TYPE}, not id-data (a profile is signed as data)"


def run(pki: PKI, tmp_path: Path, data: bytes) -> Outcome:
    return verify_and_lint(tmp_path, data, "--ca", str(pki.root.cert_path))


def by_leaf(pki: PKI, **options: Any) -> bytes:
    return forge.forge(PROFILE, pki.leaf.key, pki.leaf.cert, [pki.intermediate.cert], **options)


def content_type(*values: str) -> cms.CMSAttribute:
    return forge.attribute("content_type", *values)


def digest(*values: bytes) -> cms.CMSAttribute:
    return forge.attribute("message_digest", *(values or (hashlib.sha256(PROFILE).digest(),)))


def signing_time() -> cms.CMSAttribute:
    return forge.attribute("signing_time", cms.Time({"utc_time": forge.SIGNING_TIME}))


def test_forged_signature_verifies(pki: PKI, tmp_path: Path) -> None:
    """The forging helper itself makes a good signature: every failure below is the
    one change it makes."""
    outcome = run(pki, tmp_path, by_leaf(pki))
    assert (outcome.code, outcome.status, outcome.problems) == (0, "verified", [])
    assert (outcome.lint_code, outcome.findings) == (0, [])


# -- the signer's key usage ---------------------------------------------------------------


def test_key_usage_without_digital_signature(pki: PKI, tmp_path: Path) -> None:
    signer = pki.no_digital_signature
    data = forge.forge(PROFILE, signer.key, signer.cert, [pki.intermediate.cert])
    outcome = run(pki, tmp_path, data)
    message = ("the signer certificate CN=Encipherment-only Signer,O=profilesmith tests has "
               "a key usage without digitalSignature")
    assert (outcome.code, outcome.problems) == (1, [("key-usage", message)])
    assert outcome.findings == [("SIG006", message)]


def test_no_key_usage_extension_does_not_restrict(pki: PKI, tmp_path: Path) -> None:
    def drop_key_usage(tbs: Any) -> None:
        tbs["extensions"] = [e for e in tbs["extensions"] if e["extn_id"].native != "key_usage"]

    cert = forge.alter_certificate(pki.leaf.cert, pki.intermediate.key, drop_key_usage)
    outcome = run(pki, tmp_path, forge.forge(PROFILE, pki.leaf.key, cert,
                                             [pki.intermediate.cert]))
    assert (outcome.code, outcome.status, outcome.findings) == (0, "verified", [])


# -- eContentType ---------------------------------------------------------------------------


def test_content_type_other_than_data(pki: PKI, tmp_path: Path) -> None:
    outcome = run(pki, tmp_path, by_leaf(pki, content_type=OTHER_TYPE))
    assert (outcome.code, outcome.problems) == (1, [("not-data", NOT_DATA)])
    assert outcome.findings == [("SIG007", NOT_DATA)]


def test_content_type_other_than_data_without_signed_attributes(pki: PKI,
                                                               tmp_path: Path) -> None:
    outcome = run(pki, tmp_path, by_leaf(pki, content_type=OTHER_TYPE, attrs=None))
    assert outcome.problems == [("not-data", NOT_DATA), ("malformed-attributes", RFC_5_3)]
    assert outcome.findings == [("SIG007", NOT_DATA), ("SIG007", RFC_5_3)]


def test_data_without_signed_attributes_verifies(pki: PKI, tmp_path: Path) -> None:
    outcome = run(pki, tmp_path, by_leaf(pki, attrs=None))
    assert (outcome.code, outcome.status) == (0, "verified")


# -- signed attributes (RFC 5652 11.1-11.3) ---------------------------------------------------


@pytest.mark.parametrize(
    ("attrs", "reason", "message"),
    [
        ([content_type("data"), signing_time(), digest(), digest()], "malformed-attributes",
         "the message-digest signed attribute appears 2 times (RFC 5652 11.2 allows one)"),
        ([content_type("data"), signing_time(), digest(hashlib.sha256(PROFILE).digest(),
                                                        b"\x00" * 32)],
         "malformed-attributes",
         "the message-digest signed attribute has 2 values (RFC 5652 11.2 requires exactly "
         "one)"),
        ([content_type("data"), signing_time()], "malformed-attributes",
         "the message-digest signed attribute is missing (RFC 5652 11.2 requires it)"),
        ([content_type("data"), digest(b"\x00" * 32)], "digest-mismatch",
         "the content does not match the signed message digest: the profile was changed "
         "after it was signed"),
        ([signing_time(), digest()], "malformed-attributes",
         "the content-type signed attribute is missing (RFC 5652 11.1 requires it)"),
        ([content_type("data"), content_type("data"), digest()], "malformed-attributes",
         "the content-type signed attribute appears 2 times (RFC 5652 11.1 allows one)"),
        ([content_type("data", "data"), digest()], "malformed-attributes",
         "the content-type signed attribute has 2 values (RFC 5652 11.1 requires exactly one)"),
        ([content_type("signed_data"), digest()], "content-type-mismatch",
         "the signed content-type attribute (id-signedData (1.2.840.113549.1.7.2)) differs "
         "from the content's type (id-data (1.2.840.113549.1.7.1))"),
        ([content_type("data"), signing_time(), signing_time(), digest()],
         "malformed-attributes",
         "the signing-time signed attribute appears 2 times (RFC 5652 11.3 allows one)"),
    ],
    ids=["two-digests", "digest-two-values", "no-digest", "wrong-digest", "no-content-type",
         "two-content-types", "content-type-two-values", "content-type-mismatch",
         "two-signing-times"],
)
def test_signed_attribute_rules(pki: PKI, tmp_path: Path, attrs: list[Any], reason: str,
                                message: str) -> None:
    outcome = run(pki, tmp_path, by_leaf(pki, attrs=attrs))
    assert (outcome.code, outcome.problems) == (1, [(reason, message)])
    assert outcome.findings == [("SIG007", message)]


def test_signing_time_is_optional(pki: PKI, tmp_path: Path) -> None:
    outcome = run(pki, tmp_path, by_leaf(pki, attrs=[content_type("data"), digest()]))
    assert (outcome.code, outcome.status) == (0, "verified")


# -- weakly signed certificates ---------------------------------------------------------------


def test_md5_signer_certificate(pki: PKI, tmp_path: Path) -> None:
    cert = forge.alter_certificate(pki.leaf.cert, pki.intermediate.key, lambda tbs: None,
                                   hash_name="md5")
    outcome = run(pki, tmp_path, forge.forge(PROFILE, pki.leaf.key, cert,
                                             [pki.intermediate.cert]))
    message = ("the signer certificate CN=Profile Signer,O=profilesmith tests is signed with "
               "MD5, which the verifier rejects")
    assert (outcome.code, outcome.problems) == (1, [("weak-certificate", message)])
    assert outcome.findings == [("SIG003", "the embedded certificate CN=Profile Signer,"
                                           "O=profilesmith tests is signed with MD5")]


def test_sha1_intermediate_certificate(pki: PKI, tmp_path: Path) -> None:
    inter = forge.alter_certificate(pki.intermediate.cert, pki.root.key, lambda tbs: None,
                                    hash_name="sha1")
    outcome = run(pki, tmp_path, forge.forge(PROFILE, pki.leaf.key, pki.leaf.cert, [inter]))
    assert outcome.problems == [(
        "sha1-certificate", "the intermediate certificate CN=Test Intermediate CA,"
        "O=profilesmith tests is signed with SHA-1, which the verifier rejects")]


def test_embedded_issuer_with_another_key(pki: PKI, tmp_path: Path) -> None:
    """A certificate named as the signer's issuer that did not sign it: said as such,
    not as a missing intermediate."""
    other_key = rsa_key()
    lookalike = make_cert(name("Test Intermediate CA"), other_key, issuer=pki.root.cert,
                          issuer_key=pki.root.key, ca=True)
    outcome = run(pki, tmp_path, forge.forge(PROFILE, pki.leaf.key, pki.leaf.cert,
                                             [lookalike]))
    assert outcome.problems == [(
        "bad-certificate-signature", "the embedded certificate CN=Test Intermediate CA,"
        "O=profilesmith tests is named as the issuer of CN=Profile Signer,O=profilesmith "
        "tests but did not sign it (another key, or a damaged signature)")]
