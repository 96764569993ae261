"""``profilesmith verify``: Verified only when signature, digest, chain and validity all
check out; every other case Unverified with its own reason, or Unsigned."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from profilesmith.cms.signer import Signer
from tests.cms.helpers import (
    CONTENT,
    OPENSSL,
    flip,
    needs_openssl,
    sign,
    verify,
    verify_json,
)
from tests.conftest import run_cli
from tests.pki import PKI, Identity


def test_verified_report(pki: PKI, tmp_path: Path) -> None:
    code, output = verify(tmp_path, sign(pki.leaf, pki.intermediate),
                          "--ca", str(pki.root.cert_path))
    assert code == 0
    lines = output.splitlines()
    assert lines[0].endswith("profile.mobileconfig: Verified")
    assert "  Signer:     CN=Profile Signer,O=profilesmith tests" in lines
    assert "  Issuer:     CN=Test Intermediate CA,O=profilesmith tests" in lines
    assert "  Expires:    2029-01-01T00:00:00Z" in lines
    assert "  Digest:     sha256 (signature: rsassa_pkcs1v15)" in lines
    assert ("  Chain:      CN=Profile Signer,O=profilesmith tests -> CN=Test Intermediate CA,"
            "O=profilesmith tests -> CN=Test Root CA,O=profilesmith tests (anchor)") in lines
    assert f"  Anchors:    --ca {pki.root.cert_path} (1 certificate)" in lines
    assert "  Checked at: 2026-06-01T00:00:00Z" in lines


def test_json_report(pki: PKI, tmp_path: Path) -> None:
    code, report = verify_json(tmp_path, sign(pki.direct), "--ca", str(pki.root.cert_path))
    assert code == 0
    assert report["status"] == "verified"
    assert report["reason"] is None
    assert report["signature_algorithm"] == "ecdsa"
    assert report["digest_algorithm"] == "sha256"
    assert [c["subject"] for c in report["chain"]] == [  # type: ignore[attr-defined]
        "CN=Direct Signer (EC),O=profilesmith tests", "CN=Test Root CA,O=profilesmith tests"]
    assert report["anchors"]["source"] == "ca-files"  # type: ignore[index]
    assert report["embedded_certificates"] == 1


# -- every way to fail, each with its reason --------------------------------------------


def test_tampered_content_byte(pki: PKI, tmp_path: Path) -> None:
    signed = sign(pki.leaf, pki.intermediate)
    tampered = flip(signed, signed.index(b"Verify me"))
    code, report = verify_json(tmp_path, tampered, "--ca", str(pki.root.cert_path))
    assert (code, report["status"], report["reason"]) == (1, "unverified", "digest-mismatch")


def test_flipped_signature_byte(pki: PKI, tmp_path: Path) -> None:
    signed = sign(pki.leaf, pki.intermediate)
    code, output = verify(tmp_path, flip(signed, len(signed) - 10),
                          "--ca", str(pki.root.cert_path))
    assert code == 1
    assert output.splitlines()[0].endswith(": Unverified (bad signature)")
    assert "Verified" not in output.replace("Unverified", "")


@pytest.mark.parametrize("anchor", ["other_root", "impostor_root"])
def test_wrong_root(pki: PKI, tmp_path: Path, anchor: str) -> None:
    wrong: Identity = getattr(pki, anchor)
    code, report = verify_json(tmp_path, sign(pki.leaf, pki.intermediate),
                               "--ca", str(wrong.cert_path))
    assert (code, report["reason"]) == (1, "unknown-root")


def test_untrusted_root_embedded_in_the_signature(pki: PKI, tmp_path: Path) -> None:
    code, report = verify_json(tmp_path, sign(pki.leaf, pki.intermediate, pki.root),
                               "--ca", str(pki.other_root.cert_path))
    assert (code, report["reason"]) == (1, "unknown-root")
    assert "the chain ends at the root CN=Test Root CA" in report["problems"][0]["message"]  # type: ignore[index]


def test_expired_and_not_yet_valid_signers(pki: PKI, tmp_path: Path) -> None:
    code, output = verify(tmp_path, sign(pki.expired, pki.intermediate),
                          "--ca", str(pki.root.cert_path))
    assert code == 1
    assert output.splitlines()[0].endswith(": Unverified (expired)")
    assert "expired on 2026-05-01 00:00:00 UTC" in output
    code, report = verify_json(tmp_path, sign(pki.future, pki.intermediate),
                               "--ca", str(pki.root.cert_path))
    assert (code, report["reason"]) == (1, "not-yet-valid")


def test_the_clock_decides_expiry(pki: PKI, tmp_path: Path) -> None:
    signed = sign(pki.expired, pki.intermediate)
    path = tmp_path / "p.mobileconfig"
    path.write_bytes(signed)
    before = run_cli("verify", str(path), "--ca", str(pki.root.cert_path), "--now", "2026-04-30")
    assert before.exit_code == 0
    assert ": Verified" in before.output
    today = run_cli("verify", str(path), "--ca", str(pki.root.cert_path))  # the real clock
    assert today.exit_code == 1
    assert "(expired)" in today.output


def test_missing_intermediate(pki: PKI, tmp_path: Path) -> None:
    code, report = verify_json(tmp_path, sign(pki.leaf), "--ca", str(pki.root.cert_path))
    assert (code, report["reason"]) == (1, "missing-intermediate")
    # given as an anchor, the intermediate completes the chain
    code, report = verify_json(tmp_path, sign(pki.leaf), "--ca", str(pki.root.cert_path),
                               "--ca", str(pki.intermediate.cert_path))
    assert (code, report["status"]) == (0, "verified")


def test_sha1_certificate_has_its_own_reason(pki: PKI, tmp_path: Path) -> None:
    code, report = verify_json(tmp_path, sign(pki.sha1, pki.intermediate),
                               "--ca", str(pki.root.cert_path))
    assert (code, report["reason"]) == (1, "sha1-certificate")


def test_signer_certificate_not_embedded(pki: PKI, tmp_path: Path) -> None:
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.serialization import pkcs7

    bare = (pkcs7.PKCS7SignatureBuilder().set_data(CONTENT)
            .add_signer(pki.leaf.cert, pki.leaf.key, hashes.SHA256())
            .sign(serialization.Encoding.DER,
                  [pkcs7.PKCS7Options.Binary, pkcs7.PKCS7Options.NoCerts]))
    code, report = verify_json(tmp_path, bare, "--ca", str(pki.root.cert_path))
    assert (code, report["reason"]) == (1, "signer-certificate-missing")


def test_detached_signature(pki: PKI, tmp_path: Path) -> None:
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.serialization import pkcs7

    detached = (pkcs7.PKCS7SignatureBuilder().set_data(CONTENT)
                .add_signer(pki.leaf.cert, pki.leaf.key, hashes.SHA256())
                .sign(serialization.Encoding.DER,
                      [pkcs7.PKCS7Options.Binary, pkcs7.PKCS7Options.DetachedSignature]))
    code, report = verify_json(tmp_path, detached, "--ca", str(pki.root.cert_path))
    assert (code, report["reason"]) == (1, "detached")


@pytest.mark.parametrize(
    ("data", "status", "reason"),
    [
        (CONTENT, "unsigned", "unsigned"),
        (b"", "unsigned", "unsigned"),
        (b"\x89PNG random bytes \x00\xff", "unsigned", "unsigned"),
        (b"\x30\x80\x06\x09\x2a\x86\x48\x86", "unverified", "malformed"),
        (b"\x30" + os.urandom(40), "unverified", "malformed"),
    ],
    ids=["plain", "empty", "random", "truncated", "random-der-like"],
)
def test_unsigned_and_unreadable(tmp_path: Path, data: bytes, status: str, reason: str) -> None:
    code, report = verify_json(tmp_path, data)
    assert (code, report["status"], report["reason"]) == (1, status, reason)


def test_truncated_signature(pki: PKI, tmp_path: Path) -> None:
    signed = sign(pki.leaf, pki.intermediate)
    code, report = verify_json(tmp_path, signed[: len(signed) // 2])
    assert (code, report["reason"]) == (1, "malformed")


def test_usage_errors_exit_2(pki: PKI, tmp_path: Path) -> None:
    missing = run_cli("verify", str(tmp_path / "nope.mobileconfig"))
    assert missing.exit_code == 2
    assert "cannot read" in missing.output
    bad_ca = tmp_path / "bad-ca.pem"
    bad_ca.write_bytes(b"nothing")
    code, output = verify(tmp_path, sign(pki.leaf), "--ca", str(bad_ca))
    assert code == 2
    assert "not a PEM or DER CA certificate" in output
    code, output = verify(tmp_path, sign(pki.leaf), "--now", "yesterday")
    assert code == 2
    assert "is not an ISO 8601 date" in output


# -- anchors ----------------------------------------------------------------------------


def test_system_bundle_is_named(pki: PKI, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bundle = tmp_path / "bundle.pem"
    bundle.write_bytes(pki.other_root.pem + pki.root.pem)
    monkeypatch.setenv("SSL_CERT_FILE", str(bundle))
    code, output = verify(tmp_path, sign(pki.leaf, pki.intermediate))
    assert code == 0
    assert (f"  Anchors:    system CA bundle {bundle} (2 certificates; not Apple's trust "
            "store)") in output.splitlines()


def test_no_anchors_at_all(pki: PKI, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import profilesmith.cms.chain as chain

    monkeypatch.setattr(chain, "system_bundle", lambda: None)
    code, report = verify_json(tmp_path, sign(pki.self_signed))
    assert code == 1
    assert report["status"] == "unverified"
    assert "no-anchors" in [p["reason"] for p in report["problems"]]  # type: ignore[attr-defined]


def test_self_signed_signer_trusted_explicitly(pki: PKI, tmp_path: Path) -> None:
    code, _ = verify(tmp_path, sign(pki.self_signed), "--ca", str(pki.self_signed.cert_path))
    assert code == 0


# -- --extract --------------------------------------------------------------------------


def test_extract_only_when_verified(pki: PKI, tmp_path: Path) -> None:
    out = tmp_path / "inner.mobileconfig"
    code, output = verify(tmp_path, sign(pki.leaf, pki.intermediate),
                          "--ca", str(pki.root.cert_path), "--extract", str(out))
    assert code == 0
    assert f"Extracted:  {out} (the verified content)" in output
    assert out.read_bytes() == CONTENT
    code, output = verify(tmp_path, sign(pki.leaf, pki.intermediate),
                          "--ca", str(pki.root.cert_path), "--extract", str(out))
    assert code == 2
    assert "exists (use --force" in output
    refused = tmp_path / "refused.mobileconfig"
    code, output = verify(tmp_path, sign(pki.expired, pki.intermediate),
                          "--ca", str(pki.root.cert_path), "--extract", str(refused))
    assert code == 1
    assert not refused.exists()
    assert "not written: the signature is not verified" in output


# -- what other signers write ------------------------------------------------------------


def openssl_sign(pki: PKI, tmp_path: Path, identity: Identity, *args: str) -> bytes:
    source = tmp_path / "content.mobileconfig"
    source.write_bytes(CONTENT)
    return subprocess.run(
        [OPENSSL or "openssl", "cms", "-sign", "-binary", "-nodetach", "-outform", "DER",
         "-in", str(source), "-signer", str(identity.cert_path),
         "-inkey", str(identity.key_path), "-certfile", str(pki.intermediate.cert_path), *args],
        check=True, capture_output=True).stdout


@needs_openssl
@pytest.mark.parametrize(
    ("args", "algorithm"),
    [
        (["-stream"], "rsassa_pkcs1v15"),  # BER, indefinite lengths, as macOS writes
        (["-keyopt", "rsa_padding_mode:pss"], "rsassa_pss"),
        (["-md", "sha384"], "rsassa_pkcs1v15"),
        (["-noattr"], "rsassa_pkcs1v15"),  # the signature covers the content itself
    ],
    ids=["ber-stream", "rsa-pss", "sha384", "no-signed-attributes"],
)
def test_openssl_signatures_verify(pki: PKI, tmp_path: Path, args: list[str],
                                   algorithm: str) -> None:
    signed = openssl_sign(pki, tmp_path, pki.leaf, *args)
    if "-stream" in args:
        assert signed[1] == 0x80  # really indefinite-length BER
    code, report = verify_json(tmp_path, signed, "--ca", str(pki.root.cert_path))
    assert (code, report["status"]) == (0, "verified"), report["problems"]
    assert report["signature_algorithm"] == algorithm
    tampered = flip(signed, signed.index(b"Verify me"))
    code, report = verify_json(tmp_path, tampered, "--ca", str(pki.root.cert_path))
    assert code == 1
    expected = "bad-signature" if "-noattr" in args else "digest-mismatch"
    assert report["reason"] == expected


@needs_openssl
def test_sha1_digest_verifies_with_a_warning(pki: PKI, tmp_path: Path) -> None:
    signed = openssl_sign(pki, tmp_path, pki.leaf, "-md", "sha1")
    code, report = verify_json(tmp_path, signed, "--ca", str(pki.root.cert_path))
    assert code == 0
    assert report["warnings"] == ["the message digest is SHA-1 (weak; sign with SHA-256)"]


# -- the real-world corpus ----------------------------------------------------------------


def test_corpus_signed_profiles(corpus: Path, tmp_path: Path) -> None:
    """paulmillr/encrypted-dns signs with a Let's Encrypt certificate (CN=
    encrypted-dns.brunch.io, ECDSA, issued by E8, notAfter 2026-05-28). The signature
    embeds the signer and E8. Anchored at E8 taken from the file itself, every file
    verifies while the certificate was valid, and is Unverified (expired) afterwards."""
    from asn1crypto import cms

    files = sorted((corpus / "paulmillr__encrypted-dns" / "signed").glob("*.mobileconfig"))
    assert len(files) == 63
    for path in files:
        signed = cms.ContentInfo.load(path.read_bytes())["content"]
        issuer = [c.chosen for c in signed["certificates"]
                  if c.chosen.subject.native.get("common_name") == "E8"]
        assert len(issuer) == 1
        anchor = tmp_path / "e8.der"
        anchor.write_bytes(issuer[0].dump())
        valid = run_cli("verify", str(path), "--ca", str(anchor), "--now", "2026-05-01",
                        "--format", "json")
        report = json.loads(valid.output)
        assert (valid.exit_code, report["status"]) == (0, "verified"), (path, report)
        assert report["signer"]["subject"] == "CN=encrypted-dns.brunch.io"
        later = run_cli("verify", str(path), "--ca", str(anchor), "--now", "2026-11-22",
                        "--format", "json")
        report = json.loads(later.output)
        assert (later.exit_code, report["reason"]) == (1, "expired")


def test_issuer_that_is_not_a_ca_is_rejected(pki: PKI, tmp_path: Path) -> None:
    """Name and signature chain up, but the "intermediate" is an end-entity certificate:
    cryptography's verifier has the last word."""
    from tests.pki import make_cert, name, rsa_key

    fake_key, leaf_key = rsa_key(), rsa_key()
    fake = make_cert(name("Not A CA"), fake_key, issuer=pki.root.cert,
                     issuer_key=pki.root.key)
    leaf = make_cert(name("Under Not A CA"), leaf_key, issuer=fake, issuer_key=fake_key)
    signed = Signer.from_objects(leaf_key, leaf, [fake]).sign(CONTENT)
    code, report = verify_json(tmp_path, signed, "--ca", str(pki.root.cert_path))
    assert (code, report["reason"]) == (1, "rejected")


