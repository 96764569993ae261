"""The expat decoder gives the Document the lxml decoder gives, or hands the file over.

Every fixture and every file of the shared corpora is read both ways (``tree=True`` is
the lxml decoder) and compared: the values, the reader's findings, the suppressions, the
duplicate keys and the line and column of every value and key. The counts at the end
check that expat does decode the ordinary files, so the comparison is not vacuous.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from profilesmith.base.pointers import escape_pointer_token
from profilesmith.plist.document import Document
from profilesmith.plist.expatplist import TreeLocator
from profilesmith.plist.reader import read_bytes
from tests.conftest import FIXTURES, fresh_run, need_shared

XML_HEAD = (b'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE plist PUBLIC '
            b'"-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">\n')


def pointers(value: Any, pointer: str = "") -> Iterator[str]:
    yield pointer
    if isinstance(value, dict):
        for key, item in value.items():
            yield from pointers(item, f"{pointer}/{escape_pointer_token(key)}")
        yield f"{pointer}/NoSuchKey"
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from pointers(item, f"{pointer}/{index}")
        yield f"{pointer}/{len(value)}"


def facts(doc: Document) -> dict[str, Any]:
    suppressions = doc.suppressions
    seen: dict[str, Any] = {
        "format": doc.format, "inner": doc.inner_format, "root": doc.root,
        "findings": doc.findings, "duplicates": doc.duplicates,
        "unreadable": doc.unreadable, "directives": suppressions.directives,
        "whole": suppressions.whole_file, "by_line": suppressions.by_line,
        "by_pointer": suppressions.by_pointer,
    }
    if doc.locator is not None and doc.root is not None:
        seen["positions"] = [(p, doc.locate(p), doc.locate(p, at="key"))
                             for p in pointers(doc.root)]
    return seen


def compare(data: bytes, path: str) -> bool:
    """Assert both readings agree; True when expat decoded the file."""
    fast = read_bytes(data, path)
    full = read_bytes(data, path, tree=True)
    assert facts(fast) == facts(full), path
    return isinstance(fast.locator, TreeLocator)


def plist(body: bytes) -> bytes:
    return XML_HEAD + b'<plist version="1.0">\n' + body + b"\n</plist>\n"


CASES = {
    "plain": plist(b"<dict>\n\t<key>A</key>\n\t<string>x &amp; y</string>\n\t<key>B</key>"
                   b"<integer>-0x1F</integer>\n\t<key>C</key><array><true/><false/><real>1e3"
                   b"</real><date>2026-01-02T03:04:05Z</date><data>AAEC\n  AwQ=</data>"
                   b"</array>\n</dict>"),
    "several on a line": plist(b"<dict><key>A</key><dict><key>B</key><string>b</string></dict>"
                               b"<key>C</key><array><string>1</string><integer>2</integer>"
                               b"</array></dict>"),
    "duplicate keys": plist(b"<dict>\n<key>A</key><string>1</string>\n<key>A</key>"
                            b"<dict><key>B</key><string>2</string><key>B</key><true/></dict>\n"
                            b"</dict>"),
    "directives": (b"<?xml version=\"1.0\"?>\n<!-- profilesmith: ignore STR001 -->\n"
                   b"<!-- profilesmith: ignore SEC -->\n<plist version=\"1.0\">\n"
                   b"<!-- profilesmith: ignore MDM101,\n  MDM102 -->\n<dict>\n"
                   b"  <!-- profilesmith: ignore SCH005 -->\n  <key>A</key>\n"
                   b"  <dict>\n    <!-- not a directive -->\n"
                   b"    <!-- profilesmith: ignore SCP101 -->\n"
                   b"    <key>B</key><string>b</string>\n  </dict>\n"
                   b"  <key>C</key>\n  <!-- profilesmith: ignore CRT101 -->\n"
                   b"  <string>c</string>\n</dict>\n</plist>\n"),
    "comments inside values": plist(b"<dict><key>A<!-- x --></key><string>a<!--\n-->b</string>"
                                    b"<key>N</key><integer>1<!-- y -->2</integer></dict>"),
    "crlf and cdata": plist(b"<dict>\r\n<key>A</key>\r\n<string><![CDATA[<x>]]>\r\ny</string>"
                            b"\r\n</dict>").replace(b"\n", b"\r\n").replace(b"\r\r", b"\r"),
    "bom and offset": b"\n\n  \xef\xbb\xbf" + plist(b"<dict><key>\xc3\xa9</key>"
                                                   b"<string>\xe2\x82\xac</string></dict>"),
    "no declaration, array root": b'<plist version="1.0"><array><string/></array></plist>',
}

# each of these is reported (or numbered otherwise) by the lxml decoder: expat hands over
HANDED_OVER = {
    "malformed": plist(b"<dict><key>A</key><string>x</dict>"),
    "unknown element": plist(b"<dict><key>A</key><thing/></dict>"),
    "element in a string": plist(b"<dict><key>A</key><string>a<b/>c</string></dict>"),
    "bad integer": plist(b"<dict><key>A</key><integer>12a</integer></dict>"),
    "integer out of range": plist(b"<dict><key>A</key><integer>18446744073709551616"
                                  b"</integer></dict>"),
    "bad date": plist(b"<dict><key>A</key><date>2026-02-30T00:00:00Z</date></dict>"),
    "bad data": plist(b"<dict><key>A</key><data>AAE</data></dict>"),
    "bad real": plist(b"<dict><key>A</key><real>one</real></dict>"),
    "text in a true": plist(b"<dict><key>A</key><true>yes</true></dict>"),
    "comment in a false": plist(b"<dict><key>A</key><false><!-- x --></false></dict>"),
    "key without value": plist(b"<dict><key>A</key></dict>"),
    "value without key": plist(b"<dict><string>a</string></dict>"),
    "key in an array": plist(b"<array><key>A</key></array>"),
    "stray text": plist(b"<dict>oops<key>A</key><string>a</string></dict>"),
    "two values": plist(b"<string>a</string><string>b</string>"),
    "no value": plist(b""),
    "root is no plist": b"<dict><key>A</key><string>a</string></dict>",
    "start tag across lines": plist(b"<dict><key>A</key><string\n>a</string></dict>"),
    "a namespace": plist(b'<dict xmlns="urn:x"><key>A</key><string>a</string></dict>'),
    "an attribute": plist(b'<dict><key id="k">A</key><string>a</string></dict>'),
    "entity reference": plist(b"<dict><key>A</key><string>&nbsp;</string></dict>"),
    "internal subset": (b'<?xml version="1.0"?>\n<!DOCTYPE plist [ <!ELEMENT plist ANY> ]>\n'
                        b'<plist version="1.0"><string>a</string></plist>'),
    "other encoding": (b'<?xml version="1.0" encoding="ISO-8859-1"?>\n'
                       b'<plist version="1.0"><string>\xe9</string></plist>'),
    "lone carriage returns": plist(b"<dict>\r<key>A</key>\r<string>a</string></dict>"),
    "processing instruction": plist(b"<dict><?pi x?><key>A</key><string>a</string></dict>"),
    "xml version 0.0": b'<?xml version="0.0"?>\n<plist version="1.0"><string/></plist>',
    "processing instruction in the prolog": b'<?pi x?><plist version="1.0"><string/></plist>',
    "utf-16": ('<?xml version="1.0" encoding="UTF-16"?><plist version="1.0"><string>a'
               '</string></plist>').encode("utf-16"),
    "deep": plist(b"<array>" * 230 + b"</array>" * 230),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_expat_decodes_ordinary_files_as_lxml_does(name: str) -> None:
    assert compare(CASES[name], "t.mobileconfig")


@pytest.mark.parametrize("name", sorted(HANDED_OVER))
def test_files_with_something_to_report_go_to_lxml(name: str) -> None:
    assert not compare(HANDED_OVER[name], "t.mobileconfig")


def test_a_directive_attached_to_its_key_by_expat() -> None:
    doc = read_bytes(CASES["directives"], "t.mobileconfig")
    assert isinstance(doc.locator, TreeLocator)
    assert [(d.line, sorted(d.rules), d.pointer) for d in doc.suppressions.directives] == [
        (3, ["SEC"], ""), (2, ["STR001"], ""), (6, ["MDM101", "MDM102"], ""),
        (8, ["SCH005"], "/A"), (12, ["SCP101"], "/A/B"), (16, ["CRT101"], "/C"),
    ]  # a comment is numbered by its last line, as libxml2 does
    assert doc.suppressions.by_line == {9: {"SCH005"}, 13: {"SCP101"}, 17: {"CRT101"}}
    assert doc.locate("/A/B") == (13, 17)
    assert doc.locate("/A/B", at="key") == (13, 5)


def _files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file()
                  and p.suffix in (".mobileconfig", ".plist", ".xml"))


def test_fixtures_read_alike() -> None:
    decoded = [compare(p.read_bytes(), str(p)) for p in _files(FIXTURES)]
    assert len(decoded) > 300
    assert sum(decoded) > len(decoded) // 2


@pytest.mark.parametrize("area", ["real-world", "messages"])
def test_corpus_reads_alike(area: str) -> None:
    files = _files(need_shared("corpus", area))
    decoded = [compare(p.read_bytes(), str(p)) for p in files]
    assert sum(decoded) > 0.8 * len(decoded)


def _lint_in_a_process(path: Path) -> tuple[str, list[str]]:
    run = fresh_run(["lint", "--format", "json", "--output", "-", str(path)],
                    ("lxml", "inspect"))
    return run.out, run.imported


def test_a_one_file_lint_of_an_ordinary_profile_imports_no_lxml(tmp_path: Path) -> None:
    path = tmp_path / "plain.mobileconfig"
    path.write_bytes(CASES["plain"])
    _, imported = _lint_in_a_process(path)
    assert imported == []


def test_a_malformed_file_is_reported_in_libxml2s_words(tmp_path: Path) -> None:
    path = tmp_path / "broken.mobileconfig"
    path.write_bytes(HANDED_OVER["malformed"])
    out, imported = _lint_in_a_process(path)
    assert imported == ["inspect", "lxml"]  # lxml imports inspect
    (finding,) = json.loads(out)["findings"]
    assert (finding["rule"], finding["line"]) == ("PAR001", 4)
    assert finding["message"].startswith("malformed XML: Opening and ending tag mismatch")
