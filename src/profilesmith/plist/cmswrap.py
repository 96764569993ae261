"""Take the content out of a CMS SignedData wrapper (DER or BER) without verifying it."""

from __future__ import annotations

from profilesmith.base.text import first_line
from profilesmith.plist.document import SignatureFacts


class CMSError(Exception):
    """The bytes are not a CMS structure the reader can open."""


def unwrap(data: bytes) -> tuple[SignatureFacts, bytes | None]:
    """The signature facts and the signed content (None when the signature is detached)."""
    from asn1crypto import cms

    try:
        info = cms.ContentInfo.load(data, strict=True)
        content_type = info["content_type"].native
    except Exception as exc:
        raise CMSError(f"unreadable CMS structure ({first_line(exc)})") from None
    if content_type != "signed_data":
        raise CMSError(f"CMS content is {content_type}, not SignedData: not a signed profile")
    try:
        encap = info["content"]["encap_content_info"]
        inner_type = encap["content_type"].native
        content = encap["content"]
        payload = None if content.native is None else bytes(content.native)
    except Exception as exc:
        raise CMSError(f"unreadable CMS SignedData ({first_line(exc)})") from None
    facts = SignatureFacts(
        der=data,
        content_type=str(inner_type),
        detached=payload is None,
        indefinite_length=len(data) > 1 and data[1] == 0x80,
        parsed=info,
    )
    return facts, payload
