"""Encrypted profiles: PayloadContent <-> EncryptedPayloadContent (CMS EnvelopedData).

Apple's procedure ("Configuring multiple devices using profiles"): take the PayloadContent
array out, serialize it as a property list whose top-level object is that array, encrypt
it as CMS EnvelopedData in DER, store it as the ``EncryptedPayloadContent`` data value and
set ``IsEncrypted``. We serialize the array as an XML plist, as Apple's own sample server
did (Ruby's ``to_plist``); devices read binary plists too, and ``decrypt`` accepts both.

Encryption uses cryptography's PKCS7EnvelopeBuilder: AES-256-CBC (or AES-128-CBC) with RSA
PKCS#1 v1.5 key transport, which is what openssl and macOS read. That builder handles RSA
recipients only, so EC device certificates are refused with a clear message.
"""

from __future__ import annotations

import plistlib
from collections.abc import Sequence
from typing import Any

from profilesmith.base.text import first_line
from profilesmith.plist.writer import dumps_xml

CIPHERS = ("aes-256-cbc", "aes-128-cbc")


class EnvelopeError(Exception):
    """The profile cannot be encrypted or decrypted (one line, safe to print)."""


def encrypt_root(
    root: Any, recipients: Sequence[Any], *, cipher: str = "aes-256-cbc"
) -> dict[str, Any]:
    """A copy of the profile with PayloadContent encrypted to the recipients."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec, rsa
    from cryptography.hazmat.primitives.ciphers import algorithms
    from cryptography.hazmat.primitives.serialization import pkcs7

    if not isinstance(root, dict):
        raise EnvelopeError("not a configuration profile (the root is not a dictionary)")
    if root.get("IsEncrypted") is True or "EncryptedPayloadContent" in root:
        raise EnvelopeError("the profile is already encrypted")
    content = root.get("PayloadContent")
    if not isinstance(content, list):
        raise EnvelopeError("the profile has no PayloadContent array to encrypt")
    if cipher not in CIPHERS:
        raise EnvelopeError(f"unknown cipher {cipher} (use {' or '.join(CIPHERS)})")
    if not recipients:
        raise EnvelopeError("at least one recipient certificate is needed")
    builder = pkcs7.PKCS7EnvelopeBuilder().set_data(dumps_xml(content))
    for cert in recipients:
        if not isinstance(cert.public_key(), rsa.RSAPublicKey):
            is_ec = isinstance(cert.public_key(), ec.EllipticCurvePublicKey)
            kind = "an EC" if is_ec else "a non-RSA"
            raise EnvelopeError(
                f"recipient {cert.subject.rfc4514_string()} has {kind} key: only RSA device "
                "certificates are supported (EC key agreement is not available in "
                "cryptography's CMS builder)")
        builder = builder.add_recipient(cert)
    algorithm = algorithms.AES256 if cipher == "aes-256-cbc" else algorithms.AES128
    builder = builder.set_content_encryption_algorithm(algorithm)
    envelope = builder.encrypt(serialization.Encoding.DER, [pkcs7.PKCS7Options.Binary])
    encrypted: dict[str, Any] = {}
    for key, value in root.items():
        if key == "PayloadContent":
            encrypted["EncryptedPayloadContent"] = envelope
        else:
            encrypted[key] = value
    encrypted["IsEncrypted"] = True
    return encrypted


def decrypt_root(root: Any, cert: Any, key: Any) -> dict[str, Any]:
    """A copy of an encrypted profile with its PayloadContent restored."""
    if not isinstance(root, dict):
        raise EnvelopeError("not a configuration profile (the root is not a dictionary)")
    envelope = root.get("EncryptedPayloadContent")
    if not isinstance(envelope, bytes):
        raise EnvelopeError("the profile has no EncryptedPayloadContent data: not encrypted")
    plain = decrypt_envelope(envelope, cert, key)
    try:
        content = plistlib.loads(plain)
    except Exception:
        raise EnvelopeError("the decrypted content is not a property list") from None
    if not isinstance(content, list):
        raise EnvelopeError("the decrypted content is not the PayloadContent array")
    decrypted: dict[str, Any] = {}
    for name, value in root.items():
        if name == "EncryptedPayloadContent":
            decrypted["PayloadContent"] = content
        elif name != "IsEncrypted":
            decrypted[name] = value
    return decrypted


def decrypt_envelope(envelope: bytes, cert: Any, key: Any) -> bytes:
    from cryptography.exceptions import UnsupportedAlgorithm
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import pkcs7

    if not isinstance(key, rsa.RSAPrivateKey):
        raise EnvelopeError("only RSA device keys can decrypt (EC key agreement is not supported)")
    try:
        return pkcs7.pkcs7_decrypt_der(envelope, cert, key, [])
    except UnsupportedAlgorithm:
        # 3DES (Apple's old sample, openssl 3.0's default), AES-192, RSA-OAEP
        return _decrypt_by_hand(envelope, cert, key)
    except ValueError as exc:
        raise _cannot_decrypt(exc) from None


def _decrypt_by_hand(envelope: bytes, cert: Any, key: Any) -> bytes:
    from asn1crypto import cms
    from asn1crypto import x509 as asn1_x509
    from cryptography.hazmat.primitives import hashes, padding, serialization
    from cryptography.hazmat.primitives.asymmetric import padding as asym
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    try:
        info = cms.ContentInfo.load(envelope, strict=True)
        enveloped = info["content"]
        ours = asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))
        for recipient in enveloped["recipient_infos"]:
            if recipient.name != "ktri":
                continue
            ktri = recipient.chosen
            rid = ktri["rid"]
            if rid.name == "issuer_and_serial_number":
                mine = (rid.chosen["issuer"] == ours.issuer
                        and rid.chosen["serial_number"].native == ours.serial_number)
            else:
                mine = rid.chosen.native == ours.key_identifier
            if not mine:
                continue
            scheme = ktri["key_encryption_algorithm"]
            if scheme["algorithm"].native == "rsaes_oaep":
                params = scheme["parameters"]
                digest = getattr(hashes, params["hash_algorithm"]["algorithm"].native.upper())()
                pad: Any = asym.OAEP(mgf=asym.MGF1(digest), algorithm=digest, label=None)
            else:
                pad = asym.PKCS1v15()
            secret = key.decrypt(ktri["encrypted_key"].native, pad)
            encrypted = enveloped["encrypted_content_info"]
            algorithm = encrypted["content_encryption_algorithm"]
            name = algorithm.encryption_cipher
            if name == "tripledes":
                from cryptography.hazmat.decrepit.ciphers.algorithms import TripleDES

                block: Any = TripleDES(secret)
            elif name == "aes":
                block = algorithms.AES(secret)
            else:
                raise EnvelopeError(f"content encryption {name} is not supported")
            if algorithm.encryption_mode != "cbc":
                raise EnvelopeError(f"content encryption mode {algorithm.encryption_mode} "
                                    "is not supported")
            decryptor = Cipher(block, modes.CBC(algorithm.encryption_iv)).decryptor()
            padded = decryptor.update(encrypted["encrypted_content"].native) + decryptor.finalize()
            unpadder = padding.PKCS7(block.block_size).unpadder()
            return unpadder.update(padded) + unpadder.finalize()
    except EnvelopeError:
        raise
    except Exception as exc:
        raise _cannot_decrypt(exc) from None
    raise EnvelopeError("the EncryptedPayloadContent is not encrypted to this certificate")


def _cannot_decrypt(exc: Exception) -> EnvelopeError:
    return EnvelopeError(f"cannot decrypt the EncryptedPayloadContent ({first_line(exc)})")
