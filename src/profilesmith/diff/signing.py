"""Apple's same-identity rule for signed MDM profiles (UPD130-UPD134).

"Same identity": an identity is a private key with its certificate, and the signature
proves only the key. So the signer certificates' public keys (their DER
SubjectPublicKeyInfo) decide: another key is another identity (UPD130), whatever the
certificate's name says; the same key in another certificate (a renewed or re-issued
certificate) is UPD131, since Apple does not say whether the device compares the
certificate or the key. The subject alone proves nothing: anyone can issue a certificate
with any name. A signature may leave its certificate out; a SignerInfo still names it
(issuer and serial number, or subject key identifier), which tells the same certificate
apart but not the key of another one (UPD134).

Apple states the rule for MDM profiles; Apple's older configuration profile guide says a
locked profile (PayloadRemovalDisallowed) updates only when "signed by the same
authority". So: the rules' own severities for profiles with an MDM payload, at most a
warning for locked ones, info for the rest.
"""

from __future__ import annotations

import hashlib
from typing import Any, Literal

from profilesmith.base.findings import Severity
from profilesmith.diff.model import SIGNATURE, Difference, make
from profilesmith.plist.document import Document

Level = Literal["mdm", "locked", "plain"]

_WHY = {
    "mdm": "Apple: the new MDM profile must be signed with the same identity as the "
           "existing profile",
    "locked": "OLD is locked (PayloadRemovalDisallowed), and Apple's older guide updates a "
              "locked profile only when it is signed by the same authority",
    "plain": "no MDM payload and OLD is not locked, so Apple's same-identity rule does not "
             "apply",
}


def level_of(old: Document, *, mdm: bool) -> Level:
    if mdm:
        return "mdm"
    root = old.root if isinstance(old.root, dict) else {}
    return "locked" if root.get("PayloadRemovalDisallowed") is True else "plain"


def _severity(rule: str, level: Level) -> Severity | None:
    if level == "plain":
        return Severity.INFO
    if level == "locked":
        return Severity.WARNING if rule in ("UPD130", "UPD132") else None
    return None


class Signer:
    """One SignerInfo: its certificate when embedded, and how the SignerInfo names it
    (issuer and serial number, or subject key identifier)."""

    def __init__(self, cert: Any, sid: tuple[Any, ...], described: str) -> None:
        self.cert = cert  # asn1crypto Certificate or None
        self.sid = sid
        self.described = described  # the certificate's subject, else the SignerInfo's sid

    def names(self) -> set[tuple[Any, ...]]:
        """The identifiers that designate this signer's certificate."""
        if self.cert is None:
            return {self.sid}
        found: set[tuple[Any, ...]] = {
            ("issuer_serial", self.cert.issuer.dump(), self.cert.serial_number)}
        if self.cert.key_identifier is not None:
            found.add(("key_id", self.cert.key_identifier))
        return found

    def same_certificate(self, other: Signer) -> bool:
        if self.cert is not None and other.cert is not None:
            return bool(self.cert.dump() == other.cert.dump())
        return bool(self.names() & other.names())

    def same_key(self, other: Signer) -> bool | None:
        """Whether both hold the same public key; None when a certificate is missing.
        (Asked only once same_certificate said no.)"""
        if self.cert is None or other.cert is None:
            return None
        return bool(_key(self.cert) == _key(other.cert))


def compare_signatures(old: Document, new: Document, level: Level) -> list[Difference]:
    def difference(rule: str, message: str) -> Difference:
        return make(SIGNATURE, rule, "", f"{message} ({_WHY[level]})",
                    severity=_severity(rule, level))

    if old.signature is None and new.signature is None:
        return []
    if new.signature is None:
        return [difference("UPD132", "OLD is signed, NEW is not")]
    if old.signature is None:
        return [difference("UPD133", "OLD is unsigned, NEW is signed: OLD has no identity to "
                                     "match")]
    old_signers, new_signers = _signers(old.signature.der), _signers(new.signature.der)
    if isinstance(old_signers, str) or isinstance(new_signers, str):
        problem = old_signers if isinstance(old_signers, str) else new_signers
        side = "OLD" if isinstance(old_signers, str) else "NEW"
        return [difference("UPD134", f"{side}: {problem}; the signers cannot be compared")]
    shown = f"OLD {_describe(old_signers)}, NEW {_describe(new_signers)}"
    verdicts = [_verdict(signer, old_signers) for signer in new_signers]
    if "another" in verdicts:
        return [difference("UPD130", f"NEW is signed by another identity: {shown}")]
    if "unknown" in verdicts:
        return [difference("UPD134", f"a signer certificate is not embedded and the signers "
                                     f"do not name the same certificate: {shown}; the "
                                     "signers cannot be compared")]
    if "same key" in verdicts:
        return [difference("UPD131", f"NEW's signer certificate differs from OLD's but holds "
                                     f"the same key: {shown}; Apple does not say whether "
                                     "devices compare the certificate or its key")]
    return []


def _verdict(signer: Signer, old_signers: list[Signer]) -> str:
    if any(signer.same_certificate(old) for old in old_signers):
        return "same"
    # no old signer has the same certificate: only the keys can still agree
    keys = [signer.same_key(old) for old in old_signers]
    if True in keys:
        return "same key"
    return "unknown" if None in keys else "another"


def _signers(der: bytes) -> list[Signer] | str:
    """The signers, or why they cannot be known."""
    from profilesmith.cms.chain import subject_of
    from profilesmith.cms.signed import parse_signed
    from profilesmith.plist.cmswrap import CMSError

    try:
        facts = parse_signed(der)
        if not facts.signers:
            return "the signature has no signer"
        signers = []
        for signer in facts.signers:
            described = f"certificate not embedded: {signer.sid}"
            if signer.cert is not None:
                described = subject_of(signer.cert)
            signers.append(Signer(signer.asn1_cert, signer.identifier, described))
    except CMSError as exc:
        return str(exc)
    except Exception as exc:  # a signer that cannot be described is not compared
        return f"unreadable signer ({type(exc).__name__})"
    return signers


def _key(cert: Any) -> bytes:
    """The certificate's SubjectPublicKeyInfo as encoded (asn1crypto reads it whatever the
    algorithm, where cryptography's public_key() refuses the ones it does not support)."""
    data: bytes = cert["tbs_certificate"]["subject_public_key_info"].dump()
    return data


def _describe(signers: list[Signer]) -> str:
    parts = []
    for signer in signers:
        if signer.cert is None:
            parts.append(f"({signer.described})")
            continue
        key = hashlib.sha256(_key(signer.cert)).hexdigest()[:16].upper()
        parts.append(f"{signer.described} (serial {signer.cert.serial_number:X}, key SHA-256 "
                     f"{key})")
    return "; ".join(parts)
