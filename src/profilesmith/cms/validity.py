"""What to say about a signer or recipient certificate before it is used: ``sign``,
``build`` with a signer and ``encrypt`` warn (``--strict``: refuse) rather than write a
file that ``lint`` or a device would then find fault with.

- a signer or recipient certificate that is expired or not yet valid (on the clock of
  ``--now``);
- without trust anchors: a signer whose issuing CA is not among the certificates to
  embed (what SIG004 reports of the signed file: devices that do not hold that CA show the
  profile as unverified);
- with trust anchors (``--ca``): everything ``verify`` would hold against the chain — it
  must reach one of the anchors, and every certificate on it must be valid.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from profilesmith.cms.certfacts import issuer_of, subject_of
from profilesmith.cms.chain import Anchors, check_chain


def _validity(cert: Any, role: str, now: datetime) -> list[str]:
    start, end = cert.not_valid_before_utc, cert.not_valid_after_utc
    if now > end:
        return [f"the {role} certificate {subject_of(cert)} expired on "
                f"{end:%Y-%m-%d %H:%M:%S} UTC"]
    if now < start:
        return [f"the {role} certificate {subject_of(cert)} is not valid before "
                f"{start:%Y-%m-%d %H:%M:%S} UTC"]
    return []


def signer_problems(cert: Any, chain: Sequence[Any], *, now: datetime,
                    anchors: Anchors | None = None) -> list[str]:
    """Why a signature by ``cert`` with ``chain`` embedded would not verify (one
    sentence each; empty when nothing is wrong)."""
    if anchors is not None:
        # the messages name the anchors where the chain misses them
        return [p.message for p in check_chain(cert, chain, anchors, now).problems]
    problems = _validity(cert, "signer", now)
    if cert.subject != cert.issuer and not any(
            other.subject == cert.issuer for other in chain if other != cert):
        problems.append(
            f"the issuer of the signer certificate, {issuer_of(cert)}, is not in the chain "
            "to embed: devices that do not hold it show the profile as unverified (give it "
            "with --chain)")
    return problems


def recipient_problems(cert: Any, *, now: datetime) -> list[str]:
    """Why encrypting to ``cert`` is likely wrong: it is expired or not yet valid (the
    device may hold another identity by then)."""
    return _validity(cert, "recipient", now)
