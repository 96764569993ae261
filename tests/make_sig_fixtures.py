"""Write the signed and encrypted fixture files of the SIG and ENC rules.

    .venv/bin/python -m tests.make_sig_fixtures

A fresh test PKI (tests/pki.py) is made in a temporary directory and thrown away: the
fixtures carry only certificates, never keys. The certificates are valid on the fixed
test clock (2026-06-01) unless a fixture is about expiry. Signed files cannot hold
comments, so each positive case gets a ``.expect`` file (see tests/lint/test_fixtures.py).
``openssl`` (on PATH) makes the cases profilesmith itself refuses to make: a SHA-1
digest, a BER (indefinite-length) signature, a detached signature.
"""

from __future__ import annotations

import base64
import plistlib
import subprocess
import tempfile
from pathlib import Path

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.serialization import pkcs7

from profilesmith.cms.envelope import encrypt_root
from profilesmith.cms.signer import Signer
from tests.conftest import FIXTURES, plist
from tests.pki import PKI, Identity

PROFILE = plist("""<dict>
	<key>PayloadContent</key>
	<array>
		<dict>
			<key>Label</key>
			<string>Example</string>
			<key>PayloadIdentifier</key>
			<string>com.example.fixture.webclip</string>
			<key>PayloadType</key>
			<string>com.apple.webClip.managed</string>
			<key>PayloadUUID</key>
			<string>5B0D2C0E-6F43-4C8A-9E1D-2B7A4C3E8F10</string>
			<key>PayloadVersion</key>
			<integer>1</integer>
			<key>URL</key>
			<string>https://example.com</string>
		</dict>
	</array>
	<key>PayloadDisplayName</key>
	<string>Signed fixture</string>
	<key>PayloadIdentifier</key>
	<string>com.example.fixture</string>
	<key>PayloadType</key>
	<string>Configuration</string>
	<key>PayloadUUID</key>
	<string>0E6B3A52-8C1D-4F7E-A2B9-6D5C4E3F2A10</string>
	<key>PayloadVersion</key>
	<integer>1</integer>
</dict>""")
ROOT_LINE = 4  # plist() puts the body's first line (the root <dict>) on line 4


def signed(identity: Identity, *chain: Identity, content: bytes = PROFILE) -> bytes:
    signer = Signer.from_objects(identity.key, identity.cert, [c.cert for c in chain])
    return signer.sign(content)


def openssl_sign(pki: PKI, identity: Identity, *args: str, chain: Identity | None = None) -> bytes:
    with tempfile.TemporaryDirectory() as work:
        source = Path(work) / "in.mobileconfig"
        source.write_bytes(PROFILE)
        command = ["openssl", "cms", "-sign", "-binary", "-outform", "DER",
                   "-in", str(source), "-signer", str(identity.cert_path),
                   "-inkey", str(identity.key_path), *args]
        if chain is not None:
            command += ["-certfile", str(chain.cert_path)]
        return subprocess.run(command, check=True, capture_output=True).stdout


def detached(identity: Identity) -> bytes:
    builder = (pkcs7.PKCS7SignatureBuilder().set_data(PROFILE)
               .add_signer(identity.cert, identity.key, hashes.SHA256()))
    return builder.sign(serialization.Encoding.DER,
                        [pkcs7.PKCS7Options.Binary, pkcs7.PKCS7Options.DetachedSignature])


def flip(data: bytes, marker: bytes, *, offset: int = 0) -> bytes:
    index = data.index(marker) + offset
    changed = bytearray(data)
    changed[index] ^= 0x01
    return bytes(changed)


def write(kind: str, rule: str, case: str, data: bytes, expect: list[str] | None = None) -> None:
    directory = FIXTURES / kind / rule
    directory.mkdir(parents=True, exist_ok=True)
    (directory / f"{case}.mobileconfig").write_bytes(data)
    if expect is not None:
        (directory / f"{case}.expect").write_text("".join(f"{row}\n" for row in expect))


def encrypted_xml(pki: PKI, *, expect: str | None, flag: bool = True, blob: bool = True,
                  keep_content: bool = False) -> bytes:
    """An encrypted profile as XML, with an expect comment before the root when asked."""
    root = plistlib.loads(PROFILE)
    encrypted = encrypt_root(root, [pki.device.cert])
    if keep_content:
        encrypted["PayloadContent"] = root["PayloadContent"]
    if not flag:
        del encrypted["IsEncrypted"]
    if not blob:
        del encrypted["EncryptedPayloadContent"]
    text = plistlib.dumps(encrypted, sort_keys=True).decode()
    if expect is not None:
        text = text.replace("<plist", f"<!-- expect: {expect} -->\n<plist", 1)
    return text.encode()


