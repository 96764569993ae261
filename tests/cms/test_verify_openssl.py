"""``profilesmith verify`` against a real peer, ``openssl cms -verify``, on the same files:
signed by openssl and by profilesmith, good and bad, and forged ones that break one rule.

openssl runs with ``-auth_level 1`` (without it OpenSSL 3 accepts MD5- and SHA-1-signed
certificates, which verify refuses, as Apple and cryptography do) and ``-attime`` set to
the test clock. Where the two disagree, it is a documented policy of verify
(docs/verification.md), listed in POLICY with its reason; every other verdict must
agree.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from asn1crypto import cms

from tests import cms_forge as forge
from tests.cms.helpers import CONTENT, NOW_EPOCH, needs_openssl, openssl, sign, verify_json
from tests.pki import PKI, Identity

OTHER_TYPE = "1.3.6.1.4.1.99999.1"
# where verify refuses what openssl accepts, and why
POLICY = {
    "openssl-econtent-type": "a profile is signed as id-data; other content is not a profile",
    "forged-not-data-without-attributes": "id-data only; RFC 5652 5.3 also requires signed "
                                          "attributes for other content types",
    "forged-content-type-mismatch": "RFC 5652 11.1: the content-type attribute must equal "
                                    "eContentType (openssl does not compare them)",
}


def openssl_sign(pki: PKI, tmp_path: Path, identity: Identity, *args: str,
                 chain: Identity | None = None) -> bytes:
    source = tmp_path / "content.mobileconfig"
    source.write_bytes(CONTENT)
    command = ["cms", "-sign", "-binary", "-nodetach", "-outform", "DER", "-in", str(source),
               "-signer", str(identity.cert_path), "-inkey", str(identity.key_path), *args]
    if chain is not None:
        command += ["-certfile", str(chain.cert_path)]
    done = openssl(*command)
    assert done.returncode == 0, done.stderr
    return done.stdout


def forged(pki: PKI, *, cert: Any = None, chain: list[Any] | None = None,
           **options: Any) -> bytes:
    return forge.forge(CONTENT, pki.leaf.key, cert if cert is not None else pki.leaf.cert,
                       chain if chain is not None else [pki.intermediate.cert], **options)


def attrs(*extra: str) -> list[Any]:
    """content-type, signing-time and message-digest attributes, with ``extra`` ones
    doubled ("digest", "time", "content-type") or left out ("-digest", ...)."""
    made = {
        "content-type": forge.attribute("content_type", "data"),
        "time": forge.attribute("signing_time", cms.Time({"utc_time": forge.SIGNING_TIME})),
        "digest": forge.attribute("message_digest", hashlib.sha256(CONTENT).digest()),
    }
    found = [a for k, a in made.items() if f"-{k}" not in extra]
    return found + [made[k] for k in extra if k in made]


def md5_signer(pki: PKI) -> bytes:
    return forge.alter_certificate(pki.leaf.cert, pki.intermediate.key, lambda tbs: None,
                                   hash_name="md5")


Maker = Callable[[PKI, Path], bytes]
CASES: dict[str, tuple[Maker, str | None]] = {  # how to make the file, verify's reason
    "openssl-default": (lambda p, t: openssl_sign(p, t, p.leaf, chain=p.intermediate), None),
    "openssl-ber-stream": (lambda p, t: openssl_sign(p, t, p.leaf, "-stream",
                                                     chain=p.intermediate), None),
    "openssl-no-attributes": (lambda p, t: openssl_sign(p, t, p.leaf, "-noattr",
                                                        chain=p.intermediate), None),
    "openssl-rsa-pss": (lambda p, t: openssl_sign(p, t, p.leaf, "-keyopt",
                                                  "rsa_padding_mode:pss",
                                                  chain=p.intermediate), None),
    "openssl-ec-signer": (lambda p, t: openssl_sign(p, t, p.direct), None),
    "openssl-no-digital-signature": (lambda p, t: openssl_sign(
        p, t, p.no_digital_signature, chain=p.intermediate), "key-usage"),
    "openssl-expired": (lambda p, t: openssl_sign(p, t, p.expired, chain=p.intermediate),
                        "expired"),
    "openssl-not-yet-valid": (lambda p, t: openssl_sign(p, t, p.future, chain=p.intermediate),
                              "not-yet-valid"),
    "openssl-missing-intermediate": (lambda p, t: openssl_sign(p, t, p.leaf),
                                     "missing-intermediate"),
    "openssl-sha1-certificate": (lambda p, t: openssl_sign(p, t, p.sha1, chain=p.intermediate),
                                 "sha1-certificate"),
    "openssl-untrusted-root": (lambda p, t: openssl_sign(p, t, p.self_signed),
                               "unknown-root"),
    "openssl-tampered": (lambda p, t: openssl_sign(p, t, p.leaf, chain=p.intermediate)
                         .replace(b"Verify me", b"Verify m3"), "digest-mismatch"),
    "openssl-econtent-type": (lambda p, t: openssl_sign(p, t, p.leaf, "-econtent_type",
                                                        OTHER_TYPE, chain=p.intermediate),
                              "not-data"),
    "profilesmith": (lambda p, t: sign(p.leaf, p.intermediate), None),
    "profilesmith-tampered": (lambda p, t: sign(p.leaf, p.intermediate)
                              .replace(b"Verify me", b"Verify m3"), "digest-mismatch"),
    "forged-two-digests": (lambda p, t: forged(p, attrs=attrs("digest")),
                           "malformed-attributes"),
    "forged-two-signing-times": (lambda p, t: forged(p, attrs=attrs("time")),
                                 "malformed-attributes"),
    "forged-two-content-types": (lambda p, t: forged(p, attrs=attrs("content-type")),
                                 "malformed-attributes"),
    "forged-no-digest": (lambda p, t: forged(p, attrs=attrs("-digest")),
                         "malformed-attributes"),
    "forged-no-content-type": (lambda p, t: forged(p, attrs=attrs("-content-type")),
                               "malformed-attributes"),
    "forged-content-type-mismatch": (lambda p, t: forged(p, attrs=[
        forge.attribute("content_type", "signed_data"), *attrs("-content-type")]),
        "content-type-mismatch"),
    "forged-not-data-without-attributes": (lambda p, t: forged(
        p, content_type=OTHER_TYPE, attrs=None), "not-data"),
    "forged-md5-certificate": (lambda p, t: forged(p, cert=md5_signer(p)),
                               "weak-certificate"),
    "forged-unparsable-key-usage": (lambda p, t: forged(p, cert=forge.alter_certificate(
        p.leaf.cert, p.intermediate.key, forge.with_extension("2.5.29.15", b"\x05\x00"))),
        "malformed-certificate"),
    "forged-ec-point-off-the-curve": (lambda p, t: forged(p, cert=forge.alter_certificate(
        p.leaf.cert, p.intermediate.key, forge.with_public_key(forge.OFF_CURVE_EC_KEY))),
        "malformed-certificate"),
    "forged-signed-by-another-key": (lambda p, t: forged(p, signature_key=p.root.key),
                                     "bad-signature"),
}


def openssl_verifies(pki: PKI, path: Path) -> bool:
    done = openssl("cms", "-verify", "-inform", "DER", "-in", str(path), "-binary",
                   "-CAfile", str(pki.root.cert_path), "-auth_level", "1",
                   "-attime", NOW_EPOCH, "-out", str(path.with_suffix(".out")))
    return done.returncode == 0


@needs_openssl
@pytest.mark.parametrize("case", list(CASES))
def test_verify_agrees_with_openssl(pki: PKI, tmp_path: Path, case: str) -> None:
    make, reason = CASES[case]
    data = make(pki, tmp_path)
    code, report = verify_json(tmp_path, data, "--ca", str(pki.root.cert_path))
    assert (code, report["reason"]) == (0 if reason is None else 1, reason), report["problems"]
    peer = openssl_verifies(pki, tmp_path / "profile.mobileconfig")
    if case in POLICY:
        assert (peer, report["status"]) == (True, "unverified")
    else:
        assert peer == (report["status"] == "verified")


def test_every_policy_difference_is_a_case() -> None:
    assert set(POLICY) <= set(CASES)
