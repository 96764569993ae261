"""``encrypt`` / ``decrypt``: PayloadContent <-> EncryptedPayloadContent, openssl-compatible."""

from __future__ import annotations

import plistlib
import shutil
import subprocess
from pathlib import Path

import pytest
from asn1crypto import cms

from profilesmith.cms.signer import Signer
from tests.conftest import lint_bytes, plist, run_cli
from tests.pki import PKI

OPENSSL = shutil.which("openssl")
needs_openssl = pytest.mark.skipif(OPENSSL is None, reason="openssl is not installed")
PROFILE = plist("""<dict>
	<key>PayloadContent</key>
	<array>
		<dict>
			<key>Password</key>
			<string>wifi-secret-123</string>
			<key>PayloadIdentifier</key>
			<string>com.example.enc.wifi</string>
			<key>PayloadType</key>
			<string>com.apple.wifi.managed</string>
			<key>PayloadUUID</key>
			<string>3D1E7C2B-9A8F-4E6D-B5C4-A3B2C1D0E9F8</string>
			<key>PayloadVersion</key>
			<integer>1</integer>
			<key>SSID_STR</key>
			<string>Example</string>
		</dict>
	</array>
	<key>PayloadDisplayName</key>
	<string>Encrypted Wi-Fi</string>
	<key>PayloadIdentifier</key>
	<string>com.example.enc</string>
	<key>PayloadType</key>
	<string>Configuration</string>
	<key>PayloadUUID</key>
	<string>6F5E4D3C-2B1A-4098-8765-43210FEDCBA9</string>
	<key>PayloadVersion</key>
	<integer>1</integer>
</dict>""")




def encrypt(pki: PKI, tmp_path: Path, *args: str, data: bytes = PROFILE) -> tuple[int, str, Path]:
    source = tmp_path / "plain.mobileconfig"
    source.write_bytes(data)
    out = tmp_path / "encrypted.mobileconfig"
    result = run_cli("encrypt", str(source), "-o", str(out), *args)
    return result.exit_code, result.output, out


def openssl_decrypt(pki: PKI, tmp_path: Path, envelope: bytes) -> bytes:
    blob = tmp_path / "blob.der"
    blob.write_bytes(envelope)
    return subprocess.run(
        [OPENSSL or "openssl", "cms", "-decrypt", "-inform", "DER", "-in", str(blob),
         "-recip", str(pki.device.cert_path), "-inkey", str(pki.device.key_path)],
        check=True, capture_output=True).stdout


@needs_openssl
@pytest.mark.parametrize(("cipher", "oid"), [("aes-256-cbc", "aes256_cbc"),
                                             ("aes-128-cbc", "aes128_cbc")])
def test_openssl_decrypts_what_encrypt_makes(pki: PKI, tmp_path: Path, cipher: str,
                                             oid: str) -> None:
    code, output, out = encrypt(pki, tmp_path, "--recipient", str(pki.device.cert_path),
                                "--cipher", cipher)
    assert code == 0, output
    encrypted = plistlib.loads(out.read_bytes())
    original = plistlib.loads(PROFILE)
    # outer keys kept, the payloads gone from view, the flag set
    assert "PayloadContent" not in encrypted
    assert encrypted["IsEncrypted"] is True
    assert {k: v for k, v in encrypted.items()
            if k not in ("IsEncrypted", "EncryptedPayloadContent")} == {
        k: v for k, v in original.items() if k != "PayloadContent"}
    assert b"wifi-secret-123" not in out.read_bytes()
    envelope = encrypted["EncryptedPayloadContent"]
    info = cms.ContentInfo.load(envelope)
    assert info["content_type"].native == "enveloped_data"
    algorithm = info["content"]["encrypted_content_info"]["content_encryption_algorithm"]
    assert algorithm["algorithm"].native == oid
    # Apple: "the top-level object in this property list is an array"
    inner = openssl_decrypt(pki, tmp_path, envelope)
    assert inner.startswith(b"<?xml")
    assert plistlib.loads(inner) == original["PayloadContent"]


def test_decrypt_restores_the_profile(pki: PKI, tmp_path: Path) -> None:
    code, _, encrypted = encrypt(pki, tmp_path, "--recipient", str(pki.device.cert_path))
    assert code == 0
    out = tmp_path / "decrypted.mobileconfig"
    result = run_cli("decrypt", str(encrypted), "-o", str(out), "--key",
                     str(pki.device.key_path), "--cert", str(pki.device.cert_path))
    assert result.exit_code == 0, result.output
    assert plistlib.loads(out.read_bytes()) == plistlib.loads(PROFILE)


def test_decrypt_a_signed_encrypted_profile(pki: PKI, tmp_path: Path) -> None:
    code, _, encrypted = encrypt(pki, tmp_path, "--recipient", str(pki.device.cert_path))
    assert code == 0
    signed = tmp_path / "signed.mobileconfig"
    signer = Signer.from_objects(pki.leaf.key, pki.leaf.cert)
    signed.write_bytes(signer.sign(encrypted.read_bytes()))
    out = tmp_path / "decrypted.mobileconfig"
    result = run_cli("decrypt", str(signed), "-o", str(out), "--key",
                     str(pki.device.key_path), "--cert", str(pki.device.cert_path))
    assert result.exit_code == 0
    assert "was signed;" in result.output
    assert "is not" in result.output
    assert plistlib.loads(out.read_bytes()) == plistlib.loads(PROFILE)