def line_of(data: bytes, needle: bytes) -> int:
    return data[: data.index(needle)].count(b"\n") + 1


def main() -> None:
    with tempfile.TemporaryDirectory() as work:
        pki = PKI(Path(work))
        at_root = [f"{ROOT_LINE} "]
        good = signed(pki.leaf, pki.intermediate)

        write("positive", "SIG001", "expired-signer", signed(pki.expired, pki.intermediate),
              at_root)
        write("positive", "SIG001", "not-yet-valid-signer", signed(pki.future, pki.intermediate),
              at_root)
        write("negative", "SIG001", "valid-signer", good)

        write("positive", "SIG002", "expiring-signer", signed(pki.expiring, pki.intermediate),
              at_root)
        write("negative", "SIG002", "valid-signer", good)
        write("negative", "SIG002", "expired-signer", signed(pki.expired, pki.intermediate))

        write("positive", "SIG003", "sha1-digest",
              openssl_sign(pki, pki.leaf, "-md", "sha1", "-nodetach", chain=pki.intermediate),
              at_root)
        write("positive", "SIG003", "sha1-certificate", signed(pki.sha1, pki.intermediate),
              at_root)
        write("negative", "SIG003", "sha256", good)

        write("positive", "SIG004", "signer-only", signed(pki.leaf), at_root)
        write("negative", "SIG004", "with-intermediate", good)
        write("negative", "SIG004", "self-signed", signed(pki.self_signed))
        write("negative", "SIG004", "direct-under-root-with-root",
              signed(pki.direct, pki.root))

        write("positive", "SIG005", "detached", detached(pki.leaf), ["- "])
        write("negative", "SIG005", "attached", good)
        write("negative", "SIG005", "ber-indefinite-length",
              openssl_sign(pki, pki.leaf, "-stream", "-nodetach", chain=pki.intermediate))

        write("positive", "SIG006", "key-encipherment-only",
              signed(pki.no_digital_signature, pki.intermediate), at_root)
        write("negative", "SIG006", "digital-signature", good)

        write("positive", "SIG007", "tampered-content",
              flip(good, b"https://example.com", offset=8), at_root)
        write("positive", "SIG007", "flipped-signature-byte", flip(good, good[-40:]), at_root)
        write("negative", "SIG007", "intact", good)
        write("negative", "SIG007", "ber-indefinite-length",
              openssl_sign(pki, pki.leaf, "-stream", "-nodetach", chain=pki.intermediate))

        blob_line = line_of(encrypted_xml(pki, expect=None), b"<key>EncryptedPayloadContent")
        # the expect comment adds a line before the root
        enc = encrypted_xml(pki, expect=f"{blob_line + 2} /EncryptedPayloadContent")
        write("positive", "ENC001", "encrypted", enc)
        write("negative", "ENC001", "plain", PROFILE)
        no_blob = encrypted_xml(pki, expect=f"{ROOT_LINE + 1} /EncryptedPayloadContent",
                                blob=False)
        write("positive", "ENC002", "flag-without-blob", no_blob)
        write("negative", "ENC002", "encrypted", encrypted_xml(pki, expect=None))
        bad_blob = plistlib.loads(encrypted_xml(pki, expect=None))
        bad_blob["EncryptedPayloadContent"] = base64.b64decode("AAECAw==")
        text = plistlib.dumps(bad_blob, sort_keys=True)
        line = line_of(text, b"<data>") + 1
        write("positive", "ENC002", "not-enveloped-data", text.replace(
            b"<plist", f"<!-- expect: {line} /EncryptedPayloadContent -->\n<plist".encode(), 1))
        no_flag = encrypted_xml(pki, expect=None, flag=False)
        line = line_of(no_flag, b"<data>") + 1
        write("positive", "ENC003", "blob-without-flag", no_flag.replace(
            b"<plist", f"<!-- expect: {line} /EncryptedPayloadContent -->\n<plist".encode(), 1))
        both = encrypted_xml(pki, expect=None, keep_content=True)
        line = line_of(both, b"<key>PayloadContent") + 2
        write("positive", "ENC003", "content-next-to-blob", both.replace(
            b"<plist", f"<!-- expect: {line} /PayloadContent -->\n<plist".encode(), 1))
        write("negative", "ENC003", "encrypted", encrypted_xml(pki, expect=None))


if __name__ == "__main__":
    main()
