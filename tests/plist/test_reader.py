"""The reader: every awkward input becomes a value tree or an exact finding, never an
exception."""

from __future__ import annotations

import os
import plistlib
import random
import subprocess
from datetime import datetime
from pathlib import Path

import pytest

from profilesmith.base import files
from profilesmith.base.findings import Severity
from profilesmith.plist.reader import read_bytes, read_path
from tests.conftest import plist

DOCTYPE = (
    '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" '
    '"http://www.apple.com/DTDs/PropertyList-1.0.dtd">'
)


def found(data: bytes) -> list[tuple[str, str, int | None, str]]:
    doc = read_bytes(data, "t.plist")
    return [(f.rule, f.pointer, f.line, f.severity.value) for f in doc.findings]


def test_plain_profile_values_and_positions() -> None:
    data = plist(
        "<dict>\n"
        "\t<key>PayloadContent</key>\n"
        "\t<array>\n"
        "\t\t<dict><key>A</key><integer>7</integer><key>B</key><real>1.5</real></dict>\n"
        "\t</array>\n"
        "\t<key>D</key><date>2024-02-29T12:00:00Z</date>\n"
        "\t<key>E</key><data>AAEC</data>\n"
        "\t<key>F</key><false/>\n"
        "</dict>"
    )
    doc = read_bytes(data, "p.mobileconfig")
    assert doc.findings == []
    assert doc.format == "xml"
    assert doc.root == {
        "PayloadContent": [{"A": 7, "B": 1.5}],
        "D": datetime(2024, 2, 29, 12, 0, 0),
        "E": b"\x00\x01\x02",
        "F": False,
    }
    assert doc.root == plistlib.loads(data)
    # line of each value's element; columns worked out from the line's text
    assert doc.locate("") == (4, 1)
    assert doc.locate("/PayloadContent") == (6, 2)
    assert doc.locate("/PayloadContent/0") == (7, 3)
    assert doc.locate("/PayloadContent/0/A") == (7, 21)
    assert doc.locate("/PayloadContent/0/B") == (7, 53)
    assert doc.locate("/PayloadContent/0/B", at="key") == (7, 41)
    assert doc.locate("/D") == (9, 14)
    # a missing member reports its enclosing dict
    assert doc.locate("/PayloadContent/0/Missing") == (7, 3)


def test_binary_plist() -> None:
    value = {"PayloadType": "Configuration", "N": 2**40, "L": [True, b"x"]}
    doc = read_bytes(plistlib.dumps(value, fmt=plistlib.FMT_BINARY), "b.mobileconfig")
    assert (doc.format, doc.root, doc.findings) == ("binary", value, [])
    assert doc.locate("/N") == (None, None)


def test_truncated_binary_plist() -> None:
    data = plistlib.dumps({"A": "b" * 50}, fmt=plistlib.FMT_BINARY)[:-20]
    assert [(r, p, line) for r, p, line, _ in found(data)] == [("PAR002", "", None)]


def test_leading_whitespace_is_a_warning_and_lines_stay_true() -> None:
    data = b"\n  " + plist("<dict><key>A</key><string>x</string></dict>")
    doc = read_bytes(data, "t.plist")
    assert found(data) == [("PAR011", "", 1, "warning")]
    assert doc.root == {"A": "x"}
    assert doc.locate("/A") == (5, 19)


def test_utf8_bom_is_a_warning() -> None:
    data = b"\xef\xbb\xbf" + plist("<dict><key>A</key><string>é</string></dict>")
    doc = read_bytes(data, "t.plist")
    assert found(data) == [("PAR011", "", 1, "warning")]
    assert doc.root == {"A": "é"}
    assert doc.locate("/A") == (4, 19)


def test_crlf_line_endings() -> None:
    data = plist("<dict>\n<key>A</key>\n<string>x</string>\n</dict>").replace(b"\n", b"\r\n")
    doc = read_bytes(data, "t.plist")
    assert doc.findings == []
    assert doc.root == {"A": "x"}
    assert doc.locate("/A") == (6, 1)


