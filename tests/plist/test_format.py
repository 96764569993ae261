"""``profilesmith format`` (canonical XML in place) and the canonical writer."""

from __future__ import annotations

import plistlib
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from profilesmith.plist.reader import read_bytes
from profilesmith.plist.writer import dumps_canonical, dumps_xml, fragment
from tests.conftest import lint_files, plist, run_cli

text = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters=(
    "".join(chr(c) for c in range(32) if c not in (9, 10)) + "\r\ufffe\uffff")), max_size=10)
scalars = st.one_of(text, st.integers(min_value=-(2**63), max_value=2**64 - 1),
                    st.floats(allow_nan=False), st.booleans(), st.binary(max_size=120),
                    st.datetimes(min_value=datetime(1900, 1, 1)).map(
                        lambda d: d.replace(microsecond=0)))
trees = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(text, inner, max_size=4)), max_leaves=16)


@settings(max_examples=200, deadline=None)
@given(tree=trees)
def test_canonical_is_plistlib_without_comments(tree: Any) -> None:
    data = dumps_canonical(tree)
    assert data == dumps_xml(tree)
    assert read_bytes(data, "t").findings == []


COMMENTED = plist("""<!-- profilesmith: ignore STR003 -->
<dict>
  <!-- a note for humans -->
  <key>PayloadUUID</key><string>not-a-uuid</string>
  <key>PayloadContent</key>
  <array>
    <dict>
      <key>PayloadUUID</key><string>also-not</string>
      <!-- profilesmith: ignore STR004 -->
      <key>PayloadIdentifier</key><string>com.example.same</string>
      <key>PayloadType</key><string>com.example.x</string>
      <key>PayloadVersion</key><integer>1</integer>
    </dict>
  </array>
  <key>PayloadIdentifier</key><string>com.example.same</string>
  <key>PayloadType</key><string>Configuration</string>
  <key>PayloadVersion</key><integer>1</integer>
</dict>""")


HEADER = ('<?xml version="1.0" encoding="UTF-8"?>\n'
          '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" '
          '"http://www.apple.com/DTDs/PropertyList-1.0.dtd">\n')


def test_format_keeps_comments_and_key_order(tmp_path: Path) -> None:
    path = tmp_path / "p.mobileconfig"
    path.write_bytes(COMMENTED)
    before = [(f.rule, f.pointer) for f in lint_files([path])]
    result = run_cli("format", str(path))
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == f"profilesmith: wrote {path} (reformatted)\n"
    data = path.read_bytes()
    assert data.decode() == HEADER + (
        '<plist version="1.0">\n'
        "<!-- profilesmith: ignore STR003 -->\n"
        "<dict>\n"
        "\t<!-- a note for humans -->\n"
        "\t<key>PayloadUUID</key>\n\t<string>not-a-uuid</string>\n"
        "\t<key>PayloadContent</key>\n\t<array>\n\t\t<dict>\n"
        "\t\t\t<key>PayloadUUID</key>\n\t\t\t<string>also-not</string>\n"
        "\t\t\t<!-- profilesmith: ignore STR004 -->\n"
        "\t\t\t<key>PayloadIdentifier</key>\n\t\t\t<string>com.example.same</string>\n"
        "\t\t\t<key>PayloadType</key>\n\t\t\t<string>com.example.x</string>\n"
        "\t\t\t<key>PayloadVersion</key>\n\t\t\t<integer>1</integer>\n"
        "\t\t</dict>\n\t</array>\n"
        "\t<key>PayloadIdentifier</key>\n\t<string>com.example.same</string>\n"
        "\t<key>PayloadType</key>\n\t<string>Configuration</string>\n"
        "\t<key>PayloadVersion</key>\n\t<integer>1</integer>\n"
        "</dict>\n</plist>\n"
    )
    assert [(f.rule, f.pointer) for f in lint_files([path])] == before
    assert plistlib.loads(data) == plistlib.loads(COMMENTED)
    # canonical now: a second run changes nothing
    again = run_cli("format", str(path))
    assert (again.exit_code, again.output) == (0, "")


def test_sort_keys_sorts_and_comments_move_with_their_keys(tmp_path: Path) -> None:
    path = tmp_path / "p.mobileconfig"
    path.write_bytes(COMMENTED)
    result = run_cli("format", "--sort-keys", str(path))
    assert (result.exit_code, result.stderr) == (1, f"profilesmith: wrote {path} (reformatted)\n")
    assert path.read_bytes().decode() == HEADER + (
        '<plist version="1.0">\n'
        "<!-- profilesmith: ignore STR003 -->\n"
        "<dict>\n\t<key>PayloadContent</key>\n\t<array>\n\t\t<dict>\n"
        "\t\t\t<!-- profilesmith: ignore STR004 -->\n"
        "\t\t\t<key>PayloadIdentifier</key>\n\t\t\t<string>com.example.same</string>\n"
        "\t\t\t<key>PayloadType</key>\n\t\t\t<string>com.example.x</string>\n"
        "\t\t\t<key>PayloadUUID</key>\n\t\t\t<string>also-not</string>\n"
        "\t\t\t<key>PayloadVersion</key>\n\t\t\t<integer>1</integer>\n"
        "\t\t</dict>\n\t</array>\n"
        "\t<key>PayloadIdentifier</key>\n\t<string>com.example.same</string>\n"
        "\t<key>PayloadType</key>\n\t<string>Configuration</string>\n"
        "\t<!-- a note for humans -->\n"
        "\t<key>PayloadUUID</key>\n\t<string>not-a-uuid</string>\n"
        "\t<key>PayloadVersion</key>\n\t<integer>1</integer>\n"
        "</dict>\n</plist>\n"
    )
    # without --sort-keys the sorted order is kept as it now is
    assert run_cli("format", str(path)).exit_code == 0


