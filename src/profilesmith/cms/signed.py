"""Parse a CMS SignedData (DER or BER) into the facts verification and the SIG rules need.

asn1crypto reads the structure (it handles BER indefinite lengths and constructed OCTET
STRINGs as macOS writes them); certificates are handed to cryptography. Everything the
checks later need is read here, eagerly: a malformed part becomes a CMSError or a fact
that says what is malformed, never an exception in the middle of a check.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from profilesmith.base.asn1text import describe_error
from profilesmith.cms.attributes import SignedAttributes, read_attributes
from profilesmith.cms.certfacts import CertificateProblem, load_certificate
from profilesmith.plist.cmswrap import CMSError

# asn1crypto's names for digest algorithms -> cryptography hash class names
HASHES = {
    "sha1": "SHA1", "sha224": "SHA224", "sha256": "SHA256", "sha384": "SHA384",
    "sha512": "SHA512",
}
_ASN1_ERRORS = (ValueError, TypeError, KeyError, IndexError, OverflowError)


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
    signature: bytes = b""
    attributes: SignedAttributes | None = None  # None: no signed attributes
    # the signer's certificate is embedded, but cryptography cannot read it: why
    cert_problem: str | None = None


@dataclass
class SignedFacts:
    content: bytes | None
    content_type: str  # asn1crypto's name ("data") or the dotted OID
    certificates: list[Any] = field(default_factory=list)  # cryptography certificates
    signers: list[SignerData] = field(default_factory=list)
    unreadable_certificates: int = 0
    content_type_oid: str = ""


@dataclass
class _Embedded:
    asn1: Any  # asn1crypto.x509.Certificate
    cert: Any  # cryptography certificate, None when it refuses the encoding
    problem: str | None = None


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
        kind = encap["content_type"]
        raw = encap["content"]
        content = None if raw.native is None else bytes(raw.native)
        facts = SignedFacts(content=content, content_type=str(kind.native),
                            content_type_oid=kind.dotted)
    except CMSError:
        raise
    except Exception as exc:  # whatever asn1crypto raises: the structure is unreadable
        raise CMSError(f"unreadable CMS SignedData ({describe_error(exc)})") from None
    embedded = _certificates(signed, facts)
    try:
        signer_infos = list(signed["signer_infos"])
    except Exception as exc:
        raise CMSError(f"the SignerInfos cannot be read ({describe_error(exc)})") from None
    for index, signer_info in enumerate(signer_infos, start=1):
        try:
            facts.signers.append(_signer(signer_info, embedded))
        except Exception as exc:
            raise CMSError(f"SignerInfo {index} cannot be read "
                           f"({describe_error(exc)})") from None
    return facts


def _certificates(signed: Any, facts: SignedFacts) -> list[_Embedded]:
    """The embedded X.509 certificates, as asn1crypto and cryptography read them."""
    try:
        choices = list(signed["certificates"] or [])
    except _ASN1_ERRORS:
        facts.unreadable_certificates += 1
        return []
    found = []
    for choice in choices:
        try:
            if choice.name != "certificate":
                continue  # attribute certificates and the like: not part of a chain
            chosen = choice.chosen
            encoded = chosen.dump()
        except _ASN1_ERRORS:
            facts.unreadable_certificates += 1
            continue
        try:
            parsed = load_certificate(encoded)
        except CertificateProblem as problem:
            facts.unreadable_certificates += 1
            found.append(_Embedded(chosen, None, problem.message))
            continue
        facts.certificates.append(parsed)
        found.append(_Embedded(chosen, parsed))
    return found


def _signer(signer_info: Any, embedded: list[_Embedded]) -> SignerData:
    sid = signer_info["sid"]
    identifier: tuple[Any, ...]
    if sid.name == "issuer_and_serial_number":
        issuer = sid.chosen["issuer"]
        serial = sid.chosen["serial_number"].native
        described = f"issuer {issuer.human_friendly}, serial {serial:X}"
        encoded = issuer.dump()
        identifier = ("issuer_serial", encoded, serial)

        def matches(cert: Any) -> bool:
            return bool(cert.serial_number == serial and _same_name(cert.issuer, issuer, encoded))
    else:
        key_id = sid.chosen.native
        described = f"subject key identifier {key_id.hex()}"
        identifier = ("key_id", key_id)

        def matches(cert: Any) -> bool:
            return bool(cert.key_identifier == key_id)
    match = next((e for e in embedded if _safely(matches, e.asn1)), None)
    digest = signer_info["digest_algorithm"]["algorithm"].native
    signature = signer_info["signature_algorithm"]
    try:
        signature_name = signature.signature_algo
    except ValueError:
        signature_name = str(signature["algorithm"].native)
    attributes = read_attributes(signer_info)
    return SignerData(
        info=signer_info,
        cert=None if match is None else match.cert,
        digest_algorithm=str(digest),
        signature_algorithm=str(signature_name),
        signing_time=None if attributes is None else attributes.signing_time,
        sid=described,
        asn1_cert=None if match is None else match.asn1,
        identifier=identifier,
        signature=bytes(signer_info["signature"].native),
        attributes=attributes,
        cert_problem=None if match is None else match.problem,
    )


def _safely(matches: Any, cert: Any) -> bool:
    """Whether an embedded certificate is the signer's; one whose issuer or serial
    asn1crypto cannot read is not."""
    try:
        return bool(matches(cert))
    except _ASN1_ERRORS:
        return False


def _same_name(name: Any, other: Any, other_der: bytes) -> bool:
    """asn1crypto Names equal: the same encoding, else equal after RFC 4518 string
    preparation (asn1crypto's ``==``, which is slow)."""
    return bool(name.dump() == other_der or name == other)