@needs_openssl
@pytest.mark.parametrize("args", [["-des3"], ["-aes192"],
                                  ["-aes256", "-keyopt", "rsa_padding_mode:oaep"]],
                         ids=["3des", "aes192", "rsa-oaep"])
def test_decrypt_what_others_make(pki: PKI, tmp_path: Path, args: list[str]) -> None:
    """Apple's sample server used 3DES; openssl 3.0 too by default; some use RSA-OAEP."""
    original = plistlib.loads(PROFILE)
    inner = tmp_path / "inner.plist"
    inner.write_bytes(plistlib.dumps(original["PayloadContent"], fmt=plistlib.FMT_BINARY))
    envelope = subprocess.run(
        [OPENSSL or "openssl", "cms", "-encrypt", "-binary", "-outform", "DER", "-in",
         str(inner), "-recip", str(pki.device.cert_path), *args],
        check=True, capture_output=True).stdout
    profile = {k: v for k, v in original.items() if k != "PayloadContent"}
    profile.update(EncryptedPayloadContent=envelope, IsEncrypted=True)
    source = tmp_path / "enc.mobileconfig"
    source.write_bytes(plistlib.dumps(profile))
    out = tmp_path / "out.mobileconfig"
    result = run_cli("decrypt", str(source), "-o", str(out), "--key",
                     str(pki.device.key_path), "--cert", str(pki.device.cert_path))
    assert result.exit_code == 0, result.output
    assert plistlib.loads(out.read_bytes()) == original


def test_ec_recipients_are_refused_clearly(pki: PKI, tmp_path: Path) -> None:
    code, output, out = encrypt(pki, tmp_path, "--recipient", str(pki.ec_device.cert_path))
    assert code == 2
    assert output == (
        "profilesmith: recipient CN=EC Device Identity,O=profilesmith tests has an EC key: "
        "only RSA device certificates are supported (EC key agreement is not available in "
        "cryptography's CMS builder)\n")
    assert not out.exists()


def test_decrypt_with_the_wrong_key(pki: PKI, tmp_path: Path) -> None:
    code, _, encrypted = encrypt(pki, tmp_path, "--recipient", str(pki.device.cert_path))
    assert code == 0
    result = run_cli("decrypt", str(encrypted), "-o", str(tmp_path / "out"), "--key",
                     str(pki.leaf.key_path), "--cert", str(pki.leaf.cert_path))
    assert result.exit_code == 2
    assert result.output.startswith("profilesmith: ")
    assert "cannot decrypt the EncryptedPayloadContent" in result.output
    assert len(result.output.splitlines()) == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (plist("<array/>"), "not a readable profile (the root is not a dictionary)"),
        (plist("<dict><key>PayloadType</key><string>Configuration</string></dict>"),
         "no PayloadContent array to encrypt"),
        (plist("<dict><key>IsEncrypted</key><true/><key>PayloadContent</key><array/></dict>"),
         "already encrypted"),
        (b"<plist><dict>", "not a readable profile"),
    ],
    ids=["array", "no-content", "encrypted", "broken"],
)
def test_encrypt_refuses_what_it_cannot_encrypt(pki: PKI, tmp_path: Path, data: bytes,
                                                message: str) -> None:
    code, output, out = encrypt(pki, tmp_path, "--recipient", str(pki.device.cert_path),
                                data=data)
    assert code == 2
    assert message in output
    assert not out.exists()


def test_encrypt_refuses_signed_input(pki: PKI, tmp_path: Path) -> None:
    signed = Signer.from_objects(pki.leaf.key, pki.leaf.cert).sign(PROFILE)
    code, output, _ = encrypt(pki, tmp_path, "--recipient", str(pki.device.cert_path),
                              data=signed)
    assert code == 2
    assert "is signed: encrypt the unsigned profile, then sign" in output


def test_decrypt_refuses_plain_profiles(pki: PKI, tmp_path: Path) -> None:
    source = tmp_path / "plain.mobileconfig"
    source.write_bytes(PROFILE)
    result = run_cli("decrypt", str(source), "-o", str(tmp_path / "o"), "--key",
                     str(pki.device.key_path), "--cert", str(pki.device.cert_path))
    assert result.exit_code == 2
    assert "no EncryptedPayloadContent data: not encrypted" in result.output


def test_lint_of_an_encrypted_profile(pki: PKI, tmp_path: Path) -> None:
    code, _, out = encrypt(pki, tmp_path, "--recipient", str(pki.device.cert_path))
    assert code == 0
    findings = lint_bytes(out.read_bytes())
    assert [(f.rule, f.severity.value, f.pointer) for f in findings
            if f.severity.value != "info" or f.rule.startswith("ENC")] == [
        ("ENC001", "info", "/EncryptedPayloadContent")]