def test_comments_everywhere_are_kept_and_those_inside_values_counted(tmp_path: Path) -> None:
    source = (HEADER + "<!-- before plist -->\n<plist version=\"1.0\">\n<dict>\n"
              "  <key>A</key>  <!-- between key and value -->  <array>\n"
              "    <!-- before the first item --><integer>1</integer>\n"
              "    <integer>2</integer> <!-- after the last item -->\n  </array>\n"
              "  <key>E</key><dict><!-- in an empty dict --></dict>\n"
              "  <key>S</key><string>a<!-- inside a value -->b</string>\n"
              "  <!-- at the end\n       of the dict -->\n"
              "</dict>\n<!-- after the value -->\n</plist>\n<!-- after plist -->\n")
    path = tmp_path / "c.mobileconfig"
    path.write_text(source)
    result = run_cli("format", str(path))
    assert result.stderr == (f"profilesmith: wrote {path} (reformatted; dropped 1 comment(s) "
                             "inside values)\n")
    assert path.read_text() == HEADER + (
        "<!-- before plist -->\n"
        '<plist version="1.0">\n<dict>\n'
        "\t<!-- between key and value -->\n"
        "\t<key>A</key>\n\t<array>\n"
        "\t\t<!-- before the first item -->\n\t\t<integer>1</integer>\n"
        "\t\t<integer>2</integer>\n"
        "\t\t<!-- after the last item -->\n\t</array>\n"
        "\t<key>E</key>\n\t<dict>\n\t\t<!-- in an empty dict -->\n\t</dict>\n"
        "\t<key>S</key>\n\t<string>ab</string>\n"
        "\t<!-- at the end\n       of the dict -->\n"
        "</dict>\n<!-- after the value -->\n</plist>\n<!-- after plist -->\n"
    )
    assert read_bytes(path.read_bytes(), "c").root == {"A": [1, 2], "E": {}, "S": "ab"}
    assert run_cli("format", str(path)).exit_code == 0  # a fixed point


def test_binary_becomes_xml_and_directories_are_walked(tmp_path: Path) -> None:
    value = {"PayloadType": "Configuration", "PayloadContent": [], "Data": b"\x00" * 70,
             "When": datetime(2024, 5, 6, 7, 8, 9), "Real": 0.5}
    (tmp_path / "a.mobileconfig").write_bytes(plistlib.dumps(value, fmt=plistlib.FMT_BINARY))
    (tmp_path / "Info.plist").write_bytes(plistlib.dumps({"CFBundleName": "x"},
                                                         fmt=plistlib.FMT_BINARY))
    (tmp_path / "ok.mobileconfig").write_bytes(dumps_xml(value))
    result = run_cli("format", str(tmp_path))
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == f"profilesmith: wrote {tmp_path / 'a.mobileconfig'} (reformatted)\n"
    # plistlib's binary writer sorts the keys; their order is kept
    assert (tmp_path / "a.mobileconfig").read_bytes() == dumps_xml(value)
    # a .plist that is no profile, met in a directory walk, is not touched
    assert (tmp_path / "Info.plist").read_bytes().startswith(b"bplist")


def test_check_reports_without_writing(tmp_path: Path) -> None:
    path = tmp_path / "a.mobileconfig"
    path.write_bytes(plist("<dict><key>B</key><true/><key>A</key><false/></dict>"))
    before = path.read_bytes()
    result = run_cli("format", "--check", str(path))
    assert (result.exit_code, result.stdout) == (1, f"{path}: would be reformatted\n")
    assert path.read_bytes() == before


