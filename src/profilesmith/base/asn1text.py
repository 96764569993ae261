"""What ASN.1 libraries (cryptography, asn1crypto) say of a bad encoding, in our words.

Their messages are written for their own developers ("ParseError { kind: ShortData ...
}", "Insufficient data - 33 bytes requested"); a finding or a verdict says what is wrong
with the user's file instead.
"""

from __future__ import annotations

import re

# What libraries say of a bad encoding (cryptography's Rust parser names a kind, its key
# loaders and asn1crypto write sentences) -> our words; the first match wins.
_ENCODING_ERRORS = (
    (r"ShortData|short data|Insufficient data", "it is truncated"),
    (r"UnexpectedTag|unexpected tag|should have been", "an element has the wrong ASN.1 type"),
    (r"InvalidLength|invalid length", "a length is not encoded as DER requires"),
    (r"InvalidSize", "an element has a size outside the allowed range"),
    (r"InvalidSetOrdering", "a SET is not in DER order"),
    (r"EncodedDefault", "a default value is encoded (DER forbids it)"),
    (r"IntegerOverflow", "a number is too large"),
    (r"ExtraData|extra data", "bytes follow its end"),
    (r"must be in \d+\.\.\d+|out of range|does not match format|time data",
     "it holds an impossible date or time"),
    (r"InvalidValue|invalid value", "an element holds an invalid value"),
    (r"^Invalid (EC )?key", "it is not a valid key"),
    (r"is not a valid X509 version", "its version is not v1, v2 or v3"),
    (r"^Duplicate [\d.]+ extension", "an extension appears twice"),
)


def describe_error(exc: BaseException) -> str:
    """A library's parse error in our words: what is wrong with the encoding."""
    text = str(exc)
    for pattern, words in _ENCODING_ERRORS:
        if re.search(pattern, text):
            return words
    return "it is not valid DER"
