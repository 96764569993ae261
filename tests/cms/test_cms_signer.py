"""Signer: loading identities (PEM, DER, encrypted keys, PKCS#12) and signing bytes that
openssl verifies and unwraps to exactly the original content."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from asn1crypto import cms
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519
from cryptography.hazmat.primitives.serialization import pkcs12

from profilesmith.cms.batch import sign_many
from profilesmith.cms.signer import PasswordRequired, Signer, SigningError
from tests.conftest import plist
from tests.pki import PKI, key_pem

OPENSSL = shutil.which("openssl")
needs_openssl = pytest.mark.skipif(OPENSSL is None, reason="openssl is not installed")

CONTENT = plist("<dict>\n\t<key>PayloadType</key>\n\t<string>Configuration</string>\n</dict>")




def embedded(signed: bytes) -> tuple[bytes, list[str], str]:
    """(content, subjects of the embedded certificates, digest algorithm) of a signature."""
    info = cms.ContentInfo.load(signed)["content"]
    content = info["encap_content_info"]["content"].native
    subjects = [c.chosen.subject.native["common_name"] for c in info["certificates"]]
    digest = info["signer_infos"][0]["digest_algorithm"]["algorithm"].native
    return content, subjects, digest


def openssl_verify(tmp_path: Path, signed: bytes, root: Path) -> bytes:
    source = tmp_path / "signed.der"
    out = tmp_path / "out.bin"
    source.write_bytes(signed)
    subprocess.run(
        [OPENSSL or "openssl", "cms", "-verify", "-inform", "DER", "-in", str(source),
         "-CAfile", str(root), "-binary", "-out", str(out)],
        check=True, capture_output=True,
    )
    return out.read_bytes()


@needs_openssl
def test_openssl_verifies_leaf_under_intermediate_and_returns_exact_bytes(
    pki: PKI, tmp_path: Path
) -> None:
    signer = Signer.load(key=str(pki.leaf.key_path), cert=str(pki.leaf.cert_path),
                         chain=[str(pki.intermediate.cert_path)])
    signed = signer.sign(CONTENT)
    assert openssl_verify(tmp_path, signed, pki.root.cert_path) == CONTENT
    assert embedded(signed) == (CONTENT, ["Profile Signer", "Test Intermediate CA"], "sha256")


@needs_openssl
def test_openssl_verifies_leaf_directly_under_root(pki: PKI, tmp_path: Path) -> None:
    signer = Signer.load(key=str(pki.direct.key_path), cert=str(pki.direct.cert_path))
    signed = signer.sign(CONTENT)
    assert openssl_verify(tmp_path, signed, pki.root.cert_path) == CONTENT
    assert embedded(signed)[1] == ["Direct Signer (EC)"]


@needs_openssl
def test_line_endings_and_binary_content_are_not_rewritten(pki: PKI, tmp_path: Path) -> None:
    # the PKCS7 builder turns LF into CRLF unless told the content is binary
    content = b"<plist>\r\n<dict/>\n\r</plist>\x00\xff no final newline"
    signer = Signer.load(key=str(pki.leaf.key_path), cert=str(pki.leaf.cert_path),
                         chain=[str(pki.intermediate.cert_path)])
    signed = signer.sign(content)
    assert embedded(signed)[0] == content
    assert openssl_verify(tmp_path, signed, pki.root.cert_path) == content


def test_der_key_and_certificate(pki: PKI, tmp_path: Path) -> None:
    key = tmp_path / "key.der"
    cert = tmp_path / "cert.der"
    key.write_bytes(pki.leaf.key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))
    cert.write_bytes(pki.leaf.cert.public_bytes(serialization.Encoding.DER))
    signer = Signer.load(key=str(key), cert=str(cert))
    assert embedded(signer.sign(CONTENT))[1] == ["Profile Signer"]


def test_full_chain_pem_embeds_the_chain(pki: PKI, tmp_path: Path) -> None:
    fullchain = tmp_path / "fullchain.pem"
    fullchain.write_bytes(pki.leaf.pem + pki.intermediate.pem)
    signer = Signer.load(key=str(pki.leaf.key_path), cert=str(fullchain),
                         chain=[str(pki.intermediate.cert_path)])  # given twice: embedded once
    assert embedded(signer.sign(CONTENT))[1] == ["Profile Signer", "Test Intermediate CA"]


def test_encrypted_pem_key(pki: PKI, tmp_path: Path) -> None:
    key = tmp_path / "encrypted.key"
    key.write_bytes(key_pem(pki.leaf.key, b"s3cret-pw"))
    with pytest.raises(PasswordRequired, match="encrypted: a password is needed"):
        Signer.load(key=str(key), cert=str(pki.leaf.cert_path))
    with pytest.raises(SigningError, match="wrong password") as wrong:
        Signer.load(key=str(key), cert=str(pki.leaf.cert_path), password=b"nope")
    assert "nope" not in str(wrong.value)
    signer = Signer.load(key=str(key), cert=str(pki.leaf.cert_path), password=b"s3cret-pw")
    assert embedded(signer.sign(CONTENT))[0] == CONTENT


def test_pkcs12_made_by_cryptography_with_chain(pki: PKI, tmp_path: Path) -> None:
    p12 = tmp_path / "id.p12"
    p12.write_bytes(pkcs12.serialize_key_and_certificates(
        b"id", pki.leaf.key, pki.leaf.cert, [pki.intermediate.cert],
        serialization.BestAvailableEncryption(b"pw")))
    with pytest.raises(PasswordRequired):
        Signer.load(p12=str(p12))
    with pytest.raises(SigningError, match="wrong password for the PKCS#12 file"):
        Signer.load(p12=str(p12), password=b"bad")
    signer = Signer.load(p12=str(p12), password=b"pw")
    assert embedded(signer.sign(CONTENT))[1] == ["Profile Signer", "Test Intermediate CA"]


@needs_openssl
@pytest.mark.parametrize("legacy", [True, False], ids=["legacy", "modern"])
def test_pkcs12_made_by_openssl(pki: PKI, tmp_path: Path, legacy: bool) -> None:
    p12 = tmp_path / "id.p12"
    command = [OPENSSL or "openssl", "pkcs12", "-export", "-inkey", str(pki.leaf.key_path),
               "-in", str(pki.leaf.cert_path), "-certfile", str(pki.intermediate.cert_path),
               "-out", str(p12), "-passout", "pass:pw"]
    if legacy:
        command.insert(3, "-legacy")  # RC2-40 / 3DES, as older Keychain exports
    subprocess.run(command, check=True, capture_output=True)
    signer = Signer.load(p12=str(p12), password=b"pw")
    assert embedded(signer.sign(CONTENT))[1] == ["Profile Signer", "Test Intermediate CA"]


def test_unencrypted_pkcs12_needs_no_password(pki: PKI, tmp_path: Path) -> None:
    p12 = tmp_path / "id.p12"
    p12.write_bytes(pkcs12.serialize_key_and_certificates(
        b"id", pki.leaf.key, pki.leaf.cert, None, serialization.NoEncryption()))
    assert Signer.load(p12=str(p12)).cert == pki.leaf.cert


def test_key_that_does_not_match_the_certificate(pki: PKI) -> None:
    with pytest.raises(SigningError, match="does not match the certificate"):
        Signer.load(key=str(pki.device.key_path), cert=str(pki.leaf.cert_path))


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda d: None, "cannot read private key"),
        (lambda d: (d / "key.pem").write_bytes(b"not a key"), "not a PEM or DER private key"),
        (lambda d: (d / "key.pem").write_bytes(b"-----BEGIN PRIVATE KEY-----\nAAAA\n"
                                               b"-----END PRIVATE KEY-----\n"),
         "not a PEM or DER private key"),
    ],
    ids=["missing", "garbage", "bad-pem"],
)
def test_unreadable_keys_give_one_line(pki: PKI, tmp_path: Path, make: object,
                                       message: str) -> None:
    make(tmp_path)  # type: ignore[operator]
    with pytest.raises(SigningError, match=message) as error:
        Signer.load(key=str(tmp_path / "key.pem"), cert=str(pki.leaf.cert_path))
    assert "\n" not in str(error.value)


def test_unreadable_certificate_and_p12(pki: PKI, tmp_path: Path) -> None:
    bad = tmp_path / "bad.pem"
    bad.write_bytes(b"\x00\x01 random")
    with pytest.raises(SigningError, match="not a PEM or DER certificate"):
        Signer.load(key=str(pki.leaf.key_path), cert=str(bad))
    with pytest.raises(SigningError, match=r"not a PKCS#12"):
        Signer.load(p12=str(bad), password=b"x")
    with pytest.raises(SigningError, match="cannot read chain certificate"):
        Signer.load(key=str(pki.leaf.key_path), cert=str(pki.leaf.cert_path),
                    chain=[str(tmp_path / "missing.pem")])


def test_ed25519_keys_are_refused(pki: PKI, tmp_path: Path) -> None:
    key = ed25519.Ed25519PrivateKey.generate()
    with pytest.raises(SigningError, match="keys cannot sign profiles"):
        Signer.from_objects(key, pki.leaf.cert)


def test_both_or_neither_identity_forms_are_refused(pki: PKI) -> None:
    with pytest.raises(SigningError, match="either --p12 or --key"):
        Signer.load(key=str(pki.leaf.key_path), cert=str(pki.leaf.cert_path), p12="x.p12")
    with pytest.raises(SigningError, match="--key and --cert together"):
        Signer.load(key=str(pki.leaf.key_path))


def test_sign_many_reuses_one_signer(pki: PKI) -> None:
    signer = Signer.from_objects(pki.leaf.key, pki.leaf.cert, [pki.intermediate.cert])
    contents = [CONTENT + f"<!-- {i} -->".encode() for i in range(5)]
    signed = list(sign_many(contents, signer))
    assert [embedded(s)[0] for s in signed] == contents


def test_content_check_finds_only_exact_bytes() -> None:
    from profilesmith.cms.signer import _carries

    content = b"<plist>" + b"x" * 100 + b"</plist>"
    assert _carries(b"\x04\x82" + content + b"\x31", content)
    assert not _carries(b"\x04\x82" + content.replace(b"</plist>", b"</plisT>"), content)
    # the prefix occurs twice; only the second occurrence carries the whole content
    assert _carries(content[:70] + b"?" + content, content)