def test_weak_rsa_key(pki: PKI, tmp_path: Path) -> None:
    from tests.pki import make_cert, name, rsa_key

    weak_key = rsa_key(1024)
    weak = make_cert(name("Weak Signer"), weak_key, issuer=pki.intermediate.cert,
                     issuer_key=pki.intermediate.key)
    signed = Signer.from_objects(weak_key, weak, [pki.intermediate.cert]).sign(CONTENT)
    code, report = verify_json(tmp_path, signed, "--ca", str(pki.root.cert_path))
    assert (code, report["reason"]) == (1, "weak-key")


def test_every_signer_must_verify(pki: PKI, tmp_path: Path) -> None:
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.serialization import pkcs7

    def two_signers(second: Identity) -> bytes:
        return (pkcs7.PKCS7SignatureBuilder().set_data(CONTENT)
                .add_signer(pki.leaf.cert, pki.leaf.key, hashes.SHA256())
                .add_signer(second.cert, second.key, hashes.SHA256())
                .add_certificate(pki.intermediate.cert)
                .sign(serialization.Encoding.DER, [pkcs7.PKCS7Options.Binary]))

    code, report = verify_json(tmp_path, two_signers(pki.direct), "--ca",
                               str(pki.root.cert_path))
    assert (code, report["status"]) == (0, "verified")
    assert report["warnings"] == ["2 signers; all were checked"]
    code, report = verify_json(tmp_path, two_signers(pki.expired), "--ca",
                               str(pki.root.cert_path))
    assert (code, report["reason"]) == (1, "expired")


def test_corpus_signed_profiles_against_the_system_bundle(corpus: Path) -> None:
    """With no --ca the anchors are the system bundle; where it holds ISRG Root X1 the
    files chain to it (and the output says that this is not Apple's trust store)."""
    from profilesmith.cms.chain import load_anchors

    anchors = load_anchors([])
    if not any("ISRG Root X1" in c.subject.rfc4514_string() for c in anchors.certs):
        pytest.skip("the system CA bundle does not hold ISRG Root X1")
    path = sorted((corpus / "paulmillr__encrypted-dns" / "signed").glob("*.mobileconfig"))[0]
    result = run_cli("verify", str(path), "--now", "2026-05-01")
    assert result.exit_code == 0
    assert "(anchor)" in result.output
    assert "CN=ISRG Root X1" in result.output
    assert "not Apple's trust store" in result.output
