"""Verify a signed profile: signature, message digest, chain to an anchor, validity.

"verified" is only ever the result when every one of those checks passes; anything else
is "unverified" with at least one Problem, or "unsigned".
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from profilesmith.cms.certfacts import (
    Problem,
    issuer_of,
    signature_hash,
    signing_usage_problem,
    subject_of,
)
from profilesmith.cms.chain import Anchors, check_chain
from profilesmith.cms.signature import check_signature, content_type_problem
from profilesmith.cms.signed import SignerData, parse_signed
from profilesmith.plist.cmswrap import CMSError
from profilesmith.plist.document import Document

Status = Literal["verified", "unverified", "unsigned"]
MAX_SIGNERS = 16  # profiles have one; a file with thousands is an attack on our time


@dataclass
class CertSummary:
    subject: str
    issuer: str
    not_before: datetime
    not_after: datetime
    serial: str
    sha256: str
    signature_hash: str | None

    @classmethod
    def of(cls, cert: Any) -> CertSummary:
        from cryptography.hazmat.primitives import hashes

        return cls(
            subject=subject_of(cert),
            issuer=issuer_of(cert),
            not_before=cert.not_valid_before_utc,
            not_after=cert.not_valid_after_utc,
            serial=format(cert.serial_number, "X"),
            sha256=cert.fingerprint(hashes.SHA256()).hex().upper(),
            signature_hash=signature_hash(cert) or None,
        )


@dataclass
class Verification:
    path: str
    status: Status
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    signer: CertSummary | None = None
    chain: list[CertSummary] = field(default_factory=list)
    anchored: bool = False
    embedded: int = 0
    digest_algorithm: str | None = None
    signature_algorithm: str | None = None
    signing_time: datetime | None = None
    anchors: Anchors | None = None
    content: bytes | None = None
    content_format: str | None = None

    @property
    def reason(self) -> str | None:
        return self.problems[0].reason if self.problems else None

    @property
    def verified(self) -> bool:
        return self.status == "verified"


def verify_document(doc: Document, anchors: Anchors, *, now: datetime) -> Verification:
    """Verify what the reader made of a file (the reader never verifies anything)."""
    with warnings.catch_warnings():
        # cryptography warns of certificates it will refuse one day (negative serials):
        # the verdict says what is wrong with them; a warning must not reach the user
        warnings.simplefilter("ignore")
        return _verify(doc, anchors, now)


def _verify(doc: Document, anchors: Anchors, now: datetime) -> Verification:
    result = Verification(path=doc.path, status="unverified")
    if doc.signature is None:
        if doc.format == "cms":  # CMS the reader could not open
            message = next((f.message for f in doc.findings if f.rule == "PAR013"),
                           "unreadable CMS structure")
            result.problems.append(Problem("malformed", message))
            return result
        result.status = "unsigned"
        result.problems.append(Problem("unsigned", _unsigned_message(doc)))
        return result
    try:
        facts = parse_signed(doc.signature.der)
    except CMSError as exc:
        result.problems.append(Problem("malformed", str(exc)))
        return result
    result.anchors = anchors
    result.embedded = len(facts.certificates)
    result.content = facts.content
    result.content_format = doc.inner_format
    if facts.unreadable_certificates:
        result.warnings.append(
            f"{facts.unreadable_certificates} embedded certificate(s) could not be read")
    if facts.content is None:
        result.problems.append(Problem(
            "detached", "the file holds a signature but no profile (a device cannot "
                        "install it)"))
        return result
    if not facts.signers:
        result.problems.append(Problem("no-signer", "the SignedData has no signer"))
        return result
    if len(facts.signers) > MAX_SIGNERS:
        result.problems.append(Problem(
            "malformed", f"{len(facts.signers)} signers (more than {MAX_SIGNERS} are not checked)"))
        return result
    not_data = content_type_problem(facts)
    if not_data is not None:
        result.problems.append(not_data)
    for index, signer in enumerate(facts.signers):
        problems = check_signature(signer, facts.content, facts.content_type_oid)
        if signer.cert is not None and not problems:
            usage = signing_usage_problem(signer.cert)
            if usage is not None and usage.reason == "key-usage":  # else check_chain says it
                problems.append(usage.about("signer", signer.cert))
            chain = check_chain(signer.cert, facts.certificates, anchors, now)
            problems.extend(chain.problems)
            if index == 0:
                result.chain = [CertSummary.of(c) for c in chain.path]
                result.anchored = chain.anchored
        result.problems.extend(problems)
        if index == 0:
            _describe_signer(result, signer)
    if len(facts.signers) > 1:
        result.warnings.append(f"{len(facts.signers)} signers; all were checked")
    if anchors.source == "none":
        result.problems.append(Problem("no-anchors", f"no trust anchors: {anchors.describe()}"))
    if doc.inner_format in (None, "unknown") or not isinstance(doc.root, dict):
        result.warnings.append("the signed content is not a readable profile")
    if result.digest_algorithm == "sha1":
        result.warnings.append("the message digest is SHA-1 (weak; sign with SHA-256)")
    if not result.problems:
        result.status = "verified"
    return result


def _describe_signer(result: Verification, signer: SignerData) -> None:
    result.digest_algorithm = signer.digest_algorithm
    result.signature_algorithm = signer.signature_algorithm
    result.signing_time = signer.signing_time
    if signer.cert is not None:
        # a chain, when one was built, starts with this signer's certificate
        result.signer = result.chain[0] if result.chain else CertSummary.of(signer.cert)
        if not result.chain:
            result.chain = [result.signer]


def _unsigned_message(doc: Document) -> str:
    if doc.format == "unknown" or doc.root is None:
        first = next((f.message for f in doc.findings), "unreadable")
        return f"not signed, and not a readable profile either ({first})"
    return f"not signed: a plain {doc.format} property list"
