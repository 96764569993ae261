"""PAR: what the reader finds while decoding a file (emitted by reader.py)."""

from __future__ import annotations

from profilesmith.findings import Severity
from profilesmith.registry import rule


@rule("PAR001", Severity.ERROR, scope="reader")
def malformed_xml() -> None:
    """The file is not well-formed XML.

    Devices refuse to install a profile they cannot parse. The finding carries libxml2's
    message and position (invalid UTF-8, an unclosed tag, a truncated file, nesting
    deeper than 256 levels, an undefined entity, random bytes).

    Fails:   <plist><dict><key>A</key><string>x</dict></plist>
    Passes:  <plist><dict><key>A</key><string>x</string></dict></plist>
    """


@rule("PAR002", Severity.ERROR, scope="reader")
def not_a_plist() -> None:
    """The file is not a property list.

    The root element is not <plist>, the <plist> is empty, or a binary plist is corrupt.

    Fails:   <html><body/></html>
    Passes:  <plist version="1.0"><dict/></plist>
    """


@rule("PAR003", Severity.ERROR, scope="reader")
def entities_refused() -> None:
    """The XML declares or references entities.

    Entity declarations are how "billion laughs" and external-entity (XXE) attacks work,
    and no profile needs them; the file is not decoded further.

    Fails:   <!DOCTYPE plist [<!ENTITY a "aaaa">]>
    Passes:  <!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
    """


@rule("PAR004", Severity.ERROR, scope="reader")
def invalid_base64() -> None:
    """A <data> element is not valid base64.

    The message names the first offending character or the padding problem. Parsers
    differ on how they skip bad characters, so the bytes a device sees are uncertain.

    Fails:   <data>AAE*AA==</data>
    Passes:  <data>AAECAw==</data>
    """


@rule("PAR005", Severity.ERROR, scope="reader")
def invalid_date() -> None:
    """A <date> element does not hold an ISO 8601 UTC date (YYYY-MM-DDTHH:MM:SSZ).

    Fails:   <date>2024-13-01T00:00:00Z</date>
    Passes:  <date>2024-12-01T00:00:00Z</date>
    """


@rule("PAR006", Severity.ERROR, scope="reader")
def unknown_element() -> None:
    """An element that property lists do not have, or an element inside a <string>.

    Fails:   <key>Enabled</key><bool>true</bool>
    Passes:  <key>Enabled</key><true/>
    """


@rule("PAR007", Severity.ERROR, scope="reader")
def invalid_number() -> None:
    """An <integer> or <real> that is not a number, or an integer beyond 64 bits.

    Fails:   <integer>12abc</integer>   <integer>18446744073709551616</integer>
    Passes:  <integer>12</integer>
    """


@rule("PAR008", Severity.ERROR, scope="reader")
def boolean_with_content() -> None:
    """<true/> or <false/> has content; CFPropertyList refuses such a file.

    Fails:   <true>yes</true>
    Passes:  <true/>
    """


@rule("PAR009", Severity.ERROR, scope="reader")
def key_value_mismatch() -> None:
    """A <key> without a value, a value without a <key>, or a <key> in an <array>.

    Fails:   <dict><key>A</key><key>B</key><string>b</string></dict>
    Passes:  <dict><key>A</key><string>a</string><key>B</key><string>b</string></dict>
    """


@rule("PAR010", Severity.ERROR, scope="reader")
def empty_file() -> None:
    """The file is empty (or only whitespace).

    Fails:   (zero bytes)
    Passes:  <plist version="1.0"><dict/></plist>
    """


@rule("PAR011", Severity.WARNING, scope="reader")
def bytes_before_declaration() -> None:
    """Whitespace or a UTF-8 byte order mark comes before <?xml.

    XML allows nothing before the declaration, and Python's plistlib refuses such files;
    the file is still read. Remove the leading bytes.

    Fails:   " <?xml version="1.0" encoding="UTF-8"?>"
    Passes:  "<?xml version="1.0" encoding="UTF-8"?>"
    """


@rule("PAR012", Severity.ERROR, scope="reader")
def file_too_large() -> None:
    """The file is larger than the reader accepts (64 MiB); it is not read.

    Fails:   a 100 MB file
    Passes:  a profile of a few kilobytes
    """


@rule("PAR013", Severity.ERROR, scope="reader")
def unreadable_cms() -> None:
    """The file looks like CMS (it starts with a DER SEQUENCE) but cannot be opened.

    Truncated or corrupted signed profiles, and CMS types other than SignedData.

    Fails:   the first 500 bytes of a signed profile
    Passes:  a complete signed profile
    """


@rule("PAR014", Severity.ERROR, scope="reader")
def unsupported_value() -> None:
    """A binary plist holds a value profiles cannot carry (a UID or a null).

    Fails:   a keyed-archiver plist
    Passes:  a binary plist of dictionaries, arrays, strings, numbers, dates and data
    """


@rule("PAR015", Severity.WARNING, scope="reader")
def missing_plist_element() -> None:
    """The root element is a value (<dict>) instead of <plist> holding one.

    Fails:   <dict><key>PayloadType</key>...</dict>
    Passes:  <plist version="1.0"><dict><key>PayloadType</key>...</dict></plist>
    """