def test_doctype_without_xml_declaration() -> None:
    data = f'{DOCTYPE}\n<plist version="1.0"><dict><key>A</key><true/></dict></plist>'.encode()
    doc = read_bytes(data, "t.plist")
    assert (doc.findings, doc.root) == ([], {"A": True})
    assert doc.locate("/A") == (2, 40)


def test_utf16() -> None:
    text = plist("<dict>\n<key>Name</key>\n<string>Grüße 🎉</string>\n</dict>").decode()
    data = text.replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16")
    doc = read_bytes(data, "t.plist")
    assert (doc.findings, doc.root) == ([], {"Name": "Grüße 🎉"})
    assert doc.locate("/Name") == (6, 1)


def test_integer_beyond_64_bits() -> None:
    data = plist(
        "<dict>\n<key>Big</key><integer>18446744073709551616</integer>\n"
        "<key>Max</key><integer>18446744073709551615</integer>\n"
        "<key>Min</key><integer>-9223372036854775808</integer>\n</dict>"
    )
    assert found(data) == [("PAR007", "/Big", 5, "error")]
    assert read_bytes(data, "t").root["Max"] == 2**64 - 1


def test_integer_that_is_not_a_number() -> None:
    data = plist(
        "<dict>\n<key>N</key><integer>1_000</integer>\n"
        "<key>H</key><integer>0x1F</integer>\n</dict>"
    )
    assert found(data) == [("PAR007", "/N", 5, "error")]
    doc = read_bytes(data, "t")
    assert doc.root == {"N": None, "H": 31}
    assert doc.unreadable == {"/N"}


def test_bad_base64() -> None:
    data = plist("<dict>\n<key>Cert</key>\n<data>\nAAE*AA==\n</data>\n</dict>")
    doc = read_bytes(data, "t.plist")
    assert [(f.rule, f.pointer, f.line) for f in doc.findings] == [("PAR004", "/Cert", 6)]
    assert "'*' at offset 3" in doc.findings[0].message
    assert doc.unreadable == {"/Cert"}


def test_missing_base64_padding() -> None:
    data = plist("<dict><key>D</key><data>AAE</data></dict>")
    doc = read_bytes(data, "t.plist")
    assert [(f.rule, f.message) for f in doc.findings] == [
        ("PAR004", "<data> is not valid base64: missing '=' padding")
    ]


def test_bad_date() -> None:
    data = plist("<dict>\n<key>RemovalDate</key>\n<date>2024-13-01T00:00:00Z</date>\n</dict>")
    assert found(data) == [("PAR005", "/RemovalDate", 6, "error")]
    data = plist("<dict><key>D</key><date>yesterday</date></dict>")
    assert found(data) == [("PAR005", "/D", 4, "error")]


def test_unknown_element() -> None:
    data = plist("<dict>\n<key>Enabled</key>\n<bool>true</bool>\n</dict>")
    assert found(data) == [("PAR006", "/Enabled", 6, "error")]


def test_element_inside_string() -> None:
    data = plist("<dict><key>S</key><string>a<b>c</b>d</string></dict>")
    assert found(data) == [("PAR006", "/S", 4, "error")]


def test_true_with_content() -> None:
    data = plist("<dict>\n<key>T</key>\n<true>x</true>\n</dict>")
    assert found(data) == [("PAR008", "/T", 6, "error")]
    assert read_bytes(data, "t").root == {"T": True}


def test_key_without_value() -> None:
    data = plist("<dict>\n<key>A</key>\n<key>B</key>\n<string>b</string>\n<key>C</key>\n</dict>")
    doc = read_bytes(data, "t.plist")
    assert [(f.rule, f.pointer, f.line, f.column) for f in doc.findings] == [
        ("PAR009", "/A", 5, 1),
        ("PAR009", "/C", 8, 1),
    ]
    assert doc.root == {"B": "b"}


def test_value_without_key_and_key_in_array() -> None:
    data = plist(
        "<dict>\n<string>lost</string>\n<key>L</key>\n<array><key>k</key></array>\n</dict>"
    )
    assert found(data) == [("PAR009", "", 5, "error"), ("PAR009", "/L", 7, "error")]


