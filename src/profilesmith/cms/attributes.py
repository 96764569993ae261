"""The signed attributes of one SignerInfo, read once, and what RFC 5652 requires of them.

asn1crypto parses lazily: a truncated attribute, a value of the wrong type or an
impossible signing time raises only when it is looked at. :func:`read_attributes` looks
at everything and keeps the first failure as a sentence, so that checking the signature
later never meets a library exception.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from profilesmith.base.asn1text import describe_error
from profilesmith.cms.certfacts import Problem

ID_DATA = "1.2.840.113549.1.7.1"
_NAMES = {  # for messages: RFC 5652's names of the content types
    ID_DATA: "id-data",
    "1.2.840.113549.1.7.2": "id-signedData",
    "1.2.840.113549.1.7.3": "id-envelopedData",
    "1.2.840.113549.1.7.5": "id-digestedData",
    "1.2.840.113549.1.7.6": "id-encryptedData",
    "1.2.840.113549.1.9.16.1.2": "id-ct-authData",
    "1.2.840.113549.1.9.16.1.4": "id-ct-TSTInfo",
}
_LABELS = {"content_type": "content-type", "message_digest": "message-digest",
           "signing_time": "signing-time"}
# (attribute, RFC 5652 section, required): one instance with one value each (11.1-11.3)
_SINGLE = (("content_type", "11.1", True), ("message_digest", "11.2", True),
           ("signing_time", "11.3", False))


def content_type_name(oid: str) -> str:
    name = _NAMES.get(oid)
    return f"{name} ({oid})" if name else oid


@dataclass
class SignedAttributes:
    """What the signed attributes hold: the values of each attribute instance."""

    problem: str | None = None  # why they cannot be read (the rest is then incomplete)
    values: dict[str, list[list[Any]]] = field(default_factory=dict)  # name -> instances
    encodings: list[bytes] = field(default_factory=list)  # what the signature may cover

    def single(self, name: str) -> Any:
        """The value of an attribute that appears once with one value, else None."""
        instances = self.values.get(name, [])
        if len(instances) == 1 and len(instances[0]) == 1:
            return instances[0][0]
        return None

    @property
    def signing_time(self) -> datetime | None:
        value = self.single("signing_time")
        return value if isinstance(value, datetime) else None


def read_attributes(signer_info: Any) -> SignedAttributes | None:
    """The SignerInfo's signed attributes, None when it has none (never raises)."""
    from asn1crypto import core

    attrs = signer_info["signed_attrs"]
    if isinstance(attrs, core.Void):
        return None
    found = SignedAttributes()
    try:
        items = list(attrs)
    except (ValueError, TypeError, KeyError) as exc:
        found.problem = f"the signed attributes cannot be read: {describe_error(exc)}"
        return found
    for index, item in enumerate(items, start=1):
        try:
            kind = item["type"]
            name, dotted = str(kind.native), kind.dotted
        except (ValueError, TypeError, KeyError) as exc:
            found.problem = (f"signed attribute {index} cannot be read: "
                             f"{describe_error(exc)}")
            return found
        try:
            values = [v.dotted if name == "content_type" else v.native for v in item["values"]]
        except (ValueError, TypeError, KeyError, OverflowError) as exc:
            label = _LABELS.get(name, dotted)
            found.problem = (f"the {label} signed attribute cannot be read: "
                             f"{describe_error(exc)}")
            return found
        found.values.setdefault(name, []).append(values)
    try:
        # RFC 5652 5.4: the signature covers the DER encoding of the attributes as a SET
        found.encodings.append(attrs.untag().dump(force=True))
    except (ValueError, TypeError, KeyError, OverflowError) as exc:
        found.problem = f"the signed attributes cannot be encoded as DER: {describe_error(exc)}"
        return found
    original = attrs.dump()
    if original[1:2] != b"\x80":  # signers that did not sort the SET: their bytes as found
        found.encodings.append(b"\x31" + original[1:])
    return found


def attribute_problems(attrs: SignedAttributes | None, content_type: str,
                       digest: bytes) -> list[Problem]:
    """RFC 5652's rules for the signed attributes, against the eContentType (an OID) and
    the digest of the content."""
    if attrs is None:
        if content_type != ID_DATA:
            return [Problem("malformed-attributes", "there are no signed attributes, which "
                            "RFC 5652 (5.3) requires when the content type is "
                            f"{content_type_name(content_type)}, not id-data")]
        return []
    if attrs.problem is not None:
        return [Problem("malformed-attributes", attrs.problem)]
    problems = []
    for name, section, required in _SINGLE:
        instances = attrs.values.get(name, [])
        label = _LABELS[name]
        if not instances and required:
            problems.append(Problem("malformed-attributes",
                                    f"the {label} signed attribute is missing "
                                    f"(RFC 5652 {section} requires it)"))
        elif len(instances) > 1:
            problems.append(Problem("malformed-attributes",
                                    f"the {label} signed attribute appears {len(instances)} "
                                    f"times (RFC 5652 {section} allows one)"))
        elif instances and len(instances[0]) != 1:
            problems.append(Problem("malformed-attributes",
                                    f"the {label} signed attribute has {len(instances[0])} "
                                    f"values (RFC 5652 {section} requires exactly one)"))
    kind = attrs.single("content_type")
    if kind is not None and kind != content_type:
        problems.append(Problem(
            "content-type-mismatch",
            f"the signed content-type attribute ({content_type_name(kind)}) differs from the "
            f"content's type ({content_type_name(content_type)})"))
    given = attrs.single("message_digest")
    if given is not None and given != digest:
        problems.append(Problem(
            "digest-mismatch",
            "the content does not match the signed message digest: the profile was "
            "changed after it was signed"))
    return problems
