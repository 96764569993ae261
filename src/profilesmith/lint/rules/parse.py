"""PAR: what the readers (profilesmith.plist) find while decoding a file."""

from __future__ import annotations

from collections.abc import Callable

from profilesmith.lint.registry import emitted
from profilesmith.plist.problems import PROBLEMS


def reader_rule(rule_id: str) -> Callable[[Callable[[], None]], Callable[[], None]]:
    """The documentation entry of a PAR rule, with the severity and the modules the
    readers give it (plist/problems.py)."""
    severity, modules = PROBLEMS[rule_id]
    return emitted(rule_id, severity, by=modules)



@reader_rule("PAR001")
def malformed_xml() -> None:
    """The file is not well-formed XML.

    Devices refuse to install a profile they cannot parse. The finding carries libxml2's
    message and position (invalid UTF-8, an unclosed tag, a truncated file, nesting
    deeper than 256 levels, an undefined entity, random bytes).

    Fails:   <plist><dict><key>A</key><string>x</dict></plist>
    Passes:  <plist><dict><key>A</key><string>x</string></dict></plist>
    """


@reader_rule("PAR002")
def not_a_plist() -> None:
    """The file is not a property list.

    The root element is not <plist>, the <plist> is empty, or a binary plist is corrupt:
    truncated, an offset or a reference outside the file, a damaged trailer, an object
    that contains itself (a cycle), a dictionary key that is not a string, nesting deeper
    than 256 levels (the XML limit), an unknown object type. The message says which.

    Fails:   <html><body/></html>
    Passes:  <plist version="1.0"><dict/></plist>
    """


@reader_rule("PAR003")
def entities_refused() -> None:
    """The XML declares or references entities.

    Entity declarations are how "billion laughs" and external-entity (XXE) attacks work,
    and no profile needs them; the file is not decoded further.

    Fails:   <!DOCTYPE plist [<!ENTITY a "aaaa">]>
    Passes:  <!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
    """


@reader_rule("PAR004")
def invalid_base64() -> None:
    """A <data> element is not valid base64.

    The message names the first offending character or the padding problem. Parsers
    differ on how they skip bad characters, so the bytes a device sees are uncertain.

    Fails:   <data>AAE*AA==</data>
    Passes:  <data>AAECAw==</data>
    """


@reader_rule("PAR005")
def invalid_date() -> None:
    """A <date> element does not hold an ISO 8601 UTC date (YYYY-MM-DDTHH:MM:SSZ).

    Fails:   <date>2024-13-01T00:00:00Z</date>
    Passes:  <date>2024-12-01T00:00:00Z</date>
    """


@reader_rule("PAR006")
def unknown_element() -> None:
    """An element that property lists do not have, or an element inside a <string>.

    Fails:   <key>Enabled</key><bool>true</bool>
    Passes:  <key>Enabled</key><true/>
    """


@reader_rule("PAR007")
def invalid_number() -> None:
    """An <integer> or <real> that is not a number, or an integer beyond 64 bits.

    An integer of more than 40 digits is not decoded at all; the message gives its
    length. A value under a key that names a secret (Password, Challenge, ...) is never
    shown in this or any other reader message.

    Fails:   <integer>12abc</integer>   <integer>18446744073709551616</integer>
    Passes:  <integer>12</integer>
    """


@reader_rule("PAR008")
def boolean_with_content() -> None:
    """<true/> or <false/> has content; CFPropertyList refuses such a file.

    Fails:   <true>yes</true>
    Passes:  <true/>
    """


@reader_rule("PAR009")
def key_value_mismatch() -> None:
    """A <key> without a value, a value without a <key>, or a <key> in an <array>.

    Fails:   <dict><key>A</key><key>B</key><string>b</string></dict>
    Passes:  <dict><key>A</key><string>a</string><key>B</key><string>b</string></dict>
    """


@reader_rule("PAR010")
def empty_file() -> None:
    """The file is empty (or only whitespace).

    Fails:   (zero bytes)
    Passes:  <plist version="1.0"><dict/></plist>
    """


@reader_rule("PAR011")
def bytes_before_declaration() -> None:
    """Whitespace or a UTF-8 byte order mark comes before <?xml.

    XML allows nothing before the declaration, and Python's plistlib refuses such files;
    the file is still read. Remove the leading bytes.

    Fails:   " <?xml version="1.0" encoding="UTF-8"?>"
    Passes:  "<?xml version="1.0" encoding="UTF-8"?>"
    """


@reader_rule("PAR012")
def file_too_large() -> None:
    """The file is larger than the reader accepts (64 MiB); it is not read.

    Also a binary plist whose shared objects (one object referenced from many places, as
    the format allows) would expand to more than 64 MiB when written out: what every
    reader of the profile would have to walk.

    Fails:   a 100 MB file
    Passes:  a profile of a few kilobytes
    """


@reader_rule("PAR013")
def unreadable_cms() -> None:
    """The file looks like CMS (it starts with a DER SEQUENCE) but cannot be opened.

    Truncated or corrupted signed profiles, and CMS types other than SignedData.

    Fails:   the first 500 bytes of a signed profile
    Passes:  a complete signed profile
    """


@reader_rule("PAR014")
def unsupported_value() -> None:
    """A binary plist holds a value profiles cannot carry (a UID or a null).

    Fails:   a keyed-archiver plist
    Passes:  a binary plist of dictionaries, arrays, strings, numbers, dates and data
    """


@reader_rule("PAR015")
def missing_plist_element() -> None:
    """The root element is a value (<dict>) instead of <plist> holding one.

    Fails:   <dict><key>PayloadType</key>...</dict>
    Passes:  <plist version="1.0"><dict><key>PayloadType</key>...</dict></plist>
    """


@reader_rule("PAR016")
def stray_text() -> None:
    """Text stands between the elements of a <dict> or an <array>.

    A property list allows only elements there (and whitespace); ``plutil -lint``
    refuses such a file, and a reader that skips the text silently hides what was
    probably meant to be a value (a <string> whose tags were lost in an edit).

    Fails:   <dict><key>A</key>oops<string>x</string></dict>
    Passes:  <dict><key>A</key><string>x</string></dict>
    """


@reader_rule("PAR017")
def malformed_json() -> None:
    """The file is not well-formed JSON (a DDM declaration, or a JSON profile).

    A server cannot send, and a device cannot apply, a declaration it cannot parse. The
    finding has the parser's position. Also reported here: text that is not UTF-8, NaN or
    Infinity (which some JSON writers emit but JSON does not have), nesting too deep to be
    a real document. Duplicate keys are STR001; integers too long for any device PAR007.

    Fails:   {"Type": "com.apple.configuration.passcode.settings", "Identifier": "p",}
    Passes:  {"Type": "com.apple.configuration.passcode.settings", "Identifier": "p"}
    """
