"""A Verification as text (like macOS: Verified / Unverified (reason) / Unsigned) or JSON."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from profilesmith.cms.verify import CertSummary, Verification

REASONS = {
    "unsigned": "unsigned",
    "malformed": "malformed signature",
    "malformed-certificate": "malformed certificate",
    "malformed-attributes": "malformed signed attributes",
    "not-data": "content is not data",
    "detached": "detached signature",
    "no-signer": "no signer",
    "signer-certificate-missing": "signer certificate missing",
    "unsupported-algorithm": "unsupported algorithm",
    "content-type-mismatch": "content type mismatch",
    "digest-mismatch": "digest mismatch",
    "bad-signature": "bad signature",
    "key-usage": "key usage does not allow signing",
    "unknown-root": "unknown root",
    "missing-intermediate": "missing intermediate",
    "bad-certificate-signature": "bad certificate signature",
    "expired": "expired",
    "not-yet-valid": "not yet valid",
    "sha1-certificate": "SHA-1 certificate",
    "weak-certificate": "weak certificate signature",
    "weak-key": "weak key",
    "no-anchors": "no trust anchors",
    "rejected": "chain rejected",
}


def _when(moment: datetime | None) -> str | None:
    return None if moment is None else moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def status_line(result: Verification) -> str:
    if result.status == "verified":
        return f"{result.path}: Verified"
    title = "Unsigned" if result.status == "unsigned" else "Unverified"
    reason = result.reason
    if result.status == "unsigned" or reason is None:
        detail = result.problems[0].message if result.problems else ""
        return f"{result.path}: {title}" + (f" ({detail})" if detail else "")
    return f"{result.path}: {title} ({REASONS.get(reason, reason)})"


def to_text(result: Verification, *, now: datetime, extracted: str | None = None) -> str:
    lines = [status_line(result)]
    if result.status == "unsigned":
        return "\n".join(lines) + "\n"

    def row(label: str, value: object) -> None:
        lines.append(f"  {label + ':':<12}{value}")

    if result.status == "unverified":
        for problem in result.problems:
            row("Reason", f"{REASONS.get(problem.reason, problem.reason)}: {problem.message}")
    for warning in result.warnings:
        row("Warning", warning)
    if result.signer is not None:
        signer = result.signer
        row("Signer", signer.subject)
        row("Issuer", signer.issuer)
        row("Expires", f"{_when(signer.not_after)}")
    if result.digest_algorithm:
        row("Digest", f"{result.digest_algorithm} (signature: {result.signature_algorithm})")
    if result.digest_algorithm or result.signer is not None:
        row("Signed at", _when(result.signing_time) or "not stated in the signature")
    if result.chain:
        names = [c.subject for c in result.chain]
        if result.anchored:
            names[-1] += " (anchor)"
        elif result.signer is not None:
            names.append("? (no anchor)")
        row("Chain", " -> ".join(names))
    if result.anchors is not None:
        row("Anchors", result.anchors.describe())
    row("Checked at", _when(now))
    if extracted:
        row("Extracted", f"{extracted} (the verified content)")
    return "\n".join(lines) + "\n"


def _cert(summary: CertSummary) -> dict[str, Any]:
    return {
        "subject": summary.subject,
        "issuer": summary.issuer,
        "not_before": _when(summary.not_before),
        "not_after": _when(summary.not_after),
        "serial": summary.serial,
        "sha256": summary.sha256,
        "signature_hash": summary.signature_hash,
    }


def to_json(result: Verification, *, now: datetime, extracted: str | None = None) -> dict[str, Any]:
    anchors = result.anchors
    return {
        "version": 1,
        "path": result.path,
        "status": result.status,
        "reason": result.reason,
        "problems": [{"reason": p.reason, "message": p.message} for p in result.problems],
        "warnings": list(result.warnings),
        "signer": _cert(result.signer) if result.signer is not None else None,
        "chain": [_cert(c) for c in result.chain],
        "anchored": result.anchored,
        "embedded_certificates": result.embedded,
        "digest_algorithm": result.digest_algorithm,
        "signature_algorithm": result.signature_algorithm,
        "signing_time": _when(result.signing_time),
        "anchors": None if anchors is None else {
            "source": anchors.source,
            "files": list(anchors.files),
            "count": len(anchors.certs),
            "description": anchors.describe(),
        },
        "checked_at": _when(now),
        "content_format": result.content_format,
        "extracted": extracted,
    }