def test_signed_and_unreadable_files_are_left_alone(tmp_path: Path) -> None:
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.serialization import pkcs7

    from tests.pki import make_cert, name, rsa_key

    key = rsa_key()
    signed = (pkcs7.PKCS7SignatureBuilder().set_data(plist("<dict><key>B</key><true/>"
                                                           "<key>A</key><true/></dict>"))
              .add_signer(make_cert(name("Fmt"), key), key, hashes.SHA256())
              .sign(serialization.Encoding.DER, [pkcs7.PKCS7Options.Binary]))
    signed_path = tmp_path / "s.mobileconfig"
    signed_path.write_bytes(signed)
    result = run_cli("format", str(signed_path))
    assert result.exit_code == 0
    assert result.stderr == (f"profilesmith: {signed_path}: signed; left untouched "
                             "(reformatting would break the signature)\n")
    assert signed_path.read_bytes() == signed
    cases = {
        "broken.mobileconfig": (b"<plist><dict><key>A</key>", "malformed XML"),
        "dup.mobileconfig": (plist("<dict><key>A</key><true/><key>A</key><false/></dict>"),
                             "duplicate keys"),
        "bell.mobileconfig": (plistlib.dumps({"A": "\x07"}, fmt=plistlib.FMT_BINARY),
                              "contains U+0007, which XML cannot carry; left untouched"),
        # a damaged CMS structure is no signed profile to leave alone: an error
        "cms.mobileconfig": (signed[:40], "left untouched"),
    }
    for file_name, (data, reason) in cases.items():
        path = tmp_path / file_name
        path.write_bytes(data)
        result = run_cli("format", str(path))
        assert result.exit_code == 2, file_name
        assert reason in result.stderr
        assert result.stderr.rstrip().endswith("left untouched")
        assert path.read_bytes() == data
    assert run_cli("format", str(tmp_path / "missing.mobileconfig")).exit_code == 2


def test_carriage_returns_survive(tmp_path: Path) -> None:
    value = {"A": "one\r\ntwo\rthree"}
    path = tmp_path / "cr.mobileconfig"
    path.write_bytes(dumps_canonical(value))
    assert b"one&#13;\ntwo&#13;three" in path.read_bytes()
    assert read_bytes(path.read_bytes(), "cr").root == value
    assert run_cli("format", str(path)).exit_code == 0


def test_oversized_files_are_refused_naming_their_length(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from profilesmith.base import files
    from profilesmith.plist.formatter import format_bytes

    monkeypatch.setattr(files, "MAX_BYTES", 1000)
    data = plist("<dict><key>A</key><string>" + "x" * (3 << 20) + "</string></dict>")
    path = tmp_path / "big.mobileconfig"
    path.write_bytes(data)
    result = run_cli("format", str(path))
    assert result.exit_code == 2
    # the message the whole file, read into memory, is refused with
    whole = format_bytes(data, str(path))
    assert whole.status == "refused"
    assert result.stderr == f"profilesmith: {whole.message}\n"
    assert f"file is {len(data)} bytes; profiles over 1000 bytes are refused" in result.stderr
    assert path.read_bytes() == data
    # a .plist met in a directory walk is not a profile: skipped
    path.rename(tmp_path / "Big.plist")
    assert format_bytes(data, "Big.plist", only_profiles=True).status == "skipped"
    result = run_cli("format", str(tmp_path))
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")


def test_canonical_dates_and_escaped_pointers() -> None:
    from datetime import timedelta, timezone

    from profilesmith.plist.document import Suppressions

    aware = datetime(2024, 1, 2, 3, 4, 5, 678, tzinfo=timezone(timedelta(hours=5)))
    suppressions = Suppressions()
    suppressions.by_pointer["/a~1b~0c/d"] = {"STR003"}
    tree = {"a/b~c": {"d": datetime(2024, 1, 1, 22, 4, 5, 999)}, "when": aware}
    assert dumps_canonical(tree, suppressions=suppressions).decode().splitlines()[3:12] == [
        "<dict>",
        "\t<key>a/b~c</key>",
        "\t<dict>",
        "\t\t<!-- profilesmith: ignore STR003 -->",
        "\t\t<key>d</key>",
        "\t\t<date>2024-01-01T22:04:05Z</date>",
        "\t</dict>",
        "\t<key>when</key>",
        "\t<date>2024-01-01T22:04:05Z</date>",  # aware: in UTC
    ]


@pytest.mark.parametrize(("tree", "message"), [
    ({"a": [1, None]}, "null at /a/1 has no property-list form"),
    ({"a": {"b~/": 1 << 70}}, "integer at /a/b~0~1 is outside 64 bits"),
    ({"a": [{1: "x"}]}, "key 1 at /a/0 is not a string"),
    ({"s": ["ok", "\x01"]}, "string at /s/1 contains U+0001, which XML cannot carry"),
])
def test_values_a_plist_cannot_hold_are_named_by_pointer(tree: Any, message: str) -> None:
    from profilesmith.plist.writer import NotRepresentable

    with pytest.raises(NotRepresentable) as caught:
        dumps_canonical(tree)
    assert str(caught.value) == message
    with pytest.raises(NotRepresentable) as caught:
        fragment(tree)  # a template's plist filter: the same words
    assert str(caught.value) == message


def test_a_fragment_is_the_documents_value() -> None:
    tree = {"b": [1, True, 2.5, b"\x00" * 60, "a&<\r", [], {}], "a": {"z": "x"}}
    lines = dumps_canonical(tree).decode().splitlines()
    assert lines[-1] == "</plist>"
    assert fragment(tree).splitlines() == lines[3:-1]