def test_duplicate_keys_are_recorded_with_the_second_key() -> None:
    data = plist("<dict>\n<key>A</key><string>1</string>\n<key>A</key><string>2</string>\n</dict>")
    doc = read_bytes(data, "t.plist")
    assert doc.findings == []
    assert doc.duplicates == ["/A"]
    assert doc.locate("/A", at="key") == (6, 1)
    assert doc.root == {"A": "2"}  # as plistlib: the last one wins


@pytest.mark.parametrize("data", [b"", b"   \n\t\n"])
def test_empty_file(data: bytes) -> None:
    assert found(data) == [("PAR010", "", 1 if data else None, "error")]


def test_random_bytes() -> None:
    rng = random.Random(20261122)
    for _ in range(200):
        data = bytes(rng.getrandbits(8) for _ in range(rng.randrange(1, 400)))
        doc = read_bytes(data, "r.bin")
        assert doc.findings, data
        assert all(f.severity is Severity.ERROR for f in doc.findings), data


def test_random_bytes_that_look_like_xml_have_a_line() -> None:
    assert found(b"<?xml version='1.0'?>\n\x00\x01garbage") == [
        ("PAR001", "", 2, "error")
    ]


def test_truncated_xml() -> None:
    data = plist("<dict>\n<key>A</key>\n<string>x</string>\n</dict>")[:-30]
    [(rule, pointer, line, _)] = found(data)
    assert (rule, pointer, line) == ("PAR001", "", 6)


def test_invalid_utf8() -> None:
    data = plist("<dict>\n<key>A</key>\n<string>x</string>\n</dict>").replace(b">x<", b">\xff\xfe<")
    [(rule, pointer, line, _)] = found(data)
    assert (rule, pointer, line) == ("PAR001", "", 6)


def test_deep_nesting_is_refused_quickly() -> None:
    depth = 100_000
    data = plist("<array>" * depth + "</array>" * depth)
    doc = read_bytes(data, "deep.plist")
    assert [(f.rule, f.pointer, f.line, f.message) for f in doc.findings] == [
        ("PAR001", "", 4, "XML nests deeper than 256 levels (the reader's limit; no profile "
         "comes near it)")]


def test_billion_laughs_is_refused() -> None:
    entities = '<!ENTITY a "aaaaaaaaaa">' + "".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9)
    )
    data = (
        f'<?xml version="1.0"?>\n<!DOCTYPE plist [{entities}]>\n'
        "<plist><dict><key>A</key><string>&j;</string></dict></plist>"
    ).encode()
    doc = read_bytes(data, "bomb.plist")
    assert [(f.rule, f.pointer, f.line) for f in doc.findings] == [("PAR003", "", 2)]
    assert doc.root is None


def test_external_entity_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    data = (
        f'<?xml version="1.0"?>\n<!DOCTYPE plist [<!ENTITY x SYSTEM "file://{secret}">]>\n'
        "<plist><dict><key>A</key><string>&x;</string></dict></plist>"
    ).encode()
    doc = read_bytes(data, "xxe.plist")
    assert [(f.rule, f.line) for f in doc.findings] == [("PAR003", 2)]
    assert "TOP-SECRET" not in repr(doc.root)


def test_undeclared_entity_reference_is_refused() -> None:
    data = plist("<dict>\n<key>A</key><string>&nope;</string>\n</dict>")
    assert found(data) == [("PAR003", "/A", 5, "error")]


def test_external_dtd_is_not_fetched() -> None:
    data = (
        b'<?xml version="1.0"?>\n<!DOCTYPE plist SYSTEM "http://127.0.0.1:9/evil.dtd">\n'
        b"<plist><dict/></plist>"
    )
    doc = read_bytes(data, "t")
    assert (doc.findings, doc.root) == ([], {})


def test_root_that_is_not_a_plist() -> None:
    assert found(b"<html>\n<body/></html>") == [("PAR002", "", 1, "error")]
    assert found(b"<plist version='1.0'>\n</plist>") == [("PAR002", "", 1, "error")]


def test_bare_dict_root_is_read_with_a_warning() -> None:
    doc = read_bytes(b"<dict><key>A</key><string>x</string></dict>", "t")
    assert doc.root == {"A": "x"}
    assert [(f.rule, f.severity.value) for f in doc.findings] == [("PAR015", "warning")]


