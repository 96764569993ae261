"""Parse a CMS SignedData (DER or BER) into the facts verification and the SIG rules need.

asn1crypto reads the structure (it handles BER indefinite lengths and constructed OCTET
STRINGs as macOS writes them); certificates are handed to cryptography.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from profilesmith.base.text import first_line
from profilesmith.plist.cmswrap import CMSError

# asn1crypto's names for digest algorithms -> cryptography hash class names
HASHES = {
    "sha1": "SHA1", "sha224": "SHA224", "sha256": "SHA256", "sha384": "SHA384",
    "sha512": "SHA512",
}


@dataclass
class SignerData:
    """One SignerInfo, with its certificate found among the embedded ones."""

    info: Any  # asn1crypto.cms.SignerInfo
    cert: Any  # cryptography x509.Certificate | None
    digest_algorithm: str
    signature_algorithm: str
    signing_time: datetime | None
    sid: str  # how the signer is identified, for messages
    # the same certificate as asn1crypto read it (None when not embedded)
    asn1_cert: Any = None
    # the sid as compared: ("issuer_serial", issuer DER, serial) or ("key_id", bytes)
    identifier: tuple[Any, ...] = ()


@dataclass
class SignedFacts:
    content: bytes | None
    content_type: str
    certificates: list[Any] = field(default_factory=list)  # cryptography certificates
    signers: list[SignerData] = field(default_factory=list)
    unreadable_certificates: int = 0


def parse_signed(der: bytes, parsed: Any = None) -> SignedFacts:
    """Everything about a SignedData except whether it is trustworthy; raises CMSError.
    ``parsed``: the ContentInfo of ``der`` already loaded (by the reader), not loaded
    again."""
    from asn1crypto import cms

    try:
        info = cms.ContentInfo.load(der, strict=True) if parsed is None else parsed
        if info["content_type"].native != "signed_data":
            raise CMSError(f"CMS content is {info['content_type'].native}, not SignedData")
        signed = info["content"]
        encap = signed["encap_content_info"]
        content_type = str(encap["content_type"].native)
        raw = encap["content"]
        content = None if raw.native is None else bytes(raw.native)
        facts = SignedFacts(content=content, content_type=content_type)
        asn1_certs = _certificates(signed, facts)
        for signer_info in signed["signer_infos"]:
            facts.signers.append(_signer(signer_info, asn1_certs))
    except CMSError:
        raise
    except Exception as exc:
        raise CMSError(f"unreadable CMS SignedData ({first_line(exc)})") from None
    return facts


def _certificates(signed: Any, facts: SignedFacts) -> list[tuple[Any, Any]]:
    """(asn1crypto, cryptography) pairs for the embedded X.509 certificates."""
    from cryptography import x509

    pairs = []
    for choice in signed["certificates"] or []:
        if choice.name != "certificate":
            continue  # attribute certificates and the like: not part of a chain
        try:
            parsed = x509.load_der_x509_certificate(choice.chosen.dump())
        except ValueError:
            facts.unreadable_certificates += 1
            continue
        facts.certificates.append(parsed)
        pairs.append((choice.chosen, parsed))
    return pairs


def _signer(signer_info: Any, certs: list[tuple[Any, Any]]) -> SignerData:
    sid = signer_info["sid"]
    match: tuple[Any, Any] | None = None
    identifier: tuple[Any, ...]
    if sid.name == "issuer_and_serial_number":
        issuer = sid.chosen["issuer"]
        serial = sid.chosen["serial_number"].native
        described = f"issuer {issuer.human_friendly}, serial {serial:X}"
        encoded = issuer.dump()
        identifier = ("issuer_serial", encoded, serial)
        for pair in certs:
            if pair[0].serial_number == serial and _same_name(pair[0].issuer, issuer, encoded):
                match = pair
                break
    else:
        key_id = sid.chosen.native
        described = f"subject key identifier {key_id.hex()}"
        identifier = ("key_id", key_id)
        for pair in certs:
            if pair[0].key_identifier == key_id:
                match = pair
                break
    digest = signer_info["digest_algorithm"]["algorithm"].native
    signature = signer_info["signature_algorithm"]
    try:
        signature_name = signature.signature_algo
    except ValueError:
        signature_name = str(signature["algorithm"].native)
    return SignerData(
        info=signer_info,
        cert=None if match is None else match[1],
        digest_algorithm=str(digest),
        signature_algorithm=str(signature_name),
        signing_time=_signing_time(signer_info),
        sid=described,
        asn1_cert=None if match is None else match[0],
        identifier=identifier,
    )


def _same_name(name: Any, other: Any, other_der: bytes) -> bool:
    """asn1crypto Names equal: the same encoding, else equal after RFC 4518 string
    preparation (asn1crypto's ``==``, which is slow)."""
    return bool(name.dump() == other_der or name == other)


def signed_attribute(signer_info: Any, name: str) -> list[Any] | None:
    """The values of one signed attribute, None when it is absent."""
    attrs = signer_info["signed_attrs"]
    if attrs.native is None:
        return None
    for attr in attrs:
        if attr["type"].native == name:
            return list(attr["values"])
    return None


def _signing_time(signer_info: Any) -> datetime | None:
    try:
        values = signed_attribute(signer_info, "signing_time")
        if values:
            value = values[0].native
            return value if isinstance(value, datetime) else None
    except Exception:
        return None
    return None