def test_suppression_comments() -> None:
    data = plist(
        "<!-- profilesmith: ignore STR003 -->\n"
        "<dict>\n"
        "<!-- profilesmith: ignore MDM101, SEC1 -->\n"
        "<key>A</key><string>x</string>\n"
        "<key>B</key><string>y</string>\n"
        "</dict>"
    )
    doc = read_bytes(data, "t")
    assert doc.suppressions.whole_file == {"STR003"}
    assert doc.suppressions.by_pointer == {"/A": {"MDM101", "SEC1"}}
    assert doc.suppressions.by_line == {7: {"MDM101", "SEC1"}}


def test_file_too_large(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(files, "MAX_BYTES", 1000)
    path = tmp_path / "huge.mobileconfig"
    path.write_bytes(plist("<dict><key>A</key><string>" + "x" * 2000 + "</string></dict>"))
    doc = read_path(str(path))
    assert [(f.rule, f.pointer, f.line) for f in doc.findings] == [("PAR012", "", None)]
    assert read_bytes(b"x" * 1001, "t").findings[0].rule == "PAR012"


def test_unreadable_path_raises_oserror(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        read_path(str(tmp_path / "missing.mobileconfig"))


# -- CMS --------------------------------------------------------------------------------


def _openssl_sign(tmp_path: Path, content: bytes, *, stream: bool) -> bytes:
    key, cert = tmp_path / "k.pem", tmp_path / "c.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key),
         "-out", str(cert), "-subj", "/CN=reader test", "-days", "3650"],
        check=True, capture_output=True,
    )
    source = tmp_path / "in.mobileconfig"
    source.write_bytes(content)
    args = ["openssl", "cms", "-sign", "-binary", "-nodetach", "-outform", "DER",
            "-in", str(source), "-signer", str(cert), "-inkey", str(key)]
    if stream:
        args.append("-stream")
    return subprocess.run(args, check=True, capture_output=True).stdout


@pytest.mark.parametrize("stream", [False, True], ids=["DER", "BER-indefinite"])
def test_signed_profile_is_unwrapped(tmp_path: Path, stream: bool) -> None:
    content = plist("<dict>\n<key>PayloadType</key>\n<string>Configuration</string>\n</dict>")
    data = _openssl_sign(tmp_path, content, stream=stream)
    assert (data[1] == 0x80) is stream
    doc = read_bytes(data, "s.mobileconfig")
    assert doc.findings == []
    assert (doc.format, doc.inner_format) == ("cms", "xml")
    assert doc.root == {"PayloadType": "Configuration"}
    assert doc.content == content
    assert doc.signature is not None
    assert not doc.signature.detached
    assert doc.signature.indefinite_length is stream
    assert doc.locate("/PayloadType") == (6, 1)


def test_truncated_cms(tmp_path: Path) -> None:
    data = _openssl_sign(tmp_path, plist("<dict/>"), stream=False)
    for cut in (10, len(data) // 2, len(data) - 1):
        assert [(r, p, line) for r, p, line, _ in found(data[:cut])] == [("PAR013", "", None)]


def test_corpus_reads_without_exceptions(corpus: Path) -> None:
    unparseable = []
    for path in sorted(corpus.rglob("*.mobileconfig")):
        doc = read_path(str(path))
        errors = [f for f in doc.findings if f.severity is Severity.ERROR]
        if errors:
            unparseable.append((path.name, [(f.rule, f.line) for f in errors]))
        else:
            assert isinstance(doc.root, dict), path
    # the one file of the corpus that is not well-formed XML (INDEX.tsv says so)
    assert unparseable == [
        ("Google Chrome - Prevent proceeding from the SSL warning page.mobileconfig",
         [("PAR001", 48)])
    ]


def test_corpus_matches_plistlib(corpus: Path) -> None:
    for path in sorted(corpus.rglob("*.mobileconfig")):
        data = path.read_bytes()
        doc = read_bytes(data, str(path))
        if doc.format != "xml" or any(f.severity is Severity.ERROR for f in doc.findings):
            continue
        try:
            expected = plistlib.loads(data.lstrip())
        except Exception:
            continue
        assert doc.root == expected, path
    assert os.path.isdir(corpus)
